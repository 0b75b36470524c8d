/**
 * The one retry policy of the store: how often and how long to wait before asking DynamoDB again.
 * Every sleep-and-retry in `store/` goes through here (batch reads and writes left unprocessed,
 * transaction conflicts), so a throttled table is retried a bounded number of times with
 * exponential, jittered pauses, and then refused with an error the edge answers as 503.
 *
 * Jitter ("equal jitter": half the delay fixed, half random) keeps many Lambdas throttled at the
 * same moment from retrying in lock-step; the cap keeps the total wait inside a Lambda's timeout.
 */

export interface RetryPolicy {
  /** Calls in all, the first included. */
  readonly maxAttempts: number;
  /** Delay before the first retry, doubled before each further one. */
  readonly baseDelayMs: number;
  /** No single delay exceeds this. */
  readonly maxDelayMs: number;
}

/** BatchGetItem / BatchWriteItem leftovers: at most ~4 s of waiting in all. */
export const UNPROCESSED_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 1000 };

/** DynamoDB's own transaction conflicts: brief, since the other writer is usually done at once. */
export const CONFLICT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 200 };

/**
 * A read-modify-write whose item another request changed in between (its condition failed): read
 * again and re-apply. Each failure means another writer succeeded, so the loop always progresses;
 * the budget covers a burst of concurrent member adds (each bumps the user's membership counter).
 */
export const STALE_READ_RETRY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 10, maxDelayMs: 200 };

/** The pause before retry number `retry` (1 = the first retry), with equal jitter. */
export const backoffDelay = (policy: RetryPolicy, retry: number, random: () => number = Math.random): number => {
  const capped = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return capped / 2 + (random() * capped) / 2;
};

export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * DynamoDB kept leaving part of a batch unprocessed (throttling) through every attempt. The name is
 * in the infrastructure mapping (store/errors.ts): the client gets 503 with Retry-After.
 */
export class UnprocessedItemsError extends Error {
  override readonly name = 'UnprocessedItemsError';
}

/**
 * Sends `pending` and then whatever DynamoDB hands back unprocessed, pausing between attempts, until
 * nothing is left. Throws UnprocessedItemsError when the policy's attempts run out.
 */
export const drainUnprocessed = async <T>(
  pending: readonly T[],
  send: (batch: readonly T[]) => Promise<readonly T[]>,
  what: string,
  policy: RetryPolicy = UNPROCESSED_RETRY,
): Promise<void> => {
  let left = pending;
  for (let attempt = 1; left.length; attempt++) {
    if (attempt > policy.maxAttempts) {
      throw new UnprocessedItemsError(`${left.length} ${what} stayed unprocessed after ${policy.maxAttempts} attempts.`);
    }
    if (attempt > 1) await pause(backoffDelay(policy, attempt - 1));
    left = await send(left);
  }
};
