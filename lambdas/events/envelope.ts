/**
 * The parts of an envelope every derivation shares: when the change happened and which request
 * made it. Both come from the record and never from the clock, so a redelivered record yields the
 * same envelope byte for byte.
 *
 * Attribution follows the report writer's rule (reports/events.ts): a REMOVE's old image carries
 * the *previous* writer's stamp, so a deletion is attributed to the note its request left; a
 * MODIFY whose stamp did not change (a write that does not stamp the item) names no request rather
 * than the wrong one.
 */
import { isDeepStrictEqual } from 'node:util';
import type { DirectoryChange, RemovalNote, RequestRecord } from './change';
import type { EventOperation, EventRequest, EventType } from './types';

/** What a request record lacks is filled from the event's type: what it takes when nothing was converted. */
const DEFAULTS: Record<EventType, { operation: EventOperation; action: string }> = {
  'user.created': { operation: 'createUser', action: 'create' },
  'user.updated': { operation: 'updateUser', action: 'update' },
  'user.deactivated': { operation: 'updateUser', action: 'deactivate' },
  'user.reactivated': { operation: 'updateUser', action: 'reactivate' },
  'user.deleted': { operation: 'deleteUser', action: 'delete' },
  'group.created': { operation: 'createGroup', action: 'groups' },
  'group.updated': { operation: 'updateGroup', action: 'groups' },
  'group.deleted': { operation: 'deleteGroup', action: 'groups' },
  'group.member_added': { operation: 'updateGroup', action: 'groups' },
  'group.member_removed': { operation: 'updateGroup', action: 'groups' },
};

export const requestOf = (type: EventType, stamp: RequestRecord | undefined): EventRequest => ({
  id: stamp?.requestId ?? null,
  operation: stamp?.operation ?? DEFAULTS[type].operation,
  requested: stamp?.requested ?? [DEFAULTS[type].action],
  applied: stamp?.applied ?? [DEFAULTS[type].action],
});

interface Stamped {
  lastModified?: string;
  lastRequest?: RequestRecord;
}

/** The stamp of the request that made this record's change; undefined when the record does not say. */
export const stampOf = (change: DirectoryChange, before: Stamped | undefined, after: Stamped | undefined, note: RemovalNote | undefined) => {
  if (change.eventName === 'REMOVE') return note?.request;
  if (change.eventName === 'INSERT') return after?.lastRequest;
  return after?.lastRequest && !isDeepStrictEqual(before?.lastRequest, after.lastRequest) ? after.lastRequest : undefined;
};

const approximate = (change: DirectoryChange): string | undefined => {
  const t = change.approximateCreationTime;
  return typeof t === 'number' && Number.isFinite(t) ? new Date(t).toISOString() : undefined;
};

const EPOCH = new Date(0).toISOString();

/**
 * When the change was made: the request's own time when the record names its request, else the
 * item's `lastModified` when this write set it, else the record's approximate time (seconds on
 * AWS, minutes on DynamoDB Local), else the last time known.
 */
export const timestampOf = (change: DirectoryChange, before: Stamped | undefined, after: Stamped | undefined, note: RemovalNote | undefined): string => {
  const stamp = stampOf(change, before, after, note);
  if (change.eventName === 'REMOVE') return note?.at ?? stamp?.at ?? approximate(change) ?? before?.lastModified ?? EPOCH;
  if (stamp?.at) return stamp.at;
  const modified = change.eventName === 'INSERT' || after?.lastModified !== before?.lastModified ? after?.lastModified : undefined;
  return modified ?? approximate(change) ?? after?.lastModified ?? EPOCH;
};
