/**
 * What the sender does after each delivery attempt, and when it tries again. Pure: the attempt's
 * outcome, the time and a random source come in; a decision comes out.
 *
 * - **2xx** is delivered. Anything else is a failure, 3xx included (redirects are not followed: a
 *   redirect could lead the sender to an address the URL policy refuses) — as Svix, Standard
 *   Webhooks' reference sender, does.
 * - **410 Gone** disables the endpoint (Standard Webhooks' convention for "this endpoint no longer
 *   exists"); its undelivered events are dead-lettered, redeliverable once it is enabled again.
 * - **Every other failure is retried**: 5xx, 429, 408, timeouts, refused connections, and other 4xx
 *   too. A 401/403/404 is most often a receiver's misconfiguration (a rotated secret, a deploy, a
 *   moved route) fixed within hours; retrying delivers what was missed without a replay, and the
 *   cost is bounded by the schedule. Stripe and Svix retry every non-2xx for the same reason.
 * - **Schedule**: exponential backoff from 30 s, doubling up to 4 h, 15 attempts in all; the base
 *   delays add up to more than 24 h (24 h 15 min 30 s), so an endpoint that is down for a day
 *   misses nothing. Jitter only lengthens a delay (by up to 25 %), so it spreads a herd of retries
 *   without ever shortening the window below 24 h.
 * - **Retry-After** (seconds or an HTTP date), on any failed response, is honoured as a minimum:
 *   the next attempt is never earlier than the receiver asked, capped at 6 h so a receiver cannot
 *   park an event for days. It never makes a retry earlier than the schedule.
 * - After the last attempt the event is **dead-lettered**: kept, visible with its attempts and
 *   last error, and redeliverable.
 */

export const RETRY_SCHEDULE = {
  /** Delay before the first retry. */
  firstDelayMs: 30_000,
  factor: 2,
  maxDelayMs: 4 * 3_600_000,
  /** Attempts in all, the first included. */
  attempts: 15,
  /** A delay is lengthened by up to this fraction. */
  jitter: 0.25,
  /** The most a Retry-After header can delay an attempt. */
  maxRetryAfterMs: 6 * 3_600_000,
} as const;

/** How long one attempt may take before it counts as a timeout. */
export const ATTEMPT_TIMEOUT_MS = 15_000;

/** The base delay before retry `n` (1: the delay after the first attempt failed). */
export const baseDelayMs = (n: number): number => {
  const { firstDelayMs, factor, maxDelayMs } = RETRY_SCHEDULE;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`retry number must be a whole number from 1, not ${n}`);
  return Math.min(maxDelayMs, firstDelayMs * factor ** (n - 1));
};

/** The delay before retry `n`, with jitter from `random` (uniform in [0, 1), like Math.random). */
export const retryDelayMs = (n: number, random: () => number): number => {
  const drawn = random();
  const r = Number.isFinite(drawn) ? Math.min(Math.max(drawn, 0), 1) : 0;
  return Math.floor(baseDelayMs(n) * (1 + RETRY_SCHEDULE.jitter * r));
};

/** `Sun, 06 Nov 1994 08:49:37 GMT` or `Sunday, 06-Nov-94 08:49:37 GMT` (RFC 9110 §5.6.7). */
const HTTP_DATE = /^(?:[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4}|[A-Za-z]{6,9}, \d{2}-[A-Za-z]{3}-\d{2}) \d{2}:\d{2}:\d{2} GMT$/;

/**
 * `Retry-After` as milliseconds from `now`: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Undefined when absent or unreadable; 0 for a date in the past; capped at `maxRetryAfterMs`.
 */
export const parseRetryAfter = (value: string | undefined, now: Date): number | undefined => {
  const text = value?.trim();
  if (!text) return undefined;
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    // Only the shapes HTTP sends (IMF-fixdate, RFC 850); not whatever else Date.parse would guess at.
    if (!HTTP_DATE.test(text)) return undefined;
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = at - now.getTime();
  }
  return Math.min(Math.max(ms, 0), RETRY_SCHEDULE.maxRetryAfterMs);
};

/** What one attempt came to. */
export type AttemptOutcome =
  | { kind: 'response'; status: number; retryAfter?: string }
  | { kind: 'timeout' }
  /** No response: DNS, refused or reset connection, TLS. */
  | { kind: 'network'; detail: string }
  /** The URL resolved to an address the URL policy refuses (webhook-url.ts); nothing was sent. */
  | { kind: 'blocked-address'; address: string };

export type DeliveryDecision =
  | { action: 'delivered' }
  | { action: 'retry'; delayMs: number; error: string }
  | { action: 'dead-letter'; error: string }
  | { action: 'disable-endpoint'; error: string };

/** The attempt's error as the Deliveries view shows it. */
export const describeOutcome = (outcome: AttemptOutcome): string => {
  switch (outcome.kind) {
    case 'response':
      return `HTTP ${outcome.status}`;
    case 'timeout':
      return `no response within ${ATTEMPT_TIMEOUT_MS / 1000} s`;
    case 'network':
      return `connection failed: ${outcome.detail}`;
    case 'blocked-address':
      return `not sent: the URL resolved to ${outcome.address}, which is not a public address`;
  }
};

/**
 * The decision after attempt number `attempt` (1 = the first) came to `outcome`; `random` gives the
 * jitter of a retry's delay.
 */
export const decideAfterAttempt = (attempt: number, outcome: AttemptOutcome, now: Date, random: () => number): DeliveryDecision => {
  if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status <= 299) return { action: 'delivered' };
  const error = describeOutcome(outcome);
  if (outcome.kind === 'response' && outcome.status === 410) return { action: 'disable-endpoint', error };
  if (attempt >= RETRY_SCHEDULE.attempts) return { action: 'dead-letter', error: `${error} (attempt ${attempt} of ${RETRY_SCHEDULE.attempts}, the last)` };
  const scheduled = retryDelayMs(attempt, random);
  const asked = outcome.kind === 'response' ? parseRetryAfter(outcome.retryAfter, now) : undefined;
  return { action: 'retry', delayMs: Math.max(scheduled, asked ?? 0), error };
};
