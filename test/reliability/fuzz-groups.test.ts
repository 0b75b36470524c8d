/**
 * Property-based fuzzing of every /Groups route, in process against DynamoDB Local: random and
 * mutated bodies, member lists of real, unknown and malformed ids, PATCH operations on members,
 * filters, attributes, paging and ids. Same invariants as fuzz-users.
 */
import { createGroupsHandler } from '../../lambdas/handlers/groups';
import { createUsersHandler } from '../../lambdas/handlers/users';
import { testRuntime } from '../helpers/runtime';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { keys } from '../../lambdas/store/keys';
import { queryDigest } from '../../lambdas/domain/cursor';
import { appAuthorizer, scimClient, type TestApp } from '../helpers/invoke';
import { createTestTables, type TestTables } from '../helpers/tables';
import { entraGroup, entraUser, groupBody, ifMatch, jsonValue, listQuery, patchBody, projectionQuery, queryString, resourceId, SEARCH_URN } from './support/arbitraries';
import { recordFigures } from './support/figures';
import { createFuzzer, type FuzzRequest } from './support/fuzz';
import { runs, testTimeout } from './support/scale';

const APP: TestApp = { id: 'fuzzgroups01', name: 'Fuzz groups A' };
const OTHER: TestApp = { id: 'fuzzgroups02', name: 'Fuzz groups B' };
const PREFIX = `/apps/${APP.id}/scim/v2`;
const RUNS = runs(8, 400);

let tables: TestTables;
let handler: Parameters<typeof scimClient>[0];
let fuzz: ReturnType<typeof createFuzzer>;
const userIds: string[] = [];
const groupIds: string[] = [];
const otherIds: string[] = [];
let counter = 0;
const fresh = () => `Group ${counter++} ${randomUUID().slice(0, 8)}`;
const knownGroups = () => [...groupIds, ...otherIds.slice(0, 1)];
const members = () => [...userIds, ...otherIds.slice(1)];

const request = (route: string, method: string, url: string, raw?: string, headers: Record<string, string> = {}): FuzzRequest => ({
  route,
  method,
  url: `${PREFIX}${url}`,
  raw,
  headers,
  authorizer: appAuthorizer(APP),
});

const forged = () => [{ p: keys.groupList(APP.id).gsi1pk, q: queryDigest(undefined, undefined, 'ascending') }];

jest.setTimeout(testTimeout());

beforeAll(async () => {
  tables = await createTestTables('rel-groups');
  const rt = testRuntime(tables);
  const users = createUsersHandler(rt);
  handler = createGroupsHandler(rt);
  fuzz = createFuzzer(tables);
  const scimUsers = scimClient(users, APP);
  for (let i = 0; i < 8; i++) userIds.push((await scimUsers.post('/Users', entraUser(`member.${i}.${randomUUID().slice(0, 6)}`))).body.id);
  const scim = scimClient(handler, APP);
  for (let i = 0; i < 3; i++) {
    const created = await scim.post('/Groups', { ...entraGroup(fresh()), members: userIds.slice(i, i + 3).map((value) => ({ value })) });
    groupIds.push(created.body.id);
  }
  // Another application's group and user: never reachable from APP.
  const otherUser = (await scimClient(users, OTHER).post('/Users', entraUser(`other.${randomUUID().slice(0, 6)}`))).body.id;
  otherIds.push((await scimClient(handler, OTHER).post('/Groups', { ...entraGroup(fresh()), members: [{ value: otherUser }] })).body.id, otherUser);
});

afterAll(async () => {
  recordFigures('fuzz-groups', { requestsPerRoute: fuzz.tally.counts, byMutation: fuzz.labels.counts, fiveXx: fuzz.tally.fiveXx() });
  await tables.drop();
});

describe('fuzzing /Groups (in process)', () => {
  it('POST /Groups with random bodies and member lists → 201 or a SCIM 4xx, nothing written on a 4xx', async () => {
    await fuzz.check(
      fc.tuple(groupBody(() => entraGroup(fresh()), members), projectionQuery),
      async ([body, q]) => {
        const res = await fuzz.send(handler, request('POST /Groups', 'POST', `/Groups${queryString(q)}`, body.raw), body.label);
        if (res.status === 201 && res.body?.id) groupIds.push(res.body.id);
      },
      RUNS,
    );
  });

  it('GET /Groups with random filters, attributes, paging and cursors → never a 5xx', async () => {
    await fuzz.check(listQuery(forged), async (q) => {
      await fuzz.send(handler, request('GET /Groups', 'GET', `/Groups${queryString(q)}`), 'list query');
    }, RUNS);
  });

  it('POST /Groups/.search with random SearchRequests → never a 5xx', async () => {
    await fuzz.check(
      fc.oneof(listQuery(forged).map((q) => JSON.stringify({ schemas: [SEARCH_URN], ...q })), jsonValue.map((v) => JSON.stringify(v) ?? '')),
      async (raw) => {
        await fuzz.send(handler, request('POST /Groups/.search', 'POST', '/Groups/.search', raw), 'search body');
      },
      RUNS,
    );
  });

  it('GET /Groups/{id} with random ids, attributes and If-None-Match → never a 5xx', async () => {
    await fuzz.check(fc.tuple(resourceId(knownGroups), projectionQuery, ifMatch), async ([id, q, tag]) => {
      await fuzz.send(handler, request('GET /Groups/{id}', 'GET', `/Groups/${encodeURIComponent(id)}${queryString(q)}`, undefined, tag ? { 'If-None-Match': tag } : {}), 'get');
    }, RUNS);
  });

  it('PUT /Groups/{id} with random bodies, ids and If-Match → nothing written on a 4xx', async () => {
    await fuzz.check(fc.tuple(resourceId(knownGroups), groupBody(() => entraGroup(fresh()), members), ifMatch), async ([id, body, tag]) => {
      await fuzz.send(handler, request('PUT /Groups/{id}', 'PUT', `/Groups/${encodeURIComponent(id)}`, body.raw, tag ? { 'If-Match': tag } : {}), body.label);
    }, RUNS);
  });

  it('PATCH /Groups/{id} with random member operations → nothing written on a 4xx', async () => {
    await fuzz.check(fc.tuple(resourceId(knownGroups), patchBody('group', members), ifMatch), async ([id, body, tag]) => {
      await fuzz.send(handler, request('PATCH /Groups/{id}', 'PATCH', `/Groups/${encodeURIComponent(id)}`, body.raw, tag ? { 'If-Match': tag } : {}), body.label);
    }, RUNS);
  });

  it('DELETE /Groups/{id} with random ids and If-Match → 204 or a SCIM 4xx, nothing removed on a 4xx', async () => {
    const scim = scimClient(handler, APP);
    await fuzz.check(fc.tuple(fc.boolean(), resourceId(() => otherIds.slice(0, 1)), ifMatch), async ([own, id, tag]) => {
      const target = own ? (await scim.post('/Groups', { ...entraGroup(fresh()), members: userIds.slice(0, 2).map((value) => ({ value })) })).body.id : id;
      fuzz.invalidate();
      await fuzz.send(handler, request('DELETE /Groups/{id}', 'DELETE', `/Groups/${encodeURIComponent(target)}`, undefined, tag ? { 'If-Match': tag } : {}), own ? 'own group' : 'other id');
    }, RUNS);
  });

  it('another application’s group and users stay out of reach: 404, members refused, nothing changed', async () => {
    const scim = scimClient(handler, APP);
    const [otherGroup, otherUser] = otherIds;
    expect((await scim.get(`/Groups/${otherGroup}`)).status).toBe(404);
    expect((await scim.delete(`/Groups/${otherGroup}`)).status).toBe(404);
    const add = await fuzz.send(
      handler,
      request('PATCH /Groups/{id}', 'PATCH', `/Groups/${groupIds[0]}`, JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'members', value: [{ value: otherUser }] }] })),
      'member of another app',
    );
    expect(add.status).toBe(400);
    expect((await scim.get(`/Groups?filter=${encodeURIComponent(`members.value eq "${otherUser}"`)}`)).body.totalResults).toBe(0);
  });
});
