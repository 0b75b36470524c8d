/**
 * Every defect the reliability suite found, as the smallest request that showed it (see
 * docs/reliability.md, "Defects found and fixed"). Each was a 5xx, a lost write or a half write.
 */
import { decodeReportCursor, encodeReportCursor, parseReportParams } from '../../lambdas/reports/query';
import { createAdminHandler } from '../../lambdas/handlers/admin';
import { createGroupsHandler } from '../../lambdas/handlers/groups';
import { createUsersHandler } from '../../lambdas/handlers/users';
import { testRuntime } from '../helpers/runtime';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ScanCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryDigest } from '../../lambdas/domain/cursor';
import { ItemType } from '../../lambdas/domain/items';
import { infrastructureError } from '../../lambdas/store/errors';
import { keys } from '../../lambdas/store/keys';
import { createHttpAdapter } from '../../lib/local/http-adapter';
import { invoke, scimClient, type TestApp } from '../helpers/invoke';
import { createTestTables, type TestTables } from '../helpers/tables';
import { entraGroup, entraUser, PATCH_URN } from './support/arbitraries';
import { failNth, installFaults, type Faults } from './support/faults';
import { rawCall } from './support/gateway';

const APP: TestApp = { id: 'regressapp01', name: 'Regressions' };
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:custom:2.0:User';

let tables: TestTables;
let users: ReturnType<typeof scimClient>;
let groups: ReturnType<typeof scimClient>;
let faults: Faults;

beforeAll(async () => {
  tables = await createTestTables('rel-regress');
  const rt = testRuntime(tables);
  users = scimClient(createUsersHandler(rt), APP);
  groups = scimClient(createGroupsHandler(rt), APP);
  faults = await installFaults(rt.dynamo);
  for (let i = 0; i < 3; i++) await users.post('/Users', entraUser(`regress.${i}`));
});
afterAll(() => tables.drop());
afterEach(() => faults.reset());

const cursor = (body: object) => Buffer.from(JSON.stringify(body)).toString('base64url');

describe('regressions found by the reliability suite', () => {
  it('GET /Users?startIndex=99999999999999999999999 → 200 with no resources (was 500: Limit beyond 32 bits)', async () => {
    const res = await users.get('/Users?startIndex=99999999999999999999999');
    expect(res.status).toBe(200);
    expect(res.body.Resources).toEqual([]);
  });

  it.each([
    ['no key attributes', { foo: 'bar' }],
    ['an empty key', {}],
    ['the index key only', { gsi1pk: `APP#${APP.id}#USERS`, gsi1sk: 'x' }],
    ['empty strings', { gsi1pk: `APP#${APP.id}#USERS`, gsi1sk: '', pk: '', sk: '' }],
    ['another application’s list', { gsi1pk: 'APP#other#USERS', gsi1sk: 'x', pk: 'APP#other#USER#1', sk: 'USER' }],
    ['a table key of another application', { gsi1pk: `APP#${APP.id}#USERS`, gsi1sk: 'x', pk: 'APP#other#USER#1', sk: 'USER' }],
  ])('GET /Users with a forged cursor (%s) → 400 invalidValue (was 500: DynamoDB refused the start key)', async (_what, k) => {
    const q = queryDigest(undefined, undefined, 'ascending');
    const res = await users.get(`/Users?count=1&cursor=${cursor({ p: keys.userList(APP.id).gsi1pk, q, k })}`);
    expect([res.status, res.body.scimType]).toEqual([400, 'invalidValue']);
  });

  it('a cursor the server issued still pages (the start-key check accepts real keys)', async () => {
    const first = await users.get('/Users?count=1&cursor=');
    expect(first.body.nextCursor).toBeDefined();
    const second = await users.get(`/Users?count=1&cursor=${first.body.nextCursor}`);
    expect(second.status).toBe(200);
    expect(second.body.Resources[0].id).not.toBe(first.body.Resources[0].id);
  });

  it.each([
    ['1e308', 1e308],
    ['5e-324', 5e-324],
    ['-2^63', -(2 ** 63)],
    ['2^53 + 2', 2 ** 53 + 2],
  ])('POST /Users with the custom-extension number %s → 400 invalidValue (was 500: the SDK or DynamoDB refused it)', async (_what, value) => {
    const res = await users.post('/Users', { userName: `number.${_what}`, [CUSTOM]: { costCenter: value } });
    expect([res.status, res.body.scimType]).toEqual([400, 'invalidValue']);
  });

  it('PATCH /Users adding an out-of-range number → 400, the user unchanged', async () => {
    const id = (await users.post('/Users', entraUser('number.patch'))).body.id;
    const before = await users.get(`/Users/${id}`);
    const res = await users.patch(`/Users/${id}`, { schemas: [PATCH_URN], Operations: [{ op: 'add', path: `${CUSTOM}:costCenter`, value: 1e300 }] });
    expect(res.status).toBe(400);
    expect((await users.get(`/Users/${id}`)).body).toEqual(before.body);
  });

  it('POST /Users with a 70,000-character custom attribute name → 400 (was 500: DynamoDB refused the map key)', async () => {
    const res = await users.post('/Users', { userName: 'long.name', [CUSTOM]: { ['k'.repeat(70_000)]: 'x' } });
    expect(res.status).toBe(400);
  });

  it('a refused request with a 600 KB userName is still recorded for the report (was lost: the failure item exceeded 400 KB)', async () => {
    const res = await users.post('/Users', { userName: 'u'.repeat(600_000) });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const doc = DynamoDBDocumentClient.from(tables.client);
    const { Items = [] } = await doc.send(new ScanCommand({ TableName: tables.tableName, FilterExpression: '#t = :f AND httpStatus = :s', ExpressionAttributeNames: { '#t': 'type' }, ExpressionAttributeValues: { ':f': ItemType.failure, ':s': res.status } }));
    expect(Items.some((i) => typeof i.userName === 'string' && i.userName.startsWith('uuu') && i.userName.length <= 1024)).toBe(true);
  });

  it('10 parallel member-add PATCHes without If-Match → all 204 and all members stored (was 412 for all but one)', async () => {
    const members = await Promise.all(Array.from({ length: 10 }, async (_, i) => (await users.post('/Users', entraUser(`parallel.${i}`))).body.id as string));
    const group = (await groups.post('/Groups', entraGroup('Parallel adds'))).body.id;
    const answers = await Promise.all(members.map((value) => groups.patch(`/Groups/${group}`, { schemas: [PATCH_URN], Operations: [{ op: 'add', path: 'members', value: [{ value }] }] })));
    expect(answers.map((a) => a.status)).toEqual(members.map(() => 204));
    expect((await groups.get(`/Groups/${group}`)).body.members).toHaveLength(10);
  });

  it('parallel member-add PATCHes that pin the version (If-Match) still conflict: one 204, the others 412', async () => {
    const members = await Promise.all(Array.from({ length: 5 }, async (_, i) => (await users.post('/Users', entraUser(`pinned.${i}`))).body.id as string));
    const created = await groups.post('/Groups', entraGroup('Pinned adds'));
    const etag = created.headers.etag;
    const answers = await Promise.all(
      members.map((value) => groups.patch(`/Groups/${created.body.id}`, { schemas: [PATCH_URN], Operations: [{ op: 'add', path: 'members', value: [{ value }] }] }, { headers: { 'If-Match': etag } })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([204, 412, 412, 412, 412]);
  });

  it('POST /Groups with members fails on its write → no group without members is left behind (was: group created, members lost)', async () => {
    const member = (await users.post('/Users', entraUser('atomic.member'))).body.id;
    // Command 1 is the members' existence check, command 2 the one transaction that writes everything.
    faults.reset();
    faults.plan(failNth(2, 'ProvisionedThroughputExceededException'));
    const res = await groups.post('/Groups', { ...entraGroup('Atomic create'), members: [{ value: member }] });
    faults.plan(undefined);
    expect(res.status).toBe(429);
    expect(faults.commands.slice(0, 2)).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
    expect((await groups.get(`/Groups?filter=${encodeURIComponent('displayName eq "Atomic create"')}`)).body.totalResults).toBe(0);
    expect((await groups.post('/Groups', { ...entraGroup('Atomic create'), members: [{ value: member }] })).status).toBe(201);
  });

  it('PUT /Groups renaming and replacing members fails on its write → neither the name nor the members change (was: renamed, members kept)', async () => {
    const [m1, m2] = await Promise.all(['atomic.put.1', 'atomic.put.2'].map(async (n) => (await users.post('/Users', entraUser(n))).body.id as string));
    const group = (await groups.post('/Groups', { ...entraGroup('Atomic put'), members: [{ value: m1 }] })).body.id;
    faults.reset();
    faults.plan((name) => (name === 'TransactWriteItemsCommand' ? 'ThrottlingException' : undefined));
    const res = await groups.put(`/Groups/${group}`, { ...entraGroup('Atomic put renamed'), members: [{ value: m2 }] });
    faults.plan(undefined);
    expect(res.status).toBe(429);
    expect(faults.commands.filter((c) => c === 'TransactWriteItemsCommand')).toHaveLength(1);
    const after = await groups.get(`/Groups/${group}`);
    expect([after.body.displayName, after.body.members.map((m: { value: string }) => m.value)]).toEqual(['Atomic put', [m1]]);
  });

  it('an SDK error without any HTTP answer (the endpoint refused, reset or timed out) → 503 (was 500 when the socket error came wrapped)', () => {
    const wrapped = Object.assign(new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:1'), { $metadata: { attempts: 3, totalRetryDelay: 90 } });
    expect(infrastructureError(wrapped)?.status).toBe(503);
    // An answered request keeps its meaning: a 400 from DynamoDB is not an outage.
    const answered = Object.assign(new Error('ValidationException'), { name: 'ValidationException', $metadata: { attempts: 1, httpStatusCode: 400 } });
    expect(infrastructureError(answered)).toBeUndefined();
  });

  it('a report cursor with an over-long continuation key → 400 (was 500: key beyond 1,024 bytes)', async () => {
    const params = parseReportParams({});
    const now = new Date();
    const forged = encodeReportCursor(params, { at: now, after: `${new Date(now.getTime() - 60_000).toISOString()}#${'e'.repeat(1_400)}#1` });
    expect(() => decodeReportCursor({ ...params, cursor: forged }, now)).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('POST /admin/apps/{a 70,000-character id}/tokens → 404 (was 500: the lease update used it as a key)', async () => {
    const secretDir = mkdtempSync(path.join(tmpdir(), 'rel-regress-'));
    try {
      const admin = createAdminHandler(testRuntime(tables, { SCIM_SECRET_STORE: 'file', SCIM_SECRET_FILE: path.join(secretDir, 'secrets.json') }));
      const authorizer = { principalId: 'admin:t', kind: 'admin', tokenId: 't' };
      const long = 'x'.repeat(70_000);
      for (const [method, url] of [['POST', `/admin/apps/${long}/tokens`], ['DELETE', `/admin/apps/${long}/tokens/abcdefgh`]]) {
        const res = await invoke(admin, method, url, method === 'POST' ? {} : undefined, { authorizer });
        expect([method, res.status]).toEqual([method, 404]);
      }
    } finally {
      rmSync(secretDir, { recursive: true, force: true });
    }
  });

  it('the local adapter answers a body that ends before its Content-Length with 400, not 500', async () => {
    const errors: string[] = [];
    const adapter = createHttpAdapter({ loadHandler: async () => (async () => ({ statusCode: 200, body: '' })) as never, onError: (message) => errors.push(message) });
    const port = await adapter.listen(0);
    try {
      const answer = await rawCall(
        port,
        `POST /apps/${APP.id}/scim/v2/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer x\r\nContent-Type: application/scim+json\r\nContent-Length: 500\r\n\r\n{"userName":"cut"}`,
        { endAfterWrite: true },
      );
      expect([0, 400]).toContain(answer.status);
      await new Promise((r) => setTimeout(r, 100));
      expect(errors).toEqual([]);
    } finally {
      await adapter.close();
    }
  });
});
