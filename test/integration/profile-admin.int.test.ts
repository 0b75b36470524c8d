/**
 * The admin API's profile routes on DynamoDB Local, with the real admin, users, groups and stream
 * handlers: mapping and features read and replaced (validation names the entry), profiles listed
 * and read, a group rename reaching its members' profiles, and a mapping change recomputing
 * 10,000 profiles in the background through the stream consumer until the job says done.
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { ItemType } from '../../lambdas/domain/items';
import { createAdminHandler } from '../../lambdas/handlers/admin';
import { createGroupsHandler } from '../../lambdas/handlers/groups';
import { createReportsHandler } from '../../lambdas/handlers/reports';
import { createStreamHandlerOf } from '../../lambdas/handlers/stream';
import { createUsersHandler } from '../../lambdas/handlers/users';
import type { Runtime } from '../../lambdas/shared/runtime';
import { keys } from '../../lambdas/store/keys';
import { invoke, scimClient, type TestApp } from '../helpers/invoke';
import { testRuntime } from '../helpers/runtime';
import { createTestTables, type TestTables } from '../helpers/tables';
import { createStreamReader, type StreamReader } from './reports/stream-reader';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const DEPARTMENT = `${ENTERPRISE}:department`;

let tables: TestTables;
let rt: Runtime;
let stream: StreamReader;
let admin: ReturnType<typeof createAdminHandler>;
let streamHandler: ReturnType<typeof createStreamHandlerOf>;
let users: ReturnType<typeof scimClient>;
let groups: ReturnType<typeof scimClient>;
const app: TestApp = { id: 'appprofadm1', name: 'Entra ID' };
const ADMIN = { kind: 'admin', tokenId: 't' };
const context = { getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

const appItem = (id: string, name: string) => ({
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

const call = (method: string, path: string, body?: unknown) => invoke(admin, method, `/admin/apps/${app.id}${path}`, body, { authorizer: ADMIN });

/** Runs the stream through the stream handler until `done` says so (each job page writes the record of the next). */
const pumpUntil = async (done: () => Promise<boolean>, rounds = 200) => {
  for (let i = 0; i < rounds; i++) {
    for (const event of await stream.events()) {
      const answer = await streamHandler(event, context);
      expect(answer.batchItemFailures).toEqual([]);
    }
    if (await done()) return;
  }
  throw new Error('the stream did not get there');
};

beforeAll(async () => {
  tables = await createTestTables('profadmin');
  rt = testRuntime(tables, { SCIM_AUTH_CACHE_SECONDS: '0', SCIM_LOG_LEVEL: process.env.TEST_LOG ?? 'SILENT' });
  await rt.dynamo.send(new PutCommand({ TableName: tables.tableName, Item: appItem(app.id, app.name) }));
  stream = await createStreamReader(tables.client, tables.tableName);
  admin = createAdminHandler(rt);
  streamHandler = createStreamHandlerOf(rt);
  users = scimClient(createUsersHandler(rt), app);
  groups = scimClient(createGroupsHandler(rt), app);
});
afterAll(async () => {
  stream.close();
  await tables.drop();
});

describe('GET|PUT /admin/apps/{appId}/features', () => {
  it('answers all features on by default, saves a change, and refuses a bad one naming the field', async () => {
    expect((await call('GET', '/features')).body).toEqual({ create: true, update: true, deactivate: true, reactivate: true, delete: 'delete', groups: true });
    const saved = await call('PUT', '/features', { delete: 'deactivate', create: false });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ delete: 'deactivate', create: false, update: true });
    expect((await call('GET', '/features')).body).toMatchObject({ delete: 'deactivate', create: false });
    const bad = await call('PUT', '/features', { delete: 'soft', creat: true });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('creat');
    expect((await call('PUT', '/features', {})).body.create).toBe(true);
    expect((await invoke(admin, 'GET', '/admin/apps/nosuchapp/features', undefined, { authorizer: ADMIN })).status).toBe(404);
  });
});

describe('GET|PUT /admin/apps/{appId}/mapping and profiles', () => {
  it('shows the default mapping (version 0), refuses a bad entry by name, and lists and reads profiles', async () => {
    const mapping = await call('GET', '/mapping');
    expect(mapping.status).toBe(200);
    expect(mapping.body.version).toBe(0);
    expect(mapping.body.attributes).toContainEqual({ profile: 'department', scim: DEPARTMENT, default: null, transform: [] });
    const bad = await call('PUT', '/mapping', { attributes: [{ profile: 'department', scim: 'department' }, { profile: 'nope', scim: 'title' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('attributes[1]');

    const created = await users.post('/Users', { userName: `p.${randomUUID()}@contoso.com`, title: 'Engineer', [ENTERPRISE]: { department: 'R&D' } });
    const byId = await call('GET', `/profiles/${created.body.id}`);
    expect(byId.body).toMatchObject({ id: created.body.id, attributes: { department: 'R&D', designation: 'Engineer' }, groups: [] });
    expect((await call('GET', `/profiles/${encodeURIComponent(created.body.userName.toUpperCase())}`)).body.id).toBe(created.body.id);
    expect((await call('GET', `/profiles/${randomUUID()}`)).status).toBe(404);
    const list = await call('GET', '/profiles');
    expect(list.body.profiles.map((p: { id: string }) => p.id)).toContain(created.body.id);
    const later = await call('GET', `/profiles?updatedAfter=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    expect(later.body.profiles).toEqual([]);
    expect((await call('GET', '/profiles?updatedAfter=yesterday')).status).toBe(400);
    expect((await call('GET', '/profiles?cursor=nonsense')).status).toBe(400);
  });

  it('a renamed group reaches its members\' profiles through the stream; a deleted one leaves them', async () => {
    const user = (await users.post('/Users', { userName: `g.${randomUUID()}@contoso.com` })).body;
    const group = (await groups.post('/Groups', { displayName: `Team ${randomUUID()}`, members: [{ value: user.id }] })).body;
    expect((await call('GET', `/profiles/${user.id}`)).body.groups).toEqual([{ id: group.id, displayName: group.displayName }]);
    const renamed = `Renamed ${randomUUID()}`;
    expect((await groups.patch(`/Groups/${group.id}`, { Operations: [{ op: 'Replace', path: 'displayName', value: renamed }] })).status).toBe(204);
    await pumpUntil(async () => (await call('GET', `/profiles/${user.id}`)).body.groups[0]?.displayName === renamed);
    expect((await groups.delete(`/Groups/${group.id}`)).status).toBe(204);
    await pumpUntil(async () => (await call('GET', `/profiles/${user.id}`)).body.groups.length === 0);
    const item = (await rt.dynamo.send(new GetCommand({ TableName: tables.tableName, Key: keys.user(app.id, user.id), ConsistentRead: true }))).Item!;
    // Joined (1), renamed (2), left by the group's deletion (3).
    expect(item.membershipVersion).toBe(3);
  });
});

describe('Report rows name profile changes', () => {
  it('an update row lists department: Sales → Marketing beside the SCIM change; attribute= finds it; delete → deactivate says so', async () => {
    const reports = createReportsHandler(rt);
    const user = (await users.post('/Users', { userName: `r.${randomUUID()}@contoso.com`, title: 'Rep', [ENTERPRISE]: { department: 'Sales' } })).body;
    await users.patch(`/Users/${user.id}`, { Operations: [{ op: 'Replace', path: DEPARTMENT, value: 'Marketing' }] });
    await call('PUT', '/features', { delete: 'deactivate' });
    expect((await users.delete(`/Users/${user.id}`)).status).toBe(204);
    await call('PUT', '/features', {});
    await pumpUntil(async () => true);
    const report = async (query: string) =>
      (await invoke(reports, 'GET', `/admin/reports?endUser=${encodeURIComponent(user.userName)}${query}`, undefined, { authorizer: ADMIN })).body.reports;
    const rows = await report('');
    const update = rows.find((r: { action: string }) => r.action === 'update');
    expect(update.changes).toEqual([{ name: DEPARTMENT, label: 'Department', old: 'Sales', new: 'Marketing' }]);
    expect(update.profileChanges).toEqual([{ name: 'department', old: 'Sales', new: 'Marketing' }]);
    const disable = rows.find((r: { action: string }) => r.action === 'disable');
    expect(disable).toMatchObject({ requested: ['delete'], applied: ['deactivate'], profileChanges: [{ name: 'active', old: 'true', new: 'false' }] });
    // Newest first: the update, and the create that set it.
    expect((await report('&attribute=department')).map((r: { action: string }) => r.action)).toEqual(['update', 'create']);
    expect((await report(`&attribute=${encodeURIComponent(DEPARTMENT)}`)).map((r: { action: string }) => r.action)).toEqual(['update', 'create']);
    expect((await report('&attribute=designation')).map((r: { action: string }) => r.action)).toEqual(['create']);
  });
});

describe('A mapping change recomputes every profile in the background', () => {
  const seedUsers = async (count: number): Promise<string[]> => {
    const ids = Array.from({ length: count }, () => randomUUID());
    const now = new Date().toISOString();
    for (let i = 0; i < ids.length; i += 25) {
      await rt.dynamo.send(
        new BatchWriteCommand({
          RequestItems: {
            [tables.tableName]: ids.slice(i, i + 25).map((id) => {
              const resource = { userName: `bulk-${id}@contoso.com`, [ENTERPRISE]: { department: ' sales ' } };
              return {
                PutRequest: {
                  Item: {
                    ...keys.user(app.id, id),
                    ...keys.userListEntry(app.id, id),
                    type: ItemType.user,
                    appId: app.id,
                    id,
                    userName: resource.userName,
                    active: true,
                    resource,
                    version: 1,
                    created: now,
                    lastModified: now,
                    lastRequest: { requestId: 'seed', appName: 'seed' },
                    profile: { id, userName: resource.userName, active: true, attributes: { department: ' sales ' }, groups: [], version: 1, updatedAt: now },
                    profileMappingVersion: 0,
                  },
                },
              };
            }),
          },
        }),
      );
    }
    return ids;
  };

  it('over 10,000 users: progress on the mapping, every profile rewritten, the job done', async () => {
    const ids = await seedUsers(10_000);
    await stream.read(); // the seed's records need no upkeep
    const before = (await call('GET', '/mapping')).body;
    const changed = {
      attributes: [{ profile: 'department', scim: 'department', default: null, transform: ['trim', 'uppercase'] }],
      custom: [],
      version: before.version,
    };
    const saved = await call('PUT', '/mapping', changed);
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(before.version + 1);
    expect(saved.body.recompute).toMatchObject({ state: 'running', processed: 0 });
    expect((await call('PUT', '/mapping', changed)).status).toBe(409);
    expect((await call('GET', '/profiles')).body.recompute).toMatchObject({ state: 'running' });

    await pumpUntil(async () => (await call('GET', '/mapping')).body.recompute.state === 'done', 400);
    const job = (await call('GET', '/mapping')).body.recompute;
    expect(job.updated).toBeGreaterThanOrEqual(10_000);
    expect(job.failed).toBe(0);
    expect(job.finishedAt).toEqual(expect.any(String));
    for (const id of [ids[0], ids[4999], ids[9999]]) {
      const profile = (await call('GET', `/profiles/${id}`)).body;
      expect(profile.attributes).toEqual({ department: 'SALES' });
    }
    expect((await call('GET', '/profiles')).body).not.toHaveProperty('recompute');
  }, 1_200_000); // 10,000 users written, streamed and rewritten: minutes on a loaded 2-core machine (no timing asserted)
});
