/**
 * The real Groups handler against DynamoDB Local: Entra's group shapes (entra-scim.md §3.9–§3.15,
 * §4), membership semantics, the user's `groups` attribute, and a 10,000-member group.
 */
import { createGroupsHandler } from '../../lambdas/handlers/groups';
import { createUsersHandler } from '../../lambdas/handlers/users';
import type { Runtime } from '../../lambdas/shared/runtime';
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ItemType } from '../../lambdas/domain/items';
import { keys } from '../../lambdas/store/keys';
import { scimClient, type TestApp } from '../helpers/invoke';
import { countRoundTrips, type RoundTripCounter } from '../helpers/round-trips';
import { createTestTables, type TestTables } from '../helpers/tables';
import { testRuntime } from '../helpers/runtime';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let tables: TestTables;
let rt: Runtime;
let groups: ReturnType<typeof scimClient>;
let users: ReturnType<typeof scimClient>;
let otherUsers: ReturnType<typeof scimClient>;
let trips: RoundTripCounter;
const app: TestApp = { id: 'appgroups01', name: 'Entra ID' };

beforeAll(async () => {
  tables = await createTestTables('groups');
  // The application's settings stay cached for the whole file (the 10,000-member test outlasts the
  // default 60 s): its round-trip counts are those of a warm container.
  rt = testRuntime(tables, { SCIM_AUTH_CACHE_SECONDS: '3600' });
  const groupHandler = createGroupsHandler(rt);
  const userHandler = createUsersHandler(rt);
  groups = scimClient(groupHandler, app);
  users = scimClient(userHandler, app);
  otherUsers = scimClient(userHandler, { id: 'appgroups02', name: 'Other' });
  trips = countRoundTrips(rt);
});
afterAll(() => tables.drop());

const newUser = async (client = users) => (await client.post('/Users', { userName: `${randomUUID()}@contoso.com`, displayName: 'U' })).body.id as string;
const newGroup = async (displayName = `Group ${randomUUID()}`) =>
  (
    await groups.post('/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: randomUUID(),
      displayName,
      meta: { resourceType: 'Group' },
    })
  ).body;
const memberIds = async (groupId: string): Promise<string[]> =>
  ((await groups.get(`/Groups/${groupId}`)).body.members ?? []).map((m: { value: string }) => m.value).sort();
const expectScimError = (res: { status: number; body: any }, status: number, scimType?: string) => {
  expect(res.status).toBe(status);
  expect(res.body.schemas).toEqual([ERROR]);
  expect(res.body.status).toBe(String(status));
  if (scimType) expect(res.body.scimType).toBe(scimType);
};

describe('Groups handler (Entra ID examples)', () => {
  it('POST /Groups (§3.9) with Microsoft\'s extra schema URI → 201 without members (unassigned, RFC 7643 §2.5)', async () => {
    const group = await newGroup('displayName-1');
    expect(group).toMatchObject({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'displayName-1' });
    expect(group).not.toHaveProperty('members');
    expect(group.meta).toMatchObject({ resourceType: 'Group', version: 'W/"1"' });
  });

  it('GET /Groups/{id}?excludedAttributes=members (§3.10) and the displayName filter (§3.11), case-insensitive', async () => {
    const group = await newGroup();
    const byId = await groups.get(`/Groups/${group.id}?excludedAttributes=members`);
    expect(byId.status).toBe(200);
    expect(byId.body.members).toBeUndefined();
    const filtered = await groups.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${group.displayName.toUpperCase()}"`)}`);
    expect(filtered.body.totalResults).toBe(1);
    expect(filtered.body.Resources[0].id).toBe(group.id);
    expect(filtered.body.Resources[0].members).toBeUndefined();
    const miss = await groups.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${randomUUID()}"`)}`);
    expect(miss.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('PATCH Replace displayName (§3.12) → 204; a duplicate name → 409 uniqueness', async () => {
    const a = await newGroup();
    const b = await newGroup();
    const renamed = await groups.patch(`/Groups/${a.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'displayName', value: `${randomUUID()}updatedDisplayName` }] });
    expect(renamed.status).toBe(204);
    expectScimError(await groups.post('/Groups', { displayName: b.displayName.toLowerCase() }), 409, 'uniqueness');
    expectScimError(await groups.patch(`/Groups/${a.id}`, { Operations: [{ op: 'replace', value: { displayName: b.displayName } }] }), 409, 'uniqueness');
  });

  it('Add members with "$ref": null (§3.13), remove with a value list (§3.14) and with members[value eq] (flag dialect)', async () => {
    const group = await newGroup();
    const [u1, u2, u3] = [await newUser(), await newUser(), await newUser()];
    const add = await groups.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: u1 }, { value: u2 }, u3] }] });
    expect(add.status).toBe(204);
    expect(await memberIds(group.id)).toEqual([u1, u2, u3].sort());
    await groups.patch(`/Groups/${group.id}`, { Operations: [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: u1 }] }] });
    expect(await memberIds(group.id)).toEqual([u2, u3].sort());
    await groups.patch(`/Groups/${group.id}`, { Operations: [{ op: 'remove', path: `members[value eq "${u2}"]` }] });
    expect(await memberIds(group.id)).toEqual([u3]);
    // Adding an existing member and removing a non-member are no-ops.
    await groups.patch(`/Groups/${group.id}`, { Operations: [{ op: 'add', path: 'members', value: [{ value: u3 }] }, { op: 'remove', path: 'members', value: [{ value: u1 }] }] });
    expect(await memberIds(group.id)).toEqual([u3]);
  });

  it('several ops in order: add then remove the same member → not a member; replace sets exactly; remove without value removes all', async () => {
    const group = await newGroup();
    const [u1, u2, u3] = [await newUser(), await newUser(), await newUser()];
    await groups.patch(`/Groups/${group.id}`, { Operations: [{ op: 'add', path: 'members', value: [{ value: u1 }] }, { op: 'remove', path: `members[value eq "${u1}"]` }] });
    expect(await memberIds(group.id)).toEqual([]);
    await groups.patch(`/Groups/${group.id}`, { Operations: [{ op: 'add', path: 'members', value: [{ value: u1 }, { value: u2 }] }] });
    await groups.patch(`/Groups/${group.id}`, { Operations: [{ op: 'replace', path: 'members', value: [{ value: u2 }, { value: u3 }] }] });
    expect(await memberIds(group.id)).toEqual([u2, u3].sort());
    await groups.patch(`/Groups/${group.id}`, { Operations: [{ op: 'remove', path: 'members' }] });
    expect(await memberIds(group.id)).toEqual([]);
  });

  it('after the last member is removed, the group is read without members and the user without groups, never [] (RFC 7643 §2.5)', async () => {
    const group = await newGroup();
    const user = await newUser();
    await groups.patch(`/Groups/${group.id}`, { Operations: [{ op: 'add', path: 'members', value: [{ value: user }] }] });
    expect((await groups.get(`/Groups/${group.id}`)).body.members).toHaveLength(1);

    await groups.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'members', value: [{ value: user }] }] });

    expect((await groups.get(`/Groups/${group.id}`)).body).not.toHaveProperty('members');
    const listed = await groups.get(`/Groups?filter=${encodeURIComponent(`id eq "${group.id}"`)}`);
    expect(listed.body.Resources).toHaveLength(1);
    expect(listed.body.Resources[0]).not.toHaveProperty('members');
    expect((await users.get(`/Users/${user}`)).body).not.toHaveProperty('groups');
    expect((await users.get(`/Users?attributes=groups&filter=${encodeURIComponent(`id eq "${user}"`)}`)).body.Resources[0]).not.toHaveProperty('groups');
  });

  it('a member that is not a user of this application → 400 invalidValue naming it, and nothing of the PATCH applied', async () => {
    const group = await newGroup();
    const mine = await newUser();
    const foreign = await newUser(otherUsers);
    const res = await groups.patch(`/Groups/${group.id}`, {
      Operations: [
        { op: 'replace', path: 'displayName', value: `renamed ${randomUUID()}` },
        { op: 'add', path: 'members', value: [{ value: mine }, { value: foreign }] },
      ],
    });
    expectScimError(res, 400, 'invalidValue');
    expect(res.body.detail).toContain(foreign);
    const after = (await groups.get(`/Groups/${group.id}`)).body;
    expect(after.displayName).toBe(group.displayName);
    expect(after).not.toHaveProperty('members');
  });

  it("a user's groups attribute lists its groups; deleting a user or a group removes the memberships", async () => {
    const [g1, g2] = [await newGroup(), await newGroup()];
    const user = await newUser();
    for (const g of [g1, g2]) await groups.patch(`/Groups/${g.id}`, { Operations: [{ op: 'add', path: 'members', value: [{ value: user }] }] });
    const read = (await users.get(`/Users/${user}`)).body;
    expect(read.groups.map((g: { value: string }) => g.value).sort()).toEqual([g1.id, g2.id].sort());
    expect(read.groups[0]).toEqual(expect.objectContaining({ display: expect.any(String), $ref: expect.stringContaining('/Groups/') }));

    expect((await groups.delete(`/Groups/${g1.id}`)).status).toBe(204);
    expect((await users.get(`/Users/${user}`)).body.groups.map((g: { value: string }) => g.value)).toEqual([g2.id]);
    const viaFilter = await users.get(`/Users?filter=${encodeURIComponent(`groups.value eq "${g1.id}"`)}`);
    expect(viaFilter.body.totalResults).toBe(0);
    expectScimError(await groups.get(`/Groups/${g1.id}`), 404);
    expectScimError(await groups.delete(`/Groups/${g1.id}`), 404);

    expect((await users.delete(`/Users/${user}`)).status).toBe(204);
    expect(await memberIds(g2.id)).toEqual([]);
  });

  it('members.value and groups.value filters answer from keys', async () => {
    const group = await newGroup();
    const user = await newUser();
    await groups.patch(`/Groups/${group.id}`, { Operations: [{ op: 'add', path: 'members', value: [{ value: user }] }] });
    const ofUser = await groups.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent(`members.value eq "${user}"`)}`);
    expect(ofUser.body.Resources.map((g: { id: string }) => g.id)).toEqual([group.id]);
    const inGroup = await users.get(`/Users?filter=${encodeURIComponent(`groups.value eq "${group.id}"`)}`);
    expect(inGroup.body.Resources.map((u: { id: string }) => u.id)).toEqual([user]);
  });

  it('POST with members and PUT replace with members → 200; unknown member in POST → 400 and no group', async () => {
    const [u1, u2] = [await newUser(), await newUser()];
    const created = await groups.post('/Groups', { displayName: `g ${randomUUID()}`, members: [{ value: u1 }] });
    expect(created.status).toBe(201);
    expect(created.body.members.map((m: { value: string }) => m.value)).toEqual([u1]);
    const replaced = await groups.put(`/Groups/${created.body.id}`, { displayName: created.body.displayName, members: [{ value: u2 }] });
    expect(replaced.status).toBe(200);
    expect(await memberIds(created.body.id)).toEqual([u2]);
    const name = `g ${randomUUID()}`;
    expectScimError(await groups.post('/Groups', { displayName: name, members: [{ value: randomUUID() }] }), 400, 'invalidValue');
    expect((await groups.get(`/Groups?filter=${encodeURIComponent(`displayName eq "${name}"`)}`)).body.totalResults).toBe(0);
  });
});

describe('Groups at scale (10,000 members)', () => {
  const appId = app.id;
  const seedUsers = async (count: number): Promise<string[]> => {
    const ids = Array.from({ length: count }, () => randomUUID());
    const now = new Date().toISOString();
    for (let i = 0; i < ids.length; i += 25) {
      await rt.dynamo.send(
        new BatchWriteCommand({
          RequestItems: {
            [tables.tableName]: ids.slice(i, i + 25).map((id) => ({
              PutRequest: {
                Item: {
                  ...keys.user(appId, id),
                  ...keys.userListEntry(appId, id),
                  type: ItemType.user,
                  appId,
                  id,
                  userName: `bulk-${id}`,
                  active: true,
                  resource: { userName: `bulk-${id}` },
                  version: 1,
                  created: now,
                  lastModified: now,
                  lastRequest: { requestId: 'seed', appName: 'seed' },
                },
              },
            })),
          },
        }),
      );
    }
    return ids;
  };

  it('adds, lists, removes and deletes a 10,000-member group; a big GET says how to page instead', async () => {
    const ids = await seedUsers(10_000);
    const group = await newGroup();
    trips.reset();
    const add = await groups.patch(`/Groups/${group.id}`, { Operations: [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }] });
    expect(add.status).toBe(204);
    // ⌈k/100⌉ existence checks + ⌈k/49⌉ transactions (two actions per added member) + the group read.
    expect(trips.count()).toBeLessThanOrEqual(1 + Math.ceil(10_000 / 100) + Math.ceil(10_000 / 49));

    const page1 = await users.get(`/Users?filter=${encodeURIComponent(`groups.value eq "${group.id}"`)}&count=100`);
    expect(page1.body.totalResults).toBe(10_000);
    expect(page1.body.Resources).toHaveLength(100);

    const extra = await newUser();
    await groups.patch(`/Groups/${group.id}`, { Operations: [{ op: 'add', path: 'members', value: [{ value: extra }] }] });
    const tooBig = await groups.get(`/Groups/${group.id}`);
    expectScimError(tooBig, 400, 'tooMany');
    expect(tooBig.body.detail).toContain('excludedAttributes=members');
    trips.reset();
    expect((await groups.get(`/Groups/${group.id}?excludedAttributes=members`)).status).toBe(200);
    expect(trips.count()).toBe(1);

    const removed = await groups.patch(`/Groups/${group.id}`, { Operations: [{ op: 'remove', path: 'members', value: ids.slice(0, 5000).map((value) => ({ value })) }] });
    expect(removed.status).toBe(204);
    expect((await users.get(`/Users?filter=${encodeURIComponent(`groups.value eq "${group.id}"`)}&count=1`)).body.totalResults).toBe(5001);

    trips.reset();
    expect((await groups.delete(`/Groups/${group.id}`)).status).toBe(204);
    expect(trips.count()).toBeLessThanOrEqual(2);
    expect((await users.get(`/Users?filter=${encodeURIComponent(`groups.value eq "${group.id}"`)}`)).body.totalResults).toBe(0);
    expect((await users.get(`/Users/${ids[9999]}`)).body).not.toHaveProperty('groups');
  }, 900_000); // 10,000 members each get their profile.groups written; a shared CI machine is slow, and no timing is asserted
});
