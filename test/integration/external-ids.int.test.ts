/**
 * externalId is not unique (RFC 7643 §3.1, issue 13 §1): the real Users and Groups handlers on
 * DynamoDB Local. Duplicates are accepted, `externalId eq` lists every holder in id order from
 * keys (strongly consistent, no scan, no index), paged like any list; data written by versions
 * that kept externalId unique is still found.
 */
import { createGroupsHandler } from '../../lambdas/handlers/groups';
import { createUsersHandler } from '../../lambdas/handlers/users';
import type { Runtime } from '../../lambdas/shared/runtime';
import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ItemType } from '../../lambdas/domain/items';
import { keys, UniqueKind } from '../../lambdas/store/keys';
import { createReportDirectory } from '../../lambdas/store/report-directory';
import { scimClient, type TestApp } from '../helpers/invoke';
import { createTestTables, type TestTables } from '../helpers/tables';
import { testRuntime } from '../helpers/runtime';

let tables: TestTables;
let rt: Runtime;
let users: ReturnType<typeof scimClient>;
let otherUsers: ReturnType<typeof scimClient>;
let groups: ReturnType<typeof scimClient>;
const app: TestApp = { id: 'appextids01', name: 'Entra ID' };

/** Every DynamoDB command sent through the shared client, with its input. */
const sent: { command: string; input: Record<string, unknown> }[] = [];

beforeAll(async () => {
  tables = await createTestTables('extids');
  rt = testRuntime(tables);
  users = scimClient(createUsersHandler(rt), app);
  otherUsers = scimClient(createUsersHandler(rt), { id: 'appextids02', name: 'Okta' });
  groups = scimClient(createGroupsHandler(rt), app);
  rt.dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push({ command: String(context.commandName), input: args.input as Record<string, unknown> });
      return next(args);
    },
    { step: 'initialize', name: 'externalIdCommandLog' },
  );
});
afterAll(() => tables.drop());

const newUser = async (externalId: string, client = users) => {
  const res = await client.post('/Users', { userName: `${randomUUID()}@contoso.com`, externalId, active: true });
  expect(res.status).toBe(201);
  return res.body.id as string;
};
const newGroup = async (externalId: string) => {
  const res = await groups.post('/Groups', { displayName: `Group ${randomUUID()}`, externalId });
  expect(res.status).toBe(201);
  return res.body.id as string;
};
const byExternalId = (client: ReturnType<typeof scimClient>, resource: 'Users' | 'Groups', externalId: string, paging = '') =>
  client.get(`/${resource}?filter=${encodeURIComponent(`externalId eq "${externalId}"`)}${paging}`);
const idsOf = (res: { body: { Resources: { id: string }[] } }) => res.body.Resources.map((r) => r.id);

/** Every item in a partition, read strongly consistent. */
const partition = async (pk: string) =>
  (await rt.dynamo.send(new QueryCommand({ TableName: tables.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true }))).Items ?? [];
const put = (item: Record<string, unknown>) => rt.dynamo.send(new PutCommand({ TableName: tables.tableName, Item: item }));

describe('Users: externalId is not unique', () => {
  it('POST three users with one externalId → 201 each; externalId eq lists all three in id order, and no user of another application', async () => {
    const externalId = `ext-${randomUUID()}`;
    const ids = [await newUser(externalId), await newUser(externalId), await newUser(externalId)];
    await newUser(externalId, otherUsers);
    const res = await byExternalId(users, 'Users', externalId);
    expect(res.status).toBe(200);
    expect(res.body.totalResults).toBe(3);
    expect(idsOf(res)).toEqual([...ids].sort());
    expect(res.body.Resources.every((u: { externalId: string }) => u.externalId === externalId)).toBe(true);
  });

  it('externalId eq pages like any list: startIndex/count and cursors walk the holders in id order', async () => {
    const externalId = `ext-${randomUUID()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await newUser(externalId));
    const sorted = [...ids].sort();

    const second = await byExternalId(users, 'Users', externalId, '&startIndex=3&count=2');
    expect(second.body).toMatchObject({ totalResults: 5, startIndex: 3, itemsPerPage: 2 });
    expect(idsOf(second)).toEqual(sorted.slice(2, 4));

    const walked: string[] = [];
    let cursor = '';
    do {
      const page = await byExternalId(users, 'Users', externalId, `&count=2&cursor=${cursor}`);
      expect(page.status).toBe(200);
      walked.push(...idsOf(page));
      cursor = page.body.nextCursor ?? '';
    } while (cursor);
    expect(walked).toEqual(sorted);
  });

  it('externalId eq is answered from keys, strongly consistent: one Query of its partition and one consistent BatchGet, no index', async () => {
    const externalId = `ext-${randomUUID()}`;
    await newUser(externalId);
    await newUser(externalId);
    sent.length = 0;
    expect((await byExternalId(users, 'Users', externalId)).body.totalResults).toBe(2);
    expect(sent.map((s) => s.command)).toEqual(['QueryCommand', 'BatchGetItemCommand']);
    expect(sent[0].input).toMatchObject({ ConsistentRead: true, ExpressionAttributeValues: { ':pk': keys.externalIdHolders(app.id, 'User', externalId) } });
    expect(sent[0].input.IndexName).toBeUndefined();
    expect(Object.values(sent[1].input.RequestItems as Record<string, { ConsistentRead?: boolean }>)[0].ConsistentRead).toBe(true);
  });

  it('PATCH and PUT move a user to another externalId; DELETE takes it off the list; no entry is left behind', async () => {
    const [a, b] = [`ext-${randomUUID()}`, `ext-${randomUUID()}`];
    const stays = await newUser(a);
    const moves = await newUser(a);
    expect((await users.patch(`/Users/${moves}`, { Operations: [{ op: 'replace', path: 'externalId', value: b }] })).status).toBe(200);
    expect(idsOf(await byExternalId(users, 'Users', a))).toEqual([stays]);
    expect(idsOf(await byExternalId(users, 'Users', b))).toEqual([moves]);

    const put = await users.put(`/Users/${stays}`, { userName: `${randomUUID()}@contoso.com`, externalId: b });
    expect(put.status).toBe(200);
    expect((await byExternalId(users, 'Users', a)).body.totalResults).toBe(0);
    expect(idsOf(await byExternalId(users, 'Users', b))).toEqual([stays, moves].sort());

    expect((await users.delete(`/Users/${moves}`)).status).toBe(204);
    expect(idsOf(await byExternalId(users, 'Users', b))).toEqual([stays]);
    expect((await partition(keys.externalIdHolders(app.id, 'User', a))).length).toBe(0);
    expect((await partition(keys.externalIdHolders(app.id, 'User', b))).map((i) => i.sk)).toEqual([stays]);
  });

  it('a user written while externalId was unique (a uniqueness record, no entry) is found beside newer holders; its next write swaps the record for an entry', async () => {
    const externalId = `ext-${randomUUID()}`;
    const legacy = `legacy-${randomUUID()}`;
    const userName = `${legacy}@contoso.com`;
    const stamp = { requestId: 'seed', appName: app.name };
    const resource = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, externalId, active: true };
    await put({ ...keys.user(app.id, legacy), ...keys.userListEntry(app.id, legacy), type: ItemType.user, appId: app.id, id: legacy, userName, externalId, active: true, resource, version: 1, created: '2025-01-01T00:00:00.000Z', lastModified: '2025-01-01T00:00:00.000Z', lastRequest: stamp, membershipVersion: 0 });
    await put({ ...keys.unique(app.id, UniqueKind.userName, userName), type: ItemType.unique, appId: app.id, ownerId: legacy });
    await put({ ...keys.unique(app.id, UniqueKind.externalId, externalId), type: ItemType.unique, appId: app.id, ownerId: legacy });

    expect(idsOf(await byExternalId(users, 'Users', externalId))).toEqual([legacy]);
    const newer = await newUser(externalId);
    expect(idsOf(await byExternalId(users, 'Users', externalId))).toEqual([legacy, newer].sort());

    expect((await users.patch(`/Users/${legacy}`, { Operations: [{ op: 'replace', path: 'displayName', value: 'Legacy' }] })).status).toBe(200);
    const items = await partition(keys.externalIdHolders(app.id, 'User', externalId));
    expect(items.map((i) => [i.sk, i.type]).sort()).toEqual([[legacy, ItemType.externalId], [newer, ItemType.externalId]].sort());
    expect(idsOf(await byExternalId(users, 'Users', externalId))).toEqual([legacy, newer].sort());

    expect((await users.delete(`/Users/${legacy}`)).status).toBe(204);
    expect(idsOf(await byExternalId(users, 'Users', externalId))).toEqual([newer]);
  });

  it('deleting a user written while externalId was unique removes its uniqueness record', async () => {
    const externalId = `ext-${randomUUID()}`;
    const legacy = `legacy-${randomUUID()}`;
    const userName = `${legacy}@contoso.com`;
    const resource = { userName, externalId };
    await put({ ...keys.user(app.id, legacy), ...keys.userListEntry(app.id, legacy), type: ItemType.user, appId: app.id, id: legacy, userName, externalId, active: true, resource, version: 1, created: 'x', lastModified: 'x', lastRequest: { requestId: 'seed', appName: app.name } });
    await put({ ...keys.unique(app.id, UniqueKind.userName, userName), type: ItemType.unique, appId: app.id, ownerId: legacy });
    await put({ ...keys.unique(app.id, UniqueKind.externalId, externalId), type: ItemType.unique, appId: app.id, ownerId: legacy });
    expect((await users.delete(`/Users/${legacy}`)).status).toBe(204);
    expect(await partition(keys.externalIdHolders(app.id, 'User', externalId))).toEqual([]);
    expect((await byExternalId(users, 'Users', externalId)).body.totalResults).toBe(0);
  });
});

describe('Reports by end user: an externalId names every holder', () => {
  it('userNamesFor(<externalId>) gives the userName of every holder, older ones included', async () => {
    const externalId = `ext-${randomUUID()}`;
    const legacy = `legacy-${randomUUID()}`;
    const legacyName = `${legacy}@contoso.com`;
    await put({ ...keys.user(app.id, legacy), ...keys.userListEntry(app.id, legacy), type: ItemType.user, appId: app.id, id: legacy, userName: legacyName, externalId, active: true, resource: { userName: legacyName, externalId }, version: 1, created: 'x', lastModified: 'x', lastRequest: { requestId: 'seed', appName: app.name } });
    await put({ ...keys.unique(app.id, UniqueKind.externalId, externalId), type: ItemType.unique, appId: app.id, ownerId: legacy });
    const holders = [await newUser(externalId), await newUser(externalId)];
    const names = await Promise.all(holders.map(async (id) => (await users.get(`/Users/${id}`)).body.userName as string));
    const directory = createReportDirectory(rt.dynamo, tables.tableName);
    expect((await directory.userNamesFor(externalId, [app.id, 'appextids02'])).sort()).toEqual([legacyName, ...names].sort());
  });
});

describe('Groups: externalId is not unique', () => {
  it('POST two groups with one externalId → 201 each; externalId eq lists both in id order; PATCH moves one, DELETE removes the other', async () => {
    const [a, b] = [`gext-${randomUUID()}`, `gext-${randomUUID()}`];
    const first = await newGroup(a);
    const second = await newGroup(a);
    expect(idsOf(await byExternalId(groups, 'Groups', a))).toEqual([first, second].sort());

    sent.length = 0;
    await byExternalId(groups, 'Groups', a);
    expect(sent[0]).toMatchObject({ command: 'QueryCommand', input: { ConsistentRead: true, ExpressionAttributeValues: { ':pk': keys.externalIdHolders(app.id, 'Group', a) } } });

    expect((await groups.patch(`/Groups/${second}`, { Operations: [{ op: 'replace', path: 'externalId', value: b }] })).status).toBe(204);
    expect(idsOf(await byExternalId(groups, 'Groups', a))).toEqual([first]);
    expect(idsOf(await byExternalId(groups, 'Groups', b))).toEqual([second]);
    expect((await groups.delete(`/Groups/${first}`)).status).toBe(204);
    expect((await byExternalId(groups, 'Groups', a)).body.totalResults).toBe(0);
    expect(await partition(keys.externalIdHolders(app.id, 'Group', a))).toEqual([]);
  });

  it('a group written before entries existed is found by externalId from its next write on (a miss never scans)', async () => {
    const externalId = `gext-${randomUUID()}`;
    const legacy = `legacy-${randomUUID()}`;
    const displayName = `Legacy ${legacy}`;
    await put({ ...keys.group(app.id, legacy), ...keys.groupListEntry(app.id, legacy), type: ItemType.group, appId: app.id, id: legacy, displayName, externalId, resource: { displayName, externalId }, version: 1, created: 'x', lastModified: 'x', lastRequest: { requestId: 'seed', appName: app.name } });
    await put({ ...keys.unique(app.id, UniqueKind.groupName, displayName), type: ItemType.unique, appId: app.id, ownerId: legacy });

    expect((await byExternalId(groups, 'Groups', externalId)).body.totalResults).toBe(0);
    expect((await groups.patch(`/Groups/${legacy}`, { Operations: [{ op: 'replace', path: 'displayName', value: `${displayName} renamed` }] })).status).toBe(204);
    expect((await partition(keys.externalIdHolders(app.id, 'Group', externalId))).map((i) => i.sk)).toEqual([legacy]);
    expect(idsOf(await byExternalId(groups, 'Groups', externalId))).toEqual([legacy]);
  });
});
