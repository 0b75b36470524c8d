/**
 * The local gateway's webhook sender: the same sender code as in AWS (lambdas/use-cases/webhook-sender.ts),
 * driven by a loop over the delivery queue in DynamoDB Local instead of SQS. The queue is a table,
 * so stopping the gateway mid-delivery loses nothing: what was not acknowledged is sent again on
 * the next start (at least once, with its event id).
 */
import type { Runtime } from '../../lambdas/shared/runtime';
import { secretStoreOf } from '../../lambdas/shared/app-stores';
import { createDeliveryQueue } from '../../lambdas/store/delivery-queue';
import { createWebhookStore } from '../../lambdas/store/webhooks';
import { createWebhookSender, type SenderDeps } from '../../lambdas/use-cases/webhook-sender';

export interface DeliveryWorker {
  start(): void;
  /** Stops polling and waits (at most `graceMs`) for attempts under way. */
  stop(graceMs?: number): Promise<void>;
}

export interface DeliveryWorkerOptions {
  /** Pause between passes when nothing is due sooner. @default 200 */
  idleMs?: number;
  onError?: (message: string, error: unknown) => void;
  /** Test seams of the sender (fetch, clock, timeout). */
  sender?: Partial<Pick<SenderDeps, 'fetch' | 'now' | 'random' | 'timeoutMs' | 'onAttempt'>>;
}

export const createDeliveryWorker = (rt: Runtime, options: DeliveryWorkerOptions = {}): DeliveryWorker => {
  const { dynamo, config } = rt;
  const idleMs = options.idleMs ?? 200;
  const onError = options.onError ?? (() => undefined);
  const sender = createWebhookSender({
    webhooks: createWebhookStore(dynamo, config.SCIM_REPORT_TABLE_NAME, secretStoreOf(config), config.SCIM_SECRET_PREFIX),
    queue: createDeliveryQueue(dynamo, config.SCIM_REPORT_TABLE_NAME, { historyDays: config.SCIM_EVENT_RETENTION_DAYS }),
    urlMode: config.SCIM_WEBHOOK_URL_MODE,
    ...options.sender,
  });
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const run = async () => {
    while (running) {
      let next: number | undefined;
      try {
        next = await sender.pump((error) => onError('a webhook delivery failed', error));
      } catch (error) {
        onError('reading the delivery queue failed (retrying)', error);
      }
      const wait = next === undefined ? idleMs : Math.min(idleMs, Math.max(10, next - Date.now()));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop(graceMs = 2000) {
      running = false;
      wake?.();
      await loop;
      const until = Date.now() + graceMs;
      while (sender.inFlightCount() > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };
};
