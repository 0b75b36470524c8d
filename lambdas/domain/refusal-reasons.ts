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

  // Bearer JWTs (issue 17): the gateway's own access tokens and Entra-issued ones.
  /** Signed with an algorithm other than the pinned one (`none`, HS256 with the public key, …). */
  jwtAlgorithm: 'jwt-algorithm',
  /** A `kid` that is not published. */
  jwtUnknownKey: 'jwt-unknown-key',
  jwtBadSignature: 'jwt-bad-signature',
  jwtExpired: 'jwt-expired',
  jwtNotYetValid: 'jwt-not-yet-valid',
  /** Another issuer; for Entra, a tenant the application does not accept. */
  jwtWrongIssuer: 'jwt-wrong-issuer',
  jwtWrongAudience: 'jwt-wrong-audience',
  jwtWrongScope: 'jwt-wrong-scope',
  jwtMalformed: 'jwt-malformed',
  /** An Entra-issued JWT on an application that names no Entra tenant. */
  entraNotAccepted: 'entra-not-accepted',
  /** The OAuth client of a token (or of a token request) is unknown, revoked, or its secret is revoked or expired. */
  oauthUnknownClient: 'oauth-unknown-client',
  oauthClientRevoked: 'oauth-client-revoked',
  oauthSecretRevoked: 'oauth-secret-revoked',
  oauthSecretExpired: 'oauth-secret-expired',
  /** At the token endpoint: a client secret that is none of the client's. */
  oauthWrongSecret: 'oauth-wrong-secret',
} as const;
export type RefusalReason = (typeof RefusalReason)[keyof typeof RefusalReason];
export const REFUSAL_REASONS: readonly string[] = Object.values(RefusalReason);
