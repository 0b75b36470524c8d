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
  [RefusalReason.jwtAlgorithm]: 'the bearer JWT is signed with an algorithm this gateway does not accept: it was not issued by this gateway or by Entra ID',
  [RefusalReason.jwtUnknownKey]: 'the bearer JWT names a signing key that is not published: it was not issued by this gateway or by Entra ID, or the key was withdrawn',
  [RefusalReason.jwtBadSignature]: 'the bearer JWT signature does not verify: the token was altered or not issued by this gateway or Entra ID',
  [RefusalReason.jwtExpired]: "the access token has expired: the client should request a new one from the token endpoint (check the client's clock)",
  [RefusalReason.jwtNotYetValid]: 'the access token is not valid yet: check the clock of the machine that issued or sent it',
  [RefusalReason.jwtWrongIssuer]: 'the token was issued by an issuer this application does not accept: for Entra ID, add the tenant id to the application',
  [RefusalReason.jwtWrongAudience]: "the token was issued for another audience: request it from this application's token endpoint, or check the Entra ID application id",
  [RefusalReason.jwtWrongScope]: 'the access token does not carry the scim scope',
  [RefusalReason.jwtMalformed]: 'the bearer token is not an access token of this gateway or of Entra ID: check what the client was configured to send',
  [RefusalReason.entraNotAccepted]:
    "an Entra ID token was sent, but this application accepts none: add the Entra tenant id to the application's Entra settings, or paste a Secret Token",
  [RefusalReason.oauthUnknownClient]: "the OAuth client is not one of this application's clients: copy the Client Identifier of this application",
  [RefusalReason.oauthClientRevoked]: 'the OAuth client was revoked: create a new client and enter its Client Identifier and Client Secret',
  [RefusalReason.oauthSecretRevoked]: 'the OAuth client secret was revoked: enter the current Client Secret (or create a new one)',
  [RefusalReason.oauthSecretExpired]: 'the OAuth client secret has expired: create a new secret for the client and enter it',
  [RefusalReason.oauthWrongSecret]: "the Client Secret is not one of the client's secrets: paste the Client Secret exactly as shown when it was created",
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
