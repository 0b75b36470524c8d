import fc from 'fast-check';
import {
  baseDelayMs,
  decideAfterAttempt,
  parseRetryAfter,
  retryDelayMs,
  RETRY_SCHEDULE,
  type AttemptOutcome,
} from '../../../lambdas/events/retry-policy';

const NOW = new Date('2024-05-31T07:00:00.000Z');
const HOUR = 3_600_000;
const RETRIES = Array.from({ length: RETRY_SCHEDULE.attempts - 1 }, (_, i) => i + 1);
const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('retry schedule', () => {
  it('starts at 30 s, doubles, and stops growing at 4 h', () => {
    expect(RETRIES.map(baseDelayMs).slice(0, 4)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(baseDelayMs(RETRIES.length)).toBe(4 * HOUR);
  });

  it('base delays never decrease', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), (n) => {
        expect(baseDelayMs(n + 1)).toBeGreaterThanOrEqual(baseDelayMs(n));
      }),
    );
  });

  it('keeps retrying for at least 24 hours, whatever the jitter', () => {
    fc.assert(
      fc.property(fc.array(random, { minLength: RETRIES.length, maxLength: RETRIES.length }), (draws) => {
        const total = RETRIES.reduce((sum, n) => sum + retryDelayMs(n, () => draws[n - 1]), 0);
        expect(total).toBeGreaterThanOrEqual(24 * HOUR);
      }),
    );
  });

  it('jitter only lengthens a delay, by up to 25 %', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), random, (n, r) => {
        const delay = retryDelayMs(n, () => r);
        expect(delay).toBeGreaterThanOrEqual(baseDelayMs(n));
        expect(delay).toBeLessThanOrEqual(baseDelayMs(n) * 1.25);
      }),
    );
  });

  it('a random source outside [0, 1) cannot push a delay out of its bounds', () => {
    for (const r of [-5, 7, Number.NaN]) {
      const delay = retryDelayMs(3, () => r);
      expect(delay).toBeGreaterThanOrEqual(baseDelayMs(3));
      expect(delay).toBeLessThanOrEqual(baseDelayMs(3) * 1.25);
    }
  });

  it('refuses a retry number that is not a whole number from 1', () => {
    for (const n of [0, -1, 1.5]) expect(() => baseDelayMs(n)).toThrow(RangeError);
  });
});

describe('parseRetryAfter', () => {
  it.each<[string | undefined, number | undefined]>([
    ['120', 120_000],
    [' 5 ', 5_000],
    ['0', 0],
    ['Fri, 31 May 2024 07:02:00 GMT', 120_000],
    ['Friday, 31-May-24 07:00:30 GMT', 30_000],
    ['Fri, 31 May 2024 06:00:00 GMT', 0],
    ['86400', RETRY_SCHEDULE.maxRetryAfterMs],
    ['9'.repeat(400), RETRY_SCHEDULE.maxRetryAfterMs],
    [undefined, undefined],
    ['', undefined],
    ['-5', undefined],
    ['1.5', undefined],
    ['soon', undefined],
    ['2024-05-31T07:02:00Z', undefined],
    ['Fri, 99 Foo 2024 07:02:00 GMT', undefined],
  ])('%s → %s ms', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it('never throws and stays within [0, 6 h] for any text', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const ms = parseRetryAfter(value, NOW);
        if (ms !== undefined) expect(ms >= 0 && ms <= RETRY_SCHEDULE.maxRetryAfterMs).toBe(true);
      }),
    );
  });
});

describe('decideAfterAttempt', () => {
  const half = () => 0.5;
  const response = (status: number, retryAfter?: string): AttemptOutcome => ({ kind: 'response', status, retryAfter });

  it.each([200, 201, 202, 204, 299])('HTTP %i is delivered', (status) => {
    expect(decideAfterAttempt(1, response(status), NOW, half)).toEqual({ action: 'delivered' });
  });

  it('410 disables the endpoint, on any attempt', () => {
    expect(decideAfterAttempt(3, response(410), NOW, half)).toEqual({ action: 'disable-endpoint', error: 'HTTP 410' });
  });

  it.each<[string, AttemptOutcome, string]>([
    ['500', response(500), 'HTTP 500'],
    ['503', response(503), 'HTTP 503'],
    ['429', response(429), 'HTTP 429'],
    ['408', response(408), 'HTTP 408'],
    ['401 (a rotated secret not yet deployed)', response(401), 'HTTP 401'],
    ['404 (a route being redeployed)', response(404), 'HTTP 404'],
    ['301 (redirects are not followed)', response(301), 'HTTP 301'],
    ['a timeout', { kind: 'timeout' }, 'no response within 15 s'],
    ['a refused connection', { kind: 'network', detail: 'ECONNREFUSED' }, 'connection failed: ECONNREFUSED'],
    ['a private address behind the name', { kind: 'blocked-address', address: '10.0.0.7' }, 'not sent: the URL resolved to 10.0.0.7, which is not a public address'],
  ])('%s is retried on the schedule', (_, outcome, error) => {
    expect(decideAfterAttempt(2, outcome, NOW, half)).toEqual({ action: 'retry', delayMs: retryDelayMs(2, half), error });
  });

  it('Retry-After is honoured when it asks for longer than the schedule', () => {
    expect(decideAfterAttempt(1, response(429, '600'), NOW, half)).toMatchObject({ action: 'retry', delayMs: 600_000 });
    expect(decideAfterAttempt(1, response(503, 'Fri, 31 May 2024 08:00:00 GMT'), NOW, half)).toMatchObject({ action: 'retry', delayMs: HOUR });
  });

  it('Retry-After never makes a retry earlier than the schedule, nor later than 6 h', () => {
    expect(decideAfterAttempt(5, response(429, '1'), NOW, half)).toMatchObject({ delayMs: retryDelayMs(5, half) });
    expect(decideAfterAttempt(1, response(503, String(7 * 24 * 3600)), NOW, half)).toMatchObject({ delayMs: 6 * HOUR });
  });

  it(`dead-letters after attempt ${RETRY_SCHEDULE.attempts}, the last`, () => {
    expect(decideAfterAttempt(RETRY_SCHEDULE.attempts - 1, response(500), NOW, half)).toMatchObject({ action: 'retry' });
    expect(decideAfterAttempt(RETRY_SCHEDULE.attempts, response(500), NOW, half)).toEqual({ action: 'dead-letter', error: 'HTTP 500 (attempt 15 of 15, the last)' });
  });

  it('every failure is retried until the last attempt, then dead-lettered (fast-check)', () => {
    const failure: fc.Arbitrary<AttemptOutcome> = fc.oneof(
      fc.record({ kind: fc.constant('response' as const), status: fc.integer({ min: 100, max: 599 }).filter((s) => (s < 200 || s > 299) && s !== 410), retryAfter: fc.option(fc.string(), { nil: undefined }) }),
      fc.constant({ kind: 'timeout' as const }),
      fc.record({ kind: fc.constant('network' as const), detail: fc.string() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: RETRY_SCHEDULE.attempts }), failure, random, (attempt, outcome, r) => {
        const decision = decideAfterAttempt(attempt, outcome, NOW, () => r);
        if (attempt < RETRY_SCHEDULE.attempts) {
          expect(decision.action).toBe('retry');
          if (decision.action === 'retry') expect(decision.delayMs).toBeGreaterThanOrEqual(baseDelayMs(attempt));
        } else expect(decision.action).toBe('dead-letter');
      }),
    );
  });
});
