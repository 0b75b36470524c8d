/**
 * Reading whole items through an index that copies only keys and the item type (lib/tables.ts):
 * each page of index entries is followed by one BatchGet of the table items it names (100 keys a
 * call), returned in the entries' order. Index copies cost a write on every change of what they
 * hold; a BatchGet of a page costs half a read unit per item, and only when a page is read.
 */
import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, type BatchGetOptions } from './batch-get';
import { Attr, type Key } from './keys';
import { queryPages, type QueryPage, type QueryPagesOptions } from './paging';

const keyOf = (entry: Record<string, unknown>): Key => ({ pk: String(entry[Attr.pk]), sk: String(entry[Attr.sk]) });
const idOf = (key: Key) => `${key.pk}\u0000${key.sk}`;

/** The table items behind index entries, in the entries' order; an item deleted since is left out. */
export const itemsOfEntries = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  entries: readonly Record<string, unknown>[],
  options: BatchGetOptions = {},
): Promise<Record<string, unknown>[]> => {
  if (entries.length === 0) return [];
  const wanted = entries.map(keyOf);
  const found = await batchGetAll(client, tableName, wanted, options);
  const byKey = new Map(found.map((item) => [idOf(keyOf(item)), item]));
  return wanted.flatMap((key): Record<string, unknown>[] => {
    const item = byKey.get(idOf(key));
    return item ? [item] : [];
  });
};

/** Every page of an index query with its table items (`count` and `lastKey` are the index page's). */
export async function* itemPages<T>(
  client: DynamoDBDocumentClient,
  tableName: string,
  input: QueryCommandInput,
  options: QueryPagesOptions = {},
): AsyncGenerator<QueryPage<T>> {
  for await (const page of queryPages<Record<string, unknown>>(client, input, options)) {
    yield { ...page, items: (await itemsOfEntries(client, tableName, page.items)) as T[] };
  }
}
