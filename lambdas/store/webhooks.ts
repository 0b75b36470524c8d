/**
 * Webhook endpoints of an application (issue 16): their settings as items in the report table
 * (keys.ts, "eventKeys"), their signing secrets in the secret store (Secrets Manager, KMS-encrypted,
 * in AWS; the local gateway's secret file), one secret per application at
 * `<prefix>/apps/<appId>/webhooks`. Signing needs the secret itself, so unlike Secret Tokens it
 * cannot be kept as a hash: it is kept where the tokens' hashes are, under the same key and grants.
 */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { eventKeys } from './keys';
import { queryPages } from './paging';
import type { SecretStore } from './secret-stores';

export interface Webhook {
  id: string;
  appId: string;
  url: string;
  /** Type patterns (`user.created`, `user.*`); undefined: every type. */
  types?: string[];
  description?: string;
  enabled: boolean;
  /** Why it was disabled (a 410, an admin), when it is. */
  disabledReason?: string;
  created: string;
  lastModified: string;
  /**
   * Bumped by each secret rotation, so the sender's cache of signing secrets (one Secrets Manager
   * read per webhook, not per attempt) is dropped the moment a rotation lands. Never shown by the admin API.
   */
  secretsVersion?: number;
}

/** What is kept of a webhook's secrets (the events core's WebhookSecrets). */
export interface StoredSecrets {
  current: string;
  previous: { secret: string; expiresAt: string }[];
}

export interface WebhookStore {
  list(appId: string): Promise<Webhook[]>;
  get(appId: string, id: string): Promise<Webhook | undefined>;
  put(webhook: Webhook): Promise<void>;
  remove(appId: string, id: string): Promise<void>;
  secrets(appId: string, id: string): Promise<StoredSecrets | undefined>;
  putSecrets(appId: string, id: string, secrets: StoredSecrets | undefined): Promise<void>;
}

const webhookOf = (item: Record<string, unknown>): Webhook => {
  const webhook: Webhook = {
    id: String(item.id),
    appId: String(item.appId),
    url: String(item.url),
    enabled: item.enabled !== false,
    created: String(item.created),
    lastModified: String(item.lastModified),
  };
  if (Array.isArray(item.types)) webhook.types = item.types.map(String);
  if (typeof item.description === 'string') webhook.description = item.description;
  if (typeof item.disabledReason === 'string') webhook.disabledReason = item.disabledReason;
  if (typeof item.secretsVersion === 'number') webhook.secretsVersion = item.secretsVersion;
  return webhook;
};

export const createWebhookStore = (client: DynamoDBDocumentClient, tableName: string, secretStore: SecretStore, secretPrefix: string): WebhookStore => {
  const secretName = (appId: string) => `${secretPrefix}/apps/${appId}/webhooks`;
  // Read-modify-write of one application's secret: serialise this container's writers.
  let queue: Promise<unknown> = Promise.resolve();

  const readSecrets = async (appId: string): Promise<Record<string, StoredSecrets>> => {
    const text = await secretStore.get(secretName(appId));
    if (text === undefined) return {};
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`Secret ${secretName(appId)} does not hold webhook secrets.`);
    return parsed as Record<string, StoredSecrets>;
  };

  return {
    async list(appId) {
      const found: Webhook[] = [];
      for await (const page of queryPages<Record<string, unknown>>(client, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': eventKeys.webhooks(appId) },
        ConsistentRead: true,
      })) {
        found.push(...page.items.map(webhookOf));
      }
      return found;
    },
    async get(appId, id) {
      const out = await client.send(new GetCommand({ TableName: tableName, Key: eventKeys.webhook(appId, id), ConsistentRead: true }));
      return out.Item ? webhookOf(out.Item) : undefined;
    },
    async put(webhook) {
      await client.send(new PutCommand({ TableName: tableName, Item: { ...eventKeys.webhook(webhook.appId, webhook.id), type: 'Webhook', ...webhook } }));
    },
    async remove(appId, id) {
      await client.send(new DeleteCommand({ TableName: tableName, Key: eventKeys.webhook(appId, id) }));
    },
    async secrets(appId, id) {
      return (await readSecrets(appId))[id];
    },
    putSecrets(appId, id, secrets) {
      const next = queue.then(async () => {
        const all = await readSecrets(appId);
        if (secrets) all[id] = secrets;
        else delete all[id];
        await secretStore.put(secretName(appId), JSON.stringify(all));
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
};
