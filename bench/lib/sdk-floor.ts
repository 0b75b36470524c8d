/**
 * The cold-start section's reference bundle: the pinned DynamoDB document client and one GetItem,
 * nothing of ours. Its init on the same machine in the same run is the floor a bundle that talks to
 * DynamoDB cannot go below, so a bundle's init minus this one is what our own code costs.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (): Promise<void> => {
  await client.send(new GetCommand({ TableName: process.env.SCIM_TABLE_NAME, Key: { pk: 'probe', sk: 'probe' } }));
};
