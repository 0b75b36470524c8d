/**
 * `GET /Users?filter=userName eq "…"` with the store's userName hints (store/owner-hints.ts): a
 * container that has seen a user's name reads only the user's item, and a hint that went stale
 * in another container (a rename, a delete, the name taken by someone else) never changes an
 * answer. Two handlers over the same tables play two Lambda containers.
 */
import { randomUUID } from 'node:crypto';
import { createUsersHandler } from '../../lambdas/handlers/users';
import { createTestTables, type TestTables } from '../helpers/tables';
import { testRuntime } from '../helpers/runtime';
import { scimClient, type TestApp } from '../helpers/invoke';
import { countRoundTrips, type RoundTripCounter } from '../helpers/round-trips';

let tables: TestTables;
let containerA: ReturnType<typeof scimClient>;
let containerB: ReturnType<typeof scimClient>;
let tripsA: RoundTripCounter;
const app: TestApp = { id: 'apphints01', name: 'Entra ID' };

beforeAll(async () => {
  tables = await createTestTables('user-name-hints');
  const rtA = testRuntime(tables);
  const rtB = testRuntime(tables);
  containerA = scimClient(createUsersHandler(rtA), app);
  containerB = scimClient(createUsersHandler(rtB), app);
  tripsA = countRoundTrips(rtA);
});
afterAll(() => tables.drop());

const newUser = (userName: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName,
  externalId: randomUUID(),
  active: true,
});

const byUserName = (client: typeof containerA, userName: string) =>
  client.get(`/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);

/** The GetItems container A sends for one lookup, and what it answers. */
const lookInA = async (userName: string) => {
  tripsA.reset();
  const res = await byUserName(containerA, userName);
  expect(res.status).toBe(200);
  return { ids: (res.body.Resources as { id: string }[]).map((r) => r.id), reads: tripsA.commands.filter((c) => c === 'GetItemCommand').length };
};

describe('GET /Users?filter=userName eq with userName hints', () => {
  it('a container that created the user finds it with one read, in any case', async () => {
    const name = `Hint.Create.${randomUUID()}@contoso.com`;
    const created = await containerA.post('/Users', newUser(name));
    expect(created.status).toBe(201);
    expect(await lookInA(name.toUpperCase())).toEqual({ ids: [created.body.id], reads: 1 });
  });

  it('a container that has not seen the name reads the sentinel first, then needs one read', async () => {
    const name = `Hint.Other.${randomUUID()}@contoso.com`;
    const created = await containerB.post('/Users', newUser(name));
    expect(await lookInA(name)).toEqual({ ids: [created.body.id], reads: 2 });
    expect(await lookInA(name)).toEqual({ ids: [created.body.id], reads: 1 });
  });

  it('an unknown userName is one read, and answers an empty list', async () => {
    expect(await lookInA(`nobody.${randomUUID()}@contoso.com`)).toEqual({ ids: [], reads: 1 });
  });

  it('a rename in another container: the old name finds nobody, the new one finds the user', async () => {
    const oldName = `Hint.Old.${randomUUID()}@contoso.com`;
    const newName = `Hint.New.${randomUUID()}@contoso.com`;
    const { body: user } = await containerA.post('/Users', newUser(oldName));
    expect((await lookInA(oldName)).ids).toEqual([user.id]);
    const renamed = await containerB.patch(`/Users/${user.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'userName', value: newName }] });
    expect(renamed.status).toBe(200);
    expect((await lookInA(oldName)).ids).toEqual([]);
    expect((await lookInA(newName)).ids).toEqual([user.id]);
  });

  it('the name deleted and taken by another user in another container: the new holder is found', async () => {
    const name = `Hint.Taken.${randomUUID()}@contoso.com`;
    const { body: first } = await containerA.post('/Users', newUser(name));
    expect((await lookInA(name)).ids).toEqual([first.id]);
    expect((await containerB.delete(`/Users/${first.id}`)).status).toBe(204);
    expect((await lookInA(name)).ids).toEqual([]);
    const { body: second } = await containerB.post('/Users', newUser(name.toLowerCase()));
    const found = await lookInA(name);
    expect(found.ids).toEqual([second.id]);
    // The stale hint was dropped at the empty answer; the new holder is learnt again.
    expect(found.reads).toBe(2);
    expect(await lookInA(name)).toEqual({ ids: [second.id], reads: 1 });
  });

  it('a case-only rename elsewhere keeps the hint valid and the answer current', async () => {
    const name = `Hint.Case.${randomUUID()}@contoso.com`;
    const { body: user } = await containerA.post('/Users', newUser(name));
    const recased = await containerB.patch(`/Users/${user.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'userName', value: name.toUpperCase() }] });
    expect(recased.status).toBe(200);
    tripsA.reset();
    const res = await byUserName(containerA, name);
    expect(res.body.Resources.map((r: { userName: string }) => r.userName)).toEqual([name.toUpperCase()]);
    expect(tripsA.commands.filter((c) => c === 'GetItemCommand')).toHaveLength(1);
  });
});
