/**
 * Secret Tokens, as pure functions: generate, parse, digest, verify. No I/O.
 *
 * Format: `scgw_<appId>_<tokenId>_<secret>` for an application, `scgw_admin_<tokenId>_<secret>` for an
 * admin. The ids let the authorizer fetch one secret instead of scanning; the secret is 32 random
 * bytes in base64url (256 bits), so a fast hash is enough (aws-design.md §6.2). Only the SHA-256 of the
 * whole token is ever stored, and comparison runs over fixed-length digests in constant time.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export const TOKEN_PREFIX = 'scgw';
export const ADMIN_SCOPE = 'admin';
/** The admin token derived from the deployment's bootstrap value: `scgw_admin_boot_<bootstrap>`. */
export const BOOTSTRAP_TOKEN_ID = 'boot';
/** Directory tokens (issue 16): `scgw_dir_<appId>_<tokenId>_<secret>`, read-only, for the directory read API. */
export const DIRECTORY_SCOPE = 'dir';

export const APP_ID_LENGTH = 12;
export const TOKEN_ID_LENGTH = 8;
const SECRET_BYTES = 32;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Lower-case alphanumerics from a CSPRNG, without modulo bias (randomInt samples uniformly). */
export const randomId = (length: number): string => {
  let id = '';
  for (let i = 0; i < length; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
};

export const newAppId = (): string => randomId(APP_ID_LENGTH);
export const isAppId = (value: string): boolean => new RegExp(`^[a-z0-9]{${APP_ID_LENGTH}}$`).test(value);
export const isTokenId = (value: string): boolean => new RegExp(`^[a-z0-9]{${TOKEN_ID_LENGTH}}$`).test(value);

/** What the stores keep about a token: never the token itself. */
export interface StoredToken {
  id: string;
  /** Lower-case hex SHA-256 of the whole token (64 characters). */
  hash: string;
  created: string;
  expiresAt?: string;
}

export interface IssuedToken {
  /** The clear token: shown once, never stored or logged. */
  token: string;
  stored: StoredToken;
}

export type ParsedToken =
  | { kind: 'app'; appId: string; tokenId: string }
  | { kind: 'admin'; tokenId: string }
  | { kind: 'directory'; appId: string; tokenId: string };

export const digestToken = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();
export const hashToken = (token: string): string => digestToken(token).toString('hex');

const issue = (scope: string, tokenId: string, now: Date, expiresAt?: string): IssuedToken => {
  const token = `${TOKEN_PREFIX}_${scope}_${tokenId}_${randomBytes(SECRET_BYTES).toString('base64url')}`;
  const stored: StoredToken = { id: tokenId, hash: hashToken(token), created: now.toISOString() };
  if (expiresAt) stored.expiresAt = expiresAt;
  return { token, stored };
};

export const issueAppToken = (appId: string, now: Date, expiresAt?: string): IssuedToken => {
  if (!isAppId(appId)) throw new Error(`Not an application id: ${appId}`);
  return issue(appId, randomId(TOKEN_ID_LENGTH), now, expiresAt);
};

/** A directory token of `appId`: it reads the application's directory and nothing else. */
export const issueDirectoryToken = (appId: string, now: Date): IssuedToken => {
  if (!isAppId(appId)) throw new Error(`Not an application id: ${appId}`);
  return issue(`${DIRECTORY_SCOPE}_${appId}`, randomId(TOKEN_ID_LENGTH), now);
};

export const issueAdminToken = (now: Date, expiresAt?: string): IssuedToken =>
  issue(ADMIN_SCOPE, randomId(TOKEN_ID_LENGTH), now, expiresAt);

export const bootstrapToken = (bootstrap: string): string => `${TOKEN_PREFIX}_${ADMIN_SCOPE}_${BOOTSTRAP_TOKEN_ID}_${bootstrap}`;

// base64url may itself contain `_`, so the secret is "everything after the third separator".
const APP_TOKEN = new RegExp(`^${TOKEN_PREFIX}_([a-z0-9]{${APP_ID_LENGTH}})_([a-z0-9]{${TOKEN_ID_LENGTH}})_[A-Za-z0-9_-]{20,256}$`);
const DIRECTORY_TOKEN = new RegExp(`^${TOKEN_PREFIX}_${DIRECTORY_SCOPE}_([a-z0-9]{${APP_ID_LENGTH}})_([a-z0-9]{${TOKEN_ID_LENGTH}})_[A-Za-z0-9_-]{20,256}$`);
const ADMIN_TOKEN = new RegExp(
  `^${TOKEN_PREFIX}_${ADMIN_SCOPE}_([a-z0-9]{${TOKEN_ID_LENGTH}}|${BOOTSTRAP_TOKEN_ID})_[A-Za-z0-9_-]{20,256}$`,
);

/** The ids a token claims, or undefined when it is not shaped like one of ours. Proves nothing by itself. */
export const parseToken = (token: string): ParsedToken | undefined => {
  const admin = ADMIN_TOKEN.exec(token);
  if (admin) return { kind: 'admin', tokenId: admin[1] };
  const directory = DIRECTORY_TOKEN.exec(token);
  if (directory) return { kind: 'directory', appId: directory[1], tokenId: directory[2] };
  const app = APP_TOKEN.exec(token);
  if (app) return { kind: 'app', appId: app[1], tokenId: app[2] };
  return undefined;
};

/** `Bearer <token>` (scheme case-insensitive) → the token, or undefined. */
export const bearerToken = (header: string | undefined): string | undefined => {
  const match = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match?.[1];
};

export const isExpired = (token: Pick<StoredToken, 'expiresAt'>, now: Date): boolean =>
  token.expiresAt !== undefined && Date.parse(token.expiresAt) <= now.getTime();

export const isLive = (token: Pick<StoredToken, 'expiresAt'>, now: Date): boolean => !isExpired(token, now);

export type Verification =
  | { ok: true; token: StoredToken }
  | { ok: false; reason: 'unknown' | 'expired' };

const HASH = /^[0-9a-f]{64}$/;

/**
 * Compares the presented token with every stored digest, always all of them and never stopping at a
 * match, so the time taken says nothing about which (or whether any) stored token is close.
 */
export const verifyToken = (presented: string, stored: readonly StoredToken[], now: Date): Verification => {
  const digest = digestToken(presented);
  let match: StoredToken | undefined;
  for (const candidate of stored) {
    // Stores validate hashes on read; a malformed one still costs a comparison, against a digest it cannot equal.
    const expected = HASH.test(candidate.hash) ? Buffer.from(candidate.hash, 'hex') : Buffer.alloc(digest.length);
    const equal = timingSafeEqual(digest, expected) && HASH.test(candidate.hash);
    if (equal && match === undefined) match = candidate;
  }
  if (!match) return { ok: false, reason: 'unknown' };
  if (isExpired(match, now)) return { ok: false, reason: 'expired' };
  return { ok: true, token: match };
};
