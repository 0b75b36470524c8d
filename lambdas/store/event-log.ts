/**
 * The event log (issue 16): every directory event of an application in stream order, kept for the
 * retention window (TTL), in the report table (keys.ts, "eventKeys"). Each event is appended with
 * its deliveries in one transaction whose first action is a conditional put of the event's
 * position item: a redelivered stream record finds it and appends nothing, so an event is logged
 * and queued exactly once per id, however often the stream hands its record over.
 *
 * The store knows events only as JSON bodies with a few key fields; the events core types them.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryPages } from './paging';
import { Attr, eventKeys } from './keys';
import { pause } from './retry';

const DAY_MS = 86_400_000;

/** An event as the log keeps it: the envelope's exact JSON and what the log is read by. */
export interface LoggedEvent {
  appId: string;
  eventId: string;
  type: string;
  /** ISO 8601: the envelope's timestamp. */
  timestamp: string;
  /** Log order: eventKeys.logSk of the stream record. */
  logSk: string;
  /** The envelope, serialised once: what webhooks, the read API and replays send. */
  body: string;
}

/** A delivery queued in the same transaction as the event (store/delivery-queue.ts builds it). */
export type QueuedItem = Record<string, unknown> & { pk: string; sk: string };

export interface EventLog {
  /** Appends the event and its deliveries; false: it was logged before (nothing written). */
  append(event: LoggedEvent, deliveries: readonly QueuedItem[]): Promise<boolean>;
  /** Events after `afterId` (undefined: from the oldest kept), in log order, up to `limit`; undefined: `afterId` is not in the log. */
  after(appId: string, afterId: string | undefined, limit: number, keep?: (event: LoggedEvent) => boolean): Promise<LoggedEvent[] | undefined>;
  /** Events before `beforeId` (undefined: from the newest), newest first, up to `limit`; undefined: `beforeId` is not in the log. */
  before(appId: string, beforeId: string | undefined, limit: number, keep?: (event: LoggedEvent) => boolean): Promise<LoggedEvent[] | undefined>;
  /** Events whose timestamp lies in [from, to), in log order. */
  between(appId: string, from: string, to: string): Promise<LoggedEvent[]>;
}

const isConditionFailure = (error: unknown): boolean =>
  (error as Error)?.name === 'TransactionCanceledException' &&
  ((error as TransactionCanceledException).CancellationReasons ?? [])[0]?.Code === 'ConditionalCheckFailed';
const isConflict = (error: unknown): boolean =>
  (error as Error)?.name === 'TransactionCanceledException' &&
  ((error as TransactionCanceledException).CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict');

const eventOf = (item: Record<string, unknown>): LoggedEvent => ({
  appId: String(item.appId),
  eventId: String(item.eventId),
  type: String(item.eventType),
  timestamp: String(item.timestamp),
  logSk: String(item.sk),
  body: String(item.body),
});

export const createEventLog = (client: DynamoDBDocumentClient, tableName: string, options: { retentionDays: number; now?: () => number }): EventLog => {
  const now = options.now ?? Date.now;
  const ttlOf = (timestamp: string) => Math.ceil((Math.max(Date.parse(timestamp) || 0, now()) + options.retentionDays * DAY_MS) / 1000);

  const append = async (event: LoggedEvent, deliveries: readonly QueuedItem[]): Promise<boolean> => {
    const ttl = ttlOf(event.timestamp);
    const command = new TransactWriteCommand({
      TransactItems: [
        {
          // First, and conditional: the event id is the record's, so a second append of it stops here.
          Put: {
            TableName: tableName,
            Item: { ...eventKeys.position(event.appId, event.eventId), type: 'EventPosition', logSk: event.logSk, [Attr.ttl]: ttl },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: {
              pk: eventKeys.logPartition(event.appId),
              sk: event.logSk,
              type: 'Event',
              appId: event.appId,
              eventId: event.eventId,
              eventType: event.type,
              timestamp: event.timestamp,
              body: event.body,
              [Attr.ttl]: ttl,
            },
          },
        },
        ...deliveries.map((item) => ({ Put: { TableName: tableName, Item: item } })),
      ],
    });
    for (let attempt = 1; ; attempt++) {
      try {
        await client.send(command);
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        if (isConflict(error) && attempt < 5) {
          await pause(50 * attempt);
          continue;
        }
        throw error;
      }
    }
  };

  const positionOf = async (appId: string, eventId: string): Promise<string | undefined> => {
    const out = await client.send(new GetCommand({ TableName: tableName, Key: eventKeys.position(appId, eventId), ConsistentRead: true }));
    return typeof out.Item?.logSk === 'string' ? out.Item.logSk : undefined;
  };

  /** Reads from `fromId` (exclusive; undefined: an end of the log) forwards or backwards, kept events only, up to `limit`. */
  const read = async (appId: string, fromId: string | undefined, limit: number, keep: (event: LoggedEvent) => boolean, forward: boolean): Promise<LoggedEvent[] | undefined> => {
    let start: string | undefined;
    if (fromId !== undefined) {
      start = await positionOf(appId, fromId);
      if (start === undefined) return undefined;
    }
    const found: LoggedEvent[] = [];
    const nowSeconds = Math.floor(now() / 1000);
    for await (const page of queryPages<Record<string, unknown>>(client, {
      TableName: tableName,
      KeyConditionExpression: start === undefined ? 'pk = :pk' : `pk = :pk AND sk ${forward ? '>' : '<'} :start`,
      // Expired but not yet swept by TTL: outside the retention window all the same.
      FilterExpression: '#ttl > :now',
      ExpressionAttributeNames: { '#ttl': Attr.ttl },
      ExpressionAttributeValues: { ':pk': eventKeys.logPartition(appId), ':now': nowSeconds, ...(start === undefined ? {} : { ':start': start }) },
      ScanIndexForward: forward,
      ConsistentRead: true,
    })) {
      for (const item of page.items) {
        const event = eventOf(item);
        if (keep(event)) found.push(event);
        if (found.length >= limit) return found;
      }
    }
    return found;
  };
  const after: EventLog['after'] = (appId, afterId, limit, keep = () => true) => read(appId, afterId, limit, keep, true);
  const before: EventLog['before'] = (appId, beforeId, limit, keep = () => true) => read(appId, beforeId, limit, keep, false);

  const between: EventLog['between'] = async (appId, from, to) => {
    const found: LoggedEvent[] = [];
    // Log keys start with the record's time, which is the event's within the stream's rounding: read a
    // minute either side and keep what the timestamps say.
    const lo = new Date(Date.parse(from) - 60_000).toISOString();
    const hi = new Date(Date.parse(to) + 60_000).toISOString();
    for await (const page of queryPages<Record<string, unknown>>(client, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':pk': eventKeys.logPartition(appId), ':lo': lo, ':hi': hi },
      ConsistentRead: true,
    })) {
      for (const item of page.items) {
        const event = eventOf(item);
        if (event.timestamp >= from && event.timestamp < to) found.push(event);
      }
    }
    return found;
  };

  return { append, after, before, between };
};
