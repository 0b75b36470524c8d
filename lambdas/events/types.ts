/**
 * The directory event contract: what the customer's application receives by webhook, EventBridge
 * and the events read API, in one envelope. Chosen against what users of WorkOS, Ory Polis and
 * SSOReady ran into (shared reference "directory-events"):
 * - every event has a stable `id` derived from the change, so retries, redeliveries and replays
 *   carry the same id and a consumer can deduplicate on it;
 * - `sequence` grows with every change of its subject, so "apply only when the sequence beats the
 *   stored one" is exactly-once in effect and order-proof, whatever the transport does;
 * - deactivation and reactivation are their own types, never hidden inside `user.updated`;
 * - membership has first-class events, and `data` is always a full snapshot (the profile for a
 *   user), so an event is enough to act on without a read back.
 * Pure types and constants.
 */
import type { GroupRef, PreviousValue, Profile } from '../profiles';
import { EVENT_TYPES, GROUP_EVENT_TYPES, USER_EVENT_TYPES } from './event-types';

export { EVENT_TYPES, GROUP_EVENT_TYPES, USER_EVENT_TYPES };
export type EventType = (typeof EVENT_TYPES)[number];
export type UserEventType = (typeof USER_EVENT_TYPES)[number];
export type MemberEventType = 'group.member_added' | 'group.member_removed';
export type GroupEventType = Exclude<(typeof GROUP_EVENT_TYPES)[number], MemberEventType>;

/** The test event `POST …/webhooks/{id}/test` sends; not a directory change, never stored. */
export const PING_TYPE = 'ping';

export interface UserSubject {
  type: 'user';
  id: string;
  /** Absent when the user has none (the profile's rule: absent, never null). */
  externalId?: string;
  userName: string;
}

export interface GroupSubject {
  type: 'group';
  id: string;
  externalId?: string;
  displayName: string;
}

export type EventSubject = UserSubject | GroupSubject;

/** What a group event carries: the group as the directory read API shows it. Members are read by page. */
export interface GroupSnapshot {
  id: string;
  displayName: string;
  externalId?: string;
  /** The SCIM resource version (`meta.version` is `W/"<version>"`). */
  version: number;
  /** ISO 8601: when that version was written. */
  updatedAt: string;
}

/** `data` of a membership event: the group and the member's profile as of this event. */
export interface MembershipData {
  group: GroupRef;
  user: Profile;
}

/** The operations a request record names (the provisioning-features vocabulary, per resource). */
export const EVENT_OPERATIONS = ['createUser', 'updateUser', 'deleteUser', 'createGroup', 'updateGroup', 'deleteGroup'] as const;
export type EventOperation = (typeof EVENT_OPERATIONS)[number];

/** The SCIM request that caused the change: what it asked for and what the gateway applied. */
export interface EventRequest {
  /** The gateway's request id (the report names the same one); null when the change carries none. */
  id: string | null;
  operation: EventOperation;
  /** Feature actions (`create`, `update`, `deactivate`, `reactivate`, `delete`, `groups`). */
  requested: string[];
  applied: string[];
}

interface EnvelopeBase<T extends EventType, S extends EventSubject, D> {
  /** `evt_` + 32 hex digits, derived from the stream record and the type (event-id.ts). */
  id: string;
  type: T;
  /** ISO 8601 with milliseconds: when the change was made (never when it was sent). */
  timestamp: string;
  appId: string;
  subject: S;
  /** Strictly increasing per subject (sequence.ts); not gapless. */
  sequence: number;
  data: D;
  /** Old values of the changed fields, keyed by profile field or attribute name; null: no value. */
  previous: Record<string, PreviousValue>;
  /** The changed fields as the snapshot names them: `active`, `userName`, `attributes.department`, `groups`. */
  changes: string[];
  request: EventRequest;
}

export type UserEvent = EnvelopeBase<UserEventType, UserSubject, Profile>;
export type GroupEvent = EnvelopeBase<GroupEventType, GroupSubject, GroupSnapshot>;
/** Membership events are about the member: see docs/events.md, "Membership events". */
export type MemberEvent = EnvelopeBase<MemberEventType, UserSubject, MembershipData>;
export type DirectoryEvent = UserEvent | GroupEvent | MemberEvent;

export interface PingEvent {
  id: string;
  type: typeof PING_TYPE;
  timestamp: string;
  appId: string;
  data: { webhookId: string };
}

/** Anything a webhook endpoint may receive. */
export type WebhookPayload = DirectoryEvent | PingEvent;

export const isEventType = (value: unknown): value is EventType => typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
