/**
 * Profiles and provisioning features in the real Users and Groups handlers on DynamoDB Local: the
 * profile is written in the same write as the user (one round trip), membership writes keep
 * `profile.groups` and `membershipVersion`, the request stamp carries what directory events read,
 * conversion problems answer 400, and each feature switch refuses or converts as documented.
 * The settings cache is off (SCIM_AUTH_CACHE_SECONDS=0), so a switch takes effect at once.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ItemType } from '../../lambdas/domain/items';
import { createGroupsHandler } from '../../lambdas/handlers/groups';
import { createUsersHandler } from '../../lambdas/handlers/users';
import type { Runtime } from '../../lambdas/shared/runtime';
import { profileOfItem, type ProfileHolder } from '../../lambdas/profiles/stored-profile';
import { keys } from '../../lambdas/store/keys';
import { createProfileSettingsStore } from '../../lambdas/store/profile-settings';
import { scimClient, type TestApp } from '../helpers/invoke';
import { countRoundTrips } from '../helpers/round-trips';
import { testRuntime } from '../helpers/runtime';
import { createTestTables, type TestTables } from '../helpers/tables';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

let tables: TestTables;
let rt: Runtime;
let users: ReturnType<typeof scimClient>;
let groups: ReturnType<typeof scimClient>;
const app: TestApp = { id: 'appprofiles1', name: 'Entra ID' };
const settings = () => createProfileSettingsStore(rt.dynamo, tables.tableName);

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

beforeAll(async () => {
  tables = await createTestTables('profiles');
  rt = testRuntime(tables, { SCIM_AUTH_CACHE_SECONDS: '0' });
  await rt.dynamo.send(new PutCommand({ TableName: tables.tableName, Item: appItem(app.id, app.name) }));
  users = scimClient(createUsersHandler(rt), app);
  groups = scimClient(createGroupsHandler(rt), app);
});
afterAll(() => tables.drop());

const userItem = async (id: string) =>
  (await rt.dynamo.send(new GetCommand({ TableName: tables.tableName, Key: keys.user(app.id, id), ConsistentRead: true }))).Item!;
/** The whole profile of a stored user item, as every reader rebuilds it. */
const fullProfile = (item: Record<string, unknown>) => profileOfItem(item as unknown as ProfileHolder)!;

/** What Entra's default mapping sends, plus enterprise attributes and a work address. */
const entraUser = (overrides: Record<string, unknown> = {}) => {
  const userName = `alice.${randomUUID()}@contoso.com`;
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    externalId: randomUUID(),
    userName,
    active: true,
    displayName: 'Alice Smith',
    title: 'Account Executive',
    emails: [{ primary: true, type: 'work', value: userName }],
    name: { givenName: 'Alice', familyName: 'Smith' },
    addresses: [{ type: 'work', locality: 'Lisbon' }],
    phoneNumbers: [{ type: 'mobile', value: '+351 900 000 000' }],
    [ENTERPRISE]: { department: 'Sales', employeeNumber: '1001', manager: { value: 'mgr-1' } },
    ...overrides,
  };
};

const setFeatures = (features: Record<string, unknown>) => settings().saveFeatures(app.id, features, new Date());

describe('A user write computes the profile in the same write', () => {
  afterEach(() => setFeatures({}));

  it('POST stores the profile on the user item in one round trip, with the request stamp events read', async () => {
    // A runtime with the default cache: after a container's first write, a write reads no settings.
    const cachedRt = testRuntime(tables);
    const counter = countRoundTrips(cachedRt);
    const cached = scimClient(createUsersHandler(cachedRt), app);
    await cached.post('/Users', entraUser());
    counter.reset();
    const res = await cached.post('/Users', entraUser());
    expect(res.status).toBe(201);
    expect(counter.commands).toEqual(['TransactWriteItemsCommand']);

    const item = await userItem(res.body.id);
    // The item stores what only the profile holds; the rest is the item's own (issue 18).
    expect(Object.keys(item.profile).sort()).toEqual(['attributes', 'groups']);
    expect(fullProfile(item)).toEqual({
      id: res.body.id,
      userName: res.body.userName,
      externalId: res.body.externalId,
      active: true,
      attributes: {
        email: res.body.userName,
        firstName: 'Alice',
        lastName: 'Smith',
        displayName: 'Alice Smith',
        department: 'Sales',
        location: 'Lisbon',
        designation: 'Account Executive',
        employeeNumber: '1001',
        manager: { id: 'mgr-1' },
        mobile: '+351 900 000 000',
      },
      groups: [],
      version: 1,
      updatedAt: res.body.meta.lastModified,
    });
    expect(item.profileMappingVersion).toBe(0);
    expect(item.lastRequest).toMatchObject({ operation: 'createUser', requested: ['create'], applied: ['create'], at: expect.any(String) });
  });

  it('PATCH recomputes the profile (Entra dialect), keeping the groups the membership writes set', async () => {
    const user = (await users.post('/Users', entraUser())).body;
    const group = (await groups.post('/Groups', { displayName: `Sales ${randomUUID()}` })).body;
    expect((await groups.patch(`/Groups/${group.id}`, { Operations: [{ op: 'Add', path: 'members', value: [{ value: user.id }] }] })).status).toBe(204);
    let item = await userItem(user.id);
    expect(item.membershipVersion).toBe(1);
    expect(item.profile.groups).toEqual({ [group.id]: group.displayName });

    const patched = await users.patch(`/Users/${user.id}`, {
      Operations: [{ op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Marketing' }],
    });
    expect(patched.status).toBe(200);
    item = await userItem(user.id);
    expect(item.profile.attributes.department).toBe('Marketing');
    expect(fullProfile(item).version).toBe(2);
    expect(item.profile.groups).toEqual({ [group.id]: group.displayName });
    expect(item.lastRequest).toMatchObject({ operation: 'updateUser', requested: ['update'], applied: ['update'] });

    expect((await groups.patch(`/Groups/${group.id}`, { Operations: [{ op: 'Remove', path: `members[value eq "${user.id}"]` }] })).status).toBe(204);
    item = await userItem(user.id);
    expect(item.membershipVersion).toBe(2);
    expect(item.profile.groups).toEqual({});
  });

  it('a value that cannot become its profile type is refused with 400 naming the SCIM path, the attribute and the problem', async () => {
    const mapping = {
      attributes: [{ profile: 'startDate', scim: 'urn:ietf:params:scim:schemas:extension:Acme:2.0:User:start', default: null, transform: [] }],
      custom: [{ name: 'startDate', type: 'date' }],
    };
    const current = (await settings().read(app.id))!.mappingVersion;
    await settings().saveMapping(app.id, mapping, current, new Date(), new Date());
    try {
      const res = await users.post('/Users', entraUser({ 'urn:ietf:params:scim:schemas:extension:Acme:2.0:User': { start: 'soon' } }));
      expect(res.status).toBe(400);
      expect(res.body.schemas).toEqual([ERROR]);
      expect(res.body.scimType).toBe('invalidValue');
      expect(res.body.detail).toContain('urn:ietf:params:scim:schemas:extension:Acme:2.0:User:start');
      expect(res.body.detail).toContain('"startDate"');
      expect(res.body.detail).toContain('"soon"');
      const ok = await users.post('/Users', entraUser({ 'urn:ietf:params:scim:schemas:extension:Acme:2.0:User': { start: '2024-05-31' } }));
      expect(ok.status).toBe(201);
      expect((await userItem(ok.body.id)).profile.attributes).toEqual({ startDate: '2024-05-31' });
    } finally {
      // Back to no saved mapping: the default one.
      await rt.dynamo.send(new PutCommand({ TableName: tables.tableName, Item: appItem(app.id, app.name) }));
    }
  });
});

describe('Provisioning features', () => {
  afterEach(() => setFeatures({}));

  const expectRefusal = (res: { status: number; body: any }, switchName: string) => {
    expect(res.status).toBe(403);
    expect(res.body.schemas).toEqual([ERROR]);
    expect(res.body.detail).toContain(`provisioning feature "${switchName}"`);
  };

  it('create: false refuses POST /Users with 403 naming the switch; on again, the same request succeeds', async () => {
    await setFeatures({ create: false });
    const body = entraUser();
    expectRefusal(await users.post('/Users', body), 'create');
    expect((await users.get(`/Users?filter=${encodeURIComponent(`userName eq "${body.userName}"`)}`)).body.totalResults).toBe(0);
    await setFeatures({ create: true });
    expect((await users.post('/Users', body)).status).toBe(201);
  });

  it('update: false refuses attribute changes, but a deactivation with changes applies the deactivation alone', async () => {
    const user = (await users.post('/Users', entraUser())).body;
    await setFeatures({ update: false });
    expectRefusal(await users.patch(`/Users/${user.id}`, { Operations: [{ op: 'Replace', path: 'title', value: 'CEO' }] }), 'update');
    const res = await users.patch(`/Users/${user.id}`, {
      Operations: [
        { op: 'Replace', path: 'active', value: 'False' },
        { op: 'Replace', path: 'title', value: 'CEO' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    expect(res.body.title).toBe('Account Executive');
    const item = await userItem(user.id);
    expect(fullProfile(item).active).toBe(false);
    expect(item.lastRequest).toMatchObject({ requested: ['update', 'deactivate'], applied: ['deactivate'] });
  });

  it('deactivate: false refuses PATCH active=False; reactivate: false refuses active=True', async () => {
    const user = (await users.post('/Users', entraUser())).body;
    await setFeatures({ deactivate: false });
    expectRefusal(await users.patch(`/Users/${user.id}`, { Operations: [{ op: 'Replace', path: 'active', value: 'False' }] }), 'deactivate');
    await setFeatures({ reactivate: false });
    expect((await users.patch(`/Users/${user.id}`, { Operations: [{ op: 'Replace', path: 'active', value: 'False' }] })).status).toBe(200);
    expectRefusal(await users.put(`/Users/${user.id}`, { ...entraUser(), userName: user.userName, active: true }), 'reactivate');
  });

  it('delete: "deactivate" answers 204 and keeps the user with active=false (resource and profile); Entra\'s re-assignment PATCH reactivates it', async () => {
    const user = (await users.post('/Users', entraUser())).body;
    await setFeatures({ delete: 'deactivate' });
    expect((await users.delete(`/Users/${user.id}`)).status).toBe(204);
    const kept = await users.get(`/Users/${user.id}`);
    expect(kept.status).toBe(200);
    expect(kept.body.active).toBe(false);
    const item = await userItem(user.id);
    expect(fullProfile(item).active).toBe(false);
    expect(item.lastRequest).toMatchObject({ operation: 'deleteUser', requested: ['delete'], applied: ['deactivate'] });
    // A second DELETE (Entra retrying) changes nothing and still answers 204.
    expect((await users.delete(`/Users/${user.id}`)).status).toBe(204);
    expect((await userItem(user.id)).version).toBe(2);
    // Assigned again: Entra finds the user by userName and PATCHes active back on.
    const found = await users.get(`/Users?filter=${encodeURIComponent(`userName eq "${user.userName}"`)}`);
    expect(found.body.Resources[0].id).toBe(user.id);
    expect((await users.patch(`/Users/${user.id}`, { Operations: [{ op: 'Replace', path: 'active', value: 'True' }] })).body.active).toBe(true);
  });

  it('delete: "ignore" answers 204 and changes nothing; an unknown id is still 404', async () => {
    const user = (await users.post('/Users', entraUser())).body;
    await setFeatures({ delete: 'ignore' });
    expect((await users.delete(`/Users/${user.id}`)).status).toBe(204);
    const item = await userItem(user.id);
    expect(item.version).toBe(1);
    expect(item.active).toBe(true);
    expect((await users.delete(`/Users/${randomUUID()}`)).status).toBe(404);
  });

  it('groups: false refuses group writes with 403 but still answers reads (Test Connection, matching)', async () => {
    const group = (await groups.post('/Groups', { displayName: `Ops ${randomUUID()}` })).body;
    await setFeatures({ groups: false });
    expectRefusal(await groups.post('/Groups', { displayName: `New ${randomUUID()}` }), 'groups');
    expectRefusal(await groups.patch(`/Groups/${group.id}`, { Operations: [{ op: 'Replace', path: 'displayName', value: 'x' }] }), 'groups');
    expectRefusal(await groups.delete(`/Groups/${group.id}`), 'groups');
    expect((await groups.get(`/Groups?filter=${encodeURIComponent(`displayName eq "${group.displayName}"`)}`)).body.totalResults).toBe(1);
    expect((await groups.get(`/Groups/${group.id}`)).status).toBe(200);
  });
});
