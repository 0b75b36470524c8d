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
  other: 'other',
} as const;
export type ReportAction = (typeof ReportAction)[keyof typeof ReportAction];
export const REPORT_ACTIONS: readonly string[] = Object.values(ReportAction);

export const ReportStatus = { success: 'success', failure: 'failure' } as const;
export type ReportStatus = (typeof ReportStatus)[keyof typeof ReportStatus];
export const REPORT_STATUSES: readonly string[] = Object.values(ReportStatus);

/** `Connection`: an authenticate row, about the Tenant URL and token rather than a resource. */
export type ReportResourceType = ResourceType | 'Membership' | 'Connection' | 'Other';

/** One changed attribute: SCIM path, old and new value (absent = the attribute was absent). */
export interface AttributeChange {
  name: string;
  old?: string;
  new?: string;
}

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
  requestId?: string;
  sourceIp?: string;
  userAgent?: string;
  /** ISO 8601: the row disappears (DynamoDB TTL) after this. */
  expiresAt: string;
}
