/**
 * Directory events on an EventBridge bus (the construct's opt-in `eventBus`): the same envelope as
 * `detail`, `detail-type` = the event type, source `scim-gateway`, so one rule such as
 * `{"source": ["scim-gateway"], "detail-type": ["user.deactivated"]}` picks what a consumer wants.
 * A bus fans out but does not order: consumers compare `detail.sequence` (docs/events.md).
 *
 * PutEvents takes at most 10 entries and 256 KB per request, sizes counted as AWS counts them
 * ("Calculating PutEvents event entry size"); `eventBridgeBatches` packs entries within both. The
 * plain shape matches the SDK's `PutEventsRequestEntry`, so this module needs no SDK.
 */
import type { DirectoryEvent } from './types';

export const EVENT_SOURCE = 'scim-gateway';
export const MAX_ENTRIES_PER_PUT = 10;
export const MAX_PUT_BYTES = 256 * 1024;

export interface EventBridgeEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  EventBusName: string;
  Time: Date;
}

export const eventBridgeEntry = (event: DirectoryEvent, eventBusName: string): EventBridgeEntry => ({
  Source: EVENT_SOURCE,
  DetailType: event.type,
  Detail: JSON.stringify(event),
  EventBusName: eventBusName,
  Time: new Date(event.timestamp),
});

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** An entry's size as PutEvents counts it: 14 bytes of Time, then Source, DetailType and Detail in UTF-8. */
export const entrySize = (entry: EventBridgeEntry): number => 14 + bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail);

/**
 * Entries in PutEvents requests, in order. An entry larger than a request can hold is returned
 * apart: the caller dead-letters it (it cannot be sent), rather than blocking the others.
 */
export const eventBridgeBatches = (entries: readonly EventBridgeEntry[]): { batches: EventBridgeEntry[][]; tooLarge: EventBridgeEntry[] } => {
  const batches: EventBridgeEntry[][] = [];
  const tooLarge: EventBridgeEntry[] = [];
  let batch: EventBridgeEntry[] = [];
  let size = 0;
  for (const entry of entries) {
    const own = entrySize(entry);
    if (own > MAX_PUT_BYTES) {
      tooLarge.push(entry);
      continue;
    }
    if (batch.length === MAX_ENTRIES_PER_PUT || size + own > MAX_PUT_BYTES) {
      batches.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(entry);
    size += own;
  }
  if (batch.length) batches.push(batch);
  return { batches, tooLarge };
};
