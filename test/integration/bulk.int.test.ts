/**
 * POST /Bulk through the real handler on DynamoDB Local: RFC 7644 §3.7's examples verbatim, the
 * single routes' rules per operation (If-Match, uniqueness, members), failOnErrors, circular
 * references, the limits (413), provisioning features and profiles per operation, and a report
 * row and a directory event per applied operation through the stream.
 */
import { readFileSync } from 'node:fs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { join } from 'node:path';
import { deriveEvents } from '../../lambdas/events';
import { createBulkHandler } from '../../lambdas/handlers/bulk';
import { createGroupsHandler } from '../../lambdas/handlers/groups';
import { createUsersHandler } from '../../lambdas/handlers/users';
import { BULK_MAX_PAYLOAD_SIZE } from '../../lambdas/scim/bulk';
import { toStreamChange } from '../../lambdas/shared/stream-records';
import { keys } from '../../lambdas/store/keys';
import { createProfileSettingsStore } from '../../lambdas/store/profile-settings';
import { scimClient, type TestApp } from '../helpers/invoke';
import { appItem, createWorld, type World } from './reports/world';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const fixture = (name: string): string => readFileSync(join(__dirname, '../fixtures/rfc7644-bulk', name), 'utf8');

let world: World;
let clients: ReturnType<typeof clientsFor>;
let nextApp = 0;

const clientsFor = (w: World) => {
  const bulk = createBulkHandler(w.rt);
  const users = createUsersHandler(w.rt);
  const groups = createGroupsHandler(w.rt);
  return (app: TestApp) => ({ bulk: scimClient(bulk, app), users: scimClient(users, app), groups: scimClient(groups, app) });
};

/** A fresh application per test: its users and groups start empty. */
const freshApp = (name = 'Bulk client'): TestApp => ({ id: `appbulk${String(++nextApp).padStart(4, '0')}`, name });

beforeAll(async () => {
  world = await createWorld('bulk');
  clients = clientsFor(world);
});
afterAll(() => world.close());

const idOf = (location: string): string => location.split('/').pop()!;

describe('POST /Bulk: RFC 7644 §3.7 examples, verbatim', () => {
  it('§3.7.2: a User and a Group whose member is "bulkId:qwerty" → both 201, the group lists the new user', async () => {
    const app = freshApp();
    const { bulk, groups, users } = clients(app);

    const res = await bulk.call('POST', '/Bulk', undefined, { rawBody: fixture('3.7.2-bulkid-request.json') });

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/scim+json');
    expect(res.body.schemas).toEqual([BULK_RESPONSE]);
    const [user, group] = res.body.Operations;
    expect(user).toEqual({
      location: expect.stringMatching(new RegExp(`^https://scim\\.test/prod/apps/${app.id}/scim/v2/Users/[0-9a-f-]{36}$`)),
      method: 'POST',
      bulkId: 'qwerty',
      version: 'W/"1"',
      status: '201',
    });
    expect(group).toMatchObject({ method: 'POST', bulkId: 'ytrewq', version: 'W/"1"', status: '201' });
    expect(group.location).toContain(`/apps/${app.id}/scim/v2/Groups/`);
    // As §3.7.2's GET shows: the group's member is the user's permanent id.
    const stored = await groups.get(`/Groups/${idOf(group.location)}`);
    expect(stored.body).toMatchObject({ displayName: 'Tour Guides', members: [{ value: idOf(user.location) }] });
    expect((await users.get(`/Users/${idOf(user.location)}`)).body).toMatchObject({ userName: 'Alice', groups: [{ value: idOf(group.location) }] });
  });

  it('§3.7.2: Bob\'s enterprise manager "bulkId:qwerty" becomes Alice\'s id', async () => {
    const { bulk, users } = clients(freshApp());

    const res = await bulk.call('POST', '/Bulk', undefined, { rawBody: fixture('3.7.2-manager-request.json') });

    expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '201']);
    const [alice, bob] = res.body.Operations.map((o: { location: string }) => idOf(o.location));
    expect((await users.get(`/Users/${bob}`)).body[ENTERPRISE]).toMatchObject({ employeeNumber: '11250', manager: { value: alice } });
  });

  it('§3.7.1: Group A ↔ Group B (groups as members) cannot be resolved here: each answers, and neither group is left behind', async () => {
    const { bulk, groups } = clients(freshApp());

    const res = await bulk.call('POST', '/Bulk', undefined, { rawBody: fixture('3.7.1-circular-request.json') });

    expect(res.status).toBe(200);
    const [a, b] = res.body.Operations;
    // Groups hold users only (as POST /Groups with a group member answers), so B's create fails and A is undone: 409 for A (§3.7.1).
    expect(b).toMatchObject({ method: 'POST', bulkId: 'ytrewq', status: '400', response: { schemas: [ERROR], scimType: 'invalidValue' } });
    expect(a).toMatchObject({ method: 'POST', bulkId: 'qwerty', status: '409', response: { schemas: [ERROR], status: '409' } });
    expect(a.response.detail).toContain('circular reference');
    expect(a.location).toBeUndefined();
    expect((await groups.get('/Groups')).body.totalResults).toBe(0);
  });

  it('§3.7.3: the request with failOnErrors 1 → the first error ends the run; nothing after it is attempted', async () => {
    const { bulk, users } = clients(freshApp());
    // The RFC prints the PATCH data as `{[ … ]}`; the PatchOp body of §3.5.2 is what it stands for (fixture README).
    const repaired = fixture('3.7.3-request.txt').replace('"data": {[', `"data": {"schemas": ["${PATCH_OP}"], "Operations": [`);

    const res = await bulk.call('POST', '/Bulk', undefined, { rawBody: repaired });

    expect(res.status).toBe(200);
    // Alice is created; Bob (b7c14771-…) does not exist here, so the PUT is the first error and the last answer.
    expect(res.body.Operations.map((o: { method: string; status: string }) => `${o.method} ${o.status}`)).toEqual(['POST 201', 'PUT 404']);
    expect(res.body.Operations[1]).toMatchObject({
      location: expect.stringMatching(/\/Users\/b7c14771-226c-4d05-8860-134711653041$/),
      response: { schemas: [ERROR], status: '404' },
    });
    expect((await users.get('/Users')).body.totalResults).toBe(1);
  });

  it('§3.7.4: a body over maxPayloadSize → 413 with the RFC\'s detail, before anything is parsed or written', async () => {
    const { bulk, users } = clients(freshApp());
    const padding = 'x'.repeat(BULK_MAX_PAYLOAD_SIZE);
    const body = JSON.stringify({ schemas: [BULK], Operations: [{ method: 'POST', path: '/Users', bulkId: 'a', data: { userName: 'a', nickName: padding } }] });

    const res = await bulk.call('POST', '/Bulk', undefined, { rawBody: body });

    expect(res.status).toBe(413);
    expect(res.body).toEqual(JSON.parse(fixture('3.7.4-payload-too-large-response.json')));
    expect((await users.get('/Users')).body.totalResults).toBe(0);
  });
});

describe('POST /Bulk: each operation as its single route', () => {
  const post = (userName: string, bulkId = userName) => ({ method: 'POST', path: '/Users', bulkId, data: { schemas: [USER], userName } });

  it('version is If-Match: the current version applies (new version answered), a stale one → 412 and the user unchanged', async () => {
    const { bulk, users } = clients(freshApp());
    const created = await users.post('/Users', { schemas: [USER], userName: 'carol', displayName: 'Carol' });
    const id = created.body.id;

    const res = await bulk.post('/Bulk', {
      schemas: [BULK],
      Operations: [
        { method: 'PATCH', path: `/Users/${id}`, version: 'W/"1"', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Carol B' }] } },
        { method: 'PUT', path: `/Users/${id}`, version: 'W/"1"', data: { schemas: [USER], userName: 'carol', displayName: 'Stale' } },
        { method: 'DELETE', path: `/Users/${id}`, version: 'W/"7"' },
      ],
    });

    expect(res.body.Operations).toEqual([
      { location: expect.stringContaining(`/Users/${id}`), method: 'PATCH', version: 'W/"2"', status: '200' },
      expect.objectContaining({ method: 'PUT', status: '412', response: expect.objectContaining({ status: '412' }) }),
      expect.objectContaining({ method: 'DELETE', status: '412' }),
    ]);
    const after = await users.get(`/Users/${id}`);
    expect(after.body).toMatchObject({ displayName: 'Carol B', meta: { version: 'W/"2"' } });
  });

  it('the single routes\' refusals per operation: a taken userName → 409 uniqueness, a missing one → 400; the others apply', async () => {
    const { bulk, users } = clients(freshApp());
    await users.post('/Users', { schemas: [USER], userName: 'taken' });

    const res = await bulk.post('/Bulk', {
      schemas: [BULK],
      Operations: [post('TAKEN', 't'), { method: 'POST', path: '/Users', bulkId: 'n', data: { schemas: [USER] } }, post('dave')],
    });

    expect(res.body.Operations.map((o: { status: string; response?: { scimType?: string } }) => [o.status, o.response?.scimType])).toEqual([
      ['409', 'uniqueness'],
      ['400', 'invalidValue'],
      ['201', undefined],
    ]);
    expect((await users.get('/Users')).body.totalResults).toBe(2);
  });

  it('a failed operation never half-writes: a group naming an unknown member is not created, and what refers to it is not attempted (409)', async () => {
    const { bulk, groups } = clients(freshApp());

    const res = await bulk.post('/Bulk', {
      schemas: [BULK],
      Operations: [
        { method: 'POST', path: '/Groups', bulkId: 'g', data: { displayName: 'Sales', members: [{ value: 'bulkId:u' }, { value: 'no-such-user' }] } },
        post('erin', 'u'),
        { method: 'PATCH', path: '/Groups/bulkId:g', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Sales EU' }] } },
      ],
    });

    // The group waits for its member "bulkId:u", so the user runs first.
    expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(['400', '201', '409']);
    expect(res.body.Operations[2].response.detail).toContain('Operations[0]');
    expect((await groups.get('/Groups')).body.totalResults).toBe(0);
  });

  it('failOnErrors 2: the run stops after the second error; the answers before it stand', async () => {
    const { bulk, users } = clients(freshApp());

    const res = await bulk.post('/Bulk', {
      schemas: [BULK],
      failOnErrors: 2,
      Operations: [post('f1'), { method: 'DELETE', path: '/Users/missing-1' }, post('f2'), { method: 'DELETE', path: '/Users/missing-2' }, post('f3')],
    });

    expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '404', '201', '404']);
    expect((await users.get('/Users')).body.totalResults).toBe(2);
  });

  it('a circular reference the gateway can resolve (two users, each the other\'s manager): both created, each manager set', async () => {
    const { bulk, users } = clients(freshApp());
    const managed = (userName: string, bulkId: string, manager: string) => ({
      method: 'POST',
      path: '/Users',
      bulkId,
      data: { schemas: [USER, ENTERPRISE], userName, [ENTERPRISE]: { manager: { value: `bulkId:${manager}` } } },
    });

    const res = await bulk.post('/Bulk', { schemas: [BULK], Operations: [managed('gina', 'g', 'h'), managed('hal', 'h', 'g')] });

    expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '201']);
    const [gina, hal] = res.body.Operations.map((o: { location: string }) => idOf(o.location));
    expect((await users.get(`/Users/${gina}`)).body[ENTERPRISE].manager.value).toBe(hal);
    expect((await users.get(`/Users/${hal}`)).body[ENTERPRISE].manager.value).toBe(gina);
    // Gina was created first, then linked: her answered version is the link's.
    expect(res.body.Operations[0].version).toBe('W/"2"');
  });

  it('"bulkId:" inside a PATCH filter and an operation path: removing one new member of a new group by its bulkId', async () => {
    const { bulk, groups } = clients(freshApp());

    const res = await bulk.post('/Bulk', {
      schemas: [BULK],
      Operations: [
        post('ivy', 'i'),
        post('jon', 'j'),
        { method: 'POST', path: '/Groups', bulkId: 'g', data: { displayName: 'Team', members: [{ value: 'bulkId:i' }, { value: 'bulkId:j' }] } },
        { method: 'PATCH', path: '/Groups/bulkId:g', data: { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'members[value eq "bulkId:i"]' }] } },
      ],
    });

    expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '201', '201', '204']);
    const [, jon, team] = res.body.Operations.map((o: { location: string }) => idOf(o.location));
    expect((await groups.get(`/Groups/${team}`)).body.members.map((m: { value: string }) => m.value)).toEqual([jon]);
  });

  it('more than maxOperations → 413 naming the limit; no operation runs', async () => {
    const { bulk, users } = clients(freshApp());
    const Operations = Array.from({ length: 1001 }, (_, i) => post(`over${i}`));

    const res = await bulk.post('/Bulk', { schemas: [BULK], Operations });

    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: '413' });
    expect(res.body.detail).toContain('maxOperations (1000)');
    expect((await users.get('/Users')).body.totalResults).toBe(0);
  });

  it('a body that is no BulkRequest → 400 invalidSyntax', async () => {
    const { bulk } = clients(freshApp());
    const res = await bulk.post('/Bulk', { schemas: [BULK], Operations: [] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ schemas: [ERROR], scimType: 'invalidSyntax' });
  });
});

describe('POST /Bulk: provisioning report', () => {
  it('one report row per applied operation, and one failure row per failed one, as single requests leave', async () => {
    const app = freshApp('Bulk reports');
    await world.put(appItem(app.id, app.name));
    const { bulk } = clients(app);
    await world.pump();

    const res = await bulk.post('/Bulk', {
      schemas: [BULK],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'a', data: { userName: 'rita@contoso.com' } },
        { method: 'POST', path: '/Users', bulkId: 'b', data: { userName: 'sam@contoso.com' } },
        { method: 'POST', path: '/Groups', bulkId: 'g', data: { displayName: 'Ops', members: [{ value: 'bulkId:a' }] } },
        { method: 'PATCH', path: '/Users/bulkId:b', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] } },
        { method: 'DELETE', path: '/Users/bulkId:a' },
        { method: 'POST', path: '/Users', bulkId: 'dup', data: { userName: 'SAM@contoso.com' } },
      ],
    }, { requestId: 'bulk-req-1' });
    expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '201', '201', '200', '204', '409']);
    await world.pump();

    const { body } = await world.reports({ application: app.id, from: '1h', limit: '500' });
    const rows = body.reports.map((r) => `${r.action} ${r.resourceType} ${r.userName ?? r.groupDisplayName} ${r.status}`).sort();
    expect(rows).toEqual(
      [
        'create User rita@contoso.com success',
        'create User sam@contoso.com success',
        'create Group Ops success',
        'member-added Membership rita@contoso.com success',
        'disable User sam@contoso.com success',
        // The memberships a user's delete removes are part of the delete's row, as for DELETE /Users/{id}.
        'delete User rita@contoso.com success',
        'create User SAM@contoso.com failure',
      ].sort(),
    );
    // Each operation's rows carry its own request id: the request's, and the operation's index.
    const failure = body.reports.find((r) => r.status === 'failure')!;
    expect(failure).toMatchObject({ requestId: 'bulk-req-1/5', httpStatus: 409, scimType: 'uniqueness' });
    expect(body.reports.find((r) => r.action === 'disable')).toMatchObject({ requestId: 'bulk-req-1/3', httpStatus: 200 });
    // Each success row carries the operation's own status, as the BulkResponse gave it.
    expect(body.reports.filter((r) => r.action === 'create' && r.status === 'success').map((r) => r.httpStatus)).toEqual([201, 201, 201]);
    expect(body.reports.find((r) => r.action === 'delete')).toMatchObject({ requestId: 'bulk-req-1/4', httpStatus: 204 });
  });
});

describe('POST /Bulk: directory events, as on the single routes', () => {
  it('each applied operation\'s write is a directory event with the operation\'s own request id and features outcome', async () => {
    const app = freshApp('Bulk events');
    await world.put(appItem(app.id, app.name));
    const { bulk } = clients(app);
    await world.pump();

    const res = await bulk.post('/Bulk', {
      schemas: [BULK],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'e', data: { schemas: [USER, ENTERPRISE], userName: 'eve@contoso.com', [ENTERPRISE]: { department: 'Sales' } } },
        { method: 'PATCH', path: '/Users/bulkId:e', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Legal' }] } },
        { method: 'PATCH', path: '/Users/bulkId:e', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] } },
      ],
    }, { requestId: 'bulk-events-1' });
    expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '200', '200']);

    // The event stage reads the very records the report reads (shared/stream-records.ts).
    const changes = (await world.stream.events()).flatMap((event) => event.Records.map(toStreamChange)).filter((c) => c.newImage?.appId === app.id);
    const events = changes.flatMap((change) => deriveEvents(change));
    expect(events.map((e) => [e.type, e.request.id, e.request.applied.join()])).toEqual([
      ['user.created', 'bulk-events-1/0', 'create'],
      ['user.updated', 'bulk-events-1/1', 'update'],
      ['user.deactivated', 'bulk-events-1/2', 'deactivate'],
    ]);
    expect(events[1]).toMatchObject({ changes: ['attributes.department'], data: { attributes: { department: 'Legal' } } });
  });
});

describe('POST /Bulk: provisioning features and profiles, as on the single routes', () => {
  it('a switched-off create → 403 naming the switch; delete: "ignore" → 204, the user kept, and its row; a created user gets its profile in the same write', async () => {
    const app = freshApp('Bulk features');
    await world.put(appItem(app.id, app.name));
    const { bulk, users } = clients(app);
    const kept = (await users.post('/Users', { schemas: [USER], userName: 'kept@contoso.com' })).body;
    await createProfileSettingsStore(world.db, world.tables.tableName).saveFeatures(app.id, { delete: 'ignore' }, new Date());
    await world.pump();

    const res = await bulk.post('/Bulk', {
      schemas: [BULK],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'p', data: { schemas: [USER, ENTERPRISE], userName: 'pat@contoso.com', title: 'Analyst', [ENTERPRISE]: { department: 'Finance' } } },
        { method: 'DELETE', path: `/Users/${kept.id}` },
      ],
    }, { requestId: 'bulk-features-1' });
    expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '204']);
    expect((await users.get(`/Users/${kept.id}`)).status).toBe(200);
    const pat = await world.db.send(new GetCommand({ TableName: world.tables.tableName, Key: keys.user(app.id, idOf(res.body.Operations[0].location)), ConsistentRead: true }));
    // The stored profile holds attributes and groups; the rest is the item's own fields (profiles/stored-profile.ts).
    expect(pat.Item?.userName).toBe('pat@contoso.com');
    expect(pat.Item?.profile).toMatchObject({ attributes: { department: 'Finance', designation: 'Analyst' } });

    await createProfileSettingsStore(world.db, world.tables.tableName).saveFeatures(app.id, { create: false }, new Date());
    // A handler keeps an application's settings for SCIM_AUTH_CACHE_SECONDS: a fresh one (a new container) reads the changed switch.
    const refused = await scimClient(createBulkHandler(world.rt), app).post('/Bulk', {
      schemas: [BULK],
      Operations: [{ method: 'POST', path: '/Users', bulkId: 'q', data: { schemas: [USER], userName: 'quinn@contoso.com' } }],
    });
    expect(refused.body.Operations[0]).toMatchObject({
      status: '403',
      response: { schemas: [ERROR], status: '403', detail: 'Creating users is turned off for this application (provisioning feature "create").' },
    });

    await world.pump();
    const { body } = await world.reports({ application: app.id, from: '1h', limit: '500' });
    expect(body.reports.find((r) => r.requestId === 'bulk-features-1/1')).toMatchObject({
      action: 'delete',
      status: 'success',
      httpStatus: 204,
      userName: 'kept@contoso.com',
      requested: ['delete'],
      applied: [],
    });
    expect(body.reports.find((r) => r.userName === 'quinn@contoso.com')).toMatchObject({ action: 'create', status: 'failure', httpStatus: 403 });
  });
});
