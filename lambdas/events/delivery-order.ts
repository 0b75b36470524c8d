/**
 * Per-subject order on each endpoint: a later event of a user is not sent before the earlier one
 * is acknowledged (2xx) or dead-lettered; different subjects flow in parallel. This is what SQS
 * FIFO gives on AWS with `MessageGroupId` = endpoint + subject (a failed message blocks its group
 * until it succeeds or moves to the dead-letter queue); locally, where the queue is a DynamoDB Local
 * table, `sendableNow` is the same rule as a pure function over the endpoint's pending deliveries.
 *
 * Why order per subject at all, when `sequence` already lets a consumer ignore stale events:
 * consumers that do not compare sequences (the common case) still apply a user's create, moves
 * and deactivation in the order they happened; and an endpoint that is down gets its backlog in
 * order when it comes back. A blocked subject (its head waiting to retry) does not hold back others.
 */
import { createHash } from 'node:crypto';

export interface PendingDelivery {
  eventId: string;
  /** The ordering key (`orderingKey`): deliveries with equal keys go one at a time, in `position` order. */
  subject: string;
  /** Queue position: the order the event stage enqueued (stream order, so sequence order, per subject). */
  position: number;
  /** Epoch milliseconds: when it may be attempted (its first enqueue, or the retry time after a failure). */
  dueAt: number;
  /** An attempt is under way. */
  inFlight: boolean;
}

/** Attempts under way at once per endpoint, at most (the receiver's concurrency, not ours). */
export const MAX_IN_FLIGHT_PER_ENDPOINT = 10;

/**
 * The first pending delivery of each subject that has none under way: the only one of it that may
 * be attempted. A subject with any attempt under way waits, whichever of its deliveries that is.
 */
const headsOf = (pending: readonly PendingDelivery[]): PendingDelivery[] => {
  const heads = new Map<string, PendingDelivery>();
  const busy = new Set(pending.filter((d) => d.inFlight).map((d) => d.subject));
  for (const delivery of pending) {
    if (busy.has(delivery.subject)) continue;
    const head = heads.get(delivery.subject);
    if (!head || delivery.position < head.position) heads.set(delivery.subject, delivery);
  }
  return [...heads.values()];
};

/**
 * The deliveries of one endpoint to attempt now: each subject's head when it is due and not
 * already being attempted, earliest due first, within what `maxInFlight` leaves free.
 * `pending` holds every undelivered, not dead-lettered delivery of the endpoint.
 */
export const sendableNow = (pending: readonly PendingDelivery[], now: number, maxInFlight = MAX_IN_FLIGHT_PER_ENDPOINT): PendingDelivery[] => {
  const free = maxInFlight - pending.filter((d) => d.inFlight).length;
  if (free <= 0) return [];
  return headsOf(pending)
    .filter((head) => head.dueAt <= now)
    .sort((a, b) => a.dueAt - b.dueAt || a.position - b.position)
    .slice(0, free);
};

/** When something of this endpoint next becomes due (epoch ms), for the poller's sleep; undefined: nothing waits. */
export const nextDueAt = (pending: readonly PendingDelivery[]): number | undefined => {
  const heads = headsOf(pending);
  return heads.length ? Math.min(...heads.map((head) => head.dueAt)) : undefined;
};

/** SQS allows 128 characters of ASCII letters, digits and punctuation in a MessageGroupId or MessageDeduplicationId. */
const SQS_ID = /^[\x21-\x7e]{1,128}$/;

/** `key` as it is when SQS takes it; else its SHA-256 (64 hex digits), which keeps equal keys equal. */
const sqsId = (key: string): string => (SQS_ID.test(key) ? key : createHash('sha256').update(key).digest('hex'));

/** The ordering key of an event on an endpoint (endpoint, application, subject): the SQS FIFO `MessageGroupId`. */
export const orderingKey = (webhookId: string, event: { appId: string; subject: { type: string; id: string } }): string =>
  sqsId(`${webhookId}:${event.appId}:${event.subject.type}:${event.subject.id}`);

/**
 * The SQS `MessageDeduplicationId` of an event for one endpoint, so a redelivered stream record is
 * queued once. A replay passes its own id: SQS drops a repeated deduplication id for 5 minutes, and a
 * replay must send again what was sent.
 */
export const deduplicationId = (webhookId: string, eventId: string, replayId?: string): string =>
  sqsId(replayId === undefined ? `${webhookId}:${eventId}` : `${webhookId}:${eventId}:${replayId}`);
