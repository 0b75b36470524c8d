/**
 * How users' `profile.groups` maps are kept without reading the users, on DynamoDB Local (issue 18).
 * Member removals in the real Groups handler (a group PATCH costs the round trips it did before
 * profiles): one transaction removes the group's key from each removed user's map, steps
 * `membershipVersion` and deletes the membership. A renamed or deleted group in its members'
 * profiles (the stream consumer's store/profile-groups.ts): one update per member. Any user for
 * which that does not apply — an item that stored its groups as a list or no profile (written
 * before), a user who is no member or already right, a deleted user — is read and written the
 * pinned way, with the same outcome as before.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ItemType } from '../../lambdas/domain/items';
import { createGroupsHandler } from '../../lambdas/handlers/groups';
import { createUsersHandler } from '../../lambdas/handlers/users';
import type { Runtime } from '../../lambdas/shared/runtime';
import { keys } from '../../lambdas/store/keys';
import { createProfileGroups } from '../../lambdas/store/profile-groups';
import { scimClient, type TestApp } from '../helpers/invoke';
import { countRoundTrips, type RoundTripCounter } from '../helpers/round-trips';
import { testRuntime } from '../helpers/runtime';
import { createTestTables, type TestTables } from '../helpers/tables';

let tables: TestTables;
let rt: Runtime;
let users: ReturnType<typeof scimClient>;
let groups: ReturnType<typeof scimClient>;
let trips: RoundTripCounter;
const app: TestApp = { id: 'appprofgroups', name: 'Entra ID' };

beforeAll(async () => {
  tables = await createTestTables('profilegroups');
  // Settings stay cached: the counts are those of a warm container.
  rt = testRuntime(tables, { SCIM_AUTH_CACHE_SECONDS: '3600' });
  await rt.dynamo.send(
    new PutCommand({
      TableName: tables.tableName,
      Item: { ...keys.app(app.id), ...keys.appListEntry(app.id), type: ItemType.app, appId: app.id, id: app.id, name: app.name, requiredAttributes: ['userName'], created: '2025-01-01T00:00:00.000Z', lastModified: '2025-01-01T00:00:00.000Z', tokens: [], version: 1 },
    }),
  );
  users = scimClient(createUsersHandler(rt), app);
  groups = scimClient(createGroupsHandler(rt), app);
  trips = countRoundTrips(rt);
});
afterAll(() => tables.drop());

const newUser = async () => (await users.post('/Users', { userName: `${randomUUID()}@contoso.com`, displayName: 'U' })).body.id as string;
const newGroup = async () => (await groups.post('/Groups', { displayName: `Group ${randomUUID()}` })).body as { id: string; displayName: string };
const userItem = async (id: string) =>
  (await rt.dynamo.send(new GetCommand({ TableName: tables.tableName, Key: keys.user(app.id, id), ConsistentRead: true }))).Item;
const membership = async (groupId: string, userId: string) => {
  const { pk, sk } = keys.membership(app.id, groupId, userId);
  return (await rt.dynamo.send(new GetCommand({ TableName: tables.tableName, Key: { pk, sk }, ConsistentRead: true }))).Item;
};
const addMembers = async (groupId: string, ids: string[]) =>
  expect((await groups.patch(`/Groups/${groupId}`, { Operations: [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }] })).status).toBe(204);
const removeMembers = (groupId: string, ids: string[]) => groups.patch(`/Groups/${groupId}`, { Operations: [{ op: 'remove', path: 'members', value: ids.map((value) => ({ value })) }] });
const memberIds = async (groupId: string): Promise<string[]> =>
  ((await groups.get(`/Groups/${groupId}`)).body.members ?? []).map((m: { value: string }) => m.value).sort();

describe('Removing members reads no user', () => {
  it('one member: the group read and one transaction; the profile loses the group, the counter steps once', async () => {
    const [user, other] = [await newUser(), await newUser()];
    const [sales, staff] = [await newGroup(), await newGroup()];
    await addMembers(sales.id, [user, other]);
    await addMembers(staff.id, [user]);
    const before = (await userItem(user))!;
    expect(before.profile.groups).toEqual({ [sales.id]: sales.displayName, [staff.id]: staff.displayName });

    trips.reset();
    expect((await groups.patch(`/Groups/${sales.id}`, { Operations: [{ op: 'remove', path: `members[value eq "${user}"]` }] })).status).toBe(204);
    expect(trips.commands).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);

    const after = (await userItem(user))!;
    expect(after.profile.groups).toEqual({ [staff.id]: staff.displayName });
    expect(after.membershipVersion).toBe(before.membershipVersion + 1);
    expect(after.version).toBe(before.version);
    expect(await membership(sales.id, user)).toBeUndefined();
    expect(await memberIds(sales.id)).toEqual([other]);
    expect((await users.get(`/Users/${user}`)).body.groups.map((g: { value: string }) => g.value)).toEqual([staff.id]);
  });

  it('100 members: the group read and ⌈100/49⌉ transactions, no BatchGet', async () => {
    const ids = await Promise.all(Array.from({ length: 100 }, newUser));
    const group = await newGroup();
    await addMembers(group.id, ids);
    trips.reset();
    expect((await removeMembers(group.id, ids)).status).toBe(204);
    expect(trips.commands).toEqual(['GetItemCommand', ...Array(3).fill('TransactWriteItemsCommand')]);
    expect(await memberIds(group.id)).toEqual([]);
    for (const id of ids.slice(0, 5)) expect((await userItem(id))!.profile.groups).toEqual({});
  });

  it('a user who is no member, beside one who is: the chunk is read and written pinned; the member leaves, the other keeps its groups', async () => {
    const [member, stranger] = [await newUser(), await newUser()];
    const [group, elsewhere] = [await newGroup(), await newGroup()];
    await addMembers(group.id, [member]);
    await addMembers(elsewhere.id, [stranger]);
    const strangerBefore = (await userItem(stranger))!;

    trips.reset();
    expect((await removeMembers(group.id, [member, stranger])).status).toBe(204);
    // The first transaction is refused (the stranger's map lacks the group), then both are read once.
    expect(trips.commands).toEqual(['GetItemCommand', 'TransactWriteItemsCommand', 'BatchGetItemCommand', 'TransactWriteItemsCommand']);
    expect((await userItem(member))!.profile.groups).toEqual({});
    expect((await userItem(stranger))!.profile.groups).toEqual(strangerBefore.profile.groups);
    expect(await memberIds(group.id)).toEqual([]);
  });

  it('an unknown or deleted user: 204, and no user item appears', async () => {
    const [member, gone] = [await newUser(), await newUser()];
    const group = await newGroup();
    await addMembers(group.id, [member, gone]);
    expect((await users.delete(`/Users/${gone}`)).status).toBe(204);
    const unknown = randomUUID();
    expect((await removeMembers(group.id, [gone, unknown, member])).status).toBe(204);
    expect(await userItem(gone)).toBeUndefined();
    expect(await userItem(unknown)).toBeUndefined();
    expect(await memberIds(group.id)).toEqual([]);
    expect((await userItem(member))!.profile.groups).toEqual({});
  });

  it('a user item that stored its groups as a list (written before the map) leaves the group and is stored as a map from then on', async () => {
    const user = await newUser();
    const [kept, left] = [await newGroup(), await newGroup()];
    await addMembers(kept.id, [user]);
    await addMembers(left.id, [user]);
    // As an earlier version wrote it: a sorted list of { id, displayName }.
    await rt.dynamo.send(
      new UpdateCommand({
        TableName: tables.tableName,
        Key: keys.user(app.id, user),
        UpdateExpression: 'SET #p.#g = :list',
        ExpressionAttributeNames: { '#p': 'profile', '#g': 'groups' },
        ExpressionAttributeValues: { ':list': [kept, left].map(({ id, displayName }) => ({ id, displayName })) },
      }),
    );
    const before = (await userItem(user))!;
    expect((await removeMembers(left.id, [user])).status).toBe(204);
    const after = (await userItem(user))!;
    expect(after.profile.groups).toEqual({ [kept.id]: kept.displayName });
    expect(after.membershipVersion).toBe(before.membershipVersion + 1);
    expect(await memberIds(left.id)).toEqual([]);
  });

  it('a user item without a profile (written before profiles): the membership goes and the counter steps', async () => {
    const user = await newUser();
    const group = await newGroup();
    await addMembers(group.id, [user]);
    await rt.dynamo.send(new UpdateCommand({ TableName: tables.tableName, Key: keys.user(app.id, user), UpdateExpression: 'REMOVE #p', ExpressionAttributeNames: { '#p': 'profile' } }));
    const before = (await userItem(user))!;
    expect((await removeMembers(group.id, [user])).status).toBe(204);
    const after = (await userItem(user))!;
    expect(after.profile).toBeUndefined();
    expect(after.membershipVersion).toBe(before.membershipVersion + 1);
    expect(await membership(group.id, user)).toBeUndefined();
  });

  it('a user write that read the groups before the removal cannot write them back: its pinned counter moved', async () => {
    const user = await newUser();
    const group = await newGroup();
    await addMembers(group.id, [user]);
    const read = (await userItem(user))!;
    expect((await removeMembers(group.id, [user])).status).toBe(204);
    // What users.update does with what it read: a Put pinned to the version and the counter.
    await expect(
      rt.dynamo.send(
        new PutCommand({
          TableName: tables.tableName,
          Item: { ...read, version: read.version + 1 },
          ConditionExpression: 'attribute_exists(pk) AND version = :v AND (attribute_not_exists(membershipVersion) OR membershipVersion = :mv)',
          ExpressionAttributeValues: { ':v': read.version, ':mv': read.membershipVersion },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    // And through the handler the write re-reads: the profile keeps the removal.
    expect((await users.patch(`/Users/${user}`, { Operations: [{ op: 'replace', path: 'displayName', value: 'Renamed' }] })).status).toBe(200);
    expect((await userItem(user))!.profile.groups).toEqual({});
  });
});

describe('A renamed or deleted group in its members\' profiles (stream consumer)', () => {
  const setList = (user: string, list: { id: string; displayName: string }[]) =>
    rt.dynamo.send(
      new UpdateCommand({
        TableName: tables.tableName,
        Key: keys.user(app.id, user),
        UpdateExpression: 'SET #p.#g = :list',
        ExpressionAttributeNames: { '#p': 'profile', '#g': 'groups' },
        ExpressionAttributeValues: { ':list': list },
      }),
    );

  it('renamed: one update per member, no read; a replay changes nothing; an item written before is read and stored as a map', async () => {
    const [a, b, legacy, stranger] = [await newUser(), await newUser(), await newUser(), await newUser()];
    const [group, other] = [await newGroup(), await newGroup()];
    await addMembers(group.id, [a, b, legacy]);
    await addMembers(other.id, [a]);
    await setList(legacy, [{ id: group.id, displayName: group.displayName }]);
    const before = new Map(await Promise.all([a, b, legacy, stranger].map(async (id) => [id, (await userItem(id))!] as const)));
    const renamed = { id: group.id, displayName: `${group.displayName} renamed` };

    trips.reset();
    await createProfileGroups(rt.dynamo, tables.tableName).renamed(app.id, renamed, [a, b]);
    expect(trips.commands).toEqual(['UpdateItemCommand', 'UpdateItemCommand']);
    expect((await userItem(a))!.profile.groups).toEqual({ [renamed.id]: renamed.displayName, [other.id]: other.displayName });
    expect((await userItem(a))!.membershipVersion).toBe(before.get(a)!.membershipVersion + 1);

    // The legacy list and a user who is no member: read, then written (legacy) or left alone (stranger).
    await createProfileGroups(rt.dynamo, tables.tableName).renamed(app.id, renamed, [legacy, stranger]);
    expect((await userItem(legacy))!.profile.groups).toEqual({ [renamed.id]: renamed.displayName });
    expect(await userItem(stranger)).toEqual(before.get(stranger));

    // A replayed record: every user is already right, and none is written again.
    const settled = await Promise.all([a, b, legacy].map(userItem));
    await createProfileGroups(rt.dynamo, tables.tableName).renamed(app.id, renamed, [a, b, legacy]);
    expect(await Promise.all([a, b, legacy].map(userItem))).toEqual(settled);
  });

  it('deleted: the group leaves each member\'s map with one update and one counter step; a replay changes nothing; a gone user stays gone', async () => {
    const [a, legacy, gone] = [await newUser(), await newUser(), await newUser()];
    const [group, other] = [await newGroup(), await newGroup()];
    await addMembers(group.id, [a, legacy]);
    await addMembers(other.id, [a, legacy]);
    await setList(legacy, [
      { id: group.id, displayName: group.displayName },
      { id: other.id, displayName: other.displayName },
    ]);
    expect((await users.delete(`/Users/${gone}`)).status).toBe(204);
    const versionOf = async (id: string) => (await userItem(id))!.membershipVersion;
    const [va, vl] = [await versionOf(a), await versionOf(legacy)];

    trips.reset();
    await createProfileGroups(rt.dynamo, tables.tableName).removed(app.id, group.id, [a]);
    expect(trips.commands).toEqual(['UpdateItemCommand']);
    await createProfileGroups(rt.dynamo, tables.tableName).removed(app.id, group.id, [legacy, gone]);
    for (const id of [a, legacy]) expect((await userItem(id))!.profile.groups).toEqual({ [other.id]: other.displayName });
    expect([await versionOf(a), await versionOf(legacy)]).toEqual([va + 1, vl + 1]);
    expect(await userItem(gone)).toBeUndefined();

    await createProfileGroups(rt.dynamo, tables.tableName).removed(app.id, group.id, [a, legacy, gone]);
    expect([await versionOf(a), await versionOf(legacy)]).toEqual([va + 1, vl + 1]);
    expect(await userItem(gone)).toBeUndefined();
  });
});
