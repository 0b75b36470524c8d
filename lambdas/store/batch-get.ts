/**
 * BatchGetItem for any number of keys: deduplicated, 100 keys a call, UnprocessedKeys retried
 * with backoff. Strongly consistent, since callers ask whether something was just deleted.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Key } from './keys';

const BATCH_GET_SIZE = 100;
const MAX_ATTEMPTS = 8;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const batchGetAll = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  wanted: Key[],
  projection: string[],
): Promise<Record<string, unknown>[]> => {
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
            [tableName]: { Keys: pending, ConsistentRead: true, ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names },
          },
        }),
      );
      found.push(...(out.Responses?.[tableName] ?? []));
      pending = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return found;
};
