/**
 * Per-suite tables on the shared DynamoDB Local. Refuses any endpoint that is not loopback, so a
 * test can never touch a real AWS account.
 */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable } from '../../lib/local/create-tables';
import { MAIN_TABLE, REPORT_TABLE } from '../../lib/tables';

export const localEndpoint = (): string => {
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  if (!endpoint || !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(endpoint)) {
    throw new Error(`Integration tests need DynamoDB Local on loopback; AWS_ENDPOINT_URL_DYNAMODB is "${endpoint}".`);
  }
  return endpoint;
};

export interface TestTables {
  tableName: string;
  reportTableName: string;
  client: DynamoDBClient;
  drop(): Promise<void>;
}

/** Creates a fresh main + report table pair (give them to handlers with `testRuntime`). */
export const createTestTables = async (prefix = 'test'): Promise<TestTables> => {
  localEndpoint();
  const suffix = randomUUID().slice(0, 8);
  const tableName = `${prefix}-main-${suffix}`;
  const reportTableName = `${prefix}-reports-${suffix}`;
  const client = new DynamoDBClient({});
  await createTable(client, tableName, MAIN_TABLE);
  await createTable(client, reportTableName, REPORT_TABLE);
  return {
    tableName,
    reportTableName,
    client,
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      await client.send(new DeleteTableCommand({ TableName: reportTableName })).catch(() => undefined);
      client.destroy();
    },
  };
};
