/**
 * Failure items: refused and failed SCIM requests, written into the main table because streams only
 * carry writes; the stream takes them to the report table like every other event (same retries,
 * same idempotent row keys). What a failure item says is decided by the handler layer
 * (shared/failures.ts); this only writes it.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FailureItem } from '../domain/items';

export const putFailureItem = async (client: DynamoDBDocumentClient, tableName: string, item: FailureItem): Promise<void> => {
  await client.send(new PutCommand({ TableName: tableName, Item: item }));
};
