/**
 * `GET /admin/apps/{appId}/health` on DynamoDB Local: users and groups written through the real
 * SCIM handlers, each token's last use noted by them (at most one write per token and interval),
 * Entra's Test Connection recognised, and the last 24 hours counted from report rows.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AppHealthJson } from '../../lambdas/admin/api-json';
import type { ReportRow } from '../../lambdas/domain/report-row';
import { createGroupsHandler } from '../../lambdas/handlers/groups';
import { createReportsHandler } from '../../lambdas/handlers/reports';
import { createUsersHandler } from '../../lambdas/handlers/users';
import { createAppStore } from '../../lambdas/store/application-items';
import { keys } from '../../lambdas/store/keys';
import { createReportStore } from '../../lambdas/store/reports';
import { invoke, scimClient, type TestApp } from '../helpers/invoke';
import { testRuntime } from '../helpers/runtime';
import { createTestTables, type TestTables } from '../helpers/tables';

const app: TestApp = { id: 'apphealthaaa', name: 'Entra ID – Contoso' };
const ADMIN = { kind: 'admin', tokenId: 't', principalId: 'admin:t' };
let tables: TestTables;
let health: () => Promise<{ status: number; body: AppHealthJson }>;
let usageItems: () => Promise<Record<string, unknown>[]>;

const row = (n: number, status: 'success' | 'failure'): ReportRow => ({
  eventId: `ev-${n}:0`,
  time: new Date(Date.now() - 60_000 * (n + 1)).toISOString(),
  appId: app.id,
  appName: app.name,
  resourceType: 'User',
  action: 'create',
  status,
  ...(status === 'failure' ? { httpStatus: 409, scimType: 'uniqueness' } : {}),
  changes: [],
  expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
});

beforeAll(async () => {
  tables = await createTestTables('apphealth');
  const rt = testRuntime(tables);
  await createAppStore(rt.dynamo, tables.tableName).create({
    id: app.id,
    name: app.name,
    requiredAttributes: ['userName'],
    created: '2026-01-01T00:00:00.000Z',
    lastModified: '2026-01-01T00:00:00.000Z',
    tokens: [],
    extensionAttributes: [],
    version: 1,
  });
  const users = scimClient(createUsersHandler(rt), app);
  const groups = scimClient(createGroupsHandler(rt), app);
  for (const name of ['a@contoso.com', 'b@contoso.com', 'c@contoso.com']) {
    expect((await users.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: name })).status).toBe(201);
  }
  expect((await groups.post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Sales' })).status).toBe(201);
  // Entra's Test Connection: a user looked up by a random GUID, answered 200 with an empty list.
  const test = await users.get(`/Users?filter=${encodeURIComponent('userName eq "2819c223-7f76-453a-919d-413861904646"')}`);
  expect(test.status).toBe(200);
  await createReportStore(rt.dynamo, tables.reportTableName, { retentionDays: 90 }).putRows([row(0, 'success'), row(1, 'failure'), row(2, 'success')]);
  const reports = createReportsHandler(rt);
  health = async () => {
    const res = await invoke(reports, 'GET', `/admin/apps/${app.id}/health`, undefined, { authorizer: ADMIN });
    return { status: res.status, body: res.body as AppHealthJson };
  };
  usageItems = async () =>
    (
      await rt.dynamo.send(
        new QueryCommand({ TableName: tables.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.tokenUsagePartition(app.id) } }),
      )
    ).Items ?? [];
});
afterAll(() => tables.drop());

describe('application health', () => {
  it('counts users and groups, and the last 24 hours of events and failures', async () => {
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({
      appId: app.id,
      users: { count: 3 },
      groups: { count: 1 },
      last24h: { events: { count: 3 }, failures: { count: 1 } },
      lastEvent: { action: 'create', status: 'success' },
      usageGranularityMinutes: 5,
      // The authorizer's in-memory cache (the test runtime's default); no API Gateway cache here.
      revocationSeconds: 60,
    });
  });

  it("notes the token's last use with source IP, and the Test Connection, in one item per token", async () => {
    const { body } = await health();
    expect(body.tokens).toEqual([
      // The Test Connection came last, and is written at once: its 200 is the last status.
      expect.objectContaining({ tokenId: 't1', sourceIp: '203.0.113.7', lastStatus: 200, lastUsedAt: expect.any(String) }),
    ]);
    expect(body.lastRequest).toMatchObject({ tokenId: 't1', sourceIp: '203.0.113.7' });
    expect(body.lastTestConnection).toMatchObject({ tokenId: 't1', status: 200, time: expect.any(String) });
    // Five requests by one token: one item.
    const items = await usageItems();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ type: 'TokenUsage', tokenId: 't1', lastStatus: 200 });
  });

  it('an unknown application is a 404 SCIM error', async () => {
    const reports = await invoke(createReportsHandler(testRuntime(tables)), 'GET', '/admin/apps/nosuchapp000/health', undefined, { authorizer: ADMIN });
    expect(reports.status).toBe(404);
    expect(reports.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  });
});
