/**
 * Main-table reads the report pipeline needs: whether users and groups still exist (and their
 * names) for a batch of stream records, the applications by id and name, and the userName behind
 * an externalId or user id. Reads only; every call is batched.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { entityKey, type EntityInfo, type EntityRef } from '../domain/entities';
import { ItemType } from '../domain/items';
import { batchGetAll } from './batch-get';
import { createExternalIds } from './external-ids';
import { Attr, Index, keys, type Key } from './keys';
import { itemsOfEntries } from './index-items';
import { queryPages } from './paging';

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

export const createReportDirectory = (client: DynamoDBDocumentClient, tableName: string): ReportDirectory => {
  const getAll = (wanted: Key[], projection: string[]) => batchGetAll(client, tableName, wanted, { consistentRead: true, projection });
  const externalIds = createExternalIds(client, tableName, 'User');

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
    for await (const page of queryPages<Record<string, unknown>>(client, {
      TableName: tableName,
      IndexName: Index.lists,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': Attr.gsi1pk },
      ExpressionAttributeValues: { ':pk': keys.appList().gsi1pk },
    })) {
      // The index holds keys and type; the names come from the items (one BatchGet a page).
      const entries = page.items.filter((entry) => entry.type === ItemType.app);
      for (const item of await itemsOfEntries(client, tableName, entries, { projection: [Attr.pk, Attr.sk, Attr.type, 'id', 'name'] })) {
        if (item.type !== ItemType.app) continue;
        out.push({ id: String(item.id ?? item.gsi1sk), name: String(item.name ?? '') });
      }
    }
    return out;
  };

  const userNamesFor = async (identifier: string, appIds: string[]): Promise<string[]> => {
    if (!identifier || !appIds.length) return [];
    // The user whose id it is, and every holder of it as an externalId (not unique: one Query per application).
    const holders = await Promise.all(appIds.map(async (appId) => (await externalIds.holders(appId, identifier)).map((id) => keys.user(appId, id))));
    const users = await getAll([...appIds.map((appId) => keys.user(appId, identifier)), ...holders.flat()], [Attr.pk, Attr.sk, Attr.type, 'userName']);
    const names = new Set<string>();
    for (const item of users) if (item.type === ItemType.user && typeof item.userName === 'string') names.add(item.userName);
    return [...names];
  };

  return { entities, apps, userNamesFor };
};
