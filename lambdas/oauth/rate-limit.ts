/**
 * Token buckets keyed by a string (a source IP, a client id), in memory, given `now`. For the token
 * endpoint: a client secret has 256 bits and cannot be guessed, but a flood of guesses still costs
 * hashing, lookups and report rows, and a broken client retrying in a loop should be slowed, not
 * served. This does not replace the WAF rate-based rule at the edge (aws-design.md §6.4): each
 * Lambda container has its own buckets, so it caps what one container does, and the edge caps the
 * whole. Memory is bounded: past `maxKeys`, the least recently used key is forgotten (it comes
 * back with a full bucket, which errs on the side of serving).
 */

export interface TokenBucketOptions {
  /** Requests allowed in a burst. */
  capacity: number;
  /** Tokens added back per second. */
  refillPerSecond: number;
  /** Keys remembered at most. @default 10_000 */
  maxKeys?: number;
}

export type BucketDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface TokenBuckets {
  /** Takes one token from `key`'s bucket at `now`, if there is one. */
  take(key: string, now: Date): BucketDecision;
  /** Keys currently remembered. */
  readonly size: number;
}

/**
 * Suggested limits at the token endpoint. Entra asks for a token about once an hour per job, so
 * these never touch a working client: every request counts against its source, and failed client
 * authentications also count against the client id they named.
 */
export const TOKEN_ENDPOINT_LIMITS = {
  perSource: { capacity: 30, refillPerSecond: 0.5 },
  failuresPerClient: { capacity: 10, refillPerSecond: 1 / 60 },
} as const satisfies Record<string, TokenBucketOptions>;

interface Bucket {
  tokens: number;
  at: number;
}

export const createTokenBuckets = (options: TokenBucketOptions): TokenBuckets => {
  const { capacity, refillPerSecond } = options;
  const maxKeys = options.maxKeys ?? 10_000;
  if (!(capacity >= 1) || !(refillPerSecond > 0) || !(maxKeys >= 1)) throw new RangeError('a token bucket needs capacity ≥ 1, refill > 0 and maxKeys ≥ 1');
  // A Map iterates in insertion order: deleting and re-inserting on use keeps the oldest first.
  const buckets = new Map<string, Bucket>();

  return {
    take(key, now) {
      const at = now.getTime();
      const previous = buckets.get(key);
      buckets.delete(key);
      // A clock going backwards refills nothing rather than draining or overflowing.
      const elapsed = previous ? Math.max(0, at - previous.at) / 1000 : 0;
      const tokens = previous ? Math.min(capacity, previous.tokens + elapsed * refillPerSecond) : capacity;
      const allowed = tokens >= 1;
      buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, at: Math.max(at, previous?.at ?? at) });
      while (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value as string);
      return allowed ? { allowed: true } : { allowed: false, retryAfterSeconds: Math.ceil((1 - tokens) / refillPerSecond) };
    },
    get size() {
      return buckets.size;
    },
  };
};
