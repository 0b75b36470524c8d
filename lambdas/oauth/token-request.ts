/**
 * The token request of the client credentials grant (RFC 6749 §4.4.2), read from method, headers
 * and raw body into either what to verify or the exact OAuth error to answer. It decides nothing
 * about whether the credentials are right (clients.ts does, against the stored client); it only
 * says what the client claims, so a malformed request is refused before any lookup.
 *
 * Order of checks, each a different error: method (§3.2: POST) → media type and size → repeated
 * parameters (§3.2) → grant_type (missing: invalid_request; other: unsupported_grant_type) →
 * client authentication (Basic or body, never both: §2.3) → scope (§3.3; only `scim`). Parameters
 * sent without a value count as absent and unknown parameters are ignored (§3.1).
 *
 * Total over its input: any method, header map and body gives a result, never an exception
 * (test/unit/oauth/token-request.property.test.ts).
 */
import { decodeBasicCredentials, isBasicScheme } from './basic-credentials';
import { DEFAULT_REALM, oauthError, type OAuthError } from './token-response';

export const GRANT_TYPE = 'client_credentials';
/** The one scope a token can carry: access to the application's SCIM endpoint. */
export const SCIM_SCOPE = 'scim';
/** A token request is a few hundred bytes; anything far larger is not one. */
export const MAX_TOKEN_REQUEST_BYTES = 8192;

export type ClientAuthenticationMethod = 'client_secret_basic' | 'client_secret_post';

export interface TokenRequest {
  clientId: string;
  clientSecret: string;
  scope: typeof SCIM_SCOPE;
  /** How the client authenticated: for the report. */
  method: ClientAuthenticationMethod;
}

export type TokenRequestResult = ({ ok: true } & TokenRequest) | ({ ok: false } & OAuthError);

export interface TokenRequestInput {
  method: string;
  /** Header names in lower case (the local adapter and API Gateway both give them so after normalisation). */
  headers: Readonly<Record<string, string | undefined>>;
  /** The raw body, already base64-decoded when API Gateway delivered it so. */
  body: string | null | undefined;
  /** Realm of the `WWW-Authenticate` challenge. @default DEFAULT_REALM */
  realm?: string;
}

const KNOWN = ['grant_type', 'client_id', 'client_secret', 'scope'] as const;
type Known = (typeof KNOWN)[number];

const fail = (error: OAuthError): TokenRequestResult => ({ ok: false, ...error });

const isFormMediaType = (contentType: string | undefined): boolean =>
  (contentType ?? '').split(';')[0].trim().toLowerCase() === 'application/x-www-form-urlencoded';

/** The known parameters with a value, or the name of one that came twice. */
const readParameters = (body: string): { params: Partial<Record<Known, string>> } | { repeated: Known } => {
  const params: Partial<Record<Known, string>> = {};
  const seen = new Set<Known>();
  // URLSearchParams is the WHATWG form decoder: `+` is a space, broken escapes stay as written. The
  // leading `&` keeps a body starting with `?` from losing it (the constructor strips one `?`).
  for (const [name, value] of new URLSearchParams(`&${body}`)) {
    const known = KNOWN.find((k) => k === name);
    if (known === undefined) continue;
    if (seen.has(known)) return { repeated: known };
    seen.add(known);
    if (value !== '') params[known] = value;
  }
  return { params };
};

type Authentication = { ok: true; clientId: string; clientSecret: string; method: ClientAuthenticationMethod } | { ok: false; error: OAuthError };

const authenticationOf = (authorization: string | undefined, params: Partial<Record<Known, string>>, realm: string): Authentication => {
  if (authorization !== undefined && authorization.trim() !== '') {
    if (!isBasicScheme(authorization)) {
      return { ok: false, error: oauthError.invalidClient('only client_secret_basic and client_secret_post authenticate a client here', realm) };
    }
    const basic = decodeBasicCredentials(authorization);
    if (!basic.ok) return { ok: false, error: oauthError.invalidClient(basic.description, realm) };
    if (params.client_secret !== undefined) {
      return { ok: false, error: oauthError.invalidRequest('the client authenticated twice: use the Authorization header or client_secret, not both') };
    }
    // A client may repeat its id in the body (§3.2.1); it must then be the same client.
    if (params.client_id !== undefined && params.client_id !== basic.clientId) {
      return { ok: false, error: oauthError.invalidRequest('client_id in the body differs from the client of the Authorization header') };
    }
    return { ok: true, clientId: basic.clientId, clientSecret: basic.clientSecret, method: 'client_secret_basic' };
  }
  if (params.client_id === undefined) {
    return { ok: false, error: oauthError.invalidClient('no client authentication: send client_id and client_secret, or HTTP Basic', realm) };
  }
  if (params.client_secret === undefined) {
    return { ok: false, error: oauthError.invalidClient('client_secret is missing: only confidential clients are served', realm) };
  }
  return { ok: true, clientId: params.client_id, clientSecret: params.client_secret, method: 'client_secret_post' };
};

/** §3.3: space-delimited, case-sensitive; absent means the default, `scim`. */
const scopeOf = (scope: string | undefined): typeof SCIM_SCOPE | undefined => {
  if (scope === undefined) return SCIM_SCOPE;
  const parts = scope.split(' ').filter((part) => part !== '');
  return parts.length > 0 && parts.every((part) => part === SCIM_SCOPE) ? SCIM_SCOPE : undefined;
};

export const parseTokenRequest = (input: TokenRequestInput): TokenRequestResult => {
  const realm = input.realm ?? DEFAULT_REALM;
  if (String(input.method).toUpperCase() !== 'POST') return fail(oauthError.methodNotAllowed());
  const headers = input.headers ?? {};
  if (!isFormMediaType(headers['content-type'])) {
    return fail(oauthError.invalidRequest('the token request must be application/x-www-form-urlencoded'));
  }
  const body = typeof input.body === 'string' ? input.body : '';
  if (Buffer.byteLength(body, 'utf8') > MAX_TOKEN_REQUEST_BYTES) {
    return fail(oauthError.invalidRequest(`the token request is larger than ${MAX_TOKEN_REQUEST_BYTES} bytes`));
  }
  const read = readParameters(body);
  if ('repeated' in read) return fail(oauthError.invalidRequest(`the parameter ${read.repeated} is repeated`));
  const { params } = read;

  if (params.grant_type === undefined) return fail(oauthError.invalidRequest('grant_type is missing: send grant_type=client_credentials'));
  if (params.grant_type !== GRANT_TYPE) return fail(oauthError.unsupportedGrantType('only grant_type=client_credentials is supported'));

  const auth = authenticationOf(headers.authorization, params, realm);
  if (!auth.ok) return fail(auth.error);

  const scope = scopeOf(params.scope);
  if (scope === undefined) return fail(oauthError.invalidScope(`the only scope is ${SCIM_SCOPE}`));

  return { ok: true, clientId: auth.clientId, clientSecret: auth.clientSecret, scope, method: auth.method };
};
