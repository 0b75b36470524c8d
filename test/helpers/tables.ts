/**
 * Per-suite tables, on a DynamoDB Local of the suite's own. Refuses any endpoint that is not
 * loopback, so a test can never touch a real AWS account.
 *
 * Why not the run's shared emulator: DynamoDB Local keeps every table's stream records (24 h, even
 * after the table is dropped) and re-reads the stream's description on each write, so a write's cost
 * grows with everything written before it in the process. One shared emulator made a 10,000-member
 * group take 43 s first in a run and over 900 s at its end. A JVM of its own costs a suite ~2 s.
 */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable } from '../../lib/local/create-tables';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../lib/local/dynamodb-local';
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

// Jest gives each test file its own module registry and its own copy of process.env, so this is
// per file: started by the file's first table pair, stopped when its last pair is dropped.
let suiteEmulator: Promise<DynamoDbLocal> | undefined;
let openPairs = 0;

const useSuiteEmulator = async (): Promise<void> => {
  suiteEmulator ??= startDynamoDbLocal({ inMemory: true }).then((ddb) => {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.endpoint;
    process.env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS = ddb.endpoint;
    return ddb;
  });
  await suiteEmulator;
  openPairs += 1;
};

const releaseSuiteEmulator = async (): Promise<void> => {
  openPairs -= 1;
  if (openPairs > 0 || !suiteEmulator) return;
  const ddb = await suiteEmulator;
  suiteEmulator = undefined;
  await ddb.stop();
};

/** Creates a fresh main + report table pair (give them to handlers with `testRuntime`); `drop` it after the suite. */
export const createTestTables = async (prefix = 'test'): Promise<TestTables> => {
  localEndpoint();
  await useSuiteEmulator();
  const suffix = randomUUID().slice(0, 8);
  const tableName = `${prefix}-main-${suffix}`;
  const reportTableName = `${prefix}-reports-${suffix}`;
  const client = new DynamoDBClient({});
  await createTable(client, tableName, MAIN_TABLE);
  await createTable(client, reportTableName, REPORT_TABLE);
  let dropped = false;
  return {
    tableName,
    reportTableName,
    client,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      await client.send(new DeleteTableCommand({ TableName: reportTableName })).catch(() => undefined);
      client.destroy();
      await releaseSuiteEmulator();
    },
  };
};
