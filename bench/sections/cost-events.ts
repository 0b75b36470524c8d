/**
 * Section 7's line for directory events (issue 16): the AWS bill per million events delivered to
 * one webhook — the event stage Lambda, the DynamoDB writes of the event log and the delivery queue,
 * the sender's reads, history writes and signing-secret reads, and EventBridge when the `eventBus`
 * prop is set — plus the sender's fixed monthly cost (it runs every minute, events or not).
 * Measured in this run: DynamoDB Local's transaction latency (section 1), which stands for the
 * stage's time per event. Stated, not measured: item sizes and units (from the code's item shapes:
 * lambdas/store/event-log.ts, delivery-queue.ts), prices (below, with sources).
 */
import { FUNCTION_SETTINGS } from '../../lib/defaults';
import { round } from '../lib/stats';
import { PRICES } from '../lib/prices';

/** The sender stops starting attempts 20 s before its timeout (lambdas/handlers/webhook-sender.ts). */
const SENDER_RUN_SECONDS = FUNCTION_SETTINGS.webhookSender.timeout.toSeconds() - 20;

/** Prices this line needs beyond prices.ts (us-east-1, on demand). */
const EVENT_PRICES = {
  eventBridgePerMillion: { usd: 1.0, per: 'million custom events put (PutEvents, per 64 KB chunk)', source: 'https://aws.amazon.com/eventbridge/pricing/' },
} as const;

/** What a directory event costs in units, from the items the code writes and reads (each stated with its reason). */
const EVENT_UNITS = {
  /**
   * Envelope bytes: the docs' examples (docs/events.md) are 0.9–1.6 KB with a five-attribute profile,
   * so the log item and the delivery item (each holding the body) stay under 2 KB: 2 units each.
   */
  bodyKb: 2,
  /** Append transaction: position item (< 1 KB) + log item + one delivery per webhook; a transaction writes each at 2× (2 WRU per KB). */
  appendWru: 2 * (1 + 2 + 2),
  /** Sender: history PutItem (2 KB) + queue DeleteItem (2 KB) per delivered event. */
  finishWru: 2 + 2,
  /** Sender: the pending item in a strongly consistent Query (2 KB of a 4 KB unit) + the webhook GetItem (1 RRU, strongly consistent). */
  senderRru: 0.5 + 1,
  /** Stage: the application's webhook list, one Query per stream batch and application, shared by the batch. */
  stageRru: 0.1,
  /**
   * Secrets Manager GetSecretValue: the sender keeps a webhook's signing secrets until a rotation
   * changes the webhook item, 5 min at most (use-cases/webhook-sender.ts), so reads are per webhook
   * and time, not per event: at most one per sender run (a run a minute, in the worst case each on a new container).
   */
  secretReadsPerWebhookPerMonth: 30 * 24 * 60,
  /** Stream records per event-stage invocation (as the report consumer's assumption in prices.ts). */
  stageBatchSize: 10,
} as const;

interface EventCostLine {
  name: string;
  usdPerMillionEvents: number;
  basis: string;
}

export interface EventCostResults {
  /** Per million events, one webhook, no EventBridge. */
  perMillionEvents: number;
  /** Added per million events when the `eventBus` prop is set. */
  eventBridgePerMillion: number;
  lines: EventCostLine[];
  /** The sender runs each minute for most of the minute, events or not. */
  senderFixedMonthly: number;
  notes: string[];
}

const gbSeconds = (ms: number, memoryMb: number) => (ms / 1000) * (memoryMb / 1024);

export const directoryEventCost = (measured: { writeLatencyMs: number }): EventCostResults => {
  const inputs = { ...measured, stageMemoryMb: FUNCTION_SETTINGS.eventStage.memorySize, senderMemoryMb: FUNCTION_SETTINGS.webhookSender.memorySize, senderRunSeconds: SENDER_RUN_SECONDS };
  const million = 1_000_000;
  const wru = PRICES.dynamoWriteUnitsPerMillion.usd;
  const rru = PRICES.dynamoReadUnitsPerMillion.usd;
  const gbs = PRICES.lambdaArmGbSecond.usd;
  const u = EVENT_UNITS;
  // The stage writes one transaction per event (up to 8 at once); one transaction's latency per event is the sequential upper bound.
  const stageBilledMs = Math.ceil(inputs.writeLatencyMs);
  const stageInvocations = million / u.stageBatchSize;
  const lines: EventCostLine[] = [
    {
      name: 'event stage Lambda',
      usdPerMillionEvents: (stageInvocations / million) * PRICES.lambdaRequestsPerMillion.usd + million * gbSeconds(stageBilledMs, inputs.stageMemoryMb) * gbs,
      basis: `${stageInvocations.toLocaleString('en-US')} invocations (batches of ${u.stageBatchSize}) + ${stageBilledMs} ms per event (one measured DynamoDB Local transaction) × ${inputs.stageMemoryMb} MB arm64`,
    },
    { name: 'DynamoDB, event log + queue (append)', usdPerMillionEvents: u.appendWru * wru + u.stageRru * rru, basis: `${u.appendWru} WRU (transaction of position, log and delivery items, ≤ ${u.bodyKb} KB) + ${u.stageRru} RRU` },
    { name: 'DynamoDB, sender', usdPerMillionEvents: u.finishWru * wru + u.senderRru * rru, basis: `${u.finishWru} WRU (history put, queue delete) + ${u.senderRru} RRU (queue read, webhook read)` },
  ];
  const secretReadsMonthly = round((u.secretReadsPerWebhookPerMonth / 10_000) * PRICES.secretsManagerPer10k.usd, 2);
  const perMillionEvents = round(lines.reduce((sum, line) => sum + line.usdPerMillionEvents, 0), 2);
  const runsPerMonth = 30 * 24 * 60;
  const senderFixedMonthly = round(runsPerMonth * (PRICES.lambdaRequestsPerMillion.usd / million + gbSeconds(inputs.senderRunSeconds * 1000, inputs.senderMemoryMb) * gbs), 2);
  return {
    perMillionEvents,
    eventBridgePerMillion: EVENT_PRICES.eventBridgePerMillion.usd,
    lines: lines.map((line) => ({ ...line, usdPerMillionEvents: round(line.usdPerMillionEvents, 3) })),
    senderFixedMonthly,
    notes: [
      `directory events, per million events to one webhook: ${lines.map((l) => `${l.name} $${round(l.usdPerMillionEvents, 2)} (${l.basis})`).join('; ')}.`,
      `each further webhook adds a delivery item to the append (+4 WRU) and its own sender work: +$${round((4 + u.finishWru) * wru + u.senderRru * rru, 2)} per million and at most $${secretReadsMonthly} a month of signing-secret reads; EventBridge (eventBus prop) adds $${EVENT_PRICES.eventBridgePerMillion.usd} per million (${EVENT_PRICES.eventBridgePerMillion.source}).`,
      `the webhook sender runs each minute for about ${inputs.senderRunSeconds} s whether or not events wait: $${senderFixedMonthly} per month fixed (${inputs.senderMemoryMb} MB arm64), plus its queue polls (a few RRU per second), plus at most $${secretReadsMonthly} per webhook per month of Secrets Manager reads (signing secrets are read once per webhook and kept until a rotation, 5 min at most; ${u.secretReadsPerWebhookPerMonth.toLocaleString('en-US')} reads if every run were a new container).`,
      'units are the item shapes of lambdas/store/event-log.ts and delivery-queue.ts with a ≤ 2 KB envelope (docs/events.md examples), not measured on DynamoDB Local; retries add sender work per attempt; TTL deletes are free.',
    ],
  };
};
