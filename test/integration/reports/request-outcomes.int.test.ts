/**
 * Report rows of request outcomes, end to end on DynamoDB Local with the real handlers: a DELETE
 * the provisioning features answer without a write still leaves its row ("delete requested,
 * nothing applied"), every success row carries the HTTP status its request answered, and a
 * mapping change's background recompute leaves one row with its counts when it is done. An
 * ignored DELETE costs one PutItem beyond the read it always made.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createAdminHandler } from '../../../lambdas/handlers/admin';
import { createGroupsHandler } from '../../../lambdas/handlers/groups';
import { createUsersHandler } from '../../../lambdas/handlers/users';
import { principalContext, type Principal } from '../../../lambdas/oauth/principal';
import { keys } from '../../../lambdas/store/keys';
import { appAuthorizer, invoke, scimClient, type TestApp } from '../../helpers/invoke';
import { countRoundTrips } from '../../helpers/round-trips';
import { testRuntime } from '../../helpers/runtime';
import { appItem, createWorld, type World } from './world';

const app: TestApp = { id: 'appoutcomes1', name: 'Entra ID – Outcomes' };
const ADMIN = { kind: 'admin', tokenId: 't' };
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

type Row = Record<string, any>;

let world: World;
let users: ReturnType<typeof scimClient>;
let groups: ReturnType<typeof scimClient>;
let admin: ReturnType<typeof createAdminHandler>;

const adminCall = (method: string, path: string, body?: unknown) => invoke(admin, method, `/admin/apps/${app.id}${path}`, body, { authorizer: ADMIN });
const setFeatures = async (features: Record<string, unknown>) => expect((await adminCall('PUT', '/features', features)).status).toBe(200);
const newUser = async (extra: Record<string, unknown> = {}) => {
  const created = await users.post('/Users', { userName: `u.${randomUUID()}@contoso.com`, active: true, ...extra });
  expect(created.status).toBe(201);
  return created.body as { id: string; userName: string };
};
const rowsOf = async (query: Record<string, string>): Promise<Row[]> => {
  await world.pump();
  const { status, body } = await world.reports({ application: app.id, ...query });
  expect(status).toBe(200);
  return body.reports;
};

beforeAll(async () => {
  world = await createWorld('outcomes');
  await world.put(appItem(app.id, app.name));
  // No settings cache: a switch applies to the next request (the local gateway keeps none either).
  const rt = testRuntime(world.tables, { SCIM_AUTH_CACHE_SECONDS: '0' });
  users = scimClient(createUsersHandler(rt), app);
  groups = scimClient(createGroupsHandler(rt), app);
  admin = createAdminHandler(rt);
});
afterAll(() => world.close());
afterEach(() => setFeatures({}));

describe('a DELETE the provisioning features answer without a write', () => {
  it('delete: "ignore" → 204, nothing changed, and a success row: delete requested, nothing applied, why', async () => {
    const user = await newUser({ externalId: 'ext-ignore' });
    await setFeatures({ delete: 'ignore' });
    // As the authorizer passes a Secret Token on: the row says how the request authenticated.
    const secretToken = { authorizer: { ...appAuthorizer(app), authMethod: 'secret-token' } };
    expect((await users.delete(`/Users/${user.id}`, secretToken)).status).toBe(204);
    expect((await users.get(`/Users/${user.id}`)).body).toMatchObject({ id: user.id, active: true });
    // The user item was not written (only the report's short-lived item was).
    const item = (await world.db.send(new GetCommand({ TableName: world.tables.tableName, Key: keys.user(app.id, user.id), ConsistentRead: true }))).Item;
    expect(item?.version).toBe(1);

    const rows = await rowsOf({ endUser: user.userName });
    expect(rows.map((r) => `${r.action} ${r.status} ${r.httpStatus}`)).toEqual(['delete success 204', 'create success 201']);
    expect(rows[0]).toMatchObject({
      resourceType: 'User',
      resourceId: user.id,
      userName: user.userName,
      externalId: 'ext-ignore',
      requested: ['delete'],
      applied: [],
      detail: 'The delete was answered and nothing was changed (provisioning feature "delete": "ignore").',
      appName: app.name,
      changes: [],
    });
    expect(rows[0].requestId).toEqual(expect.any(String));
    expect(rows[0].requestId).not.toBe(rows[1].requestId);
    expect(rows[0].authenticatedBy).toBe('Secret Token t1');
    // The row came through the stream from the request's short-lived item, as failure rows do.
    const unapplied = (await world.db.send(new GetCommand({ TableName: world.tables.tableName, Key: keys.unapplied(app.id, rows[0].requestId) }))).Item;
    expect(unapplied).toMatchObject({ type: 'Unapplied', lastRequest: { operation: 'deleteUser', requested: ['delete'], applied: [], status: 204 } });
    expect(unapplied?.ttl).toBeGreaterThan(Date.now() / 1000);
  });

  it('delete: "deactivate" → a disable row (requested delete, applied deactivate); Entra\'s retry on the inactive user → a row that applied nothing', async () => {
    const user = await newUser();
    await setFeatures({ delete: 'deactivate' });
    expect((await users.delete(`/Users/${user.id}`)).status).toBe(204);
    expect((await users.delete(`/Users/${user.id}`)).status).toBe(204);
    const rows = await rowsOf({ endUser: user.userName });
    expect(rows.map((r) => `${r.action} ${r.httpStatus} ${JSON.stringify(r.requested)}→${JSON.stringify(r.applied)}`)).toEqual([
      'delete 204 ["delete"]→[]',
      'disable 204 ["delete"]→["deactivate"]',
      'create 201 undefined→undefined',
    ]);
    expect(rows[0].detail).toBe('The user was already inactive and was kept (provisioning feature "delete": "deactivate").');
  });

  it('costs one write: the user read, then the report item (settings cached, as deployed)', async () => {
    await setFeatures({ delete: 'ignore' });
    const cachedRt = testRuntime(world.tables);
    const counter = countRoundTrips(cachedRt);
    const cached = scimClient(createUsersHandler(cachedRt), app);
    const [first, second] = [await newUser(), await newUser()];
    expect((await cached.delete(`/Users/${first.id}`)).status).toBe(204); // loads the settings into the cache
    counter.reset();
    expect((await cached.delete(`/Users/${second.id}`)).status).toBe(204);
    expect(counter.commands).toEqual(['GetItemCommand', 'PutItemCommand']);
  });

  it('an unknown id is still 404 (a failure row), not an unapplied row', async () => {
    await setFeatures({ delete: 'ignore' });
    const id = randomUUID();
    expect((await users.delete(`/Users/${id}`)).status).toBe(404);
    const rows = (await rowsOf({ action: 'delete' })).filter((r) => r.resourceId === id);
    expect(rows.map((r) => `${r.status} ${r.httpStatus}`)).toEqual(['failure 404']);
  });
});

describe('how each request authenticated', () => {
  it('a success row names the Secret Token, the OAuth client and secret, or the Entra tenant; so does a failure row', async () => {
    const as = (principal: Principal) => ({ authorizer: { ...appAuthorizer(app), ...principalContext(principal) } });
    const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const names = ['token', 'client', 'tenant'].map((who) => `${who}.${randomUUID()}@contoso.com`);
    expect((await users.post('/Users', { userName: names[0] }, as({ method: 'secret-token', tokenId: 'tk1' }))).status).toBe(201);
    expect((await users.post('/Users', { userName: names[1] }, as({ method: 'oauth-client', clientId: 'scgwc_c1', secretId: 's1' }))).status).toBe(201);
    expect((await users.post('/Users', { userName: names[2] }, as({ method: 'entra', tenantId }))).status).toBe(201);
    // A refused request (a duplicate userName) is stamped the same way.
    expect((await users.post('/Users', { userName: names[2] }, as({ method: 'entra', tenantId }))).status).toBe(409);

    const by = async (userName: string) => (await rowsOf({ endUser: userName })).map((r) => `${r.status} ${r.authenticatedBy}`);
    expect(await by(names[0])).toEqual(['success Secret Token tk1']);
    expect(await by(names[1])).toEqual(['success OAuth client scgwc_c1 (secret s1)']);
    expect((await by(names[2])).sort()).toEqual([`failure Entra tenant ${tenantId}`, `success Entra tenant ${tenantId}`]);
  });
});

describe('the HTTP status of successes', () => {
  it('records what each request answered: PUT 200, PATCH 200 for users; POST 201, PATCH 204, PUT 200, DELETE 204 for groups', async () => {
    const user = await newUser();
    expect((await users.patch(`/Users/${user.id}`, { Operations: [{ op: 'Replace', path: 'displayName', value: 'Patched' }] })).status).toBe(200);
    expect((await users.put(`/Users/${user.id}`, { userName: user.userName, displayName: 'Put' })).status).toBe(200);
    const group = (await groups.post('/Groups', { displayName: `Team ${randomUUID()}` })).body;
    expect((await groups.patch(`/Groups/${group.id}`, { Operations: [{ op: 'Add', path: 'members', value: [{ value: user.id }] }] })).status).toBe(204);
    expect((await groups.put(`/Groups/${group.id}`, { displayName: `${group.displayName} renamed`, members: [{ value: user.id }] })).status).toBe(200);
    expect((await groups.delete(`/Groups/${group.id}`)).status).toBe(204);

    const userRows = await rowsOf({ endUser: user.userName });
    expect(userRows.filter((r) => r.resourceType === 'User').map((r) => `${r.action} ${r.httpStatus}`)).toEqual(['update 200', 'update 200', 'create 201']);
    expect(userRows.filter((r) => r.resourceType === 'Membership').map((r) => `${r.action} ${r.httpStatus}`)).toEqual(['member-added 204']);
    const groupRows = (await rowsOf({})).filter((r) => r.groupId === group.id && r.resourceType === 'Group');
    expect(groupRows.map((r) => `${r.action} ${r.httpStatus}`)).toEqual(['delete 204', 'rename 200', 'create 201']);
  });
});

describe('a mapping change\'s background recompute', () => {
  it('leaves one row when done: users read, profiles rewritten, and the users that kept their previous profile', async () => {
    const good = await Promise.all([1, 2, 3].map((n) => newUser({ [ENTERPRISE]: { employeeNumber: String(100 + n) } })));
    const bad = await newUser({ [ENTERPRISE]: { employeeNumber: 'n/a' } });
    const before = (await adminCall('GET', '/mapping')).body;
    const saved = await adminCall('PUT', '/mapping', {
      attributes: [{ profile: 'badge', scim: 'employeeNumber', default: null, transform: [] }],
      custom: [{ name: 'badge', type: 'number' }],
      version: before.version,
    });
    expect(saved.status).toBe(200);
    for (let i = 0; i < 100 && (await adminCall('GET', '/mapping')).body.recompute.state !== 'done'; i++) {
      await world.pump();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const job = (await adminCall('GET', '/mapping')).body.recompute;
    expect(job).toMatchObject({ state: 'done', failed: 1 });

    const rows = await rowsOf({ action: 'recompute-profiles' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      appId: app.id,
      resourceType: 'Application',
      action: 'recompute-profiles',
      status: 'failure',
      time: job.finishedAt,
      recompute: { mappingVersion: saved.body.version, users: job.processed, rewritten: job.updated, failed: 1 },
    });
    expect(rows[0].recompute.rewritten).toBeGreaterThanOrEqual(good.length);
    expect(rows[0].detail).toContain(`1 user kept the previous profile (${bad.id}: `);
    expect((await rowsOf({ status: 'failure', action: 'recompute-profiles' })).map((r) => r.eventId)).toEqual([rows[0].eventId]);
    // Redelivering the stream writes no second row.
    await world.pump();
    expect(await rowsOf({ action: 'recompute-profiles' })).toHaveLength(1);
  }, 120_000);
});
