/**
 * Starts one in-memory DynamoDB Local for the whole jest run. Test files create their own
 * uniquely named tables (see test/helpers/tables.ts), so suites never share data.
 */
import { startDynamoDbLocal } from '../../lib/local/dynamodb-local';

export default async function globalSetup(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const ddb = await startDynamoDbLocal({ inMemory: true });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.endpoint;
  process.env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS = ddb.endpoint;
  (globalThis as { __DDB_LOCAL__?: typeof ddb }).__DDB_LOCAL__ = ddb;
}
