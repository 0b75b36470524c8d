/**
 * What event derivation reads: one main-table stream record, unmarshalled, and the few fields of
 * its user or group images that events need. A plain interface over images (not the store's item
 * types), so this core depends on nothing in `store/` and the wiring can adapt what it writes.
 *
 * `DirectoryChange` has the shape of the report writer's `StreamChange` (reports/events.ts), so the
 * stream stage hands both consumers the same object.
 *
 * Readers are total: an image that is not a well-formed user or group reads as `undefined` and
 * yields no event, so no stored item can wedge the stream. What the wiring adds to user and group
 * items (all optional; today's items work without them, with less in the events):
 * - `profile` on user items: the computed Profile (profiles/), written with the resource;
 * - `membershipVersion` on user items, grown by one for each group a write adds the user to or
 *   removes it from (today: adds only), together with `profile.groups` (sequence.ts says why);
 * - on `lastRequest` (the request stamp): `operation`, `requested`, `applied` (the provisioning
 *   features decision) and `at` (the request's time, milliseconds).
 */
import { groupsOfStored } from '../domain/stored-groups';
import type { Profile, ProfileValue } from '../profiles';
import { EVENT_OPERATIONS, type EventOperation } from './types';

/** A stream record, unmarshalled; `approximateCreationTime` in epoch milliseconds. */
export interface DirectoryChange {
  eventId: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  sequenceNumber: string;
  approximateCreationTime?: number;
  oldImage?: Record<string, unknown>;
  newImage?: Record<string, unknown>;
  /** Deleted by DynamoDB TTL rather than by a request. */
  byTtl?: boolean;
}

/** The request stamp as events read it: today's `RequestStamp` plus what the wiring adds. */
export interface RequestRecord {
  requestId?: string;
  operation?: EventOperation;
  requested?: string[];
  applied?: string[];
  /** ISO 8601: when the request made the change. */
  at?: string;
}

export interface UserImage {
  appId: string;
  id: string;
  userName: string;
  externalId?: string;
  active: boolean;
  version: number;
  membershipVersion: number;
  created?: string;
  lastModified?: string;
  lastRequest?: RequestRecord;
  /** Absent on items written before profiles were stored. */
  profile?: Profile;
}

export interface GroupImage {
  appId: string;
  id: string;
  displayName: string;
  externalId?: string;
  version: number;
  lastModified?: string;
  lastRequest?: RequestRecord;
}

/** What a removing request left for the stream (store/notes.ts): its time and stamp. */
export interface RemovalNote {
  at?: string;
  request?: RequestRecord;
}

export const ItemKind = { user: 'User', group: 'Group' } as const;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const textList = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((v) => typeof v === 'string') ? [...(value as string[])] : undefined;

export const isoTime = (value: unknown): string | undefined => {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
};

export const readRequest = (value: unknown): RequestRecord | undefined => {
  if (!isRecord(value)) return undefined;
  const operation = (EVENT_OPERATIONS as readonly unknown[]).includes(value.operation) ? (value.operation as EventOperation) : undefined;
  const record: RequestRecord = {
    requestId: text(value.requestId),
    operation,
    requested: textList(value.requested),
    applied: textList(value.applied),
    at: isoTime(value.at),
  };
  for (const key of Object.keys(record) as (keyof RequestRecord)[]) if (record[key] === undefined) delete record[key];
  return record;
};

/**
 * A stored profile, if it has the profile's shape; the store wrote it, so this is a guard, not a
 * parser. The item stores only attributes and groups (profiles/stored-profile.ts): the rest comes
 * from the item's own fields (`item`), unless the stored profile has them (items written before).
 */
const readProfile = (stored: unknown, id: string, item: Record<string, unknown>): Profile | undefined => {
  if (!isRecord(stored) || !isRecord(stored.attributes)) return undefined;
  const value: Record<string, unknown> = {
    userName: item.userName,
    externalId: item.externalId,
    active: item.active !== false,
    version: item.version,
    updatedAt: item.lastModified,
    ...stored,
  };
  const groups = groupsOfStored(value.groups ?? []);
  const userName = text(value.userName);
  const version = count(value.version);
  if (!groups || !userName || version === undefined || typeof value.active !== 'boolean') return undefined;
  const externalId = text(value.externalId);
  // Keys in the profile's documented order, so delivered JSON reads the same as stored.
  return {
    id,
    userName,
    ...(externalId ? { externalId } : {}),
    active: value.active,
    attributes: { ...(value.attributes as Record<string, ProfileValue>) },
    groups,
    version,
    updatedAt: isoTime(value.updatedAt) ?? new Date(0).toISOString(),
  };
};

export const readUserImage = (image: Record<string, unknown> | undefined): UserImage | undefined => {
  if (!image || image.type !== ItemKind.user) return undefined;
  const appId = text(image.appId);
  const id = text(image.id);
  const userName = text(image.userName);
  const version = count(image.version);
  if (!appId || !id || !userName || version === undefined) return undefined;
  const user: UserImage = {
    appId,
    id,
    userName,
    externalId: text(image.externalId),
    // The store writes a boolean; absent means active, as for the SCIM resource.
    active: image.active !== false,
    version,
    membershipVersion: count(image.membershipVersion) ?? 0,
    created: isoTime(image.created),
    lastModified: isoTime(image.lastModified),
    lastRequest: readRequest(image.lastRequest),
    profile: readProfile(image.profile, id, image),
  };
  for (const key of Object.keys(user) as (keyof UserImage)[]) if (user[key] === undefined) delete user[key];
  return user;
};

export const readGroupImage = (image: Record<string, unknown> | undefined): GroupImage | undefined => {
  if (!image || image.type !== ItemKind.group) return undefined;
  const appId = text(image.appId);
  const id = text(image.id);
  const displayName = text(image.displayName);
  const version = count(image.version);
  if (!appId || !id || !displayName || version === undefined) return undefined;
  const group: GroupImage = {
    appId,
    id,
    displayName,
    externalId: text(image.externalId),
    version,
    lastModified: isoTime(image.lastModified),
    lastRequest: readRequest(image.lastRequest),
  };
  for (const key of Object.keys(group) as (keyof GroupImage)[]) if (group[key] === undefined) delete group[key];
  return group;
};
