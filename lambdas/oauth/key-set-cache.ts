/**
 * Verification keys held per container, refreshed when stale or when a token names a key we do
 * not know — Microsoft's keys roll over without notice (Entra "Signing key rollover in the Microsoft
 * identity platform"), and our own `next` key may reach a container that cached the set before it
 * was published. Used for both: Entra's JWKS and the gateway's own published keys.
 *
 * Why not jose's createRemoteJWKSet: it fetches by itself. Here the fetch is injected (a
 * function returning the JWKS JSON), so tests run offline against a fixture key set and the
 * wiring decides where keys come from (HTTPS for Entra, a secret or table for ours). jose still
 * does the key selection and import (createLocalJWKSet).
 *
 * Refreshes are rate-limited: at most one fetch attempt per `minRefreshIntervalSeconds`, successful
 * or not, so tokens with made-up `kid`s cannot turn the authorizer into a JWKS-fetching amplifier.
 * Concurrent callers share one in-flight fetch. A failed refresh keeps serving the keys it had.
 */
import { createLocalJWKSet, errors, type CryptoKey, type FlattenedJWSInput, type JSONWebKeySet, type JWSHeaderParameters } from 'jose';

/** jose's key resolver: the second argument of jwtVerify. */
export type KeyLookup = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>;

/** Gives the JWKS JSON (RFC 7517 §5), or throws when it cannot. */
export type FetchKeySet = () => Promise<unknown>;

export interface KeySetCacheOptions {
  fetchKeySet: FetchKeySet;
  /** Keys older than this are refreshed before use. @default 86400 (Microsoft rolls keys over in days, not minutes) */
  maxAgeSeconds?: number;
  /** Fewest seconds between two fetch attempts. @default 300 */
  minRefreshIntervalSeconds?: number;
}

/** No keys at all: the source failed and nothing was cached. The caller should answer 503, not 401. */
export class KeysUnavailableError extends Error {
  override readonly name = 'KeysUnavailableError';
}

/** Where a verifier gets its keys: a KeySetCache, or staticKeySource for a fixed set. */
export interface KeySource {
  /** A resolver for jwtVerify at the instant `now`. */
  lookupAt(now: Date): KeyLookup;
}

export interface KeySetCache extends KeySource {
  /** The keys held now (for tests and diagnostics), or undefined before the first successful fetch. */
  keys(): JSONWebKeySet | undefined;
}

interface Held {
  jwks: JSONWebKeySet;
  resolve: ReturnType<typeof createLocalJWKSet>;
  fetchedAt: number;
}

const asKeySet = (value: unknown): JSONWebKeySet => {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new errors.JWKSInvalid('the key set has no "keys" array');
  // Encryption keys are never signature keys (RFC 7517 §4.2); leave them out before jose sees the set.
  return { keys: keys.filter((k): k is JSONWebKeySet['keys'][number] => typeof k === 'object' && k !== null && (k as { use?: unknown }).use !== 'enc') };
};

export const createKeySetCache = (options: KeySetCacheOptions): KeySetCache => {
  const maxAgeMs = (options.maxAgeSeconds ?? 86_400) * 1000;
  const minIntervalMs = (options.minRefreshIntervalSeconds ?? 300) * 1000;
  let held: Held | undefined;
  let lastAttempt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;

  const refresh = (now: number): Promise<void> => {
    if (inFlight) return inFlight;
    if (now - lastAttempt < minIntervalMs) return Promise.resolve();
    lastAttempt = now;
    inFlight = (async () => {
      try {
        const jwks = asKeySet(await options.fetchKeySet());
        held = { jwks, resolve: createLocalJWKSet(jwks), fetchedAt: now };
      } catch {
        // Keep what we had; with nothing held, the lookup reports the keys unavailable.
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  const lookupAt =
    (at: Date): KeyLookup =>
    async (header, token) => {
      const now = at.getTime();
      if (!held || now - held.fetchedAt >= maxAgeMs) await refresh(now);
      if (!held) throw new KeysUnavailableError('no verification keys: the key source failed and none are cached');
      try {
        return await held.resolve(header, token);
      } catch (error) {
        if ((error as { code?: unknown } | null)?.code !== errors.JWKSNoMatchingKey.code) throw error;
        const before = held;
        await refresh(now);
        if (held === before) throw error;
        return held.resolve(header, token);
      }
    };

  return { lookupAt, keys: () => (held ? structuredClone(held.jwks) : undefined) };
};

/** A fixed key set (tests, a local gateway): no fetching, unknown `kid` is simply unknown. */
export const staticKeySource = (jwks: JSONWebKeySet): KeySource => {
  const resolve = createLocalJWKSet(asKeySet(jwks));
  const lookup: KeyLookup = (header, token) => resolve(header, token);
  return { lookupAt: () => lookup };
};
