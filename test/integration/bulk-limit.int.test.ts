/**
 * A Bulk request at the advertised limit: 1,000 operations (creates of Entra-shaped users, then a
 * group of all of them, in a body close to maxPayloadSize) through the real handler on DynamoDB
 * Local. DynamoDB Local on a busy test machine is many times slower than DynamoDB, so the first
 * test gives the handler time enough to show the full outcome; the second keeps API Gateway's
 * budget short to show what a request that runs out of time answers. How fast 1,000 operations
 * run is measured by the bench (bench/sections/bulk.ts), never asserted here.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createBulkHandler } from '../../lambdas/handlers/bulk';
import { createGroupsHandler } from '../../lambdas/handlers/groups';
import { createUsersHandler } from '../../lambdas/handlers/users';
import { BULK_DEADLINE_MARGIN_MS, BULK_MAX_OPERATIONS, BULK_MAX_PAYLOAD_SIZE } from '../../lambdas/scim/bulk';
import { keys } from '../../lambdas/store/keys';
import { createLambdaContext } from '../../lib/local/lambda-context';
import { appAuthorizer, scimClient, testEvent, type TestApp } from '../helpers/invoke';
import { testRuntime } from '../helpers/runtime';
import { createTestTables, type TestTables } from '../helpers/tables';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

let tables: TestTables;

/** POST /Bulk with a Lambda context of `timeoutMs` (the local gateway's invoke() gives 29 s). */
const postBulk = async (handler: ReturnType<typeof createBulkHandler>, app: TestApp, body: unknown, timeoutMs: number) => {
  const event = testEvent('POST', `/apps/${app.id}/scim/v2/Bulk`, body, { authorizer: appAuthorizer(app) });
  const context = createLambdaContext({ functionName: 'bulk', requestId: event.requestContext.requestId, timeoutMs });
  const result = await handler(event, context);
  return { status: result.statusCode, body: JSON.parse(result.body), requestId: event.requestContext.requestId };
};

beforeAll(async () => {
  tables = await createTestTables('bulk-limit');
});
afterAll(() => tables.drop());

/** An Entra user with the enterprise extension (entra-scim.md §3.1), padded to about 1 KiB. */
const entraUser = (i: number) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  externalId: `ext-${i}`,
  userName: `user${i}@contoso.com`,
  active: true,
  displayName: `User ${i}`,
  emails: [{ primary: true, type: 'work', value: `user${i}@contoso.com` }],
  name: { formatted: `Given${i} Family${i}`, familyName: `Family${i}`, givenName: `Given${i}` },
  title: 'Provisioning load test',
  [ENTERPRISE]: { department: 'Sales', employeeNumber: String(i), costCenter: 'CC-1', organization: 'Contoso', division: 'EMEA' },
  addresses: [{ type: 'work', streetAddress: `${i} Main Street`, locality: 'Redmond', region: 'WA', postalCode: '98052', country: 'US' }],
  phoneNumbers: [{ type: 'work', value: `+1 425 555 ${String(i).padStart(4, '0')}` }],
});

const userCreates = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ method: 'POST', path: '/Users', bulkId: `u${i}`, data: entraUser(i) }));

describe('POST /Bulk at the limit', () => {
  it(`${BULK_MAX_OPERATIONS} operations in one request (999 user creates, 1 group of them all) → every one applied`, async () => {
    // Prepare
    const app: TestApp = { id: 'appbulklimit', name: 'Entra ID' };
    const rt = testRuntime(tables);
    const users = scimClient(createUsersHandler(rt), app);
    const groups = scimClient(createGroupsHandler(rt), app);
    const creates = userCreates(BULK_MAX_OPERATIONS - 1);
    const group = {
      method: 'POST',
      path: '/Groups',
      bulkId: 'everyone',
      data: { displayName: 'Everyone', members: creates.map((c) => ({ value: `bulkId:${c.bulkId}` })) },
    };
    const body = { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [group, ...creates] };
    const size = Buffer.byteLength(JSON.stringify(body));
    expect(size).toBeLessThanOrEqual(BULK_MAX_PAYLOAD_SIZE);
    expect(size).toBeGreaterThan(BULK_MAX_PAYLOAD_SIZE * 0.75);

    // Act
    const res = await postBulk(createBulkHandler(rt, { gatewayTimeoutMs: 600_000 }), app, body, 600_000);

    // Assess
    expect(res.status).toBe(200);
    const statuses = res.body.Operations.map((o: { status: string }) => o.status);
    expect(statuses).toEqual(Array(BULK_MAX_OPERATIONS).fill('201'));
    expect((await users.get('/Users?count=1')).body.totalResults).toBe(BULK_MAX_OPERATIONS - 1);
    const everyone = await groups.get(`/Groups/${res.body.Operations[0].location.split('/').pop()}`);
    expect(everyone.body.members).toHaveLength(BULK_MAX_OPERATIONS - 1);
    // Generous: 1,000 writes on a shared DynamoDB Local; a timed-out run would keep writing into the next test.
  }, 600_000);

  it('out of time: what started is applied and answered, the rest answers 503 "not attempted" and is not applied', async () => {
    // Prepare: API Gateway's budget ends 300 ms after the handler starts (the deadline is 5 s before it).
    const app: TestApp = { id: 'appbulkdeadline', name: 'Entra ID' };
    const rt = testRuntime(tables);
    const users = scimClient(createUsersHandler(rt), app);
    const body = { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: userCreates(BULK_MAX_OPERATIONS) };

    // Act
    const res = await postBulk(createBulkHandler(rt, { gatewayTimeoutMs: BULK_DEADLINE_MARGIN_MS + 300 }), app, body, 29_000);

    // Assess
    expect(res.status).toBe(200);
    const answers: { status: string; location?: string; response?: { detail: string } }[] = res.body.Operations;
    expect(answers).toHaveLength(BULK_MAX_OPERATIONS);
    const applied = answers.filter((a) => a.status === '201');
    const notAttempted = answers.filter((a) => a.status === '503');
    expect(applied.length + notAttempted.length).toBe(BULK_MAX_OPERATIONS);
    expect(notAttempted.length).toBeGreaterThan(0);
    expect(notAttempted[0].response!.detail).toContain('was not attempted');
    // Request order is kept: everything applied comes before everything that was not.
    expect(answers.findIndex((a) => a.status === '503')).toBe(applied.length);
    expect((await users.get('/Users?count=1')).body.totalResults).toBe(applied.length);
    // One failure row for all that was not attempted, under the request's own id; none per operation.
    const failureOf = async (requestId: string) =>
      (await rt.dynamo.send(new GetCommand({ TableName: tables.tableName, Key: keys.failure(app.id, requestId) }))).Item;
    expect(await failureOf(res.requestId)).toMatchObject({ httpStatus: 503, detail: expect.stringContaining(`${notAttempted.length} of 1000 operations`) });
    expect(await failureOf(`${res.requestId}/${BULK_MAX_OPERATIONS - 1}`)).toBeUndefined();
  }, 120_000);
});
