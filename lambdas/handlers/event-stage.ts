/**
 * The event stage's Lambda: a second consumer of the main table's stream, beside the report
 * writer (handlers/stream.ts), with its own event source mapping (ReportBatchItemFailures) and its
 * own position in the stream. Why a second consumer rather than a step of the report writer:
 * a failing webhook table, or a slow EventBridge, must never hold back the provisioning report,
 * and a report problem must never hold back events; each retries only its own work. The stage's
 * work is in use-cases/event-stage.ts.
 *
 * On the first record whose events cannot be written the handler returns its SequenceNumber, so
 * the mapping retries from there; events already appended are skipped by their ids.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../shared/logger';
import { countNow, MetricName } from '../shared/metrics';
import { onFirstInvocation, runtime, type Runtime } from '../shared/runtime';
import { toStreamChange } from '../shared/stream-records';
import { secretStoreOf } from '../shared/app-stores';
import { createDeliveryQueue } from '../store/delivery-queue';
import { createEventBus } from '../store/event-bus';
import { createEventLog } from '../store/event-log';
import { createNoteReader } from '../store/notes';
import { createWebhookStore } from '../store/webhooks';
import { createEventStage, eventBusPublisher, type EventStage } from '../use-cases/event-stage';

export type EventStageHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

export const createEventStageHandler = (stage: EventStage): EventStageHandler => async (event) => {
  const records = event.Records ?? [];
  let done = -1;
  try {
    await stage(records.map(toStreamChange), (index) => (done = index));
    return { batchItemFailures: [] };
  } catch (error) {
    const failed = records[done + 1];
    logger.error('event stage failed; the record will be retried', { error: error as Error, eventID: failed?.eventID });
    return { batchItemFailures: [{ itemIdentifier: String(failed?.dynamodb?.SequenceNumber) }] };
  }
};

/** EventBridge, when the construct was given a bus (`SCIM_EVENT_BUS_NAME`); one client per container. */
const publisherOf = (busName: string | undefined) => {
  if (!busName) return undefined;
  const bus = createEventBus(new EventBridgeClient({}));
  return eventBusPublisher(bus, busName, (entry) => {
    logger.error('directory event too large for EventBridge; not put on the bus (it is in the event log and webhooks)', { detailType: entry.DetailType, bytes: entry.Detail.length });
    countNow(MetricName.eventTooLargeForBus);
  });
};

/** The stage over the runtime's tables and secret store. */
export const createEventStageOf = (rt: Runtime): EventStage => {
  const { dynamo, config } = rt;
  const publish = publisherOf(config.SCIM_EVENT_BUS_NAME);
  return createEventStage({
    ...(publish ? { publish } : {}),
    log: createEventLog(dynamo, config.SCIM_REPORT_TABLE_NAME, { retentionDays: config.SCIM_EVENT_RETENTION_DAYS }),
    queue: createDeliveryQueue(dynamo, config.SCIM_REPORT_TABLE_NAME, { historyDays: config.SCIM_EVENT_RETENTION_DAYS }),
    webhooks: createWebhookStore(dynamo, config.SCIM_REPORT_TABLE_NAME, secretStoreOf(config), config.SCIM_SECRET_PREFIX),
    notes: createNoteReader(dynamo, config.SCIM_TABLE_NAME),
  });
};

/** The Lambda entry point; its set-up runs once per container, on the first batch. */
export const handler = onFirstInvocation<DynamoDBStreamEvent, unknown, Promise<DynamoDBBatchResponse>>(() => {
  const handle = createEventStageHandler(createEventStageOf(runtime()));
  return (event) => handle(event);
});
