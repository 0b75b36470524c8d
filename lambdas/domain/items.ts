/**
 * Shapes of the main table's items, as the store writes them and as the stream consumer reads
 * them from NewImage/OldImage. Keys (pk, sk, gsi*) come from store/keys.ts and are not repeated
 * here. Here rather than in store/: the report derivation reads these shapes and must not depend
 * on the store.
 */
import type { ResourceType } from '../scim/schemas';

export const ItemType = {
  app: 'App',
  user: 'User',
  group: 'Group',
  membership: 'Membership',
  unique: 'Unique',
  externalId: 'ExternalId',
  failure: 'Failure',
  /** A request the provisioning features answered without writing (a `DELETE` under `"delete": "ignore"`). */
  unapplied: 'Unapplied',
  /** Deletion and removal notes (see the table above). */
  note: 'Note',
  authRefusal: 'AuthRefusal',
  /** An application's profile recompute after a mapping change (store/recompute-jobs.ts). */
  recomputeJob: 'RecomputeJob',
  /** OAuth clients, Entra settings and the published signing keys: no provisioning events. */
  oauthClient: 'OAuthClient',
  entraAcceptance: 'EntraAcceptance',
  signingKeys: 'SigningKeys',
  /** When and from where a token was last used (store/token-usage.ts); not a provisioning event. */
  tokenUsage: 'TokenUsage',
} as const;
export type ItemType = (typeof ItemType)[keyof typeof ItemType];

/** Who caused a write: copied onto every user/group/membership write so the stream can attribute it. */
export interface RequestStamp {
  requestId: string;
  appName: string;
  sourceIp?: string;
  userAgent?: string;
  /** How the request authenticated: "Secret Token <id>", "OAuth client <id> (secret <id>)", "Entra tenant <id>". */
  authenticatedBy?: string;
  /**
   * What directory events read (events/change.ts): the SCIM operation, what the request asked
   * for and what the provisioning features let it do (`create`, `update`, `deactivate`…), and
   * when (ISO 8601, ms). Set by user and group writes; absent on older items.
   */
  operation?: string;
  requested?: string[];
  applied?: string[];
  at?: string;
  /**
   * The HTTP status the request answered (a Bulk operation: its own `status`). A write is the
   * request's last step, so its success status is known when the stamp is made; absent on older items.
   */
  status?: number;
}

/** A group as a user's profile lists it (profiles/types.ts GroupRef, repeated: domain sits below profiles). */
export interface ProfileGroupRef {
  id: string;
  displayName: string;
}

/** `profile.groups` as a user item stores it: group id → display name (domain/stored-groups.ts). */
export type StoredGroups = Record<string, string>;

interface ItemBase {
  pk: string;
  sk: string;
  type: ItemType;
  appId: string;
}

export interface UserItem extends ItemBase {
  type: 'User';
  id: string;
  userName: string;
  externalId?: string;
  /** Set by every write since externalIds have holder entries; absent on older items (store/external-ids.ts). */
  externalIdIndexed?: true;
  active: boolean;
  /** The SCIM resource as stored: every attribute except id, meta and groups. */
  resource: Record<string, unknown>;
  /** Incremented on every write; `meta.version` is `W/"<version>"`. */
  version: number;
  created: string;
  lastModified: string;
  lastRequest: RequestStamp;
  /**
   * The user's profile (profiles/), computed by the handler and written in the same write as the
   * resource; absent on items written before profiles. `groups` is kept by membership writes.
   */
  profile?: { groups?: StoredGroups | ProfileGroupRef[] } & Record<string, unknown>;
  /** The mapping version the profile was computed with (the recompute job skips current ones). */
  profileMappingVersion?: number;
  /** Grown by one per group a write adds the user to or removes it from (events/sequence.ts). */
  membershipVersion?: number;
}

export interface GroupItem extends ItemBase {
  type: 'Group';
  id: string;
  displayName: string;
  externalId?: string;
  /** Set by every write since externalIds have holder entries; absent on older items (store/external-ids.ts). */
  externalIdIndexed?: true;
  /** The SCIM resource as stored: every attribute except id, meta and members. */
  resource: Record<string, unknown>;
  version: number;
  created: string;
  lastModified: string;
  lastRequest: RequestStamp;
}

export interface MembershipItem extends ItemBase {
  type: 'Membership';
  groupId: string;
  userId: string;
  /** Copies at the time of the write, for reports only (reads resolve current names). */
  groupDisplayName?: string;
  userName?: string;
  added: string;
  lastRequest: RequestStamp;
}

export interface UniqueItem extends ItemBase {
  type: 'Unique';
  /** The id of the user or group that holds the value. */
  ownerId: string;
}

/** One holder of an externalId (keys.externalIdEntry); the partition lists every holder. */
export interface ExternalIdItem extends ItemBase {
  type: 'ExternalId';
  holder: ResourceType;
  /** The holder's id (also the sort key). */
  id: string;
}

/** A refused or failed SCIM request, written so it reaches the report table through the stream. */
export interface FailureItem extends ItemBase {
  type: 'Failure';
  appName: string;
  resourceType: ResourceType | 'Other';
  resourceId?: string;
  userName?: string;
  externalId?: string;
  groupDisplayName?: string;
  /** What the client tried: create, update, delete, read… */
  action: string;
  method: string;
  path: string;
  httpStatus: number;
  scimType?: string;
  detail: string;
  occurredAt: string;
  requestId: string;
  sourceIp?: string;
  userAgent?: string;
  /** How the refused request authenticated (see RequestStamp). */
  authenticatedBy?: string;
  /** Epoch seconds: failure items only need to live until the stream has carried them. */
  ttl: number;
}

/**
 * A request answered with success that wrote nothing because of the provisioning features (a
 * `DELETE` under `"delete": "ignore"`, or under `"deactivate"` for a user already inactive). Streams
 * only carry writes, so, like a failure, it is written as a short-lived item the stream takes to
 * the report: the row says what was requested and what was applied (nothing).
 */
export interface UnappliedItem extends ItemBase {
  type: 'Unapplied';
  resourceType: ResourceType;
  resourceId: string;
  userName?: string;
  externalId?: string;
  /** The report action the request asked for (`delete`). */
  action: string;
  /** Why nothing was written, in the provisioning features' words. */
  detail: string;
  /** The request's stamp: its id, source, time, status, and `requested` / `applied`. */
  lastRequest: RequestStamp;
  /** Epoch seconds: the item only needs to live until the stream has carried it. */
  ttl: number;
}

/**
 * Left by a delete in its own transaction: the request's time and stamp, which the REMOVE record
 * cannot carry (its old image holds the previous writer's stamp, its time is rounded).
 */
export interface DeletionNoteItem extends ItemBase {
  type: 'Note';
  kind: ResourceType;
  id: string;
  /** ISO 8601, milliseconds: when the request deleted it. */
  at: string;
  request: RequestStamp;
  ttl: number;
}

/** Left by each transaction that removes members of a group: which users, when, by which request. */
export interface RemovalNoteItem extends ItemBase {
  type: 'Note';
  groupId: string;
  userIds: string[];
  at: string;
  request: RequestStamp;
  ttl: number;
}

/** The authorizer's refusals for one application, reason and minute (counted, not one item each). */
export interface AuthRefusalItem extends ItemBase {
  type: 'AuthRefusal';
  appName?: string;
  reason: string;
  /** The minute, `yyyy-mm-ddThh:mm` (UTC). */
  minute: string;
  /** First and latest refusal of the minute (ISO 8601, milliseconds). */
  firstAt: string;
  lastAt: string;
  count: number;
  httpStatus: number;
  /** The last refused request's method and resource, e.g. `GET /Users`. */
  request?: string;
  ttl: number;
}
