/**
 * What the token endpoint answers, success or error (RFC 6749 §5.1, §5.2), as data a handler sends
 * unchanged. The token endpoint is not a SCIM endpoint: its errors are OAuth's `{"error",
 * "error_description"}` in `application/json`, never a SCIM Error, so they have their own type here
 * rather than a ScimError.
 *
 * Every answer, errors included, carries `Cache-Control: no-store` and `Pragma: no-cache` (§5.1):
 * a token, or the fact that a credential failed, must not sit in a shared cache.
 */

/** The RFC 6749 §5.2 error codes a client credentials token endpoint can give. */
export const OAuthErrorCode = {
  invalidRequest: 'invalid_request',
  invalidClient: 'invalid_client',
  unauthorizedClient: 'unauthorized_client',
  unsupportedGrantType: 'unsupported_grant_type',
  invalidScope: 'invalid_scope',
} as const;
export type OAuthErrorCode = (typeof OAuthErrorCode)[keyof typeof OAuthErrorCode];

/**
 * 400 for every §5.2 error but `invalid_client` (401, with `WWW-Authenticate`), 405 for a method
 * other than POST (§3.2), 429 when the endpoint is being hammered (rate-limit.ts).
 */
export type OAuthErrorStatus = 400 | 401 | 405 | 429;

export interface OAuthError {
  error: OAuthErrorCode;
  /** `error_description`: never client input, only %x20-21 / %x23-5B / %x5D-7E (RFC 6749 §5.2). */
  description: string;
  status: OAuthErrorStatus;
  /** Headers this error needs besides the no-store pair: `WWW-Authenticate`, `Allow`, `Retry-After`. */
  headers?: Record<string, string>;
}

/** The realm of `WWW-Authenticate: Basic` when none is given. */
export const DEFAULT_REALM = 'scim-gateway';

export const NO_STORE_HEADERS: Readonly<Record<string, string>> = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

// RFC 7230 quoted-string without the characters that need escaping: a realm from configuration can
// never break the header, whatever it holds.
const realmOf = (realm: string): string => realm.replace(/[^\x20-\x7e]|["\\]/g, '') || DEFAULT_REALM;

/** `Basic realm="…"`: the scheme a client may authenticate with at the token endpoint (RFC 6749 §2.3.1). */
export const basicChallenge = (realm: string = DEFAULT_REALM): string => `Basic realm="${realmOf(realm)}"`;

const error = (code: OAuthErrorCode, status: OAuthErrorStatus, description: string, headers?: Record<string, string>): OAuthError =>
  headers ? { error: code, description, status, headers } : { error: code, description, status };

/** One constructor per error, so callers name the problem and never the status. */
export const oauthError = {
  invalidRequest: (description: string): OAuthError => error(OAuthErrorCode.invalidRequest, 400, description),
  /**
   * Always 401 with a challenge: RFC 6749 §5.2 requires it when the client used the Authorization
   * header, and RFC 9110 §15.5.2 requires a `WWW-Authenticate` on every 401.
   */
  invalidClient: (description: string, realm?: string): OAuthError =>
    error(OAuthErrorCode.invalidClient, 401, description, { 'WWW-Authenticate': basicChallenge(realm) }),
  unauthorizedClient: (description: string): OAuthError => error(OAuthErrorCode.unauthorizedClient, 400, description),
  unsupportedGrantType: (description: string): OAuthError => error(OAuthErrorCode.unsupportedGrantType, 400, description),
  invalidScope: (description: string): OAuthError => error(OAuthErrorCode.invalidScope, 400, description),
  methodNotAllowed: (): OAuthError =>
    error(OAuthErrorCode.invalidRequest, 405, 'the token endpoint accepts POST only', { Allow: 'POST' }),
  tooManyRequests: (retryAfterSeconds: number): OAuthError =>
    error(OAuthErrorCode.invalidRequest, 429, `too many token requests: retry after ${Math.max(1, Math.ceil(retryAfterSeconds))} seconds`, {
      'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    }),
};

/** A response as data: the handler copies it onto API Gateway's proxy result. */
export interface TokenHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const tokenErrorResponse = (e: OAuthError): TokenHttpResponse => ({
  status: e.status,
  headers: { 'Content-Type': JSON_CONTENT_TYPE, ...NO_STORE_HEADERS, ...e.headers },
  body: JSON.stringify({ error: e.error, error_description: e.description }),
});

/** What the endpoint hands a client that authenticated: RFC 6749 §5.1 (and §4.4.3: no refresh token). */
export interface AccessTokenGrant {
  accessToken: string;
  /** Seconds until `exp`. */
  expiresIn: number;
  scope: string;
}

export const tokenSuccessResponse = (grant: AccessTokenGrant): TokenHttpResponse => ({
  status: 200,
  headers: { 'Content-Type': JSON_CONTENT_TYPE, ...NO_STORE_HEADERS },
  body: JSON.stringify({ access_token: grant.accessToken, token_type: 'Bearer', expires_in: grant.expiresIn, scope: grant.scope }),
});
