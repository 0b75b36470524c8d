/**
 * Main-table images as the store writes them (typed against store/items.ts, so a change of the
 * item shapes breaks these fixtures, not the events silently), plus what the wiring adds:
 * `profile`, `membershipVersion` and the request record on `lastRequest`.
 */
import type { DirectoryChange } from '../../../lambdas/events/change';
import type { GroupRef, Profile } from '../../../lambdas/profiles';
import type { GroupItem, MembershipItem, RequestStamp, UserItem } from '../../../lambdas/domain/items';

export const APP = 'app-1';
export const T0 = '2024-05-31T07:00:00.000Z';
export const T1 = '2024-05-31T07:05:00.123Z';
export const T2 = '2024-05-31T07:10:00.456Z';

export type StoredStamp = RequestStamp & { operation?: string; requested?: string[]; applied?: string[]; at?: string };
export type UserImageFixture = UserItem & { membershipVersion?: number; profile?: Profile; lastRequest: StoredStamp };

export const stamp = (requestId: string, extra: Partial<StoredStamp> = {}): StoredStamp => ({ requestId, appName: 'Entra ID', ...extra });

export interface UserState {
  id?: string;
  userName?: string;
  externalId?: string;
  active?: boolean;
  version?: number;
  membershipVersion?: number;
  attributes?: Profile['attributes'];
  groups?: GroupRef[];
  lastModified?: string;
  lastRequest?: StoredStamp;
  /** false: an item written before profiles were stored. */
  withProfile?: boolean;
}

export const userImage = (state: UserState = {}): UserImageFixture => {
  const id = state.id ?? 'u-1';
  const userName = state.userName ?? 'alice@contoso.com';
  const version = state.version ?? 1;
  const active = state.active ?? true;
  const lastModified = state.lastModified ?? T0;
  const item: UserImageFixture = {
    pk: `APP#${APP}#USER#${id}`,
    sk: 'USER',
    type: 'User',
    appId: APP,
    id,
    userName,
    externalId: state.externalId,
    externalIdIndexed: true,
    active,
    resource: { userName, active },
    version,
    created: T0,
    lastModified,
    lastRequest: state.lastRequest ?? stamp('req-0'),
    membershipVersion: state.membershipVersion ?? 0,
  };
  if (state.externalId === undefined) delete item.externalId;
  if (state.withProfile !== false) {
    item.profile = {
      id,
      userName,
      ...(state.externalId ? { externalId: state.externalId } : {}),
      active,
      attributes: state.attributes ?? { department: 'Sales' },
      groups: state.groups ?? [],
      version,
      updatedAt: lastModified,
    };
  }
  return item;
};

export const groupImage = (state: { id?: string; displayName?: string; externalId?: string; version?: number; lastModified?: string; lastRequest?: StoredStamp } = {}): GroupItem => {
  const id = state.id ?? 'g-1';
  const displayName = state.displayName ?? 'Sales';
  const item: GroupItem = {
    pk: `APP#${APP}#GROUP#${id}`,
    sk: 'GROUP',
    type: 'Group',
    appId: APP,
    id,
    displayName,
    externalId: state.externalId,
    externalIdIndexed: true,
    resource: { displayName },
    version: state.version ?? 1,
    created: T0,
    lastModified: state.lastModified ?? T0,
    lastRequest: state.lastRequest ?? stamp('req-g0'),
  };
  if (state.externalId === undefined) delete item.externalId;
  return item;
};

export const membershipImage = (groupId = 'g-1', userId = 'u-1'): MembershipItem => ({
  pk: `APP#${APP}#USER#${userId}`,
  sk: `MEMBEROF#${groupId}`,
  type: 'Membership',
  appId: APP,
  groupId,
  userId,
  groupDisplayName: 'Sales',
  userName: 'alice@contoso.com',
  added: T1,
  lastRequest: stamp('req-m'),
});

let records = 0;
const asImage = (item: object | undefined) => item as Record<string, unknown> | undefined;

export const insert = (item: object, eventId = `rec-${++records}`): DirectoryChange => ({
  eventId,
  eventName: 'INSERT',
  sequenceNumber: String(1000 + records),
  approximateCreationTime: Date.parse('2024-05-31T07:00:00Z'),
  newImage: asImage(item),
});

export const modify = (before: object, after: object, eventId = `rec-${++records}`): DirectoryChange => ({
  eventId,
  eventName: 'MODIFY',
  sequenceNumber: String(1000 + records),
  approximateCreationTime: Date.parse('2024-05-31T07:20:00Z'),
  oldImage: asImage(before),
  newImage: asImage(after),
});

export const remove = (before: object, eventId = `rec-${++records}`): DirectoryChange => ({
  eventId,
  eventName: 'REMOVE',
  sequenceNumber: String(1000 + records),
  approximateCreationTime: Date.parse('2024-05-31T07:30:00Z'),
  oldImage: asImage(before),
});

export const SALES: GroupRef = { id: 'g-1', displayName: 'Sales' };
export const ADMINS: GroupRef = { id: 'g-2', displayName: 'Admins' };
export const EVERYONE: GroupRef = { id: 'g-3', displayName: 'Everyone' };
