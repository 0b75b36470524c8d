/**
 * `POST <Tenant URL>/.search` (RFC 7644 §3.4.3) with the real Users, Groups and root-search
 * handlers against DynamoDB Local: one query over Users and Groups, the filter applied per type
 * (§3.4.2.1), paged as one list by index and by cursor (RFC 9865), sortable, isolated per application.
 */
import { createGroupsHandler } from '../../lambdas/handlers/groups';
import { createSearchHandler } from '../../lambdas/handlers/search';
import { createUsersHandler } from '../../lambdas/handlers/users';
import type { Runtime } from '../../lambdas/shared/runtime';
import { createTestTables, type TestTables } from '../helpers/tables';
import { testRuntime } from '../helpers/runtime';
import { scimClient, type TestApp } from '../helpers/invoke';
import { countRoundTrips, type RoundTripCounter } from '../helpers/round-trips';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

type Client = ReturnType<typeof scimClient>;
type Resource = { id: string; schemas: string[]; displayName?: string; userName?: string; members?: unknown[]; meta?: { resourceType: string } };

let tables: TestTables;
let rt: Runtime;
let users: Client;
let groups: Client;
let root: Client;
let otherUsers: Client;
let otherRoot: Client;
let trips: RoundTripCounter;
const app: TestApp = { id: 'appsearch01', name: 'Entra ID' };
const other: TestApp = { id: 'appsearch02', name: 'Okta' };

const userIds: string[] = [];
const groupIds: string[] = [];

const search = (body: Record<string, unknown>, client: Client = root) => client.post('/.search', { schemas: [SEARCH], ...body });
const idsOf = (res: { body: { Resources: Resource[] } }) => res.body.Resources.map((r) => r.id);
const typesOf = (res: { body: { Resources: Resource[] } }) => res.body.Resources.map((r) => r.meta?.resourceType);

beforeAll(async () => {
  tables = await createTestTables('search');
  rt = testRuntime(tables);
  const usersHandler = createUsersHandler(rt);
  const groupsHandler = createGroupsHandler(rt);
  const searchHandler = createSearchHandler(rt);
  users = scimClient(usersHandler, app);
  groups = scimClient(groupsHandler, app);
  root = scimClient(searchHandler, app);
  otherUsers = scimClient(usersHandler, other);
  otherRoot = scimClient(searchHandler, other);
  trips = countRoundTrips(rt);

  // Five users (one in Sales by department and display name), three groups (one with two members).
  for (let i = 0; i < 5; i++) {
    const body = {
      schemas: [USER, ENTERPRISE],
      userName: `user${i}@contoso.com`,
      displayName: i === 0 ? 'Sales Rep' : `User ${i}`,
      active: true,
      [ENTERPRISE]: { department: i === 0 ? 'Sales' : 'Engineering' },
    };
    userIds.push((await users.post('/Users', body)).body.id);
  }
  for (const displayName of ['Sales', 'Engineering', 'Empty']) {
    groupIds.push((await groups.post('/Groups', { schemas: [GROUP], displayName })).body.id);
  }
  await groups.patch(`/Groups/${groupIds[0]}`, { Operations: [{ op: 'add', path: 'members', value: [{ value: userIds[0] }, { value: userIds[1] }] }] });
  await otherUsers.post('/Users', { schemas: [USER], userName: 'stranger@fabrikam.com', displayName: 'Sales Stranger' });
});
afterAll(() => tables.drop());

describe('POST <Tenant URL>/.search', () => {
  it('without a filter → every user, then every group, of this application only; totalResults is their sum', async () => {
    const res = await search({});

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ schemas: [LIST], totalResults: 8, itemsPerPage: 8, startIndex: 1 });
    expect(typesOf(res)).toEqual(['User', 'User', 'User', 'User', 'User', 'Group', 'Group', 'Group']);
    expect(new Set(idsOf(res))).toEqual(new Set([...userIds, ...groupIds]));
    const sales = res.body.Resources.find((r: Resource) => r.id === groupIds[0]);
    expect(sales).toMatchObject({ schemas: [GROUP], displayName: 'Sales' });
    expect(sales.members.map((m: { value: string }) => m.value).sort()).toEqual([userIds[0], userIds[1]].sort());
    expect(res.body.Resources.find((r: Resource) => r.id === groupIds[2])).not.toHaveProperty('members');
    expect(res.raw).not.toContain('stranger');
  });

  it('a filter on an attribute only Users have returns users and reads no group (RFC 7644 §3.4.2.1)', async () => {
    // Both measured lookups find the holder of the userName already remembered (store/owner-hints.ts;
    // each handler's store keeps its own hints).
    await users.get(`/Users?filter=${encodeURIComponent('userName eq "user3@contoso.com"')}`);
    await search({ filter: 'userName eq "user3@contoso.com"' });
    trips.reset();
    const viaRoot = await search({ filter: 'userName eq "USER3@contoso.com"' });
    const rootTrips = trips.count();
    trips.reset();
    const viaUsers = await users.get(`/Users?filter=${encodeURIComponent('userName eq "user3@contoso.com"')}`);

    expect(idsOf(viaRoot)).toEqual([userIds[3]]);
    expect(viaRoot.body.totalResults).toBe(1);
    expect(rootTrips).toBe(trips.count());
    expect(idsOf(viaUsers)).toEqual([userIds[3]]);
  });

  it('a filter both types can match returns both (displayName sw "Sales" → the user and the group)', async () => {
    const res = await search({ filter: 'displayName sw "sales"' });

    expect(idsOf(res)).toEqual([userIds[0], groupIds[0]]);
    expect(typesOf(res)).toEqual(['User', 'Group']);
  });

  it('meta.resourceType and schemas select one type; an enterprise attribute selects users', async () => {
    expect(idsOf(await search({ filter: 'meta.resourceType eq "Group"' })).sort()).toEqual([...groupIds].sort());
    expect(idsOf(await search({ filter: `schemas eq "${GROUP}"` })).sort()).toEqual([...groupIds].sort());
    expect((await search({ filter: `schemas eq "${USER}"` })).body.totalResults).toBe(5);
    expect(idsOf(await search({ filter: `${ENTERPRISE}:department eq "Sales"` }))).toEqual([userIds[0]]);
    expect(idsOf(await search({ filter: `members.value eq "${userIds[1]}"` }))).toEqual([groupIds[0]]);
    // "Not present" holds wherever the attribute does not exist: on every group.
    expect(idsOf(await search({ filter: 'not (userName pr)' })).sort()).toEqual([...groupIds].sort());
  });

  it('index paging walks users then groups as one list, totalResults the same on every page', async () => {
    const all = idsOf(await search({}));
    const pages: string[] = [];
    for (let startIndex = 1; startIndex <= 9; startIndex += 3) {
      const page = await search({ startIndex, count: 3 });
      expect(page.body).toMatchObject({ totalResults: 8, startIndex });
      pages.push(...idsOf(page));
    }
    expect(pages).toEqual(all);
    expect((await search({ startIndex: 20, count: 3 })).body).toMatchObject({ totalResults: 8, itemsPerPage: 0, Resources: [] });
    expect((await search({ count: 0 })).body).toMatchObject({ totalResults: 8, itemsPerPage: 0, Resources: [] });
  });

  it('cursor paging (RFC 9865) walks users then groups; the last page has no nextCursor', async () => {
    const all = idsOf(await search({}));
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 10; page++) {
      const res = await search({ cursor, count: 3 });
      expect(res.status).toBe(200);
      expect(res.body.totalResults).toBe(8);
      expect(res.body).not.toHaveProperty('startIndex');
      seen.push(...idsOf(res));
      if (!res.body.nextCursor) break;
      cursor = res.body.nextCursor;
    }
    expect(seen).toEqual(all);
  });

  it('sortBy sorts users and groups as one list, and pages it', async () => {
    const res = await search({ sortBy: 'displayName', sortOrder: 'descending' });
    const names = res.body.Resources.map((r: Resource) => r.displayName);

    expect(names).toEqual(['User 4', 'User 3', 'User 2', 'User 1', 'Sales Rep', 'Sales', 'Engineering', 'Empty']);
    const second = await search({ sortBy: 'displayName', startIndex: 3, count: 2 });
    expect(second.body.Resources.map((r: Resource) => r.displayName)).toEqual(['Sales', 'Sales Rep']);
  });

  it('attributes apply per type: each resource keeps id, schemas and what it has of the list', async () => {
    const res = await search({ filter: 'displayName sw "Sales"', attributes: ['userName', 'displayName'] });

    expect(res.body.Resources).toEqual([
      { schemas: [USER, ENTERPRISE], id: userIds[0], userName: 'user0@contoso.com', displayName: 'Sales Rep' },
      { schemas: [GROUP], id: groupIds[0], displayName: 'Sales' },
    ]);
  });

  it('another application sees only its own resources', async () => {
    const res = await search({}, otherRoot);

    expect(res.body.totalResults).toBe(1);
    expect(res.body.Resources[0]).toMatchObject({ userName: 'stranger@fabrikam.com' });
  });

  it('refuses what it cannot run with a SCIM error: no body, another message schema, a bad filter, a cursor of another query', async () => {
    const expectError = (res: { status: number; body: { schemas: string[]; scimType?: string } }, scimType: string) => {
      expect(res.status).toBe(400);
      expect(res.body.schemas).toEqual([ERROR]);
      expect(res.body.scimType).toBe(scimType);
    };
    expectError(await root.post('/.search', undefined), 'invalidSyntax');
    expectError(await root.post('/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] }), 'invalidSyntax');
    expectError(await search({ filter: 'userName eq' }), 'invalidFilter');
    expectError(await search({ cursor: 'not-a-cursor' }), 'invalidValue');
    const sortedCursor = (await search({ sortBy: 'displayName', cursor: '', count: 2 })).body.nextCursor;
    expectError(await search({ cursor: sortedCursor, count: 2 }), 'invalidValue');
  });
});
