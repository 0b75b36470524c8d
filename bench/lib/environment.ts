/**
 * The in-process world of the benchmark: DynamoDB Local (started here, or the one named by
 * AWS_ENDPOINT_URL_DYNAMODB when it is on loopback, as in jest), a fresh pair of tables, the
 * handler environment, and the real handler modules, imported only after the environment is set
 * because they read it at module scope — as a Lambda container does.
 */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
  /** The handlers' own document client (the container-wide singleton). */
  documentClient: DynamoDBDocumentClient;
  meter: Meter;
  handlers: Handlers;
  close(): Promise<void>;
}

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/;

let loaded: Promise<{ handlers: Handlers; documentClient: DynamoDBDocumentClient; meter: Meter }> | undefined;

/** Imports the handlers once per process (their module scope binds the table names). */
const loadHandlers = () =>
  (loaded ??= (async () => {
    const client = await import('../../lambdas/store/client');
    const documentClient = client.documentClient();
    const meter = installMeter(documentClient);
    const [users, groups, discovery] = await Promise.all([
      import('../../lambdas/handlers/users'),
      import('../../lambdas/handlers/groups'),
      import('../../lambdas/handlers/discovery'),
    ]);
    const handlers: Handlers = {
      users: users.handler as unknown as LambdaHandler,
      groups: groups.handler as unknown as LambdaHandler,
      discovery: discovery.handler as unknown as LambdaHandler,
    };
    return { handlers, documentClient, meter };
  })());

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
  // A handler module already imported in this process keeps its tables; reuse them.
  const suffix = randomUUID().slice(0, 8);
  const tableName = loaded ? process.env.SCIM_TABLE_NAME! : `bench-main-${suffix}`;
  const reportTableName = loaded ? process.env.SCIM_REPORT_TABLE_NAME! : `bench-reports-${suffix}`;
  await createTable(raw, tableName, MAIN_TABLE);
  await createTable(raw, reportTableName, REPORT_TABLE);
  process.env.SCIM_TABLE_NAME = tableName;
  process.env.SCIM_REPORT_TABLE_NAME = reportTableName;
  const { handlers, documentClient, meter } = await loadHandlers();
  return {
    endpoint,
    tableName,
    reportTableName,
    raw,
    documentClient,
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
    },
  };
};
