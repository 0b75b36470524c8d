/**
 * Provisioning events from main-table stream records: one record → zero or more report rows.
 * Pure: the stream handler unmarshals the record, looks up what it must (once per batch) and
 * passes the answers in. Row ids come from the record, so a redelivered record rewrites the same
 * rows and retries never duplicate.
 */
import { entityKey, REMOVAL_CLOCK_TOLERANCE_MS, type EntityInfo, type EntityRef, type NoteLookup, type RequestNote } from '../domain/entities';
import { ItemType, type AuthRefusalItem, type FailureItem, type GroupItem, type MembershipItem, type RequestStamp, type UnappliedItem, type UserItem } from '../domain/items';
import { ReportAction, ReportStatus, type AttributeChange, type ReportRow } from '../domain/report-row';
import type { ResourceType } from '../scim/schemas';
import { profileChanges, profileOfItem, type Profile } from '../profiles';
import { diffResources, truncate } from './changes';
import { recomputeRow } from './recompute';
import { refusalRow } from './refusals';

/** A stream record, unmarshalled (see handlers/stream.ts). */
export interface StreamChange {
  eventId: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  sequenceNumber: string;
  /** Epoch milliseconds (Lambda delivers seconds; the handler converts). */
  approximateCreationTime?: number;
  oldImage?: Record<string, unknown>;
  newImage?: Record<string, unknown>;
  /** Deleted by DynamoDB TTL rather than by a request: never a provisioning event. */
  byTtl: boolean;
}

export interface DeriveContext {
  retentionDays: number;
  /** Current names; `undefined`: not looked up (the row is written with what the record carries). */
  lookup?: (kind: ResourceType, appId: string, id: string) => EntityInfo | null | undefined;
  /**
   * Whether the deletion of this user or group had begun before this record was written (see
   * `deletionOf`): a membership REMOVE after it is part of that delete, not a member removal.
   */
  deletedBefore?: (kind: ResourceType, appId: string, id: string) => boolean;
  /** The notes removing requests left (store/notes.ts); `undefined`: none read. */
  notes?: NoteLookup;
}

const MAX_DETAIL_CHARS = 256;
const MAX_USER_AGENT_CHARS = 128;
const DAY_MS = 86_400_000;

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

const toIso = (value: unknown): string | undefined => {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

/**
 * The row's time. Writes carry their own millisecond timestamp, and so do the notes removing
 * requests leave (`note`). A REMOVE without a note has only the record's creation time, rounded
 * down to the second (DynamoDB Local: the minute); it is placed at the end of that second (and
 * never before the item's last write), so it does not sort before the writes that preceded it.
 * Never "now": a redelivered record must produce the same key.
 */
const eventTime = (change: StreamChange, itemTime: unknown, note?: RequestNote): string => {
  const own = toIso(itemTime);
  if (change.eventName !== 'REMOVE' && own) return own;
  const noted = toIso(note?.at);
  if (noted) return noted;
  const approx = change.approximateCreationTime;
  const endOfSecond = typeof approx === 'number' && Number.isFinite(approx) ? Math.floor(approx / 1000) * 1000 + 999 : undefined;
  const candidates = [endOfSecond, own ? Date.parse(own) : undefined].filter((t): t is number => t !== undefined);
  return new Date(candidates.length ? Math.max(...candidates) : 0).toISOString();
};

const storedStampOf = (value: unknown): Partial<Pick<RequestStamp, 'requestId' | 'appName' | 'sourceIp' | 'userAgent' | 'authenticatedBy'>> => {
  if (typeof value !== 'object' || value === null) return {};
  const s = value as Record<string, unknown>;
  return { requestId: str(s.requestId), appName: str(s.appName), sourceIp: str(s.sourceIp), userAgent: str(s.userAgent), authenticatedBy: str(s.authenticatedBy) };
};

/** A success row's HTTP status: the one the request's stamp recorded (older stamps have none). */
const statusOf = (stamp: unknown): Pick<ReportRow, 'httpStatus'> => {
  const status = typeof stamp === 'object' && stamp !== null ? (stamp as Record<string, unknown>).status : undefined;
  return typeof status === 'number' && Number.isInteger(status) ? { httpStatus: status } : {};
};

/**
 * Who made the change. A REMOVE's old image names the *previous* writer, so a removal is
 * attributed to the request in its note; without one only the app name, which does not change
 * between writes, is kept.
 */
const requestOf = (change: StreamChange, item: Record<string, unknown>, note?: RequestNote) => {
  if (change.eventName !== 'REMOVE') return { ...storedStampOf(item.lastRequest), ...statusOf(item.lastRequest) };
  const noted = storedStampOf(note?.request);
  return noted.requestId
    ? { ...noted, appName: noted.appName ?? storedStampOf(item.lastRequest).appName, ...statusOf(note?.request) }
    : { appName: storedStampOf(item.lastRequest).appName };
};

interface RowDraft extends Omit<ReportRow, 'eventId' | 'expiresAt' | 'changes' | 'status'> {
  status?: ReportRow['status'];
  changes?: AttributeChange[];
}

const finish = (change: StreamChange, ctx: DeriveContext, drafts: RowDraft[]): ReportRow[] =>
  drafts.map((draft, index) => {
    const row: ReportRow = {
      ...draft,
      eventId: `${change.eventId}:${index}`,
      sequenceNumber: change.sequenceNumber,
      status: draft.status ?? ReportStatus.success,
      changes: draft.changes ?? [],
      userAgent: draft.userAgent === undefined ? undefined : truncate(draft.userAgent, MAX_USER_AGENT_CHARS),
      // Whole seconds: DynamoDB's TTL attribute is epoch seconds, and the row must read back unchanged.
      expiresAt: new Date(Math.ceil((Date.parse(draft.time) + ctx.retentionDays * DAY_MS) / 1000) * 1000).toISOString(),
    };
    for (const key of Object.keys(row) as (keyof ReportRow)[]) if (row[key] === undefined) delete row[key];
    return row;
  });

/** The note a REMOVE of this user or group left behind (none for other records). */
const deletionNoteOf = (change: StreamChange, ctx: DeriveContext, kind: ResourceType, item: { appId: string; id: string }) =>
  change.eventName === 'REMOVE' ? ctx.notes?.deletion(kind, item.appId, item.id) : undefined;

/**
 * A user's or group's change: its images, and what every row of it carries (time, application,
 * resource, request). A create and a delete are rows of their own; anything else is for the caller.
 */
const resourceChange = <T extends UserItem | GroupItem>(change: StreamChange, ctx: DeriveContext, kind: ResourceType) => {
  const before = change.oldImage as unknown as T | undefined;
  const after = change.newImage as unknown as T | undefined;
  const item = (after ?? before)!;
  const note = deletionNoteOf(change, ctx, kind, item);
  const base = {
    time: eventTime(change, change.eventName === 'REMOVE' ? before?.lastModified : after?.lastModified, note),
    appId: item.appId,
    resourceType: kind,
    resourceId: str(item.id),
    externalId: str(item.externalId),
    ...requestOf(change, item as unknown as Record<string, unknown>, note),
  };
  const created = change.eventName === 'INSERT' ? { action: ReportAction.create, changes: diffResources(undefined, after?.resource) } : undefined;
  const ended = change.eventName === 'REMOVE' ? { action: ReportAction.delete } : undefined;
  return { before, after, item, base, createdOrDeleted: created ?? ended, changes: () => diffResources(before?.resource, after?.resource) };
};

/**
 * The profile's side of a user row: its changes in profile names (groups are reported by membership
 * rows), and what the request asked for beside what the provisioning features applied, when they
 * differ. Both only from items that store them.
 */
const profileSide = (before: UserItem | undefined, after: UserItem | undefined): Pick<ReportRow, 'profileChanges' | 'requested' | 'applied'> => {
  const side: Pick<ReportRow, 'profileChanges' | 'requested' | 'applied'> = {};
  const profile = (item: UserItem | undefined): Profile | undefined => (item ? profileOfItem(item) : undefined);
  if (profile(after) && (profile(before) || !before)) {
    const changes = profileChanges(profile(before), profile(after)).filter((c) => c.name !== 'groups');
    if (changes.length) side.profileChanges = changes.map((c) => ({ name: c.name, ...(c.old !== undefined ? { old: truncate(c.old, 256) } : {}), ...(c.new !== undefined ? { new: truncate(c.new, 256) } : {}) }));
  }
  const stamp = (after ?? before)?.lastRequest;
  if (Array.isArray(stamp?.requested) && Array.isArray(stamp?.applied) && stamp.requested.join() !== stamp.applied.join()) {
    side.requested = stamp.requested.map(String);
    side.applied = stamp.applied.map(String);
  }
  return side;
};

const userRow = (change: StreamChange, ctx: DeriveContext): RowDraft | undefined => {
  const { before, after, item, base: common, createdOrDeleted, changes: changesOf } = resourceChange<UserItem>(change, ctx, 'User');
  const base = { ...common, userName: str(item.userName), ...(change.eventName === 'REMOVE' ? {} : profileSide(before, after)) };
  if (createdOrDeleted) return { ...base, ...createdOrDeleted };
  const changes = changesOf();
  const previousUserName = str(before?.userName) !== str(after?.userName) ? str(before?.userName) : undefined;
  if (previousUserName) Object.assign(base, { previousUserName });
  const wasActive = before?.active !== false;
  const isActive = after?.active !== false;
  if (wasActive && !isActive) return { ...base, action: ReportAction.disable, changes };
  if (!wasActive && isActive) return { ...base, action: ReportAction.enable, changes };
  // A write that changed nothing a client can see (e.g. an idempotent PATCH) is not an event.
  return changes.length ? { ...base, action: ReportAction.update, changes } : undefined;
};

const groupRow = (change: StreamChange, ctx: DeriveContext): RowDraft | undefined => {
  const { before, after, item, base: common, createdOrDeleted, changes: changesOf } = resourceChange<GroupItem>(change, ctx, 'Group');
  const base = { ...common, groupId: str(item.id), groupDisplayName: str(item.displayName) };
  if (createdOrDeleted) return { ...base, ...createdOrDeleted };
  const changes = changesOf();
  if (str(before?.displayName) !== str(after?.displayName)) return { ...base, action: ReportAction.rename, changes };
  return changes.length ? { ...base, action: ReportAction.update, changes } : undefined;
};

const membershipRow = (change: StreamChange, ctx: DeriveContext): RowDraft | undefined => {
  if (change.eventName === 'MODIFY') return undefined;
  const item = (change.newImage ?? change.oldImage) as unknown as MembershipItem;
  let note: RequestNote | undefined;
  if (change.eventName === 'REMOVE') {
    // The removing request left a note naming the member: a removal, whatever happened after it.
    note = ctx.notes?.removal(item.appId, item.groupId, item.userId, str(item.added));
    // Without one, a membership that went with its user or group is reported by that delete.
    const cascaded = (kind: ResourceType, id: string) => ctx.deletedBefore?.(kind, item.appId, id) || ctx.notes?.deletion(kind, item.appId, id) !== undefined;
    if (!note && (cascaded('User', item.userId) || cascaded('Group', item.groupId))) return undefined;
    note ??= ctx.notes?.removal(item.appId, item.groupId, item.userId, str(item.added), REMOVAL_CLOCK_TOLERANCE_MS);
  }
  const user = ctx.lookup?.('User', item.appId, item.userId);
  const group = ctx.lookup?.('Group', item.appId, item.groupId);
  return {
    time: eventTime(change, item.added, note),
    appId: item.appId,
    resourceType: 'Membership',
    resourceId: str(item.userId),
    userName: str(item.userName) ?? user?.userName,
    externalId: user?.externalId,
    groupId: str(item.groupId),
    groupDisplayName: str(item.groupDisplayName) ?? group?.displayName,
    action: change.eventName === 'INSERT' ? ReportAction.memberAdded : ReportAction.memberRemoved,
    ...requestOf(change, item as unknown as Record<string, unknown>, note),
  };
};

const failureRow = (change: StreamChange, ctx: DeriveContext): RowDraft | undefined => {
  if (change.eventName !== 'INSERT') return undefined;
  const item = change.newImage as unknown as FailureItem;
  const resourceId = str(item.resourceId);
  const known = resourceId && item.resourceType !== 'Other' ? ctx.lookup?.(item.resourceType, item.appId, resourceId) : undefined;
  return {
    time: eventTime(change, item.occurredAt),
    appId: item.appId,
    appName: str(item.appName),
    resourceType: item.resourceType ?? 'Other',
    resourceId,
    userName: str(item.userName) ?? known?.userName,
    externalId: str(item.externalId) ?? known?.externalId,
    groupId: item.resourceType === 'Group' ? resourceId : undefined,
    groupDisplayName: str(item.groupDisplayName) ?? known?.displayName,
    action: str(item.action) ?? ReportAction.other,
    status: ReportStatus.failure,
    httpStatus: typeof item.httpStatus === 'number' ? item.httpStatus : undefined,
    scimType: str(item.scimType),
    detail: item.detail === undefined ? undefined : truncate(String(item.detail), MAX_DETAIL_CHARS),
    requestId: str(item.requestId),
    sourceIp: str(item.sourceIp),
    userAgent: str(item.userAgent),
    authenticatedBy: str(item.authenticatedBy),
  };
};

/**
 * A request answered with success that wrote nothing (store/unapplied-requests.ts): a success row
 * with what was requested and what was applied, and why, in the features' words.
 */
const unappliedRow = (change: StreamChange): RowDraft | undefined => {
  if (change.eventName !== 'INSERT') return undefined;
  const item = change.newImage as unknown as UnappliedItem;
  const stamp = item.lastRequest;
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  return {
    time: eventTime(change, stamp?.at),
    appId: item.appId,
    resourceType: item.resourceType ?? 'Other',
    resourceId: str(item.resourceId),
    userName: str(item.userName),
    externalId: str(item.externalId),
    action: str(item.action) ?? ReportAction.other,
    detail: item.detail === undefined ? undefined : truncate(String(item.detail), MAX_DETAIL_CHARS),
    requested: list(stamp?.requested),
    applied: list(stamp?.applied),
    ...requestOf(change, item as unknown as Record<string, unknown>),
  };
};

/** The report rows of one stream record (usually one; none for sentinels, apps and TTL deletes). */
export const deriveRows = (change: StreamChange, ctx: DeriveContext): ReportRow[] => {
  if (change.byTtl) return [];
  const item = change.newImage ?? change.oldImage;
  if (!item || typeof item.appId !== 'string') return [];
  if (item.type === ItemType.authRefusal) {
    const row = change.newImage ? refusalRow(change.newImage as unknown as AuthRefusalItem, ctx.retentionDays) : undefined;
    return row ? [row] : [];
  }
  let draft: RowDraft | undefined;
  switch (item.type) {
    case ItemType.user:
      draft = userRow(change, ctx);
      break;
    case ItemType.group:
      draft = groupRow(change, ctx);
      break;
    case ItemType.membership:
      draft = membershipRow(change, ctx);
      break;
    case ItemType.failure:
      draft = failureRow(change, ctx);
      break;
    case ItemType.unapplied:
      draft = unappliedRow(change);
      break;
    case ItemType.recomputeJob:
      draft = recomputeRow(change.oldImage, change.newImage);
      break;
    default:
      return []; // App, Unique, notes and anything unknown are not provisioning events.
  }
  return draft ? finish(change, ctx, [draft]) : [];
};
