import fc from 'fast-check';
import { createTokenBuckets, TOKEN_ENDPOINT_LIMITS } from '../../../lambdas/oauth/rate-limit';
import { oauthError, tokenErrorResponse } from '../../../lambdas/oauth/token-response';
import { at, NOW } from './fixtures';

describe('createTokenBuckets', () => {
  it('allows a burst of capacity, then refuses with the seconds until the next token', () => {
    const buckets = createTokenBuckets({ capacity: 3, refillPerSecond: 0.5 });
    expect([1, 2, 3].map(() => buckets.take('1.2.3.4', NOW))).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(buckets.take('1.2.3.4', NOW)).toEqual({ allowed: false, retryAfterSeconds: 2 });
    expect(buckets.take('1.2.3.4', at(1000))).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(buckets.take('1.2.3.4', at(2000))).toEqual({ allowed: true });
  });

  it('keeps keys apart', () => {
    const buckets = createTokenBuckets({ capacity: 1, refillPerSecond: 1 });
    expect(buckets.take('a', NOW)).toEqual({ allowed: true });
    expect(buckets.take('b', NOW)).toEqual({ allowed: true });
    expect(buckets.take('a', NOW).allowed).toBe(false);
  });

  it('refills up to capacity, not beyond', () => {
    const buckets = createTokenBuckets({ capacity: 2, refillPerSecond: 1 });
    buckets.take('a', NOW);
    const later = at(3_600_000);
    expect([1, 2, 3].map(() => buckets.take('a', later).allowed)).toEqual([true, true, false]);
  });

  it('refills nothing when the clock goes backwards', () => {
    const buckets = createTokenBuckets({ capacity: 1, refillPerSecond: 1 });
    buckets.take('a', at(10_000));
    expect(buckets.take('a', NOW).allowed).toBe(false);
    expect(buckets.take('a', at(10_500)).allowed).toBe(false);
    expect(buckets.take('a', at(11_000)).allowed).toBe(true);
  });

  it('remembers at most maxKeys, forgetting the least recently used', () => {
    const buckets = createTokenBuckets({ capacity: 1, refillPerSecond: 0.001, maxKeys: 2 });
    buckets.take('a', NOW);
    buckets.take('b', NOW);
    buckets.take('a', NOW); // a is now the most recent
    buckets.take('c', NOW); // forgets b
    expect(buckets.size).toBe(2);
    expect(buckets.take('b', NOW).allowed).toBe(true);
    expect(buckets.take('c', NOW).allowed).toBe(false);
  });

  it('never lets more requests through than capacity plus refill over any schedule (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 200 }), (gaps) => {
        const buckets = createTokenBuckets(TOKEN_ENDPOINT_LIMITS.perSource);
        let t = NOW.getTime();
        let allowed = 0;
        for (const gap of gaps) {
          t += gap;
          if (buckets.take('k', new Date(t)).allowed) allowed++;
        }
        const elapsed = (t - NOW.getTime()) / 1000;
        expect(allowed).toBeLessThanOrEqual(TOKEN_ENDPOINT_LIMITS.perSource.capacity + elapsed * TOKEN_ENDPOINT_LIMITS.perSource.refillPerSecond + 1e-9);
      }),
    );
  });

  it('refuses nonsensical limits', () => {
    expect(() => createTokenBuckets({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(() => createTokenBuckets({ capacity: 1, refillPerSecond: 0 })).toThrow(RangeError);
  });

  it('answers a refused request with 429, Retry-After and no-store', () => {
    const response = tokenErrorResponse(oauthError.tooManyRequests(1.2));
    expect(response.status).toBe(429);
    expect(response.headers).toMatchObject({ 'Retry-After': '2', 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  });
});
