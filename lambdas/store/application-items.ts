/**
 * Application items in the main table: one item per application (listed through gsi1), plus a
 * sentinel per name so names stay unique case-insensitively. Token *metadata* lives on the item;
 * token hashes never do (see store/token-vault.ts).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { ItemType } from '../domain/items';
import { ScimError } from '../scim/errors';
import { createAppResources, type AppResources } from './application-resources';
import { Attr, Index, keys } from './keys';
import { itemPages } from './index-items';
import { listPartitionQuery } from './paging';

export interface TokenInfo {
  id: string;
  created: string;
  expiresAt?: string;
}

/** A token that no longer opens anything, kept (the latest MAX_RETIRED_TOKENS) so a refusal can say why. */
export interface RetiredToken {
  id: string;
  reason: 'revoked' | 'expired';
  /** When it was revoked, or when it expired. */
  at: string;
}
export const MAX_RETIRED_TOKENS = 20;

export interface Application {
  id: string;
  name: string;
  requiredAttributes: string[];
  created: string;
  lastModified: string;
  /** Metadata of the application's tokens: no hash, no secret. */
  tokens: TokenInfo[];
  /** Revoked and pruned expired tokens, newest last (the authorizer tells "revoked" from "unknown" by them). */
  retiredTokens?: RetiredToken[];
  /** Maintained elsewhere (schema extensions seen for this app); never written here. */
  extensionAttributes: string[];
  /** Incremented on every write of the item; guards concurrent admin edits. */
  version: number;
}

export interface AppChanges {
  name?: string;
  requiredAttributes?: string[];
}

export interface AppStore extends AppResources {
  get(appId: string): Promise<Application | undefined>;
  list(): Promise<Application[]>;
  /** Writes a new application and claims its name; 409 uniqueness when the name is taken. */
  create(app: Application): Promise<void>;
  /** Applies changes if the item is still at `current.version`; 409 when it moved on or the name is taken. */
  update(current: Application, changes: AppChanges, now: Date): Promise<Application>;
  /** Serialises token changes of one application (a lease on the item). Returns the lease id. */
  lockTokens(appId: string, now: Date): Promise<string>;
  /** Replaces the token metadata (and, when given, the retired tokens) and releases the lease in the same write. */
  setTokens(appId: string, tokens: TokenInfo[], leaseId: string, now: Date, retired?: RetiredToken[]): Promise<Application>;
  unlockTokens(appId: string, leaseId: string): Promise<void>;
  /** Deletes the item and its name sentinel. */
  remove(app: Application): Promise<void>;
}

/** A token change takes a few calls; a crashed holder's lease lapses after this. */
const LEASE_MS = 30_000;

type Item = Record<string, unknown>;

/** The stored policy as strings, whatever an older version or a hand edit left (a list, a string set, a string); checked where used. */
const requiredAttributesOf = (stored: unknown): string[] => {
  if (Array.isArray(stored)) return stored.map((entry) => (typeof entry === 'string' ? entry : JSON.stringify(entry) ?? String(entry)));
  if (stored instanceof Set) return [...stored].map(String);
  if (typeof stored === 'string') return [stored];
  return ['userName'];
};

const toApplication = (item: Item): Application => {
  const ext = item.extensionAttributes;
  return {
    id: String(item.id),
    name: String(item.name),
    requiredAttributes: requiredAttributesOf(item.requiredAttributes),
    created: String(item.created),
    lastModified: String(item.lastModified),
    tokens: Array.isArray(item.tokens) ? (item.tokens as TokenInfo[]) : [],
    retiredTokens: Array.isArray(item.retiredTokens) ? (item.retiredTokens as RetiredToken[]) : [],
    extensionAttributes: ext instanceof Set ? [...ext].map(String).sort() : Array.isArray(ext) ? ext.map(String) : [],
    version: typeof item.version === 'number' ? item.version : 0,
  };
};

const cancellationCodes = (error: unknown): string[] | undefined =>
  error instanceof TransactionCanceledException || (error as Error)?.name === 'TransactionCanceledException'
    ? ((error as TransactionCanceledException).CancellationReasons ?? []).map((r) => r.Code ?? 'None')
    : undefined;

const isConditionFailure = (error: unknown): boolean => (error as Error)?.name === 'ConditionalCheckFailedException';

const nameTaken = (name: string) => ScimError.uniqueness(`An application named "${name}" already exists.`);
const changedConcurrently = (appId: string) =>
  ScimError.conflict(`Application ${appId} was changed by another request at the same time; retry.`);

export const createAppStore = (client: DynamoDBDocumentClient, tableName: string): AppStore => {
  const get = async (appId: string): Promise<Application | undefined> => {
    const out = await client.send(new GetCommand({ TableName: tableName, Key: keys.app(appId), ConsistentRead: true }));
    return out.Item && out.Item.type === ItemType.app ? toApplication(out.Item) : undefined;
  };

  const listQuery = (gsi1pk: string) => listPartitionQuery(tableName, gsi1pk);

  return {
    get,

    async list() {
      const apps: Application[] = [];
      for await (const page of itemPages<Item>(client, tableName, listQuery(keys.appList().gsi1pk))) {
        for (const item of page.items) if (item.type === ItemType.app) apps.push(toApplication(item));
      }
      return apps;
    },

    async create(app) {
      const item = {
        ...keys.app(app.id),
        ...keys.appListEntry(app.id),
        type: ItemType.app,
        appId: app.id,
        id: app.id,
        name: app.name,
        requiredAttributes: app.requiredAttributes,
        created: app.created,
        lastModified: app.lastModified,
        tokens: app.tokens,
        version: app.version,
      };
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              // Ids are random; a clash would overwrite another application, so refuse it.
              { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': Attr.pk } } },
              {
                Put: {
                  TableName: tableName,
                  Item: { ...keys.appName(app.name), type: ItemType.unique, appId: app.id, ownerId: app.id },
                  ConditionExpression: 'attribute_not_exists(#pk)',
                  ExpressionAttributeNames: { '#pk': Attr.pk },
                },
              },
            ],
          }),
        );
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes?.[1] === 'ConditionalCheckFailed') throw nameTaken(app.name);
        throw error;
      }
    },

    async update(current, changes, now) {
      const names: Record<string, string> = { '#version': 'version', '#lastModified': 'lastModified' };
      const values: Record<string, unknown> = { ':expected': current.version, ':one': 1, ':now': now.toISOString() };
      const sets = ['#lastModified = :now', '#version = #version + :one'];
      if (changes.name !== undefined) {
        names['#name'] = 'name';
        values[':name'] = changes.name;
        sets.push('#name = :name');
      }
      if (changes.requiredAttributes !== undefined) {
        names['#required'] = 'requiredAttributes';
        values[':required'] = changes.requiredAttributes;
        sets.push('#required = :required');
      }
      // SET only the fields we own: extensionAttributes and token metadata are left as they are.
      const itemUpdate = {
        TableName: tableName,
        Key: keys.app(current.id),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      };
      const renamed =
        changes.name !== undefined && keys.appName(changes.name).pk !== keys.appName(current.name).pk;
      try {
        if (!renamed) {
          await client.send(new UpdateCommand(itemUpdate));
        } else {
          await client.send(
            new TransactWriteCommand({
              TransactItems: [
                { Update: itemUpdate },
                { Delete: { TableName: tableName, Key: keys.appName(current.name) } },
                {
                  Put: {
                    TableName: tableName,
                    Item: { ...keys.appName(changes.name!), type: ItemType.unique, appId: current.id, ownerId: current.id },
                    ConditionExpression: 'attribute_not_exists(#pk)',
                    ExpressionAttributeNames: { '#pk': Attr.pk },
                  },
                },
              ],
            }),
          );
        }
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes?.[2] === 'ConditionalCheckFailed') throw nameTaken(changes.name!);
        if (codes?.[0] === 'ConditionalCheckFailed' || isConditionFailure(error)) throw changedConcurrently(current.id);
        throw error;
      }
      const updated = await get(current.id);
      if (!updated) throw ScimError.notFound(`Application ${current.id} not found.`);
      return updated;
    },

    async lockTokens(appId, now) {
      const leaseId = randomUUID();
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.app(appId),
            UpdateExpression: 'SET #lease = :lease, #until = :until',
            // Only an existing application, and only when no live lease is held.
            ConditionExpression: 'attribute_exists(#pk) AND (attribute_not_exists(#until) OR #until < :now)',
            ExpressionAttributeNames: { '#pk': Attr.pk, '#lease': 'tokenLease', '#until': 'tokenLeaseUntil' },
            ExpressionAttributeValues: { ':lease': leaseId, ':until': now.getTime() + LEASE_MS, ':now': now.getTime() },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        if (!(await get(appId))) throw ScimError.notFound(`Application ${appId} not found.`);
        throw ScimError.conflict(`Another token change for application ${appId} is in progress; retry in a few seconds.`);
      }
      return leaseId;
    },

    async setTokens(appId, tokens, leaseId, now, retired) {
      try {
        const out = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.app(appId),
            UpdateExpression: `SET #tokens = :tokens, #lastModified = :now, #version = #version + :one${retired ? ', #retired = :retired' : ''} REMOVE #lease, #until`,
            ConditionExpression: '#lease = :lease',
            ExpressionAttributeNames: {
              '#tokens': 'tokens',
              '#lastModified': 'lastModified',
              '#version': 'version',
              '#lease': 'tokenLease',
              '#until': 'tokenLeaseUntil',
              ...(retired ? { '#retired': 'retiredTokens' } : {}),
            },
            ExpressionAttributeValues: { ':tokens': tokens, ':now': now.toISOString(), ':one': 1, ':lease': leaseId, ...(retired ? { ':retired': retired.slice(-MAX_RETIRED_TOKENS) } : {}) },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return toApplication(out.Attributes ?? {});
      } catch (error) {
        if (isConditionFailure(error)) throw changedConcurrently(appId);
        throw error;
      }
    },

    async unlockTokens(appId, leaseId) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.app(appId),
            UpdateExpression: 'REMOVE #lease, #until',
            ConditionExpression: '#lease = :lease',
            ExpressionAttributeNames: { '#lease': 'tokenLease', '#until': 'tokenLeaseUntil' },
            ExpressionAttributeValues: { ':lease': leaseId },
          }),
        );
      } catch (error) {
        // Someone else's lease now (ours lapsed): nothing of ours to release.
        if (!isConditionFailure(error)) throw error;
      }
    },

    async remove(app) {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: tableName, Key: keys.app(app.id) } },
            { Delete: { TableName: tableName, Key: keys.appName(app.name) } },
          ],
        }),
      );
    },

    ...createAppResources(client, tableName),
  };
};
