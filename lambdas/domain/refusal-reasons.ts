/**
 * Why the authorizer turned a request to an application's Tenant URL away: the reasons a refused
 * connection is counted under (store/auth-refusals.ts) and reported with (reports/refusals.ts,
 * which also says what each means and what to check).
 */
export const RefusalReason = {
  /** No `Bearer <token>`, or a token not shaped like a scim-gateway token. */
  malformedHeader: 'malformed-header',
  /** Shaped like one of this application's tokens, but not one of them. */
  unknownToken: 'unknown-token',
  revoked: 'revoked',
  expired: 'expired',
  /** A token of another application on this application's Tenant URL. */
  otherApplication: 'other-application',
  /** An admin token on a Tenant URL. */
  adminToken: 'admin-token',
} as const;
export type RefusalReason = (typeof RefusalReason)[keyof typeof RefusalReason];
export const REFUSAL_REASONS: readonly string[] = Object.values(RefusalReason);
