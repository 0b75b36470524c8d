/**
 * A report pipeline on DynamoDB Local for one test file: fresh tables, an application item, a
 * stream reader, and the stream handler and the report API handler built from a runtime on them.
 */
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { ItemType } from '../../../lambdas/domain/items';
import { createReportsHandler } from '../../../lambdas/handlers/reports';
import { createStreamHandlerOf } from '../../../lambdas/handlers/stream';
import type { Runtime } from '../../../lambdas/shared/runtime';
import { testRuntime } from '../../helpers/runtime';
import { keys } from '../../../lambdas/store/keys';
import { testEvent } from '../../helpers/invoke';
import { createTestTables, type TestTables } from '../../helpers/tables';
import { createStreamReader, type StreamReader } from './stream-reader';

export interface World {
  tables: TestTables;
  /** The runtime the handlers are built from (build more handlers of this world from it). */
  rt: Runtime;
  db: DynamoDBDocumentClient;
  stream: StreamReader;
  put(item: Record<string, unknown>): Promise<void>;
  remove(key: { pk: string; sk: string }): Promise<void>;
  /** Reads the stream and runs every batch through the stream handler; returns its answers. */
  pump(): Promise<DynamoDBBatchResponse[]>;
  /** The stream handler itself (as Lambda calls it). */
  handleStream(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse>;
  /** `GET /admin/reports` with these query parameters, as an admin unless told otherwise. */
  reports(query?: Record<string, string>, caller?: Record<string, string> | null): Promise<{ status: number; body: ReportsBody }>;
  close(): Promise<void>;
}

export interface ReportsBody {
  reports: Record<string, unknown>[];
  nextCursor?: string;
  detail?: string;
  scimType?: string;
}

export const lambdaContext = (): Context =>
  ({
    functionName: 'scim-gateway-test',
    awsRequestId: 'test',
    getRemainingTimeInMillis: () => 60_000,
  }) as unknown as Context;

export const appItem = (id: string, name: string) => ({
  ...keys.app(id),
  ...keys.appListEntry(id),
  type: ItemType.app,
  appId: id,
  id,
  name,
  requiredAttributes: ['userName'],
  created: '2025-01-01T00:00:00.000Z',
  lastModified: '2025-01-01T00:00:00.000Z',
  tokens: [],
  version: 1,
});

export const createWorld = async (prefix: string): Promise<World> => {
  const tables = await createTestTables(prefix);
  const rt = testRuntime(tables);
  const db = rt.dynamo;
  const stream = await createStreamReader(tables.client, tables.tableName);
  const streamHandler = createStreamHandlerOf(rt);
  const reportsHandler = createReportsHandler(rt);

  const pump = async () => {
    const answers: DynamoDBBatchResponse[] = [];
    for (const event of await stream.events()) answers.push(await streamHandler(event, lambdaContext()));
    return answers;
  };

  const reports: World['reports'] = async (query = {}, caller = { kind: 'admin', tokenId: 't' }) => {
    const search = Object.entries(query)
      .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
      .join('&');
    const event = testEvent('GET', `/admin/reports${search ? `?${search}` : ''}`, undefined, {
      headers: { Host: 'localhost' },
      authorizer: caller,
      requestId: 'api-req',
    });
    const result = await reportsHandler(event, lambdaContext());
    return { status: result.statusCode, body: JSON.parse(result.body || '{}') as ReportsBody };
  };

  return {
    tables,
    rt,
    db,
    stream,
    put: async (item) => {
      await db.send(new PutCommand({ TableName: tables.tableName, Item: item }));
    },
    remove: async (key) => {
      await db.send(new DeleteCommand({ TableName: tables.tableName, Key: { pk: key.pk, sk: key.sk } }));
    },
    pump,
    handleStream: (event) => streamHandler(event, lambdaContext()),
    reports,
    close: async () => {
      stream.close();
      db.destroy();
      await tables.drop();
    },
  };
};
