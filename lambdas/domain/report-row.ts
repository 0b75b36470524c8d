/**
 * A provisioning report row: one provisioning event as an admin reads it (Entra's
 * provisioningObjectSummary, trimmed to what a SCIM gateway knows). Pure types and constants.
 */
import type { ResourceType } from '../scim/schemas';

export const ReportAction = {
  create: 'create',
  update: 'update',
  rename: 'rename',
  disable: 'disable',
  enable: 'enable',
  delete: 'delete',
  read: 'read',
  memberAdded: 'member-added',
  memberRemoved: 'member-removed',
  /** A refused connection: the authorizer turned a request away (reports/refusals.ts). */
  authenticate: 'authenticate',
  /** A mapping change applied to every profile of the application (reports/recompute.ts). */
  recomputeProfiles: 'recompute-profiles',
  other: 'other',
} as const;
export type ReportAction = (typeof ReportAction)[keyof typeof ReportAction];
export const REPORT_ACTIONS: readonly string[] = Object.values(ReportAction);

export const ReportStatus = { success: 'success', failure: 'failure' } as const;
export type ReportStatus = (typeof ReportStatus)[keyof typeof ReportStatus];
export const REPORT_STATUSES: readonly string[] = Object.values(ReportStatus);

/**
 * `Connection`: an authenticate row, about the Tenant URL and token rather than a resource;
 * `Application`: a row about the whole application (a finished profile recompute).
 */
export type ReportResourceType = ResourceType | 'Membership' | 'Connection' | 'Application' | 'Other';

/** One changed attribute: SCIM path, old and new value (absent = the attribute was absent). */
export interface AttributeChange {
  name: string;
  /** What people call `name` ("Department"): added by the report API (profiles/labels.ts), never stored. */
  label?: string;
  old?: string;
  new?: string;
}

/**
 * The key the report's `attribute` filter compares: lower case, the part after the last `:` (an
 * extension attribute's name), before any `.` or `[` (the attribute, not its sub-attribute). So
 * `department`, `urn:…:enterprise:2.0:User:department` and the profile's `department` meet, and
 * `name.givenName` finds rows that changed `name`.
 */
export const attributeKey = (name: string): string => name.toLowerCase().split(':').pop()!.split(/[.[]/)[0];

/** Most keys a row keeps for the filter (rows stay near 1 KB). */
const MAX_CHANGED_KEYS = 20;

/** The keys of a row's SCIM and profile changes, for the `attribute` filter. */
export const changedKeysOf = (row: Pick<ReportRow, 'changes' | 'profileChanges'>): string[] => {
  const keys = new Set([...row.changes, ...(row.profileChanges ?? [])].map((c) => attributeKey(c.name)));
  keys.delete('');
  keys.delete('…');
  return [...keys].slice(0, MAX_CHANGED_KEYS);
};

export interface ReportRow {
  /** `<stream eventID>:<n>`: the same stream record always yields the same ids. */
  eventId: string;
  /** The stream record's SequenceNumber: orders rows of the same instant (per item, as the stream does). */
  sequenceNumber?: string;
  /** ISO 8601, UTC, millisecond precision (sortable as a string). */
  time: string;
  appId: string;
  appName?: string;
  resourceType: ReportResourceType;
  resourceId?: string;
  userName?: string;
  /** Set on the row of a write that changed `userName`: lets a query by the new name follow the user back. */
  previousUserName?: string;
  externalId?: string;
  groupId?: string;
  groupDisplayName?: string;
  action: ReportAction | string;
  status: ReportStatus;
  httpStatus?: number;
  scimType?: string;
  detail?: string;
  /** authenticate rows: why the connection was refused (`RefusalReason`). */
  reason?: string;
  /** authenticate rows: how many refusals of this reason the minute held (one row per minute). */
  count?: number;
  changes: AttributeChange[];
  /** The same change in profile attribute names (`department: Sales → Marketing`); user rows only. */
  profileChanges?: AttributeChange[];
  /** recompute-profiles rows: the mapping version applied, users read, profiles rewritten, users that kept their previous profile. */
  recompute?: { mappingVersion: number; users: number; rewritten: number; failed: number };
  /** What the request asked for and what the provisioning features applied, when they differ (`delete` → `deactivate`). */
  requested?: string[];
  applied?: string[];
  requestId?: string;
  sourceIp?: string;
  userAgent?: string;
  /** How the request authenticated: "Secret Token <id>", "OAuth client <id> (secret <id>)" or "Entra tenant <id>". */
  authenticatedBy?: string;
  /** ISO 8601: the row disappears (DynamoDB TTL) after this. */
  expiresAt: string;
}
