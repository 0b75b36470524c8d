/**
 * Main-table reads the report pipeline needs: whether users and groups still exist (and their
 * names) for a batch of stream records, the applications by id and name, and the userName behind
 * an externalId or user id. Reads only; every call is batched.
 */
import { BatchGetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EntityInfo, EntityRef } from '../reports/events';
import { Attr, Index, ItemType, keys, UniqueKind, type Key } from './keys';

const BATCH_GET_SIZE = 100;
const MAX_ATTEMPTS = 8;

export interface AppSummary {
  id: string;
  name: string;
}

export interface ReportDirectory {
  /** Each ref's current names, or `null` when the item no longer exists. Key: `entityKey(ref)`. */
  entities(refs: EntityRef[]): Promise<Map<string, EntityInfo | null>>;
  apps(): Promise<AppSummary[]>;
  /** userNames of the users whose externalId or id is `identifier`, in these applications. */
  userNamesFor(identifier: string, appIds: string[]): Promise<string[]>;
}

export const entityKey = (ref: EntityRef): string => `${ref.kind}|${ref.appId}|${ref.id}`;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const createReportDirectory = (client: DynamoDBDocumentClient, tableName: string): ReportDirectory => {
  /** Strongly consistent BatchGetItem of any number of keys (a deleted item must read as gone). */
  const getAll = async (wanted: Key[], projection: string[]): Promise<Record<string, unknown>[]> => {
    const unique = [...new Map(wanted.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
    const names = Object.fromEntries(projection.map((p, i) => [`#p${i}`, p]));
    const found: Record<string, unknown>[] = [];
    for (let start = 0; start < unique.length; start += BATCH_GET_SIZE) {
      let pending: Record<string, unknown>[] = unique.slice(start, start + BATCH_GET_SIZE).map((k) => ({ pk: k.pk, sk: k.sk }));
      for (let attempt = 1; pending.length; attempt++) {
        if (attempt > MAX_ATTEMPTS) throw new Error(`${pending.length} keys stayed unprocessed after ${MAX_ATTEMPTS} attempts.`);
        if (attempt > 1) await pause(Math.min(1000, 25 * 2 ** attempt));
        const out = await client.send(
          new BatchGetCommand({
            RequestItems: {
              [tableName]: {
                Keys: pending,
                ConsistentRead: true,
                ProjectionExpression: Object.keys(names).join(', '),
                ExpressionAttributeNames: names,
              },
            },
          }),
        );
        found.push(...(out.Responses?.[tableName] ?? []));
        pending = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  };

  const keyOf = (ref: EntityRef): Key => (ref.kind === 'User' ? keys.user(ref.appId, ref.id) : keys.group(ref.appId, ref.id));

  const entities = async (refs: EntityRef[]): Promise<Map<string, EntityInfo | null>> => {
    const result = new Map<string, EntityInfo | null>();
    if (!refs.length) return result;
    const items = await getAll(refs.map(keyOf), [Attr.pk, Attr.sk, Attr.type, 'userName', 'externalId', 'displayName']);
    const byKey = new Map(items.map((item) => [`${item.pk}\u0000${item.sk}`, item]));
    for (const ref of refs) {
      const key = keyOf(ref);
      const item = byKey.get(`${key.pk}\u0000${key.sk}`);
      result.set(
        entityKey(ref),
        item && item.type === ref.kind
          ? { userName: item.userName as string | undefined, externalId: item.externalId as string | undefined, displayName: item.displayName as string | undefined }
          : null,
      );
    }
    return result;
  };

  const apps = async (): Promise<AppSummary[]> => {
    const out: AppSummary[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: Index.lists,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': Attr.gsi1pk, '#sk': Attr.gsi1sk, '#type': Attr.type, '#id': 'id', '#name': 'name' },
          ExpressionAttributeValues: { ':pk': keys.appList().gsi1pk },
          ProjectionExpression: '#sk, #type, #id, #name',
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.type !== ItemType.app) continue;
        out.push({ id: String(item.id ?? item.gsi1sk), name: String(item.name ?? '') });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  };

  const userNamesFor = async (identifier: string, appIds: string[]): Promise<string[]> => {
    if (!identifier || !appIds.length) return [];
    const first = await getAll(
      appIds.flatMap((appId) => [keys.unique(appId, UniqueKind.externalId, identifier), keys.user(appId, identifier)]),
      [Attr.pk, Attr.sk, Attr.type, 'appId', 'ownerId', 'userName'],
    );
    const names = new Set<string>();
    const owners: Key[] = [];
    for (const item of first) {
      if (item.type === ItemType.user && typeof item.userName === 'string') names.add(item.userName);
      if (item.type === ItemType.unique && typeof item.ownerId === 'string' && typeof item.appId === 'string') {
        owners.push(keys.user(item.appId, item.ownerId));
      }
    }
    if (owners.length) {
      for (const item of await getAll(owners, [Attr.pk, Attr.sk, Attr.type, 'userName'])) {
        if (item.type === ItemType.user && typeof item.userName === 'string') names.add(item.userName);
      }
    }
    return [...names];
  };

  return { entities, apps, userNamesFor };
};
