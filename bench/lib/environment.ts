/**
 * The in-process world of the benchmark: DynamoDB Local (started here, or the one named by
 * AWS_ENDPOINT_URL_DYNAMODB when it is on loopback, as in jest), a fresh pair of tables, and the
 * real handlers built from a runtime on them (as a Lambda container builds its own), whose
 * DynamoDB client is metered.
 */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDiscoveryHandler } from '../../lambdas/handlers/discovery';
import { createGroupsHandler } from '../../lambdas/handlers/groups';
import { createUsersHandler } from '../../lambdas/handlers/users';
import { loadConfig } from '../../lambdas/shared/config';
import { createRuntime, type Runtime } from '../../lambdas/shared/runtime';
import { createTable } from '../../lib/local/create-tables';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../lib/local/dynamodb-local';
import { MAIN_TABLE, REPORT_TABLE } from '../../lib/tables';
import type { LambdaHandler } from './events';
import { setBenchEnvironmentDefaults } from './process-env';
import { installMeter, type Meter } from './meter';

export interface Handlers {
  users: LambdaHandler;
  groups: LambdaHandler;
  discovery: LambdaHandler;
}

export interface BenchEnvironment {
  endpoint: string;
  tableName: string;
  reportTableName: string;
  /** A plain client for seeding (its commands are never metered). */
  raw: DynamoDBClient;
  /** The handlers' own document client (their runtime's). */
  documentClient: DynamoDBDocumentClient;
  /** The runtime the handlers are built from (a section may build more handlers on it: metered alike). */
  runtime: Runtime;
  meter: Meter;
  handlers: Handlers;
  close(): Promise<void>;
}

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/;

/** The handlers over these tables, and the meter on their client. */
const buildHandlers = (tableName: string, reportTableName: string) => {
  const rt = createRuntime(loadConfig({ ...process.env, SCIM_TABLE_NAME: tableName, SCIM_REPORT_TABLE_NAME: reportTableName }));
  const meter = installMeter(rt.dynamo);
  const handlers: Handlers = {
    users: createUsersHandler(rt) as unknown as LambdaHandler,
    groups: createGroupsHandler(rt) as unknown as LambdaHandler,
    discovery: createDiscoveryHandler(rt) as unknown as LambdaHandler,
  };
  return { handlers, documentClient: rt.dynamo, meter, runtime: rt };
};

export const startBenchEnvironment = async (): Promise<BenchEnvironment> => {
  setBenchEnvironmentDefaults();
  let ddb: DynamoDbLocal | undefined;
  const given = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  if (given && !LOOPBACK.test(given)) throw new Error(`The benchmark only runs against DynamoDB Local on loopback; AWS_ENDPOINT_URL_DYNAMODB is "${given}".`);
  let killOnExit: (() => void) | undefined;
  if (!given) {
    const started = await startDynamoDbLocal({ inMemory: true });
    ddb = started;
    // If the bench dies, its JVM must not outlive it.
    killOnExit = () => started.process.kill('SIGTERM');
    process.on('exit', killOnExit);
    process.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.endpoint;
  }
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB!;
  const raw = new DynamoDBClient({ maxAttempts: 10 });
  const suffix = randomUUID().slice(0, 8);
  const tableName = `bench-main-${suffix}`;
  const reportTableName = `bench-reports-${suffix}`;
  await createTable(raw, tableName, MAIN_TABLE);
  await createTable(raw, reportTableName, REPORT_TABLE);
  const { handlers, documentClient, meter, runtime } = buildHandlers(tableName, reportTableName);
  return {
    endpoint,
    tableName,
    reportTableName,
    raw,
    documentClient,
    runtime,
    meter,
    handlers,
    close: async () => {
      if (ddb) {
        if (killOnExit) process.off('exit', killOnExit);
        await ddb.stop();
      } else {
        await raw.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
        await raw.send(new DeleteTableCommand({ TableName: reportTableName })).catch(() => undefined);
      }
      raw.destroy();
      documentClient.destroy();
    },
  };
};
