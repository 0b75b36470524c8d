/**
 * The local stand-in for API Gateway's authorizer cache: an authorizer's Allow, kept per
 * Authorization header and evaluated against each request's method ARN, as API Gateway does with
 * a cached policy. Unlike API Gateway's (a TTL of minutes), an entry is dropped by any write to an
 * application, a token, an OAuth client or a setting in this process (`generation` changes), so a
 * revoked or rotated token is refused on the very next request; `maxAgeMs` bounds how long a token
 * that simply reaches its expiry time can still pass. Refusals are never kept: each one reaches the
 * authorizer, which reports it.
 */
import type { APIGatewayAuthorizerResult } from 'aws-lambda';

export interface AuthorizerCacheOptions {
  /** How long an Allow is reused at most. */
  maxAgeMs: number;
  /** Changes whenever something an authorizer reads is written (store/auth-lookups.ts). */
  generation: () => number;
  /** @default 1000 */
  maxEntries?: number;
}

export interface AuthorizerCache {
  /** Read before the authorizer runs: an answer computed from older reads must not outlive a write made meanwhile. */
  generation(): number;
  get(authorization: string): APIGatewayAuthorizerResult | undefined;
  set(authorization: string, result: APIGatewayAuthorizerResult, generation: number): void;
}

interface Entry {
  result: APIGatewayAuthorizerResult;
  generation: number;
  expires: number;
}

export const createAuthorizerCache = ({ maxAgeMs, generation, maxEntries = 1000 }: AuthorizerCacheOptions): AuthorizerCache => {
  const entries = new Map<string, Entry>();
  return {
    generation,
    get(authorization) {
      const entry = entries.get(authorization);
      if (!entry) return undefined;
      if (entry.generation !== generation() || entry.expires <= Date.now()) {
        entries.delete(authorization);
        return undefined;
      }
      return entry.result;
    },
    set(authorization, result, at) {
      // A write after the authorizer started: its answer may already be stale, so it is not kept.
      if (at !== generation()) return;
      entries.delete(authorization);
      entries.set(authorization, { result, generation: at, expires: Date.now() + maxAgeMs });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
  };
};
