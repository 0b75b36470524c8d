/**
 * Paging over DynamoDB queries: RFC 9865 list cursors over `LastEvaluatedKey` (in the one cursor
 * codec, domain/cursor.ts), and the store's one pager over every page of a query. A list cursor is
 * bound to its list (the partition it was issued for) and to the query that produced it, so it
 * cannot be replayed against another application or filter.
 */
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { decodeCursor, encodeCursor } from '../domain/cursor';
import { ScimError } from '../scim/errors';
import { Attr, Index } from './keys';

export type StartKey = Record<string, string>;

const ListCursorSchema = z.object({
  /** The partition key value the cursor belongs to. */
  p: z.string(),
  /** Digest of the query (filter, sort) the cursor continues (domain/cursor.ts `queryDigest`). */
  q: z.string(),
  /** Where to continue: the last evaluated key, or how many items of a complete result were already returned. */
  k: z.optional(z.record(z.string(), z.string())),
  o: z.optional(z.int().check(z.minimum(0))),
});
export type ListCursor = z.infer<typeof ListCursorSchema>;

export const encodeListCursor = (body: ListCursor): string => encodeCursor(body);

export const decodeListCursor = (cursor: string, partition: string, digest: string): { key?: StartKey; offset: number } => {
  const body = decodeCursor(cursor, ListCursorSchema);
  if (!body || body.p !== partition || body.q !== digest) throw ScimError.invalidValue('The cursor is invalid or expired; start again without a cursor.');
  return { key: body.k, offset: body.o ?? 0 };
};

export interface QueryPage<T> {
  items: T[];
  /** Items the page matched (`Select: 'COUNT'` pages carry no items, only this). */
  count: number;
  lastKey?: StartKey;
}

export interface QueryPagesOptions {
  /** The `Limit` of each next page, asked just before it is read (a skip shrinks it as it goes). */
  pageLimit?: () => number | undefined;
}

/**
 * The one pager of the store: every page of a query, following LastEvaluatedKey. Callers stop
 * whenever they have enough (leaving the loop reads no further page).
 */
export async function* queryPages<T>(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
  options: QueryPagesOptions = {},
): AsyncGenerator<QueryPage<T>> {
  let startKey = input.ExclusiveStartKey;
  do {
    const limit = options.pageLimit ? { Limit: options.pageLimit() } : {};
    const page = await client.send(new QueryCommand({ ...input, ...limit, ExclusiveStartKey: startKey }));
    startKey = page.LastEvaluatedKey;
    yield { items: (page.Items ?? []) as T[], count: page.Count ?? 0, lastKey: startKey as StartKey | undefined };
  } while (startKey);
}

/** Counts a query's items without returning them (still reads them: O(n) read units). */
export const countQuery = async (client: DynamoDBDocumentClient, input: QueryCommandInput): Promise<number> => {
  let total = 0;
  for await (const page of queryPages(client, { ...input, Select: 'COUNT' })) total += page.count;
  return total;
};

/** The query of one list partition of the lists index (an application's users, groups; the applications). */
export const listPartitionQuery = (tableName: string, gsi1pk: string) => ({
  TableName: tableName,
  IndexName: Index.lists,
  KeyConditionExpression: '#pk = :pk',
  ExpressionAttributeNames: { '#pk': Attr.gsi1pk } as Record<string, string>,
  ExpressionAttributeValues: { ':pk': gsi1pk },
});
