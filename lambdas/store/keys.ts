/**
 * The only module that assembles DynamoDB key strings. Every access pattern of both tables is a
 * small pure function here; callers never write a `#` or lower-case a value themselves.
 *
 * Main table (single table, generic keys, everything scoped by application):
 *
 * | item         | pk                                    | sk               | gsi1 (lists)              | gsi2 (lookups)                                  |
 * |--------------|---------------------------------------|------------------|---------------------------|-------------------------------------------------|
 * | application  | APP#<appId>                           | APP              | APPS / <appId>            |                                                 |
 * | user         | APP#<appId>#USER#<id>                 | USER             | APP#<appId>#USERS / <id>  | APP#<appId>#EMAIL#<lower work email> / <id>     |
 * | membership   | APP#<appId>#USER#<userId>             | MEMBEROF#<gid>   |                           | APP#<appId>#GROUP#<gid>#MEMBERS / <userId>      |
 * | group        | APP#<appId>#GROUP#<id>                | GROUP            | APP#<appId>#GROUPS / <id> |                                                 |
 * | unique value | APP#<appId>#UNIQUE#<kind>#<value>     | UNIQUE           |                           |                                                 |
 * | user extId   | APP#<appId>#UNIQUE#EXTID#<value>      | <user id>        |                           |                                                 |
 * | group extId  | APP#<appId>#EXTID#GROUP#<value>       | <group id>       |                           |                                                 |
 * | failure      | APP#<appId>#FAILURE#<requestId>       | FAILURE          |                           |                                                 |
 * | unapplied    | APP#<appId>#UNAPPLIED#<requestId>     | UNAPPLIED        |                           |                                                 |
 * | deletion note| APP#<appId>#DELETED#<USER|GROUP>#<id> | NOTE             |                           |                                                 |
 * | removal note | APP#<appId>#GROUP#<gid>#REMOVALS      | <ISO time>#<requestId>#<n> |                 |                                                 |
 * | auth refusal | APP#<appId>#REFUSED#<reason>#<minute> | REFUSED          |                           |                                                 |
 * | app name     | APPNAME#<lower name>                  | APPNAME          |                           |                                                 |
 * | OAuth client | APP#<appId>#OAUTHCLIENT#<clientId>    | OAUTHCLIENT      | APP#<appId>#OAUTHCLIENTS / <clientId> |                                     |
 * | Entra setting| APP#<appId>#ENTRA                     | ENTRA            |                           |                                                 |
 * | signing keys | OAUTH#SIGNINGKEYS                     | JWKS             |                           |                                                 |
 *
 * Both indexes copy only keys and `type` (lib/tables.ts): a write that keeps an item's index keys
 * writes no index, and a reader that needs whole items reads them behind the entries
 * (store/index-items.ts: one BatchGet a page).
 *
 * Memberships live in the *user's* partition: one strongly consistent Query returns a user and its
 * groups, deleting a user finds its memberships without an index, and adding a member never reads
 * the group's member list. The group → members direction is the overloaded gsi2.
 *
 * externalId is not unique (RFC 7643 §3.1): each holder has an entry in the value's partition, so
 * one strongly consistent Query lists all of them in id order. Users' entries share the partition
 * where earlier versions kept the value's uniqueness record (sk UNIQUE, `ownerId`), so that Query
 * also finds users written before (store/external-ids.ts).
 *
 * Notes are short-lived (TTL) items a write leaves for the stream consumer: a delete, or a member
 * removal, carries its request's time and stamp in a note written in its own transaction, because
 * a REMOVE record holds only the old image (the previous writer's stamp) and a rounded time.
 * Auth refusals are one item per application, reason and minute, counted with `ADD`.
 */
import { createHash } from 'node:crypto';
import type { ResourceType } from '../scim/schemas';

/** Attribute names of both tables, in one place (tables.ts builds the tables from these). */
export const Attr = {
  pk: 'pk',
  sk: 'sk',
  gsi1pk: 'gsi1pk',
  gsi1sk: 'gsi1sk',
  gsi2pk: 'gsi2pk',
  gsi2sk: 'gsi2sk',
  ttl: 'ttl',
  /** Entity type of an item: see `ItemType`. */
  type: 'type',
} as const;

export const Index = {
  /** Lists of one entity per application (users, groups, applications). */
  lists: 'gsi1',
  /** Lookups: users by work e-mail, members of a group. */
  lookups: 'gsi2',
} as const;

export interface Key {
  pk: string;
  sk: string;
}

/** DynamoDB allows 2,048 bytes of partition key; long values are folded to a digest. */
const MAX_VALUE_BYTES = 512;
const keyPart = (value: string): string =>
  Buffer.byteLength(value, 'utf8') <= MAX_VALUE_BYTES ? value : `sha256:${createHash('sha256').update(value).digest('hex')}`;

/** userName and group displayName are caseExact=false (RFC 7643 §4.1.1): fold inside the key. */
const folded = (value: string): string => keyPart(value.toLowerCase());

const app = (appId: string) => `APP#${appId}`;

export const UniqueKind = {
  userName: 'USERNAME',
  /** Written only by versions that kept externalId unique; still read (store/external-ids.ts). */
  externalId: 'EXTID',
  groupName: 'GROUPNAME',
} as const;

export type UniqueKind = (typeof UniqueKind)[keyof typeof UniqueKind];

export const keys = {
  app: (appId: string): Key => ({ pk: app(appId), sk: 'APP' }),
  appList: () => ({ gsi1pk: 'APPS' }),
  appListEntry: (appId: string) => ({ gsi1pk: 'APPS', gsi1sk: appId }),

  user: (appId: string, id: string): Key => ({ pk: `${app(appId)}#USER#${keyPart(id)}`, sk: 'USER' }),
  /** The partition holding a user and its memberships. */
  userPartition: (appId: string, id: string) => `${app(appId)}#USER#${keyPart(id)}`,
  userList: (appId: string) => ({ gsi1pk: `${app(appId)}#USERS` }),
  userListEntry: (appId: string, id: string) => ({ gsi1pk: `${app(appId)}#USERS`, gsi1sk: id }),
  userByEmail: (appId: string, email: string) => ({ gsi2pk: `${app(appId)}#EMAIL#${folded(email)}` }),
  userByEmailEntry: (appId: string, email: string, id: string) => ({
    gsi2pk: `${app(appId)}#EMAIL#${folded(email)}`,
    gsi2sk: id,
  }),

  group: (appId: string, id: string): Key => ({ pk: `${app(appId)}#GROUP#${keyPart(id)}`, sk: 'GROUP' }),
  groupList: (appId: string) => ({ gsi1pk: `${app(appId)}#GROUPS` }),
  groupListEntry: (appId: string, id: string) => ({ gsi1pk: `${app(appId)}#GROUPS`, gsi1sk: id }),

  membership: (appId: string, groupId: string, userId: string) => ({
    pk: `${app(appId)}#USER#${keyPart(userId)}`,
    sk: `MEMBEROF#${groupId}`,
    gsi2pk: `${app(appId)}#GROUP#${keyPart(groupId)}#MEMBERS`,
    gsi2sk: userId,
  }),
  membershipSkPrefix: 'MEMBEROF#',
  groupIdOfMembershipSk: (sk: string) => sk.slice('MEMBEROF#'.length),
  groupMembers: (appId: string, groupId: string) => ({ gsi2pk: `${app(appId)}#GROUP#${keyPart(groupId)}#MEMBERS` }),

  unique: (appId: string, kind: UniqueKind, value: string): Key => ({
    pk: `${app(appId)}#UNIQUE#${kind}#${kind === UniqueKind.externalId ? keyPart(value) : folded(value)}`,
    sk: 'UNIQUE',
  }),

  /** The partition listing every user (or group) with this externalId; caseExact, so not folded. */
  externalIdHolders: (appId: string, holder: ResourceType, externalId: string): string =>
    holder === 'User' ? keys.unique(appId, UniqueKind.externalId, externalId).pk : `${app(appId)}#EXTID#GROUP#${keyPart(externalId)}`,
  externalIdEntry: (appId: string, holder: ResourceType, externalId: string, id: string): Key => ({
    pk: keys.externalIdHolders(appId, holder, externalId),
    sk: id,
  }),

  failure: (appId: string, requestId: string): Key => ({ pk: `${app(appId)}#FAILURE#${keyPart(requestId)}`, sk: 'FAILURE' }),
  /** A request the provisioning features answered without a write (store/unapplied-requests.ts). */
  unapplied: (appId: string, requestId: string): Key => ({ pk: `${app(appId)}#UNAPPLIED#${keyPart(requestId)}`, sk: 'UNAPPLIED' }),

  /** Written in a user's or group's deleting transaction: ids are never reused, so one per entity. */
  deletionNote: (appId: string, kind: ResourceType, id: string): Key => ({
    pk: `${app(appId)}#DELETED#${kind.toUpperCase()}#${keyPart(id)}`,
    sk: 'NOTE',
  }),
  /** Member removals of one group, one note per transaction, sorted by time (a consumer reads from a time on). */
  removalNotes: (appId: string, groupId: string) => `${app(appId)}#GROUP#${keyPart(groupId)}#REMOVALS`,
  removalNote: (appId: string, groupId: string, at: string, requestId: string, chunk: number): Key => ({
    pk: keys.removalNotes(appId, groupId),
    sk: `${at}#${keyPart(requestId)}#${chunk}`,
  }),
  /** Refusals of the authorizer for one application, reason and UTC minute (`yyyy-mm-ddThh:mm`). */
  authRefusal: (appId: string, reason: string, minute: string): Key => ({
    pk: `${app(appId)}#REFUSED#${reason}#${minute}`,
    sk: 'REFUSED',
  }),
  /** What the authorizer's IAM policy lets it write: refusal items only (`dynamodb:LeadingKeys`). */
  authRefusalPattern: 'APP#*#REFUSED#*',
  /** Last use of one token of an application (one partition per application: one Query reads them all). */
  tokenUsage: (appId: string, tokenId: string): Key => ({ pk: `${app(appId)}#USAGE`, sk: `TOKEN#${keyPart(tokenId)}` }),
  tokenUsagePartition: (appId: string) => `${app(appId)}#USAGE`,

  // ─── OAuth 2.0 client credentials and Entra-issued JWTs (issue 17) ───
  /** An OAuth client's record (no secret hash: those stay in the secret store, like Secret Tokens'). */
  oauthClient: (appId: string, clientId: string): Key => ({ pk: `${app(appId)}#OAUTHCLIENT#${keyPart(clientId)}`, sk: 'OAUTHCLIENT' }),
  oauthClientList: (appId: string) => ({ gsi1pk: `${app(appId)}#OAUTHCLIENTS` }),
  oauthClientListEntry: (appId: string, clientId: string) => ({ gsi1pk: `${app(appId)}#OAUTHCLIENTS`, gsi1sk: clientId }),
  /** The Entra tenants (and audiences) whose tokens an application accepts. */
  entraAcceptance: (appId: string): Key => ({ pk: `${app(appId)}#ENTRA`, sk: 'ENTRA' }),
  /** The published (public) signing keys of the gateway's access tokens: what every authorizer verifies with. */
  signingKeys: (): Key => ({ pk: 'OAUTH#SIGNINGKEYS', sk: 'JWKS' }),

  /** Sentinel that keeps application names unique, case-insensitively (outside every app's partitions). */
  appName: (name: string): Key => ({ pk: `APPNAME#${folded(name)}`, sk: 'APPNAME' }),

  /** The application's profile recompute job (one per application: a newer mapping replaces it). */
  recomputeJob: (appId: string): Key => ({ pk: `${app(appId)}#RECOMPUTE`, sk: 'JOB' }),
} as const;

/** The application a main-table key belongs to (used to check cursors and stream records). */
export const appIdOfPk = (pk: string): string | undefined => /^APP#([^#]+)/.exec(pk)?.[1];

// ─── reportKeys: the report table ──────────────────────────────────────────────────────────────
/*
 * Report table (one row per provisioning event; see lambdas/store/reports.ts for the cost model):
 *
 * | item        | pk                              | sk                              | byUser (userKey / sk)      |
 * |-------------|---------------------------------|---------------------------------|----------------------------|
 * | report row  | APP#<appId>#DAY#<yyyy-mm-dd>    | <ISO time>#<seq>#<eventID>#<n>  | USER#<lower userName>      |
 * | day index   | DAY#<yyyy-mm-dd>                | APP#<appId>                     |                            |
 * | deletion    | DELETED#<User|Group>#<appId>#<id> | DELETED                       |                            |
 *
 * The base table itself is the day-bucketed "by application" index, so a row is written to one
 * GSI at most. The day index lists the applications that have rows on a day, so "everything in a
 * time span" walks (day → applications → rows) without a scan.
 */

/** Attribute and index names of the report table. */
export const ReportAttr = {
  /** byUser partition key; absent on rows that name no end user (group events). */
  userKey: 'userKey',
} as const;

export const ReportIndex = {
  byUser: 'byUser',
} as const;

export const reportKeys = {
  /**
   * A row: partitioned by application and UTC day, sorted by time, then stream order (sequence
   * numbers zero-padded so they compare as strings), unique per stream record and row index.
   */
  row: (appId: string, time: string, sequenceNumber: string, eventId: string, index: number): Key => ({
    pk: reportKeys.appDay(appId, time.slice(0, 10)),
    sk: `${time}#${sequenceNumber.padStart(40, '0')}#${eventId}#${index}`,
  }),
  appDay: (appId: string, day: string) => `APP#${keyPart(appId)}#DAY#${day}`,
  /** Prefix shared by every day partition of an application (filters rows on the byUser index). */
  appDayPrefix: (appId: string) => `APP#${keyPart(appId)}#DAY#`,
  /** End-user identifiers are case-insensitive (userName is caseExact=false). */
  user: (userName: string) => `USER#${folded(userName)}`,
  dayIndex: (day: string, appId: string): Key => ({ pk: reportKeys.dayIndexPartition(day), sk: `APP#${appId}` }),
  dayIndexPartition: (day: string) => `DAY#${day}`,
  appIdOfDayIndexSk: (sk: string) => sk.slice('APP#'.length),
  /** Written by the stream consumer when a user's or group's deletion reaches it (short TTL). */
  deletion: (kind: ResourceType, appId: string, id: string): Key => ({ pk: `DELETED#${kind}#${keyPart(appId)}#${keyPart(id)}`, sk: 'DELETED' }),
  /** Splits a row's sort key back into its time, sequence number and event id. */
  parseRowSk: (sk: string): { time: string; sequenceNumber: string; eventId: string } => {
    const [time, sequence] = sk.split('#', 2);
    const rest = sk.slice(time.length + sequence.length + 2);
    const last = rest.lastIndexOf('#');
    return { time, sequenceNumber: sequence.replace(/^0+(?=\d)/, ''), eventId: `${rest.slice(0, last)}:${rest.slice(last + 1)}` };
  },
  /** Sort-key bounds of a time span: every row whose time lies in [from, to]. */
  timeRange: (fromIso: string, toIso: string) => ({ lo: fromIso, hi: `${toIso}#\uffff` }),
} as const;

// ─── eventKeys: directory events in the report table ────────────────────────────────────────────
/*
 * Directory events (issue 16) live in the report table beside the report rows: derived, expiring
 * data without a stream of its own, read by application (docs/events.md, "Where events live").
 *
 * | item            | pk                              | sk                                   |
 * |-----------------|---------------------------------|--------------------------------------|
 * | logged event    | APP#<appId>#EVENTS              | <record time>#<seq 40>#<eventId>     |
 * | event position  | APP#<appId>#EVENT#<eventId>     | EVENT  (logSk: where `after=` starts) |
 * | webhook         | APP#<appId>#WEBHOOKS            | <webhookId>                          |
 * | pending delivery| WEBHOOK#<webhookId>#QUEUE       | <logSk>[#replay#<replayId>]          |
 * | finished        | WEBHOOK#<webhookId>#DONE        | <finished at>#<eventId>              |
 * | dead letter     | WEBHOOK#<webhookId>#DEAD        | <queue sk>                           |
 * | queue index     | QUEUES                          | <webhookId>  (webhooks with pending) |
 *
 * One log partition per application holds its events in stream order (a time, then the record's
 * sequence number zero-padded): an application's event rate is Entra's write rate, far below a
 * partition's 1,000 writes a second. The queue partitions are the local delivery queue (SQS FIFO
 * takes their place in AWS) and the Deliveries view's history.
 */
export const eventKeys = {
  logPartition: (appId: string) => `APP#${keyPart(appId)}#EVENTS`,
  logSk: (time: string, sequenceNumber: string, eventId: string) => `${time}#${sequenceNumber.padStart(40, '0')}#${eventId}`,
  position: (appId: string, eventId: string): Key => ({ pk: `APP#${keyPart(appId)}#EVENT#${eventId}`, sk: 'EVENT' }),
  webhooks: (appId: string) => `APP#${keyPart(appId)}#WEBHOOKS`,
  webhook: (appId: string, webhookId: string): Key => ({ pk: eventKeys.webhooks(appId), sk: webhookId }),
  queue: (webhookId: string) => `WEBHOOK#${webhookId}#QUEUE`,
  done: (webhookId: string) => `WEBHOOK#${webhookId}#DONE`,
  dead: (webhookId: string) => `WEBHOOK#${webhookId}#DEAD`,
  queueSk: (logSk: string, replayId?: string) => (replayId ? `${logSk}#replay#${replayId}` : logSk),
  doneSk: (at: string, eventId: string) => `${at}#${eventId}`,
  queueIndex: 'QUEUES',
} as const;
