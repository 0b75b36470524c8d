/**
 * The DynamoDB document client as every store expects it (the runtime builds one per container).
 * The endpoint comes from the SDK's own `AWS_ENDPOINT_URL_DYNAMODB` (DynamoDB Local on a laptop and
 * in tests), so no code path differs.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const createDocumentClient = (client = new DynamoDBClient({ maxAttempts: 3 })): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
    unmarshallOptions: { wrapNumbers: false },
  });
