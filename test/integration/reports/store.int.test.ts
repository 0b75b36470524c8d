/**
 * The report store on DynamoDB Local: what a row costs, time-span walks across days and
 * applications, expired rows, and the failure recorder wired into an HTTP handler.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { ReportRow } from '../../../lambdas/domain/report-row';
import { deriveRows } from '../../../lambdas/reports/events';
import { ScimError } from '../../../lambdas/scim/errors';
import { failureRecorder } from '../../../lambdas/shared/failures';
import { httpHandler } from '../../../lambdas/shared/handler';
import { createDocumentClient } from '../../../lambdas/store/client';
import { keys } from '../../../lambdas/store/keys';
import { toItem } from '../../../lambdas/store/report-items';
import { createReportStore, type ReportStore } from '../../../lambdas/store/reports';
import { testRuntime } from '../../helpers/runtime';
import { createTestTables, type TestTables } from '../../helpers/tables';
import { change, stamp, userItem } from '../../unit/reports/fixtures';
import { lambdaContext } from './world';

const APP_1 = '8a000000-0000-4000-8000-000000000001';
const APP_2 = '8a000000-0000-4000-8000-000000000002';
const DAY = 86_400_000;

const row = (appId: string, time: number, n: number, overrides: Partial<ReportRow> = {}): ReportRow => ({
  eventId: `ev-${appId.slice(-1)}-${n}:0`,
  time: new Date(time).toISOString(),
  appId,
  appName: `App ${appId.slice(-1)}`,
  resourceType: 'User',
  resourceId: `u-${n}`,
  userName: `user${n}@contoso.com`,
  action: n % 2 ? 'update' : 'create',
  status: 'success',
  changes: [],
  expiresAt: new Date(time + 90 * DAY).toISOString(),
  ...overrides,
});

describe('store/reports', () => {
  let tables: TestTables;
  const db = createDocumentClient();
  let store: ReportStore;
  const now = new Date();

  beforeAll(async () => {
    tables = await createTestTables('reports-store');
    store = createReportStore(db, tables.reportTableName, { retentionDays: 90 });
  });
  afterAll(async () => {
    db.destroy();
    await tables.drop();
  });

  it('a user event costs 2 write units (row + byUser entry); a group event 1', async () => {
    const [update] = deriveRows(
      change(
        'MODIFY',
        {
          oldImage: userItem(),
          newImage: userItem({ lastRequest: stamp('5a1f2a4e-8d43-4b8a-a7a8-2f6a3c1d9e77') }, { title: 'Senior Account Executive, EMEA North', displayName: 'Alice M. Smith' }),
        },
        { eventId: 'c4ca4238a0b923820dcc509a6f75849b' },
      ),
      { retentionDays: 90 },
    );
    const cost = async (r: ReportRow) => {
      const out = await db.send(new PutCommand({ TableName: tables.reportTableName, Item: toItem(r), ReturnConsumedCapacity: 'INDEXES' }));
      return out.ConsumedCapacity;
    };
    const user = await cost(update);
    expect(user?.Table?.CapacityUnits).toBe(1);
    expect(user?.GlobalSecondaryIndexes?.byUser?.CapacityUnits).toBe(1);
    expect(user?.CapacityUnits).toBe(2);
    const group = await cost({ ...update, eventId: 'g:0', resourceType: 'Group', userName: undefined, groupDisplayName: 'Sales' });
    expect(group?.CapacityUnits).toBe(1);

    const bigCreate = { ...update, eventId: 'big:0', action: 'create', changes: Array.from({ length: 60 }, (_, i) => ({ name: `urn:ietf:params:scim:schemas:extension:Big:2.0:User:a${i}`, new: 'x'.repeat(200) })) };
    expect((await cost(bigCreate))?.CapacityUnits).toBe(2);
  });

  it('walks days and applications newest first for an unfiltered span, paging with one continuation key', async () => {
    // Prepare: rows on three days in two applications, interleaved in time.
    const start = now.getTime() - 2 * DAY - 60_000;
    const rows = Array.from({ length: 12 }, (_, n) => row(n % 3 ? APP_1 : APP_2, start + n * 4 * 3_600_000, n));
    await store.putRows(rows);
    const expected = [...rows].reverse().map((r) => r.eventId);

    // Act
    const all = await store.query({ from: new Date(start - 1000).toISOString(), to: now.toISOString(), limit: 100, now });
    const paged: string[] = [];
    let after: string | undefined;
    do {
      const page = await store.query({ from: new Date(start - 1000).toISOString(), to: now.toISOString(), limit: 5, after, now });
      paged.push(...page.rows.map((r) => r.eventId));
      after = page.lastKey;
    } while (after);

    // Assess
    expect(all.rows.map((r) => r.eventId)).toEqual(expected);
    expect(all.lastKey).toBeUndefined();
    expect(paged).toEqual(expected);
    const app2 = await store.query({ appIds: [APP_2], from: new Date(start - 1000).toISOString(), to: now.toISOString(), limit: 100, now });
    expect(app2.rows.map((r) => r.eventId)).toEqual(expected.filter((id) => id.startsWith('ev-2')));
  });

  it('hides rows whose TTL has passed but DynamoDB has not yet deleted', async () => {
    const time = now.getTime() - 3_600_000;
    await store.putRows([
      row(APP_1, time, 100, { userName: 'ttl@contoso.com', expiresAt: new Date(now.getTime() - 60_000).toISOString() }),
      row(APP_1, time + 1000, 101, { userName: 'ttl@contoso.com' }),
    ]);
    const page = await store.query({ endUsers: ['TTL@contoso.com'], from: new Date(time - DAY).toISOString(), to: now.toISOString(), limit: 10, now });
    expect(page.rows.map((r) => r.eventId)).toEqual(['ev-1-101:0']);
  });

  it('filters an end user’s rows by application', async () => {
    const time = now.getTime() - 7_200_000;
    await store.putRows([
      row(APP_1, time, 200, { userName: 'both@contoso.com' }),
      row(APP_2, time + 1000, 201, { userName: 'both@contoso.com' }),
    ]);
    const range = { from: new Date(time - 1000).toISOString(), to: now.toISOString(), limit: 10, now };
    expect((await store.query({ ...range, endUsers: ['both@contoso.com'] })).rows.map((r) => r.appId)).toEqual([APP_2, APP_1]);
    expect((await store.query({ ...range, endUsers: ['both@contoso.com'], appIds: [APP_1] })).rows.map((r) => r.appId)).toEqual([APP_1]);
  });
});

describe('failureRecorder', () => {
  let tables: TestTables;
  const db = createDocumentClient();

  beforeAll(async () => {
    tables = await createTestTables('reports-failures');
  });
  afterAll(async () => {
    db.destroy();
    await tables.drop();
  });

  const event = (operation: string, body?: unknown): APIGatewayProxyEvent =>
    ({
      httpMethod: body ? 'POST' : 'GET',
      path: `/apps/${APP_1}/scim/v2/Users`,
      headers: { 'Content-Type': 'application/scim+json', 'User-Agent': 'Azure Active Directory SCIM Client' },
      multiValueHeaders: {},
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: { appId: APP_1 },
      stageVariables: null,
      body: body ? JSON.stringify(body) : null,
      isBase64Encoded: false,
      requestContext: {
        operationName: operation,
        requestId: `req-${operation}`,
        authorizer: { kind: 'app', tokenId: 't', appId: APP_1, appName: 'Entra ID' },
        identity: { sourceIp: '20.190.128.1' },
      },
    }) as unknown as APIGatewayProxyEvent;

  it('POST /Users refused with 409 → the client gets its 409 and a Failure item is written for the report', async () => {
    const handler = httpHandler(
      testRuntime(tables),
      'users',
      {
        createUser: async () => {
          throw ScimError.uniqueness('userName "alice@contoso.com" is taken.');
        },
      },
      { onFailure: failureRecorder({ client: db, tableName: tables.tableName }) },
    );
    const result = await handler(event('createUser', { userName: 'alice@contoso.com' }), lambdaContext());
    expect(result.statusCode).toBe(409);
    const item = await db.send(new GetCommand({ TableName: tables.tableName, Key: keys.failure(APP_1, 'req-createUser') }));
    expect(item.Item).toMatchObject({
      type: 'Failure',
      appName: 'Entra ID',
      resourceType: 'User',
      action: 'create',
      userName: 'alice@contoso.com',
      httpStatus: 409,
      scimType: 'uniqueness',
      sourceIp: '20.190.128.1',
      userAgent: 'Azure Active Directory SCIM Client',
    });
  });

  it('GET /Users/{id} → 404 is answered but not recorded; a recorder that cannot write changes nothing for the client', async () => {
    const handler = httpHandler(
      testRuntime(tables),
      'users',
      {
        getUser: async () => {
          throw ScimError.resourceNotFound('User', 'u-x');
        },
      },
      { onFailure: failureRecorder({ client: db, tableName: tables.tableName }) },
    );
    expect((await handler(event('getUser'), lambdaContext())).statusCode).toBe(404);
    expect((await db.send(new GetCommand({ TableName: tables.tableName, Key: keys.failure(APP_1, 'req-getUser') }))).Item).toBeUndefined();

    const broken = httpHandler(
      testRuntime(tables),
      'users',
      {
        patchUser: async () => {
          throw ScimError.invalidValue('bad');
        },
      },
      { onFailure: failureRecorder({ client: db, tableName: 'no-such-table' }) },
    );
    const result = await broken(event('patchUser', { Operations: [] }), lambdaContext());
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).detail).toBe('bad');
  });
});
