/**
 * The gateway's access tokens: JWTs in the shape of RFC 9068 (JWT Profile for OAuth 2.0 Access
 * Tokens) — header `typ: at+jwt`, `alg: ES256`, `kid`; claims `iss`, `aud`, `sub`, `client_id`,
 * `scope`, `jti`, `iat`, `nbf`, `exp` — plus one private claim, `secret_id`, the client secret the
 * token was obtained with, so revoking that secret cuts its tokens off (clients.ts clientStanding).
 *
 * Signing and verification are jose's; this file only decides the claims and what a refusal means.
 * Verification pins the algorithm (so `alg: none` and HS256-signed-with-the-public-key are refused
 * before any key is touched), requires the RFC 9068 `typ` (so an ID token or an Entra token is not
 * mistaken for ours), checks `iss`, `exp`/`nbf` with a small skew, then — in this order, so the
 * report says the most useful thing — the application (a token of another application's client),
 * the audience (exactly the application's Tenant URL) and the scope.
 */
import { randomUUID } from 'node:crypto';
import { importJWK, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { parseClientId } from './client-secrets';
import { TOKEN_LIFETIME_MINUTES } from './limits';
import type { KeySource } from './key-set-cache';
import { ACCESS_TOKEN_ALG, type SigningKey } from './signing-keys';
import { refusalOf, TokenRefusal } from './token-refusals';
import { SCIM_SCOPE } from './token-request';
import type { AccessTokenGrant } from './token-response';

/** RFC 9068 §2.1. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
/** Tolerated clock difference for `exp` and `nbf`. */
export const DEFAULT_SKEW_SECONDS = 60;
/** Longer than any token of ours; anything longer is refused before parsing. */
export const MAX_ACCESS_TOKEN_LENGTH = 4096;

export interface AccessTokenClaims {
  iss: string;
  aud: string;
  sub: string;
  client_id: string;
  secret_id: string;
  scope: string;
  jti: string;
  iat: number;
  nbf: number;
  exp: number;
}

export interface AccessTokenInput {
  /** The gateway's issuer URL (issuerOf in urls.ts). */
  issuer: string;
  /** The application's Tenant URL: the only resource the token opens. */
  audience: string;
  clientId: string;
  secretId: string;
  /** The client's tokenLifetimeMinutes (60–360). */
  lifetimeMinutes: number;
  now: Date;
  /** @default a random UUID */
  jti?: string;
}

export interface IssuedAccessToken extends AccessTokenGrant {
  jti: string;
  expiresAt: Date;
}

export interface AccessTokenSigner {
  readonly kid: string;
  issue(input: AccessTokenInput): Promise<IssuedAccessToken>;
}

/** A signer over one key, imported once (keep it per container; rebuild when the key set changes). */
export const createAccessTokenSigner = async (key: SigningKey): Promise<AccessTokenSigner> => {
  const privateKey = (await importJWK(key.privateJwk, ACCESS_TOKEN_ALG)) as CryptoKey;
  return {
    kid: key.kid,
    async issue(input) {
      const minutes = input.lifetimeMinutes;
      if (!Number.isInteger(minutes) || minutes < TOKEN_LIFETIME_MINUTES.min || minutes > TOKEN_LIFETIME_MINUTES.max) {
        throw new RangeError(`token lifetime must be ${TOKEN_LIFETIME_MINUTES.min}–${TOKEN_LIFETIME_MINUTES.max} minutes, not ${minutes}`);
      }
      const iat = Math.floor(input.now.getTime() / 1000);
      const exp = iat + minutes * 60;
      const jti = input.jti ?? randomUUID();
      const accessToken = await new SignJWT({ client_id: input.clientId, secret_id: input.secretId, scope: SCIM_SCOPE })
        .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, typ: ACCESS_TOKEN_TYPE, kid: key.kid })
        .setIssuer(input.issuer)
        .setAudience(input.audience)
        .setSubject(input.clientId)
        .setJti(jti)
        .setIssuedAt(iat)
        .setNotBefore(iat)
        .setExpirationTime(exp)
        .sign(privateKey);
      return { accessToken, expiresIn: exp - iat, scope: SCIM_SCOPE, jti, expiresAt: new Date(exp * 1000) };
    },
  };
};

export interface AccessTokenExpectation {
  appId: string;
  /** The application's Tenant URL, exactly as tokens are issued for it. */
  audience: string;
  now: Date;
}

export type AccessTokenVerification =
  | { ok: true; appId: string; clientId: string; secretId: string; jti: string; expiresAt: Date }
  | { ok: false; reason: TokenRefusal };

export interface AccessTokenVerifierOptions {
  issuer: string;
  /** The published keys: a KeySetCache over them, or staticKeySource(publicKeySet(set)). */
  keys: KeySource;
  /** @default DEFAULT_SKEW_SECONDS */
  skewSeconds?: number;
}

export type AccessTokenVerifier = (token: string, expected: AccessTokenExpectation) => Promise<AccessTokenVerification>;

const REQUIRED = ['exp', 'nbf', 'iat', 'jti', 'sub', 'aud', 'client_id', 'secret_id', 'scope'];
const MAX_LIFETIME_SECONDS = TOKEN_LIFETIME_MINUTES.max * 60;

const refuse = (reason: TokenRefusal): AccessTokenVerification => ({ ok: false, reason });

/** Never throws for a bad token; rethrows only faults that are not the token's (see refusalOf). */
export const createAccessTokenVerifier = (options: AccessTokenVerifierOptions): AccessTokenVerifier => {
  const skew = options.skewSeconds ?? DEFAULT_SKEW_SECONDS;

  return async (token, expected) => {
    if (typeof token !== 'string' || token.length > MAX_ACCESS_TOKEN_LENGTH) return refuse(TokenRefusal.malformed);
    let claims: Partial<AccessTokenClaims>;
    try {
      const verified = await jwtVerify(token, options.keys.lookupAt(expected.now), {
        algorithms: [ACCESS_TOKEN_ALG],
        issuer: options.issuer,
        typ: ACCESS_TOKEN_TYPE,
        currentDate: expected.now,
        clockTolerance: skew,
        requiredClaims: REQUIRED,
      });
      claims = verified.payload as Partial<AccessTokenClaims>;
    } catch (error) {
      const reason = refusalOf(error);
      if (reason === undefined) throw error;
      return refuse(reason);
    }
    const { client_id: clientId, sub, secret_id: secretId, jti, aud, scope, iat, exp } = claims;
    if (typeof clientId !== 'string' || sub !== clientId || typeof secretId !== 'string' || typeof jti !== 'string' || typeof scope !== 'string') {
      return refuse(TokenRefusal.malformed);
    }
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > MAX_LIFETIME_SECONDS) return refuse(TokenRefusal.malformed);
    const named = parseClientId(clientId);
    if (named === undefined) return refuse(TokenRefusal.malformed);
    if (named.appId !== expected.appId) return refuse(TokenRefusal.otherApplication);
    // Exactly one audience, exactly the Tenant URL: jose would accept any match inside an array.
    if (aud !== expected.audience) return refuse(TokenRefusal.wrongAudience);
    if (!scope.split(' ').includes(SCIM_SCOPE)) return refuse(TokenRefusal.wrongScope);
    return { ok: true, appId: named.appId, clientId, secretId, jti, expiresAt: new Date(exp * 1000) };
  };
};
