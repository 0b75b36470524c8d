/**
 * Webhook deliveries in the report table (keys.ts, "eventKeys"): the local delivery queue and every
 * endpoint's delivery history. A delivery is queued in the event's own append transaction
 * (event-log.ts), waits in its endpoint's QUEUE partition in log order (so per subject in sequence
 * order) until it is delivered (→ DONE) or dead-lettered (→ DEAD), and a dead letter can be queued
 * again with its event id. Everything is in DynamoDB, so a restart of the local gateway loses nothing.
 */
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { putRequest, writeAll } from './batch-write';
import { Attr, eventKeys } from './keys';
import { queryPages } from './paging';

const DAY_MS = 86_400_000;

export type DeliveryState = 'pending' | 'delivered' | 'dead';

export interface Delivery {
  webhookId: string;
  appId: string;
  eventId: string;
  eventType: string;
  /** The ordering key (events core `orderingKey`): deliveries with equal keys go one at a time. */
  subject: string;
  /** Queue order within the endpoint (the event's log key, and a replay's id). */
  queueSk: string;
  /** The exact JSON to send. */
  body: string;
  state: DeliveryState;
  /** Epoch ms: when it may be attempted next. */
  dueAt: number;
  attempts: number;
  queuedAt: string;
  lastAttemptAt?: string;
  lastStatus?: number;
  lastError?: string;
  finishedAt?: string;
}

export interface DeliveryQueue {
  /** Marks the endpoint as having a queue, so the sender finds it (before its first delivery is queued). */
  markQueued(webhookId: string, appId: string): Promise<void>;
  /** Queues deliveries built by `queuedDelivery` (a replay's). */
  enqueue(items: readonly Record<string, unknown>[]): Promise<void>;
  /** Endpoints that have had deliveries queued. */
  queues(): Promise<{ webhookId: string; appId: string }[]>;
  /** An endpoint's pending deliveries in queue order (at most `limit`). */
  pending(webhookId: string, limit?: number): Promise<Delivery[]>;
  /** A failed attempt to retry at `dueAt`. */
  reschedule(delivery: Delivery, change: { dueAt: number; lastStatus?: number; lastError: string; at: string }): Promise<void>;
  /** Leaves the queue as delivered or dead-lettered (history kept for `historyDays`). */
  finish(delivery: Delivery, state: 'delivered' | 'dead', change: { lastStatus?: number; lastError?: string; at: string }): Promise<void>;
  /** An endpoint's deliveries, newest first: pending, then dead letters, then delivered. */
  history(webhookId: string, limit: number): Promise<Delivery[]>;
  /** Queues a dead letter again (same event id, attempts from 0); false: no such dead letter. */
  redeliver(webhookId: string, eventId: string, now: number): Promise<boolean>;
  /** Removes an endpoint's queue marker (when the webhook is deleted). */
  forget(webhookId: string): Promise<void>;
}

/** The item of a new pending delivery, for event-log.ts's append transaction or a replay. */
export const queuedDelivery = (delivery: Omit<Delivery, 'state' | 'attempts'>): Record<string, unknown> & { pk: string; sk: string } => ({
  pk: eventKeys.queue(delivery.webhookId),
  sk: delivery.queueSk,
  type: 'Delivery',
  ...delivery,
  state: 'pending',
  attempts: 0,
});

const deliveryOf = (item: Record<string, unknown>): Delivery => {
  const { pk: _pk, sk: _sk, type: _type, ttl: _ttl, ...rest } = item;
  return rest as unknown as Delivery;
};

export const createDeliveryQueue = (client: DynamoDBDocumentClient, tableName: string, options: { historyDays: number }): DeliveryQueue => {
  const query = async (pk: string, limit: number, forward = true): Promise<Delivery[]> => {
    const found: Delivery[] = [];
    for await (const page of queryPages<Record<string, unknown>>(client, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ScanIndexForward: forward,
      ConsistentRead: true,
    })) {
      found.push(...page.items.map(deliveryOf));
      if (found.length >= limit) return found.slice(0, limit);
    }
    return found;
  };
  const ttl = (at: string) => Math.ceil((Date.parse(at) + options.historyDays * DAY_MS) / 1000);

  return {
    async markQueued(webhookId, appId) {
      await client.send(new PutCommand({ TableName: tableName, Item: { pk: eventKeys.queueIndex, sk: webhookId, type: 'QueueIndex', webhookId, appId } }));
    },
    enqueue: (items) => writeAll(client, tableName, items.map(putRequest)),
    async queues() {
      const found: { webhookId: string; appId: string }[] = [];
      for await (const page of queryPages<Record<string, unknown>>(client, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': eventKeys.queueIndex },
      })) {
        found.push(...page.items.map((item) => ({ webhookId: String(item.webhookId), appId: String(item.appId) })));
      }
      return found;
    },
    pending: (webhookId, limit = 1000) => query(eventKeys.queue(webhookId), limit),
    async reschedule(delivery, change) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: eventKeys.queue(delivery.webhookId), sk: delivery.queueSk },
          // Only while it is still queued: a webhook deleted meanwhile leaves nothing to resurrect.
          ConditionExpression: 'attribute_exists(pk)',
          UpdateExpression: 'SET dueAt = :due, attempts = attempts + :one, lastAttemptAt = :at, lastError = :error' + (change.lastStatus ? ', lastStatus = :status' : ' REMOVE lastStatus'),
          ExpressionAttributeValues: {
            ':due': change.dueAt,
            ':one': 1,
            ':at': change.at,
            ':error': change.lastError,
            ...(change.lastStatus ? { ':status': change.lastStatus } : {}),
          },
        }),
      ).catch((error: unknown) => {
        if ((error as Error)?.name !== 'ConditionalCheckFailedException') throw error;
      });
    },
    async finish(delivery, state, change) {
      const record: Delivery = { ...delivery, state, attempts: delivery.attempts + 1, lastAttemptAt: change.at, finishedAt: change.at };
      if (change.lastStatus !== undefined) record.lastStatus = change.lastStatus;
      if (change.lastError !== undefined) record.lastError = change.lastError;
      else delete record.lastError;
      const key = state === 'dead' ? { pk: eventKeys.dead(delivery.webhookId), sk: delivery.queueSk } : { pk: eventKeys.done(delivery.webhookId), sk: eventKeys.doneSk(change.at, delivery.eventId) };
      // History first, then out of the queue: a crash between the two sends it again (at least once), never loses it.
      await client.send(new PutCommand({ TableName: tableName, Item: { ...key, type: 'Delivery', ...record, [Attr.ttl]: ttl(change.at) } }));
      await client.send(new DeleteCommand({ TableName: tableName, Key: { pk: eventKeys.queue(delivery.webhookId), sk: delivery.queueSk } }));
    },
    async history(webhookId, limit) {
      const [pending, dead, done] = await Promise.all([
        query(eventKeys.queue(webhookId), limit),
        query(eventKeys.dead(webhookId), limit, false),
        query(eventKeys.done(webhookId), limit, false),
      ]);
      return [...pending.reverse(), ...dead, ...done].slice(0, limit);
    },
    async redeliver(webhookId, eventId, now) {
      const dead = (await query(eventKeys.dead(webhookId), 10_000)).filter((d) => d.eventId === eventId);
      for (const letter of dead) {
        const { lastAttemptAt: _a, lastStatus: _s, lastError: _e, finishedAt: _f, ...rest } = letter;
        await client.send(new PutCommand({ TableName: tableName, Item: queuedDelivery({ ...rest, dueAt: now, queuedAt: new Date(now).toISOString() }) }));
        await client.send(new DeleteCommand({ TableName: tableName, Key: { pk: eventKeys.dead(webhookId), sk: letter.queueSk } }));
      }
      return dead.length > 0;
    },
    async forget(webhookId) {
      await client.send(new DeleteCommand({ TableName: tableName, Key: { pk: eventKeys.queueIndex, sk: webhookId } }));
    },
  };
};

