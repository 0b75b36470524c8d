/**
 * The webhook sender (issue 16): one signed POST per attempt, and what follows from its outcome
 * (events core retry-policy.ts): delivered → history; failed → retried with backoff and jitter
 * (Retry-After honoured); the last attempt failed → dead-lettered; 410 → the endpoint is disabled
 * and everything it had pending is dead-lettered. `pump` is one pass over every endpoint's queue
 * under the per-subject order rule (delivery-order.ts): the local gateway runs it in a loop over
 * the DynamoDB queue; the same `deliver` is what an SQS consumer would call per message.
 */
import { lookup } from 'node:dns/promises';
import {
  ATTEMPT_TIMEOUT_MS,
  decideAfterAttempt,
  isPublicAddress,
  nextDueAt,
  sendableNow,
  signingSecrets,
  signWebhook,
  type AttemptOutcome,
  type DeliveryDecision,
  type UrlMode,
  type WebhookPayload,
} from '../events';
import type { Delivery, DeliveryQueue } from '../store/delivery-queue';
import type { StoredSecrets, Webhook, WebhookStore } from '../store/webhooks';

/** The longest the sender signs with secrets it read earlier (see `secretsOf`). */
export const SECRETS_CACHE_MS = 5 * 60_000;

export interface SenderDeps {
  webhooks: Pick<WebhookStore, 'get' | 'put' | 'secrets'>;
  queue: DeliveryQueue;
  urlMode: UrlMode;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  now?: () => Date;
  random?: () => number;
  /** Addresses a host name resolves to (deployed mode checks each is public). @default dns.lookup */
  resolve?: (host: string) => Promise<string[]>;
  /** Told about every attempt (logs, the bench). */
  onAttempt?: (delivery: Pick<Delivery, 'webhookId' | 'eventId'>, outcome: AttemptOutcome, decision: DeliveryDecision) => void;
  /** @default ATTEMPT_TIMEOUT_MS */
  timeoutMs?: number;
}

const defaultResolve = async (host: string): Promise<string[]> => (await lookup(host, { all: true })).map((a) => a.address);

export const createWebhookSender = (deps: SenderDeps) => {
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const send = deps.fetch ?? globalThis.fetch;
  const resolve = deps.resolve ?? defaultResolve;
  const timeoutMs = deps.timeoutMs ?? ATTEMPT_TIMEOUT_MS;
  /** Deliveries with an attempt under way in this process, by webhook and queue key. */
  const inFlight = new Set<string>();
  /**
   * Deliveries this process settled, until when a queue read may still show them as they were
   * (read before the attempt finished): a finished one for a minute, a retried one until it is due.
   * `queuedAt` tells a stale read from a redelivery of the same event (queued anew, at a new time),
   * which goes at once rather than a minute later.
   */
  const settled = new Map<string, { until: number; queuedAt: string }>();
  const isSettled = (key: string, delivery: Delivery) => settled.get(key)?.queuedAt === delivery.queuedAt;
  const SETTLE_MS = 60_000;

  /**
   * Signing secrets per webhook, read once rather than per attempt (a Secrets Manager call costs
   * more than the rest of a delivery). Kept while the webhook item shows the same secrets version
   * and write time — a rotation changes both, so the next attempt signs with the new secret — and
   * for SECRETS_CACHE_MS at most, in case a concurrent admin write put an older version back.
   */
  const secretsCache = new Map<string, { key: string; until: number; secrets: StoredSecrets }>();
  const secretsOf = async (webhook: Webhook): Promise<StoredSecrets | undefined> => {
    const id = `${webhook.appId}/${webhook.id}`;
    const key = `${webhook.secretsVersion ?? 0}|${webhook.lastModified}`;
    const at = now().getTime();
    const cached = secretsCache.get(id);
    if (cached && cached.key === key && at < cached.until) return cached.secrets;
    const secrets = await deps.webhooks.secrets(webhook.appId, webhook.id);
    if (secrets) secretsCache.set(id, { key, until: at + SECRETS_CACHE_MS, secrets });
    else secretsCache.delete(id);
    return secrets;
  };

  /** One signed POST of `payload` to `webhook`; never throws. */
  const attempt = async (webhook: Webhook, payload: WebhookPayload): Promise<AttemptOutcome> => {
    const secrets = await secretsOf(webhook);
    if (!secrets) return { kind: 'network', detail: 'the webhook has no signing secret' };
    const url = new URL(webhook.url);
    if (deps.urlMode === 'deployed') {
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const addresses = await resolve(host).catch(() => [] as string[]);
      if (!addresses.length) return { kind: 'network', detail: `could not resolve ${host}` };
      const blocked = addresses.find((address) => !isPublicAddress(address));
      if (blocked) return { kind: 'blocked-address', address: blocked };
    }
    const at = now();
    const request = signWebhook(payload, signingSecrets(secrets, at), at);
    try {
      const response = await send(webhook.url, {
        method: 'POST',
        headers: { ...request.headers, 'user-agent': 'scim-gateway-webhooks' },
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      // The body is not read beyond draining it: only the status counts.
      await response.arrayBuffer().catch(() => undefined);
      return { kind: 'response', status: response.status, retryAfter: response.headers.get('retry-after') ?? undefined };
    } catch (error) {
      const name = (error as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'timeout' };
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return { kind: 'network', detail: cause?.code ?? cause?.message ?? (error as Error)?.message ?? 'unknown' };
    }
  };

  /** 410: the endpoint is gone. It is disabled, and what it had pending becomes dead letters (redeliverable). */
  const disable = async (webhook: Webhook, reason: string, at: string): Promise<void> => {
    await deps.webhooks.put({ ...webhook, enabled: false, disabledReason: reason, lastModified: at });
    for (const pending of await deps.queue.pending(webhook.id)) {
      if (!inFlight.has(`${pending.webhookId}|${pending.queueSk}`)) await deps.queue.finish(pending, 'dead', { lastError: `endpoint disabled: ${reason}`, at });
    }
  };

  /** Attempts one queued delivery and records what follows. */
  const deliver = async (delivery: Delivery): Promise<DeliveryDecision | undefined> => {
    const webhook = await deps.webhooks.get(delivery.appId, delivery.webhookId);
    if (!webhook || !webhook.enabled) return undefined; // deleted: nothing to do; paused: it waits
    const outcome = await attempt(webhook, JSON.parse(delivery.body) as WebhookPayload);
    const at = now();
    const decision = decideAfterAttempt(delivery.attempts + 1, outcome, at, random);
    const lastStatus = outcome.kind === 'response' ? outcome.status : undefined;
    const iso = at.toISOString();
    switch (decision.action) {
      case 'delivered':
        await deps.queue.finish(delivery, 'delivered', { lastStatus, at: iso });
        break;
      case 'retry':
        await deps.queue.reschedule(delivery, { dueAt: at.getTime() + decision.delayMs, lastStatus, lastError: decision.error, at: iso });
        break;
      case 'dead-letter':
        await deps.queue.finish(delivery, 'dead', { lastStatus, lastError: decision.error, at: iso });
        break;
      case 'disable-endpoint':
        await deps.queue.finish(delivery, 'dead', { lastStatus, lastError: decision.error, at: iso });
        await disable(webhook, decision.error, iso);
        break;
    }
    deps.onAttempt?.(delivery, outcome, decision);
    return decision;
  };

  /**
   * One pass: starts every attempt the order rule allows now (without waiting for them) and says
   * when something next falls due (epoch ms; undefined: nothing waits).
   */
  /** When the oldest delivery the last pass found pending was queued (epoch ms); undefined: none. */
  let oldestQueuedAt: number | undefined;

  const pump = async (onError: (error: unknown) => void): Promise<number | undefined> => {
    let next: number | undefined;
    let oldest: number | undefined;
    const at = now().getTime();
    for (const [key, { until }] of settled) if (until <= at) settled.delete(key);
    for (const { webhookId } of await deps.queue.queues()) {
      const pending = await deps.queue.pending(webhookId);
      if (!pending.length) continue;
      for (const delivery of pending) {
        const queued = Date.parse(delivery.queuedAt);
        if (!Number.isNaN(queued) && (oldest === undefined || queued < oldest)) oldest = queued;
      }
      const positions = pending.map((delivery, position) => ({
        eventId: delivery.eventId,
        subject: delivery.subject,
        position,
        dueAt: delivery.dueAt,
        // A settled one still in this read is stale: it holds its subject back like one under way.
        inFlight: inFlight.has(`${webhookId}|${delivery.queueSk}`) || isSettled(`${webhookId}|${delivery.queueSk}`, delivery),
      }));
      for (const chosen of sendableNow(positions, at)) {
        const delivery = pending[chosen.position];
        const key = `${webhookId}|${delivery.queueSk}`;
        inFlight.add(key);
        void deliver(delivery)
          .then((decision) =>
            settled.set(key, { until: decision?.action === 'retry' ? now().getTime() + decision.delayMs : now().getTime() + SETTLE_MS, queuedAt: delivery.queuedAt }),
          )
          .catch(onError)
          .finally(() => inFlight.delete(key));
      }
      const due = nextDueAt(positions.filter((p) => !p.inFlight));
      if (due !== undefined) next = next === undefined ? due : Math.min(next, due);
    }
    oldestQueuedAt = oldest;
    return next;
  };

  /** How long the oldest pending delivery of the last pass has waited (ms; 0 when none): the age alarm's figure. */
  const oldestPendingAgeMs = (): number => (oldestQueuedAt === undefined ? 0 : Math.max(0, now().getTime() - oldestQueuedAt));

  return { attempt, deliver, pump, inFlightCount: () => inFlight.size, oldestPendingAgeMs };
};

export type WebhookSender = ReturnType<typeof createWebhookSender>;
