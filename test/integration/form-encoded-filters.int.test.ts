/**
 * Issue 21: Entra form-encodes its queries, `+` for a space even inside the quoted value
 * (`filter=displayName+eq+%22Sales+Team%22`). These requests reach the real handlers the way a
 * front door that only percent-decodes delivers them (test/helpers/invoke.ts keeps `+` as sent),
 * so the handler must answer both readings; API Gateway REST's own form decoding is covered by
 * test/unit/local/proxy-event.test.ts and, over HTTP, by test/e2e/entra-encoding.e2e.test.ts.
 */
import { createGroupsHandler } from '../../lambdas/handlers/groups';
import { createUsersHandler } from '../../lambdas/handlers/users';
import type { Runtime } from '../../lambdas/shared/runtime';
import { randomUUID } from 'node:crypto';
import { createTestTables, type TestTables } from '../helpers/tables';
import { testRuntime } from '../helpers/runtime';
import { scimClient, type TestApp } from '../helpers/invoke';
import { countRoundTrips, type RoundTripCounter } from '../helpers/round-trips';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

let tables: TestTables;
let rt: Runtime;
let users: ReturnType<typeof scimClient>;
let groups: ReturnType<typeof scimClient>;
let trips: RoundTripCounter;
const app: TestApp = { id: 'appformenc01', name: 'Entra ID' };

/** A fresh name with a space: `<prefix> <random>`. */
const spaced = (prefix: string) => `${prefix} ${randomUUID().slice(0, 8)}`;
/** How Entra writes a value in its query: form-encoded, `+` for each space. */
const entraEncoded = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
/** `<attr> eq "<value>"` as Entra sends it. */
const entraEq = (attr: string, value: string) => `${attr}+eq+%22${entraEncoded(value)}%22`;

const newUser = async (userName: string, extra: Record<string, unknown> = {}) => {
  const res = await users.post('/Users', { userName, active: true, ...extra });
  expect(res.status).toBe(201);
  return res.body.id as string;
};
const idsOf = (res: { status: number; body: { Resources: { id: string }[] } }) => {
  expect(res.status).toBe(200);
  return res.body.Resources.map((r) => r.id);
};

beforeAll(async () => {
  tables = await createTestTables('formenc');
  rt = testRuntime(tables);
  users = scimClient(createUsersHandler(rt), app);
  groups = scimClient(createGroupsHandler(rt), app);
  trips = countRoundTrips(rt);
});
afterAll(() => tables.drop());

describe("Entra's form-encoded filters with spaces (GET, + left in the query)", () => {
  it('GET /Users?filter=userName+eq+%22Ann+Lee%22 finds the user "Ann Lee"', async () => {
    const userName = spaced('Ann Lee');
    const id = await newUser(userName);
    expect(idsOf(await users.get(`/Users?filter=${entraEq('userName', userName)}`))).toEqual([id]);
  });

  it('GET /Users?filter=externalId+eq+%22…+…%22 finds the users whose externalId has a space', async () => {
    const externalId = spaced('EDU All personal');
    const ids = [await newUser(`${randomUUID()}@contoso.com`, { externalId }), await newUser(`${randomUUID()}@contoso.com`, { externalId })];
    expect(idsOf(await users.get(`/Users?filter=${entraEq('externalId', externalId)}`))).toEqual(ids.sort());
  });

  it('GET /Users?filter=emails[type+eq+%22work%22].value+eq+%22…+…%22 finds the user by a work e-mail with a space', async () => {
    const email = `${spaced('ann lee')}@contoso.com`;
    const id = await newUser(`${randomUUID()}@contoso.com`, { emails: [{ type: 'work', value: email, primary: true }] });
    expect(idsOf(await users.get(`/Users?filter=emails%5Btype+eq+%22work%22%5D.value+eq+%22${entraEncoded(email)}%22`))).toEqual([id]);
  });

  it('GET /Groups?excludedAttributes=members&filter=displayName+eq+%22Sales+Team%22 finds the group "Sales Team"', async () => {
    const displayName = spaced('Sales Team');
    const created = await groups.post('/Groups', { displayName, externalId: randomUUID() });
    expect(created.status).toBe(201);
    const res = await groups.get(`/Groups?excludedAttributes=members&filter=${entraEq('displayName', displayName)}`);
    expect(idsOf(res)).toEqual([created.body.id]);
    expect(res.body.Resources[0].members).toBeUndefined();
  });

  it('a userName that really contains + (sent as %2B) is found, and not the user with a space instead', async () => {
    const tag = randomUUID().slice(0, 8);
    const plus = await newUser(`ann+${tag}@contoso.com`);
    await newUser(`ann ${tag}@contoso.com`);
    expect(idsOf(await users.get(`/Users?filter=userName+eq+%22ann%2B${tag}%40contoso.com%22`))).toEqual([plus]);
  });

  it('a scanned filter matches either reading of +', async () => {
    const tag = randomUUID().slice(0, 8);
    const space = await newUser(`${randomUUID()}@contoso.com`, { displayName: `Ann Lee ${tag}` });
    const plus = await newUser(`${randomUUID()}@contoso.com`, { displayName: `Ann+Lee+${tag}` });
    expect(idsOf(await users.get(`/Users?filter=displayName+co+%22Ann+Lee+${tag}%22`)).sort()).toEqual([space, plus].sort());
  });

  it('a key lookup that hits costs nothing extra; one that misses with a + reads the spaced key once more, and only then', async () => {
    const userName = spaced('Cost Check');
    await newUser(userName);
    const measure = async (query: string) => {
      trips.reset();
      expect((await users.get(`/Users?filter=${query}`)).status).toBe(200);
      return trips.count();
    };
    // The handler that created the user remembers its id (store/owner-hints.ts): a hit is one read.
    expect(await measure(encodeURIComponent(`userName eq "${userName}"`))).toBe(1);
    expect(await measure(entraEq('userName', userName))).toBe(2);
    expect(await measure(entraEq('userName', spaced('Nobody Here')))).toBe(2);
    expect(await measure(encodeURIComponent(`userName eq "nobody-${randomUUID()}"`))).toBe(1);
  });
});

describe('POST /.search: a JSON body is not form-encoded, its + is a +', () => {
  it('POST /Users/.search with userName eq "Ann+Lee" does not find "Ann Lee"; a userName with a real + is found', async () => {
    const userName = spaced('Ann Lee');
    await newUser(userName);
    const plus = await newUser(`ann+${randomUUID().slice(0, 8)}@contoso.com`);
    const miss = await users.post('/Users/.search', { schemas: [SEARCH], filter: `userName eq "${userName.replace(/ /g, '+')}"` });
    expect(miss.body.totalResults).toBe(0);
    const hit = await users.post('/Users/.search', { schemas: [SEARCH], filter: `userName eq "${userName}"` });
    expect(hit.body.totalResults).toBe(1);
    const real = await users.post('/Users/.search', { schemas: [SEARCH], filter: `userName eq "${(await users.get(`/Users/${plus}`)).body.userName}"` });
    expect(idsOf(real)).toEqual([plus]);
  });

  it('POST /Groups/.search with displayName eq "Sales+Team" does not find "Sales Team"', async () => {
    const displayName = spaced('Sales Team');
    expect((await groups.post('/Groups', { displayName })).status).toBe(201);
    expect((await groups.post('/Groups/.search', { schemas: [SEARCH], filter: `displayName eq "${displayName.replace(/ /g, '+')}"` })).body.totalResults).toBe(0);
    expect((await groups.post('/Groups/.search', { schemas: [SEARCH], filter: `displayName eq "${displayName}"` })).body.totalResults).toBe(1);
  });

  it('POST /Users/.search with a form-encoded filter → 400 invalidFilter (no + is read as a space in JSON)', async () => {
    const res = await users.post('/Users/.search', { schemas: [SEARCH], filter: 'userName+eq+"x"' });
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe('invalidFilter');
  });
});
