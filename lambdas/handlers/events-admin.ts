/**
 * The admin API of directory events (issue 16; routes in shared/routes.ts, admin token only):
 * webhooks (create with the secret shown once, list, get, update, delete, rotate-secret, test),
 * their Deliveries (attempts, last status and error; redeliver), an application's event log (the
 * console's Events view and `events tail`), replay, and directory tokens. Parse → call → respond:
 * the use cases are use-cases/webhooks.ts and use-cases/directory-tokens.ts.
 *
 * IAM: the report table (webhooks, the event log, deliveries), the main table (application items),
 * Secrets Manager under `<prefix>/apps/*` (webhook secrets, directory token hashes).
 */
import type { CreatedWebhookJson, DeliveryListJson, RecentEventsJson, RotatedSecretJson, WebhookJson, WebhookListJson, WebhookTestJson } from '../admin/events-json';
import { ScimError } from '../scim/errors';
import { appStoreDeps, secretStoreOf } from '../shared/app-stores';
import { httpHandler, type HttpHandler } from '../shared/handler';
import { created, noContent, ok, type HttpResponse, type ScimRequest } from '../shared/http';
import { onFirstInvocation, runtime, type Runtime } from '../shared/runtime';
import { createDeliveryQueue } from '../store/delivery-queue';
import { createEventLog } from '../store/event-log';
import { createWebhookStore } from '../store/webhooks';
import { createDirectoryTokens } from '../use-cases/directory-tokens';
import { readEventPage, readRecentEvents } from '../use-cases/event-reads';
import { createWebhookSender } from '../use-cases/webhook-sender';
import { createWebhooks } from '../use-cases/webhooks';

const NO_STORE = { 'Cache-Control': 'no-store' };

const param = (request: ScimRequest, name: string): string => request.pathParams[name] ?? '';

const limitOf = (request: ScimRequest): number => {
  const text = request.query.limit;
  if (text === undefined) return 50;
  const limit = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!(limit >= 1 && limit <= 500)) throw ScimError.invalidValue(`limit must be a whole number from 1 to 500, not ${JSON.stringify(text.slice(0, 40))}.`);
  return limit;
};

export const createEventsAdminHandler = (rt: Runtime): HttpHandler => {
  const { dynamo, config } = rt;
  const stores = appStoreDeps(rt);
  const webhookStore = createWebhookStore(dynamo, config.SCIM_REPORT_TABLE_NAME, secretStoreOf(config), config.SCIM_SECRET_PREFIX);
  const queue = createDeliveryQueue(dynamo, config.SCIM_REPORT_TABLE_NAME, { historyDays: config.SCIM_EVENT_RETENTION_DAYS });
  const log = createEventLog(dynamo, config.SCIM_REPORT_TABLE_NAME, { retentionDays: config.SCIM_EVENT_RETENTION_DAYS });
  const sender = createWebhookSender({ webhooks: webhookStore, queue, urlMode: config.SCIM_WEBHOOK_URL_MODE });
  const webhooks = createWebhooks({ apps: stores.apps, webhooks: webhookStore, queue, log, sender, urlMode: config.SCIM_WEBHOOK_URL_MODE, retentionDays: config.SCIM_EVENT_RETENTION_DAYS });
  const directoryTokens = createDirectoryTokens(stores);

  const operations: Record<string, (request: ScimRequest) => Promise<HttpResponse>> = {
    createWebhook: async (request) => {
      const webhook: CreatedWebhookJson = await webhooks.create(param(request, 'appId'), request.body);
      return created(webhook, { ...NO_STORE, Location: `${request.apiUrl}/admin/apps/${webhook.appId}/webhooks/${webhook.id}` });
    },
    listWebhooks: async (request) => ok({ webhooks: await webhooks.list(param(request, 'appId')) } satisfies WebhookListJson),
    getWebhook: async (request) => ok((await webhooks.get(param(request, 'appId'), param(request, 'webhookId'))) satisfies WebhookJson),
    updateWebhook: async (request) => ok((await webhooks.update(param(request, 'appId'), param(request, 'webhookId'), request.body)) satisfies WebhookJson),
    deleteWebhook: async (request) => {
      await webhooks.remove(param(request, 'appId'), param(request, 'webhookId'));
      return noContent();
    },
    rotateWebhookSecret: async (request) => ok((await webhooks.rotateSecret(param(request, 'appId'), param(request, 'webhookId'))) satisfies RotatedSecretJson, NO_STORE),
    testWebhook: async (request) => ok((await webhooks.test(param(request, 'appId'), param(request, 'webhookId'))) satisfies WebhookTestJson),
    listDeliveries: async (request) => ok({ deliveries: await webhooks.deliveries(param(request, 'appId'), param(request, 'webhookId'), limitOf(request)) } satisfies DeliveryListJson),
    redeliver: async (request) => {
      await webhooks.redeliver(param(request, 'appId'), param(request, 'webhookId'), param(request, 'eventId'));
      return { status: 202, body: { queued: true } };
    },
    listAppEvents: async (request) => {
      await webhooks.list(param(request, 'appId')); // 404 for an unknown application
      // `order=newest`: the console's Events view, newest first; otherwise the read API's grammar (`events tail`).
      if (request.query.order !== undefined) return ok((await readRecentEvents(log, param(request, 'appId'), request.query)) satisfies RecentEventsJson);
      return ok(await readEventPage(log, param(request, 'appId'), request.query));
    },
    replayEvents: async (request) => ({ status: 202, body: await webhooks.replay(param(request, 'appId'), request.body) }),
    createDirectoryToken: async (request) => created(await directoryTokens.create(param(request, 'appId')), NO_STORE),
    listDirectoryTokens: async (request) => ok({ tokens: await directoryTokens.list(param(request, 'appId')) }),
    revokeDirectoryToken: async (request) => {
      await directoryTokens.revoke(param(request, 'appId'), param(request, 'tokenId'));
      return noContent();
    },
  };
  return httpHandler(rt, 'events-admin', operations, { contentType: 'application/json' });
};

/** The Lambda entry point. */
export const handler = onFirstInvocation(() => createEventsAdminHandler(runtime()));
