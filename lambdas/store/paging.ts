/**
 * Paging over DynamoDB queries: opaque RFC 9865 cursors over `LastEvaluatedKey`, and iteration
 * over every page of a query. A cursor is bound to its list (the partition it was issued for) and
 * to the query that produced it, so it cannot be replayed against another application or filter.
 */
import { createHash } from 'node:crypto';
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ScimError } from '../scim/errors';

export type StartKey = Record<string, string>;

interface CursorBody {
  /** The partition key value the cursor belongs to. */
  p: string;
  /** Digest of the query (filter, sort) the cursor continues. */
  q: string;
  /** Where to continue: the last evaluated key, and how many items of its page were already returned. */
  k?: StartKey;
  o?: number;
}

export const queryDigest = (...parts: (string | undefined)[]): string =>
  createHash('sha256').update(parts.map((p) => p ?? '').join('\u0000')).digest('base64url').slice(0, 16);

export const encodeCursor = (body: CursorBody): string => Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');

export const decodeCursor = (cursor: string, partition: string, digest: string): { key?: StartKey; offset: number } => {
  const invalid = () => ScimError.invalidValue('The cursor is invalid or expired; start again without a cursor.');
  let body: CursorBody;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorBody;
  } catch {
    throw invalid();
  }
  if (!body || typeof body !== 'object' || body.p !== partition || body.q !== digest) throw invalid();
  if (body.k !== undefined && (typeof body.k !== 'object' || Object.values(body.k).some((v) => typeof v !== 'string'))) throw invalid();
  if (body.o !== undefined && (!Number.isInteger(body.o) || body.o < 0)) throw invalid();
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
