/**
 * The event stage (issue 16): main-table stream records → directory events → the event log, one
 * queued delivery per webhook whose types pass the event, and (opt-in) EventBridge. The events core
 * derives; this file reads what the derivation needs (deletion notes, the application's webhooks)
 * and writes. Each event is appended with its deliveries in one conditional transaction keyed by
 * its id (store/event-log.ts), so a redelivered record changes nothing and a crash midway redoes
 * only what was not written.
 */
import { entityKey } from '../domain/entities';
import {
  deletionNotesWanted,
  deriveEvents,
  eventBridgeBatches,
  eventBridgeEntry,
  type EventBridgeEntry,
  matchesTypes,
  orderingKey,
  type DirectoryChange,
  type DirectoryEvent,
  type TypePattern,
} from '../events';
import type { ResourceType } from '../scim/schemas';
import type { QueuedItem, EventLog } from '../store/event-log';
import { queuedDelivery, type DeliveryQueue } from '../store/delivery-queue';
import type { EventBus } from '../store/event-bus';
import { eventKeys } from '../store/keys';
import type { NoteReader } from '../store/notes';
import type { Webhook, WebhookStore } from '../store/webhooks';

export interface EventStageDeps {
  log: EventLog;
  queue: DeliveryQueue;
  webhooks: Pick<WebhookStore, 'list'>;
  notes: Pick<NoteReader, 'deletions'>;
  /**
   * Publishes each record's events elsewhere (EventBridge); undefined: nowhere. It gets every event
   * of the record, logged now or before: a record retried after a failed publish publishes again
   * (at least once, same ids) rather than never. A throw fails the record, which is retried.
   */
  publish?: (events: readonly DirectoryEvent[]) => Promise<void>;
  now?: () => number;
}

/** Records written at once (different items; one item's records always in order). */
const STAGE_CONCURRENCY = 8;

export interface StageResult {
  /** Events appended by this call (a redelivered record's are not counted again). */
  appended: number;
  /** Deliveries queued. */
  queued: number;
}

/** Where an event sits in its application's log: the record's time and sequence, then the id. */
const logSkOf = (change: DirectoryChange, event: DirectoryEvent): string =>
  eventKeys.logSk(change.approximateCreationTime ? new Date(change.approximateCreationTime).toISOString() : event.timestamp, change.sequenceNumber, event.id);

/** The deliveries of one event: one per webhook whose types pass it (a paused webhook's queue too). */
const deliveriesOf = (event: DirectoryEvent, webhooks: readonly Webhook[], queueSk: string, body: string, now: number): QueuedItem[] =>
  webhooks
    .filter((webhook) => matchesTypes(webhook.types as TypePattern[] | undefined, event.type))
    .map((webhook) =>
      queuedDelivery({
        webhookId: webhook.id,
        appId: event.appId,
        eventId: event.id,
        eventType: event.type,
        subject: orderingKey(webhook.id, event),
        queueSk,
        body,
        dueAt: now,
        queuedAt: new Date(now).toISOString(),
      }),
    );

export const createEventStage = (deps: EventStageDeps) => {
  const now = deps.now ?? Date.now;
  /** Endpoints this container has marked as having a queue. */
  const marked = new Set<string>();

  /** Derives, logs and queues the events of `changes`, in order; throws on the first that cannot be written. */
  return async (changes: readonly DirectoryChange[], onDone?: (index: number) => void): Promise<StageResult> => {
    const wanted = deletionNotesWanted(changes);
    const notes = wanted.length ? await deps.notes.deletions(wanted) : new Map();
    const deletionNote = (kind: ResourceType, appId: string, id: string) => notes.get(entityKey({ kind, appId, id }));
    const webhooksOf = new Map<string, Promise<Webhook[]>>();
    const result: StageResult = { appended: 0, queued: 0 };

    /** Logs and queues the events of one record, in order. */
    const stageRecord = async (change: DirectoryChange): Promise<void> => {
      const derived = deriveEvents(change, { deletionNote });
      for (const event of derived) {
        if (!webhooksOf.has(event.appId)) webhooksOf.set(event.appId, deps.webhooks.list(event.appId));
        const webhooks = await webhooksOf.get(event.appId)!;
        const logSk = logSkOf(change, event);
        const body = JSON.stringify(event);
        const deliveries = deliveriesOf(event, webhooks, logSk, body, now());
        for (const delivery of deliveries) {
          const webhookId = String(delivery.webhookId);
          if (!marked.has(webhookId)) {
            await deps.queue.markQueued(webhookId, event.appId);
            marked.add(webhookId);
          }
        }
        const fresh = await deps.log.append({ appId: event.appId, eventId: event.id, type: event.type, timestamp: event.timestamp, logSk, body }, deliveries);
        if (fresh) {
          result.appended += 1;
          result.queued += deliveries.length;
        }
      }
      if (derived.length && deps.publish) await deps.publish(derived);
    };

    // Records of one item stay in order (one chain per item key); different items are written in
    // parallel, a few at a time. Log and queue order come from the keys, not from the write order.
    const chains = new Map<string, Promise<void>>();
    const outcomes: Promise<void>[] = [];
    let running = 0;
    const waiting: (() => void)[] = [];
    const slot = async () => {
      if (running >= STAGE_CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
      running += 1;
    };
    const release = () => {
      running -= 1;
      waiting.shift()?.();
    };
    for (const change of changes) {
      const item = change.newImage ?? change.oldImage;
      const key = `${String(item?.appId)}|${String(item?.type)}|${String(item?.id)}`;
      const previous = chains.get(key) ?? Promise.resolve();
      const done = previous.then(async () => {
        await slot();
        try {
          await stageRecord(change);
        } finally {
          release();
        }
      });
      chains.set(key, done); // a failed record fails the later ones of its item: they are redone after it
      outcomes.push(done);
    }
    const settled = await Promise.allSettled(outcomes);
    // The records before the first failure are done (those after it are redone, harmlessly, by id).
    const failed = settled.findIndex((o) => o.status === 'rejected');
    const complete = failed < 0 ? settled.length : failed;
    if (complete > 0) onDone?.(complete - 1);
    if (failed >= 0) throw (settled[failed] as PromiseRejectedResult).reason;
    return result;
  };
};

export type EventStage = ReturnType<typeof createEventStage>;

/**
 * The stage's `publish` onto an EventBridge bus: the envelope as `detail`, the type as
 * `detail-type`, source `scim-gateway`, in PutEvents batches (events core eventbridge.ts). An event
 * too large for any PutEvents request (over 256 KB) cannot go to a bus at all: it is reported
 * (`onTooLarge`: an error log and a metric) and stays in the event log, the read API and webhooks.
 */
export const eventBusPublisher =
  (bus: EventBus, eventBusName: string, onTooLarge: (entry: EventBridgeEntry) => void) =>
  async (events: readonly DirectoryEvent[]): Promise<void> => {
    const { batches, tooLarge } = eventBridgeBatches(events.map((event) => eventBridgeEntry(event, eventBusName)));
    tooLarge.forEach(onTooLarge);
    for (const batch of batches) await bus.put(batch);
  };
