/**
 * BatchWriteItem in chunks of 25, retrying UnprocessedItems with backoff. Not atomic: callers
 * rely on idempotent puts and deletes, so a retry after a partial write is harmless.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const BATCH_WRITE_SIZE = 25;
const MAX_ATTEMPTS = 8;

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

export class UnprocessedItemsError extends Error {
  override readonly name = 'UnprocessedItemsError';
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes one chunk (≤ 25 requests) completely, or throws. */
export const writeChunk = async (client: DynamoDBDocumentClient, tableName: string, requests: WriteRequest[]): Promise<void> => {
  let pending = requests;
  for (let attempt = 1; pending.length; attempt++) {
    if (attempt > MAX_ATTEMPTS) throw new UnprocessedItemsError(`${pending.length} writes stayed unprocessed after ${MAX_ATTEMPTS} attempts.`);
    if (attempt > 1) await pause(Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2));
    const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
    pending = (out.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
  }
};

export const putRequest = (item: Record<string, unknown>): WriteRequest => ({ PutRequest: { Item: item } });
export const deleteRequest = (key: Record<string, unknown>): WriteRequest => ({ DeleteRequest: { Key: key } });

/** Writes all requests chunk by chunk; `onChunk` learns how many are durably written so far. */
export const writeAll = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: WriteRequest[],
  onChunk?: (written: number) => void,
): Promise<void> => {
  for (let start = 0; start < requests.length; start += BATCH_WRITE_SIZE) {
    await writeChunk(client, tableName, requests.slice(start, start + BATCH_WRITE_SIZE));
    onChunk?.(Math.min(requests.length, start + BATCH_WRITE_SIZE));
  }
};
