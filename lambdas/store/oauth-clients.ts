/**
 * OAuth clients of an application, kept the way Secret Tokens are: the client's record (ids,
 * lifetimes, which secrets are live, which were retired, when it was last used) is an item in the
 * main table, listed per application; the SHA-256 hashes of its secrets live only in the secret
 * store, in one secret per application (`<prefix>/apps/<appId>/oauth-clients`). So the authorizer,
 * which only asks whether a token's client and secret still stand, reads the item and never a
 * hash, and the token endpoint reads both.
 *
 * Writers (the admin use cases) hold the application's token lease while they change a client, so
 * two admins cannot lose each other's revocation; hashes are written first and the record second,
 * and a secret is only trusted when it is listed in both, so a half-finished change heals on the next.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { ItemType } from '../domain/items';
import type { OAuthClient } from '../oauth/clients';
import type { RetiredSecret, StoredSecret } from '../oauth/client-secrets';
import { keys } from './keys';
import { itemPages } from './index-items';
import { listPartitionQuery } from './paging';
import { secretNames, type SecretStore } from './secret-stores';

/** A secret as the record lists it: never its hash. */
export interface SecretInfo {
  id: string;
  created: string;
  expiresAt: string;
}

/** When and from where a client last obtained a token (the console's "last used"). */
export interface ClientUse {
  at: string;
  sourceIp?: string;
}

/** The stored record: an OAuthClient without hashes, plus its last use. */
export interface OAuthClientRecord extends Omit<OAuthClient, 'secrets'> {
  secrets: SecretInfo[];
  lastUsed?: ClientUse;
}

export interface OAuthClientStore {
  /** The client with the hashes of its live secrets (token endpoint, admin changes). */
  get(appId: string, clientId: string): Promise<OAuthClient | undefined>;
  /** The record alone: no secret store call (the authorizer). */
  record(appId: string, clientId: string): Promise<OAuthClientRecord | undefined>;
  list(appId: string): Promise<OAuthClientRecord[]>;
  /** Hashes first, then the record. Call under the application's token lease. */
  save(client: OAuthClient): Promise<void>;
  /** Best-effort note of a successful token request. */
  noteUse(appId: string, clientId: string, use: ClientUse): Promise<void>;
  /** Every client of the application and their hashes (the application is being deleted). */
  removeAll(appId: string): Promise<void>;
}

const StoredSecretSchema = z.object({
  id: z.string(),
  hash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  created: z.string(),
  expiresAt: z.string(),
});
const HashSecretSchema = z.looseObject({ clients: z._default(z.record(z.string(), z.array(StoredSecretSchema)), {}) });
type HashSecret = z.infer<typeof HashSecretSchema>;

export class MalformedClientSecretError extends Error {
  override readonly name = 'MalformedClientSecretError';
}

type Item = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const toRecord = (item: Item): OAuthClientRecord => {
  const record: OAuthClientRecord = {
    clientId: String(item.clientId),
    appId: String(item.appId),
    tokenLifetimeMinutes: typeof item.tokenLifetimeMinutes === 'number' ? item.tokenLifetimeMinutes : 60,
    created: String(item.created),
    secrets: Array.isArray(item.secrets) ? (item.secrets as SecretInfo[]).map(({ id, created, expiresAt }) => ({ id, created, expiresAt })) : [],
    retiredSecrets: Array.isArray(item.retiredSecrets) ? (item.retiredSecrets as RetiredSecret[]) : [],
  };
  const description = str(item.description);
  if (description) record.description = description;
  const revokedAt = str(item.revokedAt);
  if (revokedAt) record.revokedAt = revokedAt;
  const lastUsed = item.lastUsed as ClientUse | undefined;
  if (lastUsed && typeof lastUsed.at === 'string') record.lastUsed = lastUsed.sourceIp ? { at: lastUsed.at, sourceIp: lastUsed.sourceIp } : { at: lastUsed.at };
  return record;
};

/**
 * The record as the OAuth core's client, for clientStanding only: that question reads which secrets
 * are live and until when, never a hash, so the hashes are left empty (they match no secret).
 */
export const standingClientOf = (record: OAuthClientRecord): OAuthClient => {
  const { lastUsed: _lastUsed, ...client } = record;
  return { ...client, secrets: record.secrets.map((s) => ({ ...s, hash: '' })) };
};

/** The records alone (no secret store): for readers that never need a hash (discovery, the authorizer). */
export const createOAuthClientRecords = (client: DynamoDBDocumentClient, tableName: string): Pick<OAuthClientStore, 'record' | 'list'> => ({
  async record(appId, clientId) {
    const out = await client.send(new GetCommand({ TableName: tableName, Key: keys.oauthClient(appId, clientId), ConsistentRead: true }));
    return out.Item && out.Item.type === ItemType.oauthClient ? toRecord(out.Item) : undefined;
  },
  async list(appId) {
    const records: OAuthClientRecord[] = [];
    for await (const page of itemPages<Item>(client, tableName, listPartitionQuery(tableName, keys.oauthClientList(appId).gsi1pk))) {
      for (const item of page.items) if (item.type === ItemType.oauthClient) records.push(toRecord(item));
    }
    return records;
  },
});

export const createOAuthClientStore = (client: DynamoDBDocumentClient, tableName: string, secrets: SecretStore, prefix: string): OAuthClientStore => {
  const names = secretNames(prefix);
  const { record, list } = createOAuthClientRecords(client, tableName);

  const readHashes = async (appId: string): Promise<HashSecret> => {
    const name = names.oauthClients(appId);
    const text = await secrets.get(name);
    if (text === undefined) return { clients: {} };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new MalformedClientSecretError(`Secret ${name} is not JSON.`, { cause });
    }
    const parsed = HashSecretSchema.safeParse(json);
    // Fail closed: a secret we cannot read authenticates nobody, and says so in the log.
    if (!parsed.success) throw new MalformedClientSecretError(`Secret ${name} does not hold client secret hashes: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  };

  return {
    record,
    list,

    async get(appId, clientId) {
      const found = await record(appId, clientId);
      if (!found) return undefined;
      const hashes = (await readHashes(appId)).clients[clientId] ?? [];
      // Trusted only when listed in both stores (see the file comment).
      const live: StoredSecret[] = found.secrets.flatMap((info) => hashes.filter((h) => h.id === info.id).map((h) => ({ ...info, hash: h.hash })));
      const { lastUsed: _lastUsed, ...rest } = found;
      return { ...rest, secrets: live };
    },

    async save(oauthClient) {
      const { appId, clientId } = oauthClient;
      const hashes = await readHashes(appId);
      const stored = oauthClient.secrets.map(({ id, hash, created, expiresAt }) => ({ id, hash, created, expiresAt }));
      const clients = { ...hashes.clients };
      if (stored.length) clients[clientId] = stored;
      else delete clients[clientId];
      await secrets.put(names.oauthClients(appId), JSON.stringify({ ...hashes, clients }));
      const previous = await record(appId, clientId);
      const item: Item = {
        ...keys.oauthClient(appId, clientId),
        ...keys.oauthClientListEntry(appId, clientId),
        type: ItemType.oauthClient,
        appId,
        clientId,
        tokenLifetimeMinutes: oauthClient.tokenLifetimeMinutes,
        created: oauthClient.created,
        secrets: oauthClient.secrets.map(({ id, created, expiresAt }) => ({ id, created, expiresAt })),
        retiredSecrets: oauthClient.retiredSecrets,
      };
      if (oauthClient.description) item.description = oauthClient.description;
      if (oauthClient.revokedAt) item.revokedAt = oauthClient.revokedAt;
      if (previous?.lastUsed) item.lastUsed = previous.lastUsed;
      await client.send(new PutCommand({ TableName: tableName, Item: item }));
    },

    async noteUse(appId, clientId, use) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.oauthClient(appId, clientId),
          UpdateExpression: 'SET #lastUsed = :use',
          // Never resurrect a client deleted meanwhile as a bare item.
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#lastUsed': 'lastUsed', '#pk': 'pk' },
          ExpressionAttributeValues: { ':use': use.sourceIp ? { at: use.at, sourceIp: use.sourceIp } : { at: use.at } },
        }),
      );
    },

    async removeAll(appId) {
      await secrets.delete(names.oauthClients(appId));
      for (const found of await list(appId)) {
        await client.send(new DeleteCommand({ TableName: tableName, Key: keys.oauthClient(appId, found.clientId) }));
      }
    },
  };
};
