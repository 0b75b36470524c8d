/**
 * Creates the tables from the shared definitions (lib/tables.ts) on DynamoDB Local. Idempotent:
 * an existing table is left as it is, so a restart finds its data.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { GsiProjection, TableDefinition } from '../tables';

const projectionOf = (projection: GsiProjection) =>
  projection.type === 'include'
    ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...projection.attributes] }
    : { ProjectionType: projection.type === 'keys' ? ('KEYS_ONLY' as const) : ('ALL' as const) };

export const createTable = async (client: DynamoDBClient, tableName: string, def: TableDefinition): Promise<void> => {
  const attributes = new Set([def.partitionKey, def.sortKey]);
  for (const gsi of def.globalSecondaryIndexes) {
    attributes.add(gsi.partitionKey);
    attributes.add(gsi.sortKey);
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: def.partitionKey, KeyType: 'HASH' },
          { AttributeName: def.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: def.globalSecondaryIndexes.map((gsi) => ({
          IndexName: gsi.indexName,
          KeySchema: [
            { AttributeName: gsi.partitionKey, KeyType: 'HASH' },
            { AttributeName: gsi.sortKey, KeyType: 'RANGE' },
          ],
          Projection: projectionOf(gsi.projection),
        })),
        StreamSpecification: def.stream ? { StreamEnabled: true, StreamViewType: def.stream } : undefined,
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: def.timeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
};

/** The table's stream ARN (DynamoDB Local creates streams immediately). */
export const streamArnOf = async (client: DynamoDBClient, tableName: string): Promise<string | undefined> =>
  (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.LatestStreamArn;
