/**
 * Refused connections: why the authorizer turned a request to an application's Tenant URL away,
 * what the admin should check, and the report row of one (application, reason, minute) item.
 * Pure; the authorizer classifies, store/auth-refusals.ts counts, the stream writes the rows.
 */
import type { AuthRefusalItem } from '../domain/items';
import { REFUSAL_REASONS, RefusalReason } from '../domain/refusal-reasons';
import { ReportAction, ReportStatus, type ReportRow } from '../domain/report-row';

/**
 * The authorizer context key holding what a 403 should say: API Gateway's ACCESS_DENIED response
 * reads it as `$context.authorizer.accessDenied` (lib/gateway-responses.ts), the local
 * adapter from the context it passes on.
 */
export const ACCESS_DENIED_CONTEXT_KEY = 'accessDenied';

/** The 403 a token of another application gets (API Gateway's ACCESS_DENIED, through the authorizer context). */
export const OTHER_APPLICATION_DETAIL =
  'the Secret Token belongs to another application: use the Tenant URL and Secret Token of the same application';
/** The 403 an admin token gets on a Tenant URL. */
export const ADMIN_TOKEN_DETAIL = 'this is an admin token, which only opens /admin: use the Tenant URL and Secret Token of an application';

/** What each reason means and what to check, as the report row's detail. */
export const REFUSAL_DETAILS: Readonly<Record<RefusalReason, string>> = {
  [RefusalReason.malformedHeader]:
    'the Authorization header is not "Bearer <Secret Token>" with a scim-gateway token: paste the Secret Token exactly as shown, without quotes or spaces',
  [RefusalReason.unknownToken]:
    "the Secret Token is not one of this application's tokens: paste this application's current Secret Token, or create a new one",
  [RefusalReason.revoked]: 'the Secret Token was revoked: create a new token for this application and paste it into the client',
  [RefusalReason.expired]: 'the Secret Token has expired: create a new token for this application and paste it into the client',
  [RefusalReason.otherApplication]: OTHER_APPLICATION_DETAIL,
  [RefusalReason.adminToken]: ADMIN_TOKEN_DETAIL,
};

const isReason = (value: unknown): value is RefusalReason => typeof value === 'string' && REFUSAL_REASONS.includes(value);

/**
 * The row of an aggregated refusal item. Every record of the item (its INSERT and each MODIFY)
 * yields the same row key — the item's first refusal and its reason, not the record — so the row is
 * rewritten with the latest count instead of repeated: one row per application, reason and minute.
 */
export const refusalRow = (item: AuthRefusalItem, retentionDays: number): ReportRow | undefined => {
  const first = Date.parse(item.firstAt);
  if (!isReason(item.reason) || Number.isNaN(first) || typeof item.minute !== 'string') return undefined;
  const time = new Date(first).toISOString();
  const row: ReportRow = {
    eventId: `refused.${item.reason}.${item.minute.replace(/\D/g, '')}:0`,
    time,
    appId: item.appId,
    appName: typeof item.appName === 'string' && item.appName ? item.appName : undefined,
    resourceType: 'Connection',
    action: ReportAction.authenticate,
    status: ReportStatus.failure,
    httpStatus: typeof item.httpStatus === 'number' ? item.httpStatus : undefined,
    detail: REFUSAL_DETAILS[item.reason],
    reason: item.reason,
    count: typeof item.count === 'number' && item.count > 0 ? item.count : 1,
    changes: [],
    // Whole seconds: DynamoDB's TTL attribute is epoch seconds, and the row must read back unchanged.
    expiresAt: new Date(Math.ceil((first + retentionDays * 86_400_000) / 1000) * 1000).toISOString(),
  };
  for (const key of Object.keys(row) as (keyof ReportRow)[]) if (row[key] === undefined) delete row[key];
  return row;
};
