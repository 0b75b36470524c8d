/**
 * The webhook sender's Lambda: runs the same sender as the local gateway
 * (use-cases/webhook-sender.ts) over the same DynamoDB delivery queue, started once a minute by an
 * EventBridge schedule and passing over the queue until shortly before its timeout. One sender at
 * a time (reserved concurrency 1), so per-subject order holds as it does locally.
 */
import type { Context } from 'aws-lambda';
import { secretStoreOf } from '../shared/app-stores';
import { logger } from '../shared/logger';
import { reportSenderRun } from '../shared/metrics';
import { onFirstInvocation, runtime, type Runtime } from '../shared/runtime';
import { createDeliveryQueue } from '../store/delivery-queue';
import { createWebhookStore } from '../store/webhooks';
import { createWebhookSender } from '../use-cases/webhook-sender';

/** Stop starting attempts this long before the timeout: an attempt may take 15 s. */
const RESERVE_MS = 20_000;
const PASS_MS = 250;

export const createSenderRun = (rt: Runtime) => {
  const { dynamo, config } = rt;
  const run = { deadLetters: 0, failedAttempts: 0, delivered: 0 };
  const sender = createWebhookSender({
    webhooks: createWebhookStore(dynamo, config.SCIM_REPORT_TABLE_NAME, secretStoreOf(config), config.SCIM_SECRET_PREFIX),
    queue: createDeliveryQueue(dynamo, config.SCIM_REPORT_TABLE_NAME, { historyDays: config.SCIM_EVENT_RETENTION_DAYS }),
    urlMode: config.SCIM_WEBHOOK_URL_MODE,
    onAttempt: (_delivery, _outcome, decision) => {
      if (decision.action === 'delivered') run.delivered += 1;
      else if (decision.action === 'retry') run.failedAttempts += 1;
      else run.deadLetters += 1;
    },
  });
  return async (_event: unknown, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<void> => {
    Object.assign(run, { deadLetters: 0, failedAttempts: 0, delivered: 0 });
    while (context.getRemainingTimeInMillis() > RESERVE_MS) {
      await sender.pump((error) => logger.error('webhook delivery failed', { error: error as Error }));
      await new Promise((resolve) => setTimeout(resolve, PASS_MS));
    }
    while (sender.inFlightCount() > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    // Once a run (a minute): the delivery alarms' figures (lib/gateway/monitoring.ts).
    reportSenderRun({ ...run, oldestPendingAgeSeconds: Math.round(sender.oldestPendingAgeMs() / 1000) });
  };
};

/** The Lambda entry point. */
export const handler = onFirstInvocation(() => createSenderRun(runtime()));
