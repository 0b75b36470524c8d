/**
 * Directory events onto an EventBridge bus (the construct's opt-in `eventBus`): one PutEvents per
 * batch the events core packs (at most 10 entries, 256 KB). PutEvents can accept a request and
 * still refuse some of its entries (`FailedEntryCount`, an `ErrorCode` per entry, e.g. throttling):
 * those entries, and only those, are sent again with backoff; what still fails after the last
 * attempt throws, so the event stage fails its stream record and the event source mapping retries
 * it (then dead-letters it): an event is never dropped silently. A retried record publishes its
 * events again: delivery to the bus is at least once, with the same event ids.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { pause } from './retry';

/** What PutEvents takes of an entry (the events core's EventBridgeEntry has this shape). */
export type EventBusEntry = Required<Pick<PutEventsRequestEntry, 'Source' | 'DetailType' | 'Detail' | 'EventBusName' | 'Time'>>;

export class EventBusPutError extends Error {
  override readonly name = 'EventBusPutError';
  constructor(
    /** The entries refused on the last attempt, with the reason EventBridge gave. */
    readonly failures: { detailType: string; errorCode: string; errorMessage?: string }[],
  ) {
    super(`EventBridge refused ${failures.length} event(s) after every attempt: ${failures.map((f) => f.errorCode).join(', ')}`);
  }
}

export interface EventBus {
  /** Puts one batch (≤ 10 entries, ≤ 256 KB); resolves once EventBridge accepted every entry. */
  put(batch: readonly EventBusEntry[]): Promise<void>;
}

export interface EventBusOptions {
  /** PutEvents calls per batch, the first included. @default 4 */
  attempts?: number;
  /** Wait before the second attempt, doubled each time. @default 100 */
  backoffMs?: number;
}

export const createEventBus = (client: EventBridgeClient, options: EventBusOptions = {}): EventBus => {
  const attempts = options.attempts ?? 4;
  const backoffMs = options.backoffMs ?? 100;
  return {
    async put(batch) {
      let remaining = [...batch];
      for (let attempt = 1; remaining.length; attempt++) {
        const out = await client.send(new PutEventsCommand({ Entries: remaining }));
        if (!out.FailedEntryCount) return;
        // Result entries are in request order; a failed one has an ErrorCode instead of an EventId.
        const failed = remaining.map((entry, i) => ({ entry, result: out.Entries?.[i] })).filter(({ result }) => !result?.EventId || result.ErrorCode);
        if (attempt >= attempts) {
          throw new EventBusPutError(
            failed.map(({ entry, result }) => ({ detailType: entry.DetailType, errorCode: result?.ErrorCode ?? 'Unknown', ...(result?.ErrorMessage ? { errorMessage: result.ErrorMessage } : {}) })),
          );
        }
        remaining = failed.map(({ entry }) => entry);
        await pause(backoffMs * 2 ** (attempt - 1));
      }
    },
  };
};
