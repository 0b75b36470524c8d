/**
 * Event ids derive from the change itself: the stream record's id, the event type and, for the
 * events one record can hold several of (membership), the group. A redelivered stream record, a
 * retried send and a replay therefore all carry the same id, and a consumer can deduplicate on it.
 *
 * A digest rather than the record id itself: the id says nothing about the table or the stream
 * (they are implementation details), has one fixed shape a consumer can validate, and cannot
 * collide between types of the same record.
 */
import { createHash } from 'node:crypto';

export const EVENT_ID_PREFIX = 'evt_';
/** `evt_` and 32 lower-case hex digits (128 bits of SHA-256). */
export const EVENT_ID_PATTERN = /^evt_[0-9a-f]{32}$/;

export const isEventId = (value: unknown): value is string => typeof value === 'string' && EVENT_ID_PATTERN.test(value);

/**
 * The id of the event of `type` that stream record `recordId` produced; `qualifier` tells apart
 * several events of one type from one record (the group of a membership event).
 */
export const eventIdOf = (recordId: string, type: string, qualifier = ''): string =>
  // A JSON array keeps the parts apart whatever characters they hold.
  `${EVENT_ID_PREFIX}${createHash('sha256').update(JSON.stringify([type, qualifier, recordId])).digest('hex').slice(0, 32)}`;

/** A fresh id for what is not derived from a change (test pings), from injected randomness. */
export const randomEventId = (randomBytes: (size: number) => Uint8Array): string =>
  `${EVENT_ID_PREFIX}${Buffer.from(randomBytes(16)).toString('hex')}`;
