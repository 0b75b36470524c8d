/**
 * Starts one in-memory DynamoDB Local for the whole jest run, for the few suites that make their own
 * tables on it. Suites that use `createTestTables` get an emulator of their own instead (why: see
 * test/helpers/tables.ts).
 */
import { startDynamoDbLocal } from '../../lib/local/dynamodb-local';

export default async function globalSetup(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const ddb = await startDynamoDbLocal({ inMemory: true });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.endpoint;
  process.env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS = ddb.endpoint;
  (globalThis as { __DDB_LOCAL__?: typeof ddb }).__DDB_LOCAL__ = ddb;
}
