/** Shared fixtures of the OAuth core tests: fixed clock, application ids and hand-forged JWTs. */
import { base64url, SignJWT, type JWK } from 'jose';
import { newClientId } from '../../../lambdas/oauth/client-secrets';
import { createOAuthClient, type OAuthClient } from '../../../lambdas/oauth/clients';

export const NOW = new Date('2026-06-01T12:00:00Z');
export const APP = 'abcdefghij12';
export const OTHER_APP = 'zyxwvutsrq98';
export const API_URL = 'https://scim.example.com/prod';
/** The token issuer is the API's own URL. @alias */
export const ISSUER = API_URL;
export const TENANT_URL = `${API_URL}/apps/${APP}/scim/v2`;
export const OTHER_TENANT_URL = `${API_URL}/apps/${OTHER_APP}/scim/v2`;

export const minutes = (n: number) => n * 60_000;
export const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

/** A client of `appId` with its first secret, as the admin API would create it. */
export const clientOf = (appId = APP, now = NOW): { client: OAuthClient; secret: string; secretId: string } => {
  const issued = createOAuthClient(appId, newClientId(appId), {}, now);
  return { client: issued.client, secret: issued.clientSecret, secretId: issued.secretId };
};

const encodeJson = (value: unknown) => base64url.encode(JSON.stringify(value));

/** A compact JWS with the given header and payload and the given (or an empty) signature. */
export const compactJws = (header: Record<string, unknown>, payload: Record<string, unknown>, signature = '') =>
  `${encodeJson(header)}.${encodeJson(payload)}.${signature}`;

/** `alg: none`: an unsecured JWT (RFC 7519 §6) with the claims of a valid token. */
export const unsecuredCopyOf = (token: string): string => compactJws({ ...headerOf(token), alg: 'none' }, claimsOf(token));

/** The same header and signature over a payload with `changes` applied: a tampered token. */
export const tamperedCopyOf = (token: string, changes: Record<string, unknown>): string => {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${header}.${encodeJson({ ...claims, ...changes })}.${signature}`;
};

export const claimsOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
export const headerOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as Record<string, unknown>;

/**
 * The classic key-confusion forgery: the claims of a valid token, signed HS256 with the verifier's
 * *public* key (its JWK JSON, and its raw coordinates) as the HMAC secret, under the same `kid`.
 */
export const hs256WithPublicKey = async (token: string, publicJwk: JWK): Promise<string[]> => {
  const claims = claimsOf(token);
  const { kid } = headerOf(token);
  const secrets = [new TextEncoder().encode(JSON.stringify(publicJwk)), Buffer.from(String(publicJwk.x ?? publicJwk.n), 'base64url')];
  return Promise.all(
    secrets.map((secret) =>
      new SignJWT(claims)
        .setProtectedHeader({ ...headerOf(token), alg: 'HS256', kid: kid as string })
        .sign(secret),
    ),
  );
};
