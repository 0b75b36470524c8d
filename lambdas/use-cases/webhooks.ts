/**
 * Webhook use cases (issue 16), callable without HTTP: create (the secret shown once), list, get,
 * update, delete, rotate the secret (both sign for 24 h), test (a signed `ping`, sent once, now),
 * the Deliveries view (attempts, last status and error; redeliver a dead letter with its id) and
 * replay (logged events of a span queued again with their original ids). Bodies are parsed by the
 * events core, which names every problem in one 400.
 */
import { randomBytes } from 'node:crypto';
import { randomId } from '../domain/secret-tokens';
import {
  generateSecret,
  initialSecrets,
  isEventId,
  matchesTypes,
  orderingKey,
  parseReplayRequest,
  parseWebhookCreate,
  parseWebhookUpdate,
  pingEvent,
  replayError,
  rotateSecrets,
  webhookError,
  describeOutcome,
  type EventType,
  type TypePattern,
  type UrlMode,
} from '../events';
import { ScimError } from '../scim/errors';
import type { Application } from '../store/application-items';
import { queuedDelivery, type Delivery, type DeliveryQueue } from '../store/delivery-queue';
import type { EventLog } from '../store/event-log';
import { eventKeys } from '../store/keys';
import type { Webhook, WebhookStore } from '../store/webhooks';
import type { WebhookSender } from './webhook-sender';

/** Endpoints per application, at most: each event is appended with one delivery per endpoint in one transaction (≤ 100 actions). */
export const MAX_WEBHOOKS_PER_APP = 20;

export interface WebhooksDeps {
  apps: { get(appId: string): Promise<Application | undefined> };
  webhooks: WebhookStore;
  queue: DeliveryQueue;
  log: EventLog;
  sender: Pick<WebhookSender, 'attempt'>;
  urlMode: UrlMode;
  retentionDays: number;
  now?: () => Date;
}

/** A webhook as the admin API shows it: never its secret, nor the sender's cache key for it. */
export type WebhookView = Omit<Webhook, 'secretsVersion'>;

const viewOf = ({ secretsVersion: _version, ...view }: Webhook): WebhookView => view;

export const createWebhooks = (deps: WebhooksDeps) => {
  const now = deps.now ?? (() => new Date());

  const appOf = async (appId: string): Promise<Application> => {
    const app = /^[a-z0-9]{12}$/.test(appId) ? await deps.apps.get(appId) : undefined;
    if (!app) throw ScimError.notFound(`Application ${appId} not found.`);
    return app;
  };
  const webhookOf = async (appId: string, webhookId: string): Promise<Webhook> => {
    await appOf(appId);
    const webhook = /^wh_[a-z0-9]{16}$/.test(webhookId) ? await deps.webhooks.get(appId, webhookId) : undefined;
    if (!webhook) throw ScimError.notFound(`Webhook ${webhookId} not found for application ${appId}.`);
    return webhook;
  };

  return {
    async create(appId: string, body: unknown): Promise<WebhookView & { secret: string }> {
      await appOf(appId);
      const parsed = parseWebhookCreate(body, deps.urlMode);
      if (!parsed.ok) throw webhookError(parsed.problems);
      const existing = await deps.webhooks.list(appId);
      if (existing.length >= MAX_WEBHOOKS_PER_APP) throw ScimError.conflict(`Application ${appId} already has ${MAX_WEBHOOKS_PER_APP} webhooks; delete one first.`);
      const at = now().toISOString();
      const webhook: Webhook = { id: `wh_${randomId(16)}`, appId, url: parsed.value.url, enabled: true, created: at, lastModified: at };
      if (parsed.value.types) webhook.types = parsed.value.types;
      if (parsed.value.description) webhook.description = parsed.value.description;
      const secret = generateSecret(randomBytes);
      // The secret first: a webhook item never exists without the secret that signs for it.
      await deps.webhooks.putSecrets(appId, webhook.id, initialSecrets(secret));
      await deps.webhooks.put(webhook);
      return { ...webhook, secret };
    },

    async list(appId: string): Promise<WebhookView[]> {
      await appOf(appId);
      return (await deps.webhooks.list(appId)).sort((a, b) => a.created.localeCompare(b.created)).map(viewOf);
    },

    get: async (appId: string, webhookId: string): Promise<WebhookView> => viewOf(await webhookOf(appId, webhookId)),

    async update(appId: string, webhookId: string, body: unknown): Promise<WebhookView> {
      const webhook = await webhookOf(appId, webhookId);
      const parsed = parseWebhookUpdate(body, deps.urlMode);
      if (!parsed.ok) throw webhookError(parsed.problems);
      const change = parsed.value;
      const next: Webhook = { ...webhook, lastModified: now().toISOString() };
      if (change.url !== undefined) next.url = change.url;
      if (change.types === null) delete next.types;
      else if (change.types !== undefined) next.types = change.types;
      if (change.description === null) delete next.description;
      else if (change.description !== undefined) next.description = change.description;
      if (change.enabled !== undefined) {
        next.enabled = change.enabled;
        if (change.enabled) delete next.disabledReason;
        else next.disabledReason = 'paused by an admin';
      }
      await deps.webhooks.put(next);
      return viewOf(next);
    },

    async remove(appId: string, webhookId: string): Promise<void> {
      await webhookOf(appId, webhookId);
      await deps.webhooks.remove(appId, webhookId);
      await deps.webhooks.putSecrets(appId, webhookId, undefined);
      await deps.queue.forget(webhookId);
    },

    async rotateSecret(appId: string, webhookId: string): Promise<{ secret: string }> {
      const webhook = await webhookOf(appId, webhookId);
      const current = await deps.webhooks.secrets(appId, webhookId);
      const secret = generateSecret(randomBytes);
      await deps.webhooks.putSecrets(appId, webhookId, current ? rotateSecrets(current, secret, now()) : initialSecrets(secret));
      // The secrets first, then the version the sender's cache is keyed by: its next attempt signs with the new secret.
      await deps.webhooks.put({ ...webhook, secretsVersion: (webhook.secretsVersion ?? 0) + 1, lastModified: now().toISOString() });
      return { secret };
    },

    /** Sends a signed `ping` now, once, whatever the webhook's types; answers what came back. */
    async test(appId: string, webhookId: string): Promise<{ id: string; delivered: boolean; status?: number; error?: string }> {
      const webhook = await webhookOf(appId, webhookId);
      const ping = pingEvent(appId, webhookId, now(), randomBytes);
      const outcome = await deps.sender.attempt(webhook, ping);
      const status = outcome.kind === 'response' ? outcome.status : undefined;
      const delivered = status !== undefined && status >= 200 && status <= 299;
      return { id: ping.id, delivered, ...(status !== undefined ? { status } : {}), ...(delivered ? {} : { error: describeOutcome(outcome) }) };
    },

    async deliveries(appId: string, webhookId: string, limit: number): Promise<Omit<Delivery, 'body'>[]> {
      await webhookOf(appId, webhookId);
      return (await deps.queue.history(webhookId, limit)).map(({ body: _body, ...rest }) => rest);
    },

    async redeliver(appId: string, webhookId: string, eventId: string): Promise<void> {
      await webhookOf(appId, webhookId);
      if (!isEventId(eventId) || !(await deps.queue.redeliver(webhookId, eventId, now().getTime()))) {
        throw ScimError.notFound(`No dead letter of event ${eventId} on webhook ${webhookId}.`);
      }
    },

    /** Queues the logged events of [from, to) again, original ids kept, to one webhook or every one whose types pass them. */
    async replay(appId: string, body: unknown): Promise<{ replayId: string; events: number; deliveries: number }> {
      await appOf(appId);
      const parsed = parseReplayRequest(body, now(), deps.retentionDays);
      if (!parsed.ok) throw replayError(parsed.problems);
      const { from, to, types, webhookId } = parsed.value;
      const targets = webhookId ? [await webhookOf(appId, webhookId)] : await deps.webhooks.list(appId);
      const events = (await deps.log.between(appId, from, to)).filter((e) => matchesTypes(types, e.type as EventType));
      const replayId = randomId(12);
      const at = now();
      let deliveries = 0;
      for (const webhook of targets) {
        // A named webhook gets every event asked for; otherwise each webhook what its types pass.
        const wanted = events.filter((e) => webhookId !== undefined || matchesTypes(webhook.types as TypePattern[] | undefined, e.type as EventType));
        if (!wanted.length) continue;
        await deps.queue.markQueued(webhook.id, appId);
        const items = wanted.map((event) => {
          const envelope = JSON.parse(event.body) as { appId: string; subject: { type: string; id: string } };
          return queuedDelivery({
            webhookId: webhook.id,
            appId,
            eventId: event.eventId,
            eventType: event.type,
            subject: orderingKey(webhook.id, envelope),
            queueSk: eventKeys.queueSk(event.logSk, replayId),
            body: event.body,
            dueAt: at.getTime(),
            queuedAt: at.toISOString(),
          });
        });
        await deps.queue.enqueue(items);
        deliveries += items.length;
      }
      return { replayId, events: events.length, deliveries };
    },
  };
};

