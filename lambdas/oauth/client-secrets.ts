/**
 * OAuth client ids and client secrets, as pure functions: generate, parse, verify. No I/O.
 *
 * They follow the Secret Tokens of shared/tokens.ts on purpose and reuse its helpers: a secret is
 * 32 random bytes (256 bits) in base64url, only its SHA-256 is stored, and verification compares
 * digests in constant time against every live secret (verifyToken). A secret that high in entropy
 * needs no slow hash (aws-design.md §6.2).
 *
 * Formats: client id `scgwc_<appId>_<clientKey>`, client secret `scgws_<secretId>_<secret>`.
 * The application in the client id lets the token endpoint refuse another application's client
 * before any lookup, and lets a refusal say "other application"; the id in the secret lets a
 * refusal say "revoked" or "expired" instead of "wrong secret", as Secret Tokens do. Neither id is
 * secret. Every character is unreserved in form encoding, so a client that skips the RFC 6749
 * §2.3.1 encoding of Basic credentials still sends them right.
 */
import { randomBytes } from 'node:crypto';
import { APP_ID_LENGTH, hashToken, isAppId, randomId, TOKEN_ID_LENGTH, TOKEN_PREFIX, verifyToken, type StoredToken } from '../domain/secret-tokens';

export const CLIENT_ID_PREFIX = `${TOKEN_PREFIX}c`;
export const CLIENT_SECRET_PREFIX = `${TOKEN_PREFIX}s`;
const SECRET_BYTES = 32;

/** A stored client secret: a Secret Token's record, whose expiry is never optional (1–3 years). */
export interface StoredSecret extends StoredToken {
  expiresAt: string;
}

/** A secret that no longer authenticates, kept by id so a refusal can say why. */
export interface RetiredSecret {
  id: string;
  reason: 'revoked' | 'expired';
  /** When it was revoked, or when it expired. */
  at: string;
}

export interface IssuedSecret {
  /** The clear secret: shown once, never stored or logged. */
  secret: string;
  stored: StoredSecret;
}

const CLIENT_ID = new RegExp(`^${CLIENT_ID_PREFIX}_([a-z0-9]{${APP_ID_LENGTH}})_([a-z0-9]{${TOKEN_ID_LENGTH}})$`);
// base64url may contain `_`: the secret is everything after the second separator.
const CLIENT_SECRET = new RegExp(`^${CLIENT_SECRET_PREFIX}_([a-z0-9]{${TOKEN_ID_LENGTH}})_[A-Za-z0-9_-]{43}$`);

export const newClientId = (appId: string): string => {
  if (!isAppId(appId)) throw new Error(`Not an application id: ${appId}`);
  return `${CLIENT_ID_PREFIX}_${appId}_${randomId(TOKEN_ID_LENGTH)}`;
};

/** The application a client id names, or undefined when it is not shaped like one of ours. Proves nothing by itself. */
export const parseClientId = (clientId: string): { appId: string } | undefined => {
  const match = CLIENT_ID.exec(clientId);
  return match ? { appId: match[1] } : undefined;
};

export const isClientId = (value: string): boolean => CLIENT_ID.test(value);

/** The secret id a presented secret claims, or undefined when it is not shaped like one of ours. */
export const secretIdOf = (secret: string): string | undefined => CLIENT_SECRET.exec(secret)?.[1];

export const issueClientSecret = (now: Date, expiresAt: Date): IssuedSecret => {
  const id = randomId(TOKEN_ID_LENGTH);
  const secret = `${CLIENT_SECRET_PREFIX}_${id}_${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { secret, stored: { id, hash: hashToken(secret), created: now.toISOString(), expiresAt: expiresAt.toISOString() } };
};

export type SecretRefusal = 'wrong-secret' | 'secret-revoked' | 'secret-expired';

export type SecretVerification = { ok: true; secretId: string } | { ok: false; reason: SecretRefusal };

/**
 * Compares the presented secret with every live one (two at most, during rotation), in constant
 * time per comparison and without stopping at a match. Only when none matches does the secret's own
 * id say whether it is one that was revoked or has expired.
 */
export const verifyClientSecret = (
  presented: string,
  live: readonly StoredSecret[],
  retired: readonly RetiredSecret[],
  now: Date,
): SecretVerification => {
  const verified = verifyToken(presented, live, now);
  if (verified.ok) return { ok: true, secretId: verified.token.id };
  if (verified.reason === 'expired') return { ok: false, reason: 'secret-expired' };
  const id = secretIdOf(presented);
  const gone = id === undefined ? undefined : retired.filter((r) => r.id === id).at(-1);
  if (gone?.reason === 'revoked') return { ok: false, reason: 'secret-revoked' };
  if (gone?.reason === 'expired') return { ok: false, reason: 'secret-expired' };
  return { ok: false, reason: 'wrong-secret' };
};
