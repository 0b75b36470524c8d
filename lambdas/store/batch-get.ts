/**
 * The one BatchGetItem of the store: any number of keys, deduplicated (DynamoDB refuses a batch that
 * names a key twice), 100 keys a call, UnprocessedKeys retried by the store's retry policy
 * (retry.ts), so a throttled table ends in a bounded number of calls, never in a loop.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Key } from './keys';
import { drainUnprocessed } from './retry';

/** DynamoDB's limit on keys per BatchGetItem call. */
const BATCH_GET_SIZE = 100;

export interface BatchGetOptions {
  /** Strongly consistent reads (callers asking whether something was just written or deleted). @default false */
  consistentRead?: boolean;
  /** Only these attributes; all of them when absent. */
  projection?: readonly string[];
}

/** The items found for `wanted`, in no particular order (missing keys are simply absent). */
export const batchGetAll = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  wanted: readonly Key[],
  options: BatchGetOptions = {},
): Promise<Record<string, unknown>[]> => {
  const unique = [...new Map(wanted.map((k) => [`${k.pk}\u0000${k.sk}`, { pk: k.pk, sk: k.sk }])).values()];
  const names = options.projection && Object.fromEntries(options.projection.map((p, i) => [`#p${i}`, p]));
  const projection = names ? { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names } : {};
  const found: Record<string, unknown>[] = [];
  for (let start = 0; start < unique.length; start += BATCH_GET_SIZE) {
    await drainUnprocessed(
      unique.slice(start, start + BATCH_GET_SIZE),
      async (keys) => {
        const out = await client.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [...keys], ConsistentRead: options.consistentRead, ...projection } } }),
        );
        found.push(...(out.Responses?.[tableName] ?? []));
        return (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
      },
      'keys',
    );
  }
  return found;
};
