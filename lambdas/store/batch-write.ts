/**
 * The one BatchWriteItem of the store: chunks of 25, UnprocessedItems retried by the store's retry
 * policy (retry.ts). Not atomic: callers rely on idempotent puts and deletes, so a retry after a
 * partial write is harmless. A batch may not name one key twice; callers that could, deduplicate.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { drainUnprocessed } from './retry';

/** DynamoDB's limit on requests per BatchWriteItem call. */
export const BATCH_WRITE_SIZE = 25;

export type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

export const putRequest = (item: Record<string, unknown>): WriteRequest => ({ PutRequest: { Item: item } });
export const deleteRequest = (key: Record<string, unknown>): WriteRequest => ({ DeleteRequest: { Key: key } });

/** Writes one chunk (≤ 25 requests) completely, or throws. */
const writeChunk = (client: DynamoDBDocumentClient, tableName: string, requests: readonly WriteRequest[]): Promise<void> =>
  drainUnprocessed(
    requests,
    async (pending) => {
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: [...pending] } }));
      return (out.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    },
    'writes',
  );

/** Writes all requests chunk by chunk; `onChunk` learns how many are durably written so far. */
export const writeAll = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  onChunk?: (written: number) => void,
): Promise<void> => {
  for (let start = 0; start < requests.length; start += BATCH_WRITE_SIZE) {
    await writeChunk(client, tableName, requests.slice(start, start + BATCH_WRITE_SIZE));
    onChunk?.(Math.min(requests.length, start + BATCH_WRITE_SIZE));
  }
};
