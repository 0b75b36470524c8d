/**
 * What the directory read API (issue 16) reads from the main table: an application's user and
 * group items by page (the lists index, optionally only those written after a time), one item, and
 * a group's members by page (the lookups index, then their user items). Items come back as stored;
 * the events core turns them into the API's shapes, the same way it turns them into events.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryDigest } from '../domain/cursor';
import { batchGetAll } from './batch-get';
import { itemPages } from './index-items';
import { Attr, Index, keys } from './keys';
import { decodeListCursor, encodeListCursor, listPartitionQuery, queryPages, type StartKey } from './paging';

export type DirectoryKind = 'users' | 'groups';

export interface ItemPage {
  items: Record<string, unknown>[];
  nextCursor?: string;
}

export const createDirectoryItems = (client: DynamoDBDocumentClient, tableName: string) => {
  /**
   * Reads up to `limit` matching items from `start`; the cursor continues right after the last one
   * evaluated. `keep` (given: the table items are read) decides which of them match.
   */
  const page = async (
    base: Parameters<typeof queryPages>[1],
    partition: string,
    digest: string,
    limit: number,
    cursor: string | undefined,
    keep?: (item: Record<string, unknown>) => boolean,
  ) => {
    const start = cursor ? decodeListCursor(cursor, partition, digest).key : undefined;
    const items: Record<string, unknown>[] = [];
    let last: StartKey | undefined;
    const input = { ...base, ExclusiveStartKey: start };
    const paging = { pageLimit: () => limit - items.length };
    const pages = keep ? itemPages<Record<string, unknown>>(client, tableName, input, paging) : queryPages<Record<string, unknown>>(client, input, paging);
    for await (const got of pages) {
      items.push(...(keep ? got.items.filter(keep) : got.items));
      last = got.lastKey;
      if (items.length >= limit) break;
    }
    return { items, nextCursor: last ? encodeListCursor({ p: partition, q: digest, k: last }) : undefined };
  };

  return {
    async list(appId: string, kind: DirectoryKind, options: { limit: number; cursor?: string; updatedAfter?: string }): Promise<ItemPage> {
      const partition = (kind === 'users' ? keys.userList(appId) : keys.groupList(appId)).gsi1pk;
      const after = options.updatedAfter;
      // The index holds no lastModified (it would be rewritten on every write): the items are filtered once read.
      const keep = (item: Record<string, unknown>) => after === undefined || String(item.lastModified ?? '') > after;
      return page(listPartitionQuery(tableName, partition), partition, queryDigest('directory', kind, after ?? null), options.limit, options.cursor, keep);
    },

    async get(appId: string, kind: DirectoryKind, id: string): Promise<Record<string, unknown> | undefined> {
      const key = kind === 'users' ? keys.user(appId, id) : keys.group(appId, id);
      return (await client.send(new GetCommand({ TableName: tableName, Key: key }))).Item;
    },

    /** A page of a group's members, as their user items (a member deleted meanwhile is left out). */
    async members(appId: string, groupId: string, options: { limit: number; cursor?: string }): Promise<ItemPage> {
      const partition = keys.groupMembers(appId, groupId).gsi2pk;
      const base = {
        TableName: tableName,
        IndexName: Index.lookups,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': Attr.gsi2pk },
        ExpressionAttributeValues: { ':pk': partition },
      };
      const memberships = await page(base, partition, queryDigest('directory', 'members'), options.limit, options.cursor);
      const userIds = memberships.items.map((m) => String(m.gsi2sk));
      const users = await batchGetAll(client, tableName, userIds.map((id) => keys.user(appId, id)));
      const byId = new Map(users.map((u) => [String(u.id), u]));
      return { items: userIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])), nextCursor: memberships.nextCursor };
    },
  };
};

