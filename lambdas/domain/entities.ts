/**
 * Users and groups as the report pipeline names them, and the notes removing requests leave
 * (store/notes.ts writes and reads them, reports/events.ts derives rows from them). Here, in the
 * shared leaf, because both the store and the pure report derivation speak of them.
 */
import type { ResourceType } from '../scim/schemas';
import type { RequestStamp } from './items';

/** What the batch lookup found: a user or group as it is now, `null` when it no longer exists. */
export interface EntityInfo {
  userName?: string;
  externalId?: string;
  displayName?: string;
}

/** A removing request's own time (ISO 8601, milliseconds) and stamp, from the note it left. */
export interface RequestNote {
  at: string;
  request: RequestStamp;
}

export interface NoteLookup {
  /** The note the deletion of this user or group left. */
  deletion(kind: ResourceType, appId: string, id: string): RequestNote | undefined;
  /**
   * The note of the request that removed this member: the first one naming it at or after
   * `added` (the membership's own time), or up to `toleranceMs` before it (writers' clocks differ).
   */
  removal(appId: string, groupId: string, userId: string, added: string | undefined, toleranceMs?: number): RequestNote | undefined;
}

/** A group whose member-removal notes the batch needs, from a time on. */
export interface RemovalsWanted {
  appId: string;
  groupId: string;
  since: string;
}

/** A user or group the derivation would like to know about. */
export interface EntityRef {
  kind: ResourceType;
  appId: string;
  id: string;
}

export const entityKey = (ref: EntityRef): string => `${ref.kind}|${ref.appId}|${ref.id}`;

/** How far a member's removal note may predate its `added` time (the two writers' clocks differ). */
export const REMOVAL_CLOCK_TOLERANCE_MS = 1_000;
