/**
 * The real Users handler against DynamoDB Local, driven by the request/response examples of
 * entra-scim.md §3–§4 and the RFC 7644 rules the issue lists.
 */
import { randomUUID } from 'node:crypto';
import { createUsersHandler } from '../../lambdas/handlers/users';
import type { HttpHandler } from '../../lambdas/shared/handler';
import { createTestTables, type TestTables } from '../helpers/tables';
import { testRuntime } from '../helpers/runtime';
import { scimClient, type TestApp } from '../helpers/invoke';
import { countRoundTrips, type RoundTripCounter } from '../helpers/round-trips';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

let tables: TestTables;
let scim: ReturnType<typeof scimClient>;
let other: ReturnType<typeof scimClient>;
let strict: ReturnType<typeof scimClient>;
let trips: RoundTripCounter;
let handler: HttpHandler;
const app: TestApp = { id: 'appusers01', name: 'Entra ID' };

beforeAll(async () => {
  tables = await createTestTables('users');
  const rt = testRuntime(tables);
  handler = createUsersHandler(rt);
  scim = scimClient(handler, app);
  other = scimClient(handler, { id: 'appusers02', name: 'Okta' });
  strict = scimClient(handler, {
    id: 'appusers03',
    name: 'Strict',
    requiredAttributes: ['userName', 'name.givenName', 'name.familyName', 'emails[type eq "work"].value', 'displayName', 'active'],
  });
  trips = countRoundTrips(rt);
});
afterAll(() => tables.drop());

/** §3.1 Create User request body. */
const entraUser = (userName = `Test_User_${randomUUID()}`, externalId: string = randomUUID()) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  externalId,
  userName,
  active: true,
  emails: [{ primary: true, type: 'work', value: `${userName}@testuser.com` }],
  meta: { resourceType: 'User' },
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  roles: [],
});

const expectScimError = (res: { status: number; body: any; headers: Record<string, string> }, status: number, scimType?: string) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/scim+json');
  expect(res.body.schemas).toEqual([ERROR]);
  expect(res.body.status).toBe(String(status));
  expect(typeof res.body.detail).toBe('string');
  if (scimType) expect(res.body.scimType).toBe(scimType);
};

describe('Users handler (Entra ID examples)', () => {
  it('POST /Users (§3.1) → 201 with id, meta, Location and ETag; client meta and empty roles ignored', async () => {
    const body = entraUser();
    const res = await scim.post('/Users', body);
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/scim+json');
    expect(res.body.id).toEqual(expect.any(String));
    expect(res.body.userName).toBe(body.userName);
    expect(res.body.externalId).toBe(body.externalId);
    expect(res.body.active).toBe(true);
    expect(res.body.emails).toEqual(body.emails);
    expect(res.body.name).toEqual(body.name);
    expect(res.body.roles).toBeUndefined();
    expect(res.body.meta).toMatchObject({ resourceType: 'User', created: expect.any(String), lastModified: expect.any(String), version: 'W/"1"' });
    expect(res.body.meta.location).toBe(`https://scim.test/prod/apps/${app.id}/scim/v2/Users/${res.body.id}`);
    expect(res.headers.location).toBe(res.body.meta.location);
    expect(res.headers.etag).toBe('W/"1"');
  });

  it('GET /Users/{id} (§3.2) → 200 with the stored user; unknown id → 404 SCIM error', async () => {
    const created = (await scim.post('/Users', entraUser())).body;
    const res = await scim.get(`/Users/${created.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.id, userName: created.userName });
    expect(res.body).not.toHaveProperty('groups');
    expectScimError(await scim.get(`/Users/${randomUUID()}`), 404);
  });

  it('GET /Users?filter=userName eq (§3.3, §3.4, §8) → case-insensitive match; miss → 200 empty ListResponse', async () => {
    const created = (await scim.post('/Users', entraUser())).body;
    const hit = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${created.userName.toUpperCase()}"`)}`);
    expect(hit.status).toBe(200);
    expect(hit.body.schemas).toEqual([LIST]);
    expect(hit.body.totalResults).toBe(1);
    expect(hit.body.Resources[0].id).toBe(created.id);
    expect(hit.body.startIndex).toBe(1);
    const miss = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "non-existent user"')}`);
    expect(miss.status).toBe(200);
    expect(miss.body).toEqual({ schemas: [LIST], totalResults: 0, itemsPerPage: 0, startIndex: 1, Resources: [] });
  });

  it('Entra Test Connection: a random GUID userName and aadOptscim062020 flag → 200 empty ListResponse', async () => {
    const res = await scim.get(`/Users?aadOptscim062020&filter=userName+eq+%22${randomUUID()}%22`);
    expect(res.status).toBe(200);
    expect(res.body.totalResults).toBe(0);
    expect(res.body.Resources).toEqual([]);
  });

  it('filters by externalId (also unquoted, §3.17), id, and emails[type eq "work"].value', async () => {
    const created = (await scim.post('/Users', entraUser(undefined, 'jyoung'))).body;
    for (const filter of ['externalId eq "jyoung"', 'externalId eq jyoung', `id eq "${created.id}"`, `emails[type eq "work"].value eq "${created.emails[0].value.toUpperCase()}"`]) {
      const res = await scim.get(`/Users?filter=${encodeURIComponent(filter)}`);
      expect(res.status).toBe(200);
      expect(res.body.Resources.map((r: { id: string }) => r.id)).toEqual([created.id]);
    }
  });

  it('PATCH (§3.5) multi-valued and single-valued properties → 200 with the updated user', async () => {
    const created = (await scim.post('/Users', entraUser())).body;
    const res = await scim.patch(`/Users/${created.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.emails).toEqual([{ value: 'updatedEmail@microsoft.com', type: 'work', primary: true }]);
    expect(res.body.name.familyName).toBe('updatedFamilyName');
    expect(res.body.meta.version).toBe('W/"2"');
  });

  it('PATCH Replace userName (§3.6) frees the old name; renaming into a taken name → 409 uniqueness', async () => {
    const a = (await scim.post('/Users', entraUser())).body;
    const b = (await scim.post('/Users', entraUser())).body;
    const newName = `${randomUUID()}@testuser.com`;
    const renamed = await scim.patch(`/Users/${a.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'userName', value: newName }] });
    expect(renamed.status).toBe(200);
    expect(renamed.body.userName).toBe(newName);
    // The old name is free again.
    expect((await scim.post('/Users', entraUser(a.userName))).status).toBe(201);
    const clash = await scim.patch(`/Users/${b.id}`, { Operations: [{ op: 'replace', path: 'userName', value: newName.toUpperCase() }] });
    expectScimError(clash, 409, 'uniqueness');
    expect((await scim.get(`/Users/${b.id}`)).body.userName).toBe(b.userName);
  });

  it('disable (§3.7, §4.1): "False" string and JSON false both store a boolean; the user stays readable and filterable', async () => {
    const created = (await scim.post('/Users', entraUser())).body;
    const off = await scim.patch(`/Users/${created.id}`, { Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    const on = await scim.patch(`/Users/${created.id}`, { Operations: [{ op: 'replace', path: 'active', value: true }] });
    expect(on.body.active).toBe(true);
    await scim.patch(`/Users/${created.id}`, { Operations: [{ op: 'replace', path: 'active', value: false }] });
    const found = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${created.userName}"`)}`);
    expect(found.body.Resources[0].active).toBe(false);
    expect((await scim.get(`/Users/${created.id}`)).body.active).toBe(false);
  });

  it('flag dialect (§4.1): pathless replace with dotted and URN keys', async () => {
    const created = (await scim.post('/Users', entraUser())).body;
    const res = await scim.patch(`/Users/${created.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'TestMhvaes@test.microsoft.com' },
        { op: 'replace', value: { displayName: 'Bjfe', 'name.givenName': 'Kkom', 'name.familyName': 'Unua', [`${ENTERPRISE}:employeeNumber`]: 'Aklq' } },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ displayName: 'Bjfe', name: { givenName: 'Kkom', familyName: 'Unua' }, [ENTERPRISE]: { employeeNumber: 'Aklq' } });
    expect(res.body.emails[0].value).toBe('TestMhvaes@test.microsoft.com');
    expect(res.body.schemas).toContain(ENTERPRISE);
  });

  it('value-filter paths create the element when missing and never duplicate it', async () => {
    const created = (await scim.post('/Users', entraUser())).body;
    const ops = [
      { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 (555) 0100' },
      { op: 'Add', path: 'addresses[type eq "work"].locality', value: 'Redmond' },
      { op: 'Replace', path: 'addresses[type eq "work"].postalCode', value: '98052' },
    ];
    await scim.patch(`/Users/${created.id}`, { Operations: ops });
    const res = await scim.patch(`/Users/${created.id}`, { Operations: ops });
    expect(res.body.phoneNumbers).toEqual([{ type: 'mobile', value: '+1 (555) 0100' }]);
    expect(res.body.addresses).toEqual([{ type: 'work', locality: 'Redmond', postalCode: '98052' }]);
  });

  it('manager as string, object and array; cleared by "", null and {"value": ""}; always returned as {"value"}', async () => {
    const created = (await scim.post('/Users', entraUser())).body;
    const path = `${ENTERPRISE}:manager`;
    for (const value of ['mgr-1', { value: 'mgr-2' }, [{ $ref: null, value: 'mgr-3' }]]) {
      const res = await scim.patch(`/Users/${created.id}`, { Operations: [{ op: 'Add', path, value }] });
      expect(res.status).toBe(200);
      expect(res.body[ENTERPRISE].manager.value).toMatch(/^mgr-/);
    }
    for (const value of ['', null, { value: '' }]) {
      await scim.patch(`/Users/${created.id}`, { Operations: [{ op: 'Add', path, value: 'mgr-x' }] });
      const cleared = await scim.patch(`/Users/${created.id}`, { Operations: [{ op: 'replace', path, value }] });
      expect(cleared.body[ENTERPRISE]?.manager).toBeUndefined();
    }
  });

  it('custom extension attributes are stored and returned under their schema', async () => {
    const urn = 'urn:ietf:params:scim:schemas:extension:Contoso:2.0:User';
    const created = (await scim.post('/Users', { ...entraUser(), [`${urn}:badgeColor`]: 'blue' })).body;
    expect(created[urn]).toEqual({ badgeColor: 'blue' });
    const res = await scim.patch(`/Users/${created.id}`, { Operations: [{ op: 'add', path: `${urn}:costCode`, value: 'X1' }] });
    expect(res.body[urn]).toEqual({ badgeColor: 'blue', costCode: 'X1' });
    expect(res.body.schemas).toContain(urn);
  });

  it('POST a duplicate userName (any case) → 409 uniqueness; a duplicate externalId → 201 (RFC 7643 §3.1); other applications are separate', async () => {
    const body = entraUser();
    await scim.post('/Users', body);
    expectScimError(await scim.post('/Users', { ...entraUser(body.userName.toLowerCase()) }), 409, 'uniqueness');
    expect((await scim.post('/Users', { ...entraUser(undefined, body.externalId) })).status).toBe(201);
    expect((await other.post('/Users', body)).status).toBe(201);
  });

  it('PUT replaces the user; a misspelled attribute is dropped; missing userName → 400', async () => {
    const created = (await scim.post('/Users', entraUser())).body;
    const res = await scim.put(`/Users/${created.id}`, { userName: created.userName, displayName: 'Joy', nickNmae: 'typo', active: 'True' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ displayName: 'Joy', active: true });
    expect(res.body.nickNmae).toBeUndefined();
    expect(res.body.emails).toBeUndefined();
    expectScimError(await scim.put(`/Users/${created.id}`, { displayName: 'x' }), 400, 'invalidValue');
  });

  it('DELETE → 204, then GET and a second DELETE → 404', async () => {
    const created = (await scim.post('/Users', entraUser())).body;
    expect((await scim.delete(`/Users/${created.id}`)).status).toBe(204);
    expectScimError(await scim.get(`/Users/${created.id}`), 404);
    expectScimError(await scim.delete(`/Users/${created.id}`), 404);
    // Its userName is free again.
    expect((await scim.post('/Users', entraUser(created.userName))).status).toBe(201);
  });

  it('If-Match: a stale version → 412 and nothing written; the current one succeeds', async () => {
    const created = (await scim.post('/Users', entraUser())).body;
    const stale = await scim.patch(`/Users/${created.id}`, { Operations: [{ op: 'replace', path: 'displayName', value: 'A' }] }, { headers: { 'If-Match': 'W/"7"' } });
    expectScimError(stale, 412);
    const ok = await scim.patch(`/Users/${created.id}`, { Operations: [{ op: 'replace', path: 'displayName', value: 'B' }] }, { headers: { 'If-Match': 'W/"1"' } });
    expect(ok.status).toBe(200);
    expectScimError(await scim.delete(`/Users/${created.id}`, { headers: { 'If-Match': 'W/"1"' } }), 412);
  });

  it('application policy: a missing required attribute → 400 invalidValue naming it', async () => {
    const res = await strict.post('/Users', { userName: `${randomUUID()}@x.com`, name: { givenName: 'a', familyName: 'b' }, displayName: 'a b', active: true });
    expectScimError(res, 400, 'invalidValue');
    expect(res.body.detail).toContain('emails[type eq \\"work\\"].value'.replace(/\\/g, ''));
    const full = await strict.post('/Users', { ...entraUser(), displayName: 'Joy Young' });
    expect(full.status).toBe(201);
  });

  it('bad input → clear 4xx and the stored user unchanged (a PATCH applies all its ops or none)', async () => {
    const created = (await scim.post('/Users', entraUser())).body;
    const before = (await scim.get(`/Users/${created.id}`)).body;
    expectScimError(await scim.post('/Users', undefined, { rawBody: '{"userName": ' }), 400, 'invalidSyntax');
    expectScimError(await scim.post('/Users', { userName: 'x', name: 'not-complex' }), 400, 'invalidValue');
    expectScimError(
      await scim.patch(`/Users/${created.id}`, { Operations: [{ op: 'replace', path: 'displayName', value: 'changed' }, { op: 'jump', path: 'x' }] }),
      400,
    );
    expectScimError(await scim.patch(`/Users/${created.id}`, { Operations: [{ op: 'replace', path: 'noSuchAttribute', value: 1 }] }), 400, 'invalidPath');
    expectScimError(await scim.post('/Users', { userName: 'big', displayName: 'x'.repeat(1024 * 1024 + 10) }), 413);
    // Under the 1 MB body limit but over DynamoDB's 400 KB item limit.
    const bigPatch = await scim.patch(`/Users/${created.id}`, {
      Operations: Array.from({ length: 10 }, (_, i) => ({ op: 'add', path: `urn:ietf:params:scim:schemas:extension:Big:2.0:User:f${i}`, value: 'y'.repeat(60_000) })),
    });
    expectScimError(bigPatch, 413);
    expect((await scim.get(`/Users/${created.id}`)).body).toEqual(before);
  });

  it('attributes / excludedAttributes, paging with startIndex/count and cursors', async () => {
    const tenant = scimClient(handler, { id: 'appusers04', name: 'Paging' });
    for (let i = 0; i < 7; i++) await tenant.post('/Users', entraUser(`page-user-${i}`));
    const slim = await tenant.get(`/Users?attributes=userName&filter=${encodeURIComponent('userName eq "page-user-1"')}`);
    expect(Object.keys(slim.body.Resources[0]).sort()).toEqual(['id', 'schemas', 'userName']);
    const noEmails = await tenant.get(`/Users?excludedAttributes=emails,name&count=1`);
    expect(noEmails.body.Resources[0].emails).toBeUndefined();
    expect(noEmails.body.Resources[0].userName).toBeDefined();

    const seen = new Set<string>();
    for (let start = 1; start <= 7; start += 3) {
      const page = await tenant.get(`/Users?startIndex=${start}&count=3`);
      expect(page.body.totalResults).toBe(7);
      expect(page.body.startIndex).toBe(start);
      page.body.Resources.forEach((r: { id: string }) => seen.add(r.id));
    }
    expect(seen.size).toBe(7);
    expect((await tenant.get('/Users?count=0')).body).toMatchObject({ totalResults: 7, Resources: [] });

    const viaCursor = new Set<string>();
    let cursor = '';
    for (let guard = 0; guard < 10; guard++) {
      const page = await tenant.get(`/Users?count=3&cursor=${encodeURIComponent(cursor)}`);
      expect(page.status).toBe(200);
      page.body.Resources.forEach((r: { id: string }) => viaCursor.add(r.id));
      if (!page.body.nextCursor) break;
      cursor = page.body.nextCursor;
    }
    expect(viaCursor).toEqual(seen);
    const sorted = await tenant.get('/Users?sortBy=userName&sortOrder=descending&count=2');
    expect(sorted.body.Resources.map((r: { userName: string }) => r.userName)).toEqual(['page-user-6', 'page-user-5']);
    const scanned = await tenant.get(`/Users?filter=${encodeURIComponent('userName sw "page-user-" and not (userName eq "page-user-3")')}&count=2&startIndex=5`);
    expect(scanned.body.totalResults).toBe(6);
    expect(scanned.body.Resources).toHaveLength(2);
    expectScimError(await tenant.get(`/Users?filter=${encodeURIComponent('userName eq')}`), 400, 'invalidFilter');
  });

  it('POST /Users/.search takes a SearchRequest body', async () => {
    const created = (await scim.post('/Users', entraUser())).body;
    const res = await scim.post('/Users/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: `userName eq "${created.userName}"`,
      attributes: ['userName'],
    });
    expect(res.status).toBe(200);
    expect(res.body.Resources).toEqual([{ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: created.id, userName: created.userName }]);
  });
});

describe('Users handler DynamoDB round trips (cost targets)', () => {
  const measure = async (action: () => Promise<unknown>) => {
    trips.reset();
    await action();
    return trips.count();
  };

  it('GET by id 1 · key filters ≤2 · create 1 · PATCH/PUT ≤2 · DELETE ≤2', async () => {
    const body = entraUser();
    expect(await measure(() => scim.post('/Users', body))).toBe(1);
    const id = (await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${body.userName}"`)}`)).body.Resources[0].id;
    expect(await measure(() => scim.get(`/Users/${id}`))).toBe(1);
    expect(await measure(() => scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${body.userName}"`)}`))).toBeLessThanOrEqual(2);
    expect(await measure(() => scim.get(`/Users?filter=${encodeURIComponent(`externalId eq "${body.externalId}"`)}`))).toBeLessThanOrEqual(2);
    expect(await measure(() => scim.get(`/Users?filter=${encodeURIComponent(`emails[type eq "work"].value eq "${body.emails[0].value}"`)}`))).toBeLessThanOrEqual(2);
    expect(await measure(() => scim.patch(`/Users/${id}`, { Operations: [{ op: 'Replace', path: 'active', value: 'False' }] }))).toBeLessThanOrEqual(2);
    expect(await measure(() => scim.patch(`/Users/${id}`, { Operations: [{ op: 'Replace', path: 'userName', value: `${randomUUID()}@x` }] }))).toBeLessThanOrEqual(2);
    expect(await measure(() => scim.put(`/Users/${id}`, { userName: `${randomUUID()}@y`, active: true }))).toBeLessThanOrEqual(2);
    expect(await measure(() => scim.delete(`/Users/${id}`))).toBeLessThanOrEqual(2);
  });
});
