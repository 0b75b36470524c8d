/**
 * Property-based fuzzing of every /Users route, in process against DynamoDB Local: random and
 * mutated bodies, PATCH operations, filters, attributes, paging, ids and If-Match values.
 * Invariants (support/fuzz.ts): never a 5xx, every error a valid SCIM Error, a 4xx changes no
 * stored item, no token echoed, no internal name leaked.
 */
import { createUsersHandler } from '../../lambdas/handlers/users';
import { testRuntime } from '../helpers/runtime';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { queryDigest } from '../../lambdas/domain/cursor';
import { keys } from '../../lambdas/store/keys';
import { appAuthorizer, scimClient, type TestApp } from '../helpers/invoke';
import { createTestTables, type TestTables } from '../helpers/tables';
import { entraUser, ifMatch, listQuery, patchBody, projectionQuery, queryString, resourceId, SEARCH_URN, userBody, jsonValue } from './support/arbitraries';
import { recordFigures } from './support/figures';
import { createFuzzer, type FuzzRequest } from './support/fuzz';
import { runs, testTimeout } from './support/scale';

const APP: TestApp = { id: 'fuzzusers0a1', name: 'Fuzz users A' };
const OTHER: TestApp = { id: 'fuzzusers0b2', name: 'Fuzz users B' };
const PREFIX = `/apps/${APP.id}/scim/v2`;
const RUNS = runs(10, 400);

let tables: TestTables;
let handler: Parameters<typeof scimClient>[0];
let fuzz: ReturnType<typeof createFuzzer>;
const ids: string[] = [];
const otherIds: string[] = [];
let counter = 0;

const knownIds = () => [...ids, ...otherIds.slice(0, 1)];
const fresh = () => `fuzz.${counter++}.${randomUUID().slice(0, 8)}`;

const request = (route: string, method: string, url: string, raw?: string, headers: Record<string, string> = {}): FuzzRequest => ({
  route,
  method,
  url: `${PREFIX}${url}`,
  raw,
  headers,
  authorizer: appAuthorizer(APP),
});

const property = <T>(arb: fc.Arbitrary<T>, body: (value: T) => Promise<void>) => fuzz.check(arb, body, RUNS);

beforeAll(async () => {
  tables = await createTestTables('rel-users');
  handler = createUsersHandler(testRuntime(tables));
  fuzz = createFuzzer(tables);
  const scim = scimClient(handler, APP);
  const other = scimClient(handler, OTHER);
  for (let i = 0; i < 5; i++) ids.push((await scim.post('/Users', entraUser(fresh()))).body.id);
  for (let i = 0; i < 2; i++) otherIds.push((await other.post('/Users', entraUser(fresh()))).body.id);
});

afterAll(async () => {
  recordFigures('fuzz-users', { requestsPerRoute: fuzz.tally.counts, byMutation: fuzz.labels.counts, fiveXx: fuzz.tally.fiveXx() });
  await tables.drop();
});

/** Forged cursors name this application's list and the digest of an unfiltered, unsorted query. */
const forged = () => [{ p: keys.userList(APP.id).gsi1pk, q: queryDigest(undefined, undefined, 'ascending') }, { p: keys.userList(APP.id).gsi1pk, q: queryDigest(undefined, undefined, undefined) }];

jest.setTimeout(testTimeout());

describe('fuzzing /Users (in process)', () => {
  it('POST /Users with random and mutated bodies → 201 or a SCIM 4xx, nothing written on a 4xx', async () => {
    await property(
      fc.tuple(
        userBody(() => entraUser(fresh())),
        fc.constantFrom('application/scim+json', 'application/scim+json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', ''),
        projectionQuery,
      ),
      async ([body, contentType, q]) => {
        const res = await fuzz.send(handler, request('POST /Users', 'POST', `/Users${queryString(q)}`, body.raw, contentType ? { 'Content-Type': contentType } : {}), body.label);
        if (res.status === 201) ids.push(res.body.id ?? res.headers.location?.split('/').pop());
      },
    );
  });

  it('GET /Users with random filters, attributes, paging and cursors → never a 5xx', async () => {
    await property(listQuery(forged), async (q) => {
      await fuzz.send(handler, request('GET /Users', 'GET', `/Users${queryString(q)}`), 'list query');
    });
  });

  it('POST /Users/.search with random SearchRequests → never a 5xx', async () => {
    await property(
      fc.oneof(
        listQuery(forged).map((q) => JSON.stringify({ schemas: [SEARCH_URN], ...q })),
        fc.record({ schemas: jsonValue, filter: jsonValue, startIndex: jsonValue, count: jsonValue, attributes: jsonValue }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
        jsonValue.map((v) => JSON.stringify(v) ?? ''),
      ),
      async (raw) => {
        await fuzz.send(handler, request('POST /Users/.search', 'POST', '/Users/.search', raw), 'search body');
      },
    );
  });

  it('GET /Users/{id} with random ids, attributes and If-None-Match → never a 5xx', async () => {
    await property(fc.tuple(resourceId(knownIds), projectionQuery, ifMatch), async ([id, q, tag]) => {
      await fuzz.send(handler, request('GET /Users/{id}', 'GET', `/Users/${encodeURIComponent(id)}${queryString(q)}`, undefined, tag ? { 'If-None-Match': tag } : {}), 'get');
    });
  });

  it('PUT /Users/{id} with random bodies, ids and If-Match → nothing written on a 4xx', async () => {
    await property(fc.tuple(resourceId(knownIds), userBody(() => entraUser(fresh())), ifMatch), async ([id, body, tag]) => {
      await fuzz.send(handler, request('PUT /Users/{id}', 'PUT', `/Users/${encodeURIComponent(id)}`, body.raw, tag ? { 'If-Match': tag } : {}), body.label);
    });
  });

  it('PATCH /Users/{id} with random operations, paths and values → nothing written on a 4xx', async () => {
    await property(fc.tuple(resourceId(knownIds), patchBody('user', knownIds), ifMatch, projectionQuery), async ([id, body, tag, q]) => {
      await fuzz.send(handler, request('PATCH /Users/{id}', 'PATCH', `/Users/${encodeURIComponent(id)}${queryString(q)}`, body.raw, tag ? { 'If-Match': tag } : {}), body.label);
    });
  });

  it('DELETE /Users/{id} with random ids and If-Match → 204 or a SCIM 4xx, nothing removed on a 4xx', async () => {
    const scim = scimClient(handler, APP);
    await property(fc.tuple(fc.boolean(), resourceId(() => otherIds), ifMatch, fc.option(jsonValue)), async ([own, id, tag, body]) => {
      const target = own ? (await scim.post('/Users', entraUser(fresh()))).body.id : id;
      fuzz.invalidate();
      const raw = body === null ? undefined : (JSON.stringify(body) ?? undefined);
      await fuzz.send(handler, request('DELETE /Users/{id}', 'DELETE', `/Users/${encodeURIComponent(target)}`, raw, tag ? { 'If-Match': tag } : {}), own ? 'own user' : 'other id');
    });
  });

  it('requests of another application never reach this one: its users stay 404 and unchanged', async () => {
    const scim = scimClient(handler, APP);
    for (const id of otherIds) {
      expect((await scim.get(`/Users/${id}`)).status).toBe(404);
      expect((await scim.patch(`/Users/${id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] })).status).toBe(404);
      expect((await scim.delete(`/Users/${id}`)).status).toBe(404);
      expect((await scim.get(`/Users?filter=${encodeURIComponent(`id eq "${id}"`)}`)).body.totalResults).toBe(0);
    }
    // The wrong application in the path: the caller's token is for APP.
    const res = await fuzz.send(handler, { ...request('GET /Users', 'GET', '/Users'), url: `/apps/${OTHER.id}/scim/v2/Users` }, 'other app path');
    expect(res.status).toBe(403);
  });
});
