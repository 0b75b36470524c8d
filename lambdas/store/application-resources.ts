/**
 * An application's users and groups as a whole, for deleting the application: whether any remain,
 * and deleting every item they own (users with their memberships, groups, uniqueness sentinels,
 * externalId entries) page by page. Part of the application store (application-items.ts).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deleteRequest, writeAll } from './batch-write';
import { Attr, Index, keys, UniqueKind, type Key } from './keys';
import { itemPages } from './index-items';
import { listPartitionQuery, queryPages } from './paging';

type Item = Record<string, unknown>;

export interface AppResources {
  /** Whether the application still owns users or groups. */
  hasResources(appId: string): Promise<boolean>;
  /** Deletes every user, group, membership, uniqueness sentinel and externalId entry of the application, page by page; returns how many users and groups went. */
  purgeResources(appId: string): Promise<number>;
}

export const createAppResources = (client: DynamoDBDocumentClient, tableName: string): AppResources => {
  const listQuery = (gsi1pk: string) => listPartitionQuery(tableName, gsi1pk);

  /** Deletes these items (each once: a batch may not name one key twice). */
  const batchDelete = async (all: Key[]): Promise<void> => {
    const unique = [...new Map(all.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
    await writeAll(client, tableName, unique.map((key) => deleteRequest({ ...key })));
  };

  const partitionKeys = async (pk: string): Promise<Key[]> => {
    const found: Key[] = [];
    for await (const page of queryPages<Item>(client, {
      TableName: tableName,
      KeyConditionExpression: '#pk = :pk',
      ProjectionExpression: '#pk, #sk',
      ExpressionAttributeNames: { '#pk': Attr.pk, '#sk': Attr.sk },
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    })) {
      for (const item of page.items) found.push({ pk: String(item.pk), sk: String(item.sk) });
    }
    return found;
  };

  return {
    async hasResources(appId) {
      for (const list of [keys.userList(appId).gsi1pk, keys.groupList(appId).gsi1pk]) {
        const query = listQuery(list);
        const input = { ...query, ExpressionAttributeNames: { ...query.ExpressionAttributeNames, '#key': Attr.pk }, ProjectionExpression: '#key', Limit: 1 };
        // The first page answers it: one item, or none at all.
        for await (const page of queryPages(client, input)) {
          if (page.items.length) return true;
          break;
        }
      }
      return false;
    },

    async purgeResources(appId) {
      let purged = 0;
      // Users: each user's partition holds the user and its memberships; its other keys follow from it (older versions' externalId record included).
      for await (const page of itemPages<Item>(client, tableName, listQuery(keys.userList(appId).gsi1pk))) {
        const doomed: Key[] = [];
        for (const user of page.items) {
          doomed.push(...(await partitionKeys(keys.userPartition(appId, String(user.id)))));
          if (typeof user.userName === 'string') doomed.push(keys.unique(appId, UniqueKind.userName, user.userName));
          if (typeof user.externalId === 'string') doomed.push(keys.externalIdEntry(appId, 'User', user.externalId, String(user.id)), keys.unique(appId, UniqueKind.externalId, user.externalId));
        }
        await batchDelete(doomed);
        purged += page.items.length;
      }
      for await (const page of itemPages<Item>(client, tableName, listQuery(keys.groupList(appId).gsi1pk))) {
        const doomed: Key[] = [];
        for (const group of page.items) {
          doomed.push(keys.group(appId, String(group.id)));
          if (typeof group.displayName === 'string') doomed.push(keys.unique(appId, UniqueKind.groupName, group.displayName));
          if (typeof group.externalId === 'string') doomed.push(keys.externalIdEntry(appId, 'Group', group.externalId, String(group.id)));
        }
        await batchDelete(doomed);
        purged += page.items.length;
      }
      return purged;
    },
  };
};
