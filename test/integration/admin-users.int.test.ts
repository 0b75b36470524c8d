/**
 * The admin console's user routes against DynamoDB Local: users written through the real SCIM
 * handlers, read back with an admin token through the real admin-users handler.
 */
import { createAdminUsersHandler } from '../../lambdas/handlers/admin-users';
import { createGroupsHandler } from '../../lambdas/handlers/groups';
import { createUsersHandler } from '../../lambdas/handlers/users';
import type { HttpHandler } from '../../lambdas/shared/handler';
import { routesOf } from '../../lambdas/shared/routes';
import { createAppStore, type Application } from '../../lambdas/store/application-items';
import { appAuthorizer, invoke, scimClient, type TestApp } from '../helpers/invoke';
import { testRuntime } from '../helpers/runtime';
import { createTestTables, type TestTables } from '../helpers/tables';

type Handler = Parameters<typeof invoke>[0];

const ADMIN = { kind: 'admin', tokenId: 't', principalId: 'admin:t' };
const appA: TestApp = { id: 'adminusersaa', name: 'Entra ID – Contoso' };
const appB: TestApp = { id: 'adminusersbb', name: 'Okta' };

let tables: TestTables;
let adminUsers: HttpHandler;
let scimA: ReturnType<typeof scimClient>;
let scimB: ReturnType<typeof scimClient>;
const ids: Record<string, string> = {};

const admin = (path: string, authorizer: Record<string, string> = ADMIN) => invoke(adminUsers, 'GET', path, undefined, { authorizer });

const application = (app: TestApp): Application => ({
  id: app.id,
  name: app.name,
  requiredAttributes: ['userName'],
  created: '2026-01-01T00:00:00.000Z',
  lastModified: '2026-01-01T00:00:00.000Z',
  tokens: [],
  extensionAttributes: [],
  version: 1,
});

const user = (userName: string, externalId: string, extra: Record<string, unknown> = {}) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName,
  externalId,
  active: true,
  emails: [{ type: 'work', value: userName, primary: true }],
  ...extra,
});

beforeAll(async () => {
  tables = await createTestTables('adminusers');
  const rt = testRuntime(tables);
  const apps = createAppStore(rt.dynamo, tables.tableName);
  await apps.create(application(appA));
  await apps.create(application(appB));
  adminUsers = createAdminUsersHandler(rt);
  const users = createUsersHandler(rt);
  const groups = createGroupsHandler(rt);
  scimA = scimClient(users, appA);
  scimB = scimClient(users, appB);

  for (const [key, body] of [
    ['alice', user('alice@contoso.com', 'ext-alice', { displayName: 'Alice Liddell' })],
    ['albert', user('albert@contoso.com', 'ext-albert', { active: false })],
    ['bob', user('bob@contoso.com', 'ext-bob', { displayName: 'Bob Ross', emails: [{ type: 'home', value: 'bob@home.example' }] })],
    ['carol', user('carol@contoso.com', 'ext-carol')],
  ] as const) {
    const res = await scimA.post('/Users', body);
    expect(res.status).toBe(201);
    ids[key] = res.body.id;
  }
  const other = await scimB.post('/Users', user('alice@contoso.com', 'ext-alice-okta'));
  ids.otherAlice = other.body.id;
  const group = await scimClient(groups, appA).post('/Groups', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName: 'Sales',
    members: [{ value: ids.alice }],
  });
  expect(group.status).toBe(201);
  ids.sales = group.body.id;
  const support = await scimClient(groups, appA).post('/Groups', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName: 'Support EMEA',
    externalId: 'grp-support',
    members: [{ value: ids.bob }, { value: ids.carol }, { value: ids.albert }],
  });
  ids.support = support.body.id;
});
afterAll(() => tables.drop());

describe('admin-users handler', () => {
  it('serves exactly the operations the route table gives it', async () => {
    expect([...adminUsers.operations].sort()).toEqual(routesOf('admin-users').map((r) => r.operation).sort());
    expect(routesOf('admin-users').every((r) => r.auth === 'admin' && r.path.startsWith('/admin/'))).toBe(true);
  });

  it('GET /admin/apps/{appId}/users → 200 every user of that application as a summary, none of another', async () => {
    const res = await admin(`/admin/apps/${appA.id}/users`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body.totalResults).toBe(4);
    expect(res.body.users.map((u: { userName: string }) => u.userName).sort()).toEqual([
      'albert@contoso.com',
      'alice@contoso.com',
      'bob@contoso.com',
      'carol@contoso.com',
    ]);
    expect(res.body.users.map((u: { id: string }) => u.id)).not.toContain(ids.otherAlice);
    const alice = res.body.users.find((u: { id: string }) => u.id === ids.alice);
    expect(alice).toEqual({
      id: ids.alice,
      userName: 'alice@contoso.com',
      externalId: 'ext-alice',
      displayName: 'Alice Liddell',
      email: 'alice@contoso.com',
      active: true,
      created: expect.any(String),
      lastModified: expect.any(String),
    });
    expect(res.body.users.find((u: { id: string }) => u.id === ids.albert).active).toBe(false);
    expect(res.body.users.find((u: { id: string }) => u.id === ids.bob).email).toBe('bob@home.example');
  });

  it('GET /admin/apps/{appId}/users?count=3 → cursor pages that together list everyone once', async () => {
    const first = await admin(`/admin/apps/${appA.id}/users?count=3`);
    expect(first.body.users).toHaveLength(3);
    expect(typeof first.body.nextCursor).toBe('string');
    const second = await admin(`/admin/apps/${appA.id}/users?count=3&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body.users).toHaveLength(1);
    expect(second.body.nextCursor).toBeUndefined();
    const seen = [...first.body.users, ...second.body.users].map((u: { id: string }) => u.id);
    expect(new Set(seen).size).toBe(4);
  });

  it("GET /admin/apps/{appId}/users?filter=<the console's search> → the users it matches", async () => {
    const search = (text: string) =>
      admin(`/admin/apps/${appA.id}/users?filter=${encodeURIComponent(`userName sw "${text}" or externalId eq "${text}" or emails.value co "${text}" or displayName co "${text}"`)}`);
    const names = async (text: string) => ((await search(text)).body.users as { userName: string }[]).map((u) => u.userName).sort();
    expect(await names('al')).toEqual(['albert@contoso.com', 'alice@contoso.com']);
    expect(await names('ext-carol')).toEqual(['carol@contoso.com']);
    expect(await names('home.example')).toEqual(['bob@contoso.com']);
    expect(await names('Ross')).toEqual(['bob@contoso.com']);
    expect(await names('nobody')).toEqual([]);
  });

  it('GET /admin/apps/{appId}/users?filter=userName eq … → the one user, from its key', async () => {
    const res = await admin(`/admin/apps/${appA.id}/users?filter=${encodeURIComponent('userName eq "ALICE@contoso.com"')}`);
    expect(res.body.users.map((u: { id: string }) => u.id)).toEqual([ids.alice]);
  });

  it('GET /admin/apps/{appId}/users?filter=<malformed> → 400 invalidFilter', async () => {
    const res = await admin(`/admin/apps/${appA.id}/users?filter=${encodeURIComponent('userName sw')}`);
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe('invalidFilter');
  });

  it('GET /admin/apps/{appId}/users/{id} → 200 the stored SCIM resource with its groups', async () => {
    const res = await admin(`/admin/apps/${appA.id}/users/${ids.alice}`);
    expect(res.status).toBe(200);
    expect(res.body.app).toEqual({ id: appA.id, name: appA.name });
    expect(res.body.user).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      id: ids.alice,
      userName: 'alice@contoso.com',
      externalId: 'ext-alice',
      displayName: 'Alice Liddell',
      groups: [{ value: ids.sales, display: 'Sales', $ref: `https://scim.test/prod/apps/${appA.id}/scim/v2/Groups/${ids.sales}` }],
      meta: { resourceType: 'User', location: `https://scim.test/prod/apps/${appA.id}/scim/v2/Users/${ids.alice}` },
    });
  });

  it("GET /admin/apps/{appId}/users/{id} of another application's user → 404", async () => {
    const res = await admin(`/admin/apps/${appA.id}/users/${ids.otherAlice}`);
    expect(res.status).toBe(404);
    expect(res.body.detail).toContain(ids.otherAlice);
    expect((await admin(`/admin/apps/${appB.id}/users/${ids.otherAlice}`)).status).toBe(200);
  });

  it('GET /admin/apps/{appId}/users for an unknown or malformed application → 404', async () => {
    expect((await admin('/admin/apps/nosuchapp000/users')).status).toBe(404);
    expect((await admin('/admin/apps/NOT-AN-ID/users')).status).toBe(404);
    expect((await admin(`/admin/apps/nosuchapp000/users/${ids.alice}`)).status).toBe(404);
  });

  it("GET /admin/apps/{appId}/users with an application's token → 403", async () => {
    const res = await admin(`/admin/apps/${appA.id}/users`, appAuthorizer(appA));
    expect(res.status).toBe(403);
    expect(res.body.users).toBeUndefined();
    expect((await invoke(adminUsers, 'GET', `/admin/apps/${appA.id}/users/${ids.alice}`, undefined, { authorizer: null })).status).toBe(403);
  });

  it('GET /admin/apps/{appId}/groups → every group of the application with its member count', async () => {
    const res = await admin(`/admin/apps/${appA.id}/groups`);
    expect(res.status).toBe(200);
    expect(res.body.totalResults).toBe(2);
    const byName = Object.fromEntries(res.body.groups.map((g: { displayName: string }) => [g.displayName, g]));
    expect(byName['Sales']).toEqual({ id: ids.sales, displayName: 'Sales', memberCount: 1, created: expect.any(String), lastModified: expect.any(String) });
    expect(byName['Support EMEA']).toMatchObject({ id: ids.support, externalId: 'grp-support', memberCount: 3 });
    expect((await admin(`/admin/apps/${appB.id}/groups`)).body.groups).toEqual([]);
  });

  it('GET /admin/apps/{appId}/groups?filter=displayName sw "sup" finds by the start of the name, any letter case', async () => {
    const res = await admin(`/admin/apps/${appA.id}/groups?filter=${encodeURIComponent('displayName sw "sup"')}`);
    expect(res.body.groups.map((g: { displayName: string }) => g.displayName)).toEqual(['Support EMEA']);
  });

  it("GET /admin/apps/{appId}/groups/{id} → the group; its members page through the users route's groups.value filter", async () => {
    const res = await admin(`/admin/apps/${appA.id}/groups/${ids.support}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ app: { id: appA.id, name: appA.name }, group: { displayName: 'Support EMEA', memberCount: 3 } });
    const filter = encodeURIComponent(`groups.value eq "${ids.support}"`);
    const first = await admin(`/admin/apps/${appA.id}/users?filter=${filter}&count=2`);
    const second = await admin(`/admin/apps/${appA.id}/users?filter=${filter}&count=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect([...first.body.users, ...second.body.users].map((u: { userName: string }) => u.userName).sort()).toEqual([
      'albert@contoso.com',
      'bob@contoso.com',
      'carol@contoso.com',
    ]);
    const missing = await admin(`/admin/apps/${appA.id}/groups/no-such-group`);
    expect(missing.status).toBe(404);
    expect(missing.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  });
});
