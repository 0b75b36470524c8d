/**
 * DynamoDB faults, in process: every command of every write operation is made to fail in turn
 * (throttled, refused by a dead endpoint, an internal error), and the store is also made to go
 * away mid-request and stay away. The client must see 429 (throttling) or 503 (outage) with
 * Retry-After and a SCIM Error, and a healthy re-read must find the resource either exactly as
 * before the request or exactly as a fault-free run of the same request leaves its twin: never
 * half a write.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ItemType } from '../../lambdas/domain/items';
import { createGroupsHandler } from '../../lambdas/handlers/groups';
import { createUsersHandler } from '../../lambdas/handlers/users';
import { createDocumentClient } from '../../lambdas/store/client';
import { keys, UniqueKind } from '../../lambdas/store/keys';
import { scimClient, type InvokeResult, type TestApp } from '../helpers/invoke';
import { testRuntime } from '../helpers/runtime';
import { createTestTables, type TestTables } from '../helpers/tables';
import { entraGroup, entraUser, PATCH_URN } from './support/arbitraries';
import { closedPort, expectedStatus, failFrom, failNth, installFaults, THROTTLES, type FaultKind, type Faults } from './support/faults';
import { recordFigures } from './support/figures';
import { answerViolations, describeViolations } from './support/invariants';
import { isFull, testTimeout } from './support/scale';

jest.setTimeout(testTimeout());

type Handler = Parameters<typeof scimClient>[0];

const APP: TestApp = { id: 'faultsapp001', name: 'Faults' };
const KINDS: FaultKind[] = isFull ? [...THROTTLES, 'InternalServerError', 'unreachable'] : ['ProvisionedThroughputExceededException', 'unreachable'];

let tables: TestTables;
let faults: Faults;
let users: ReturnType<typeof scimClient>;
let groups: ReturnType<typeof scimClient>;
let raw: DynamoDBDocumentClient;
const figures: Record<string, unknown> = {};
let twin = 1000;

interface Ctx {
  tag: string;
  ids: Record<string, string>;
  names: Record<string, string>;
}

interface Scenario {
  name: string;
  setup(tag: string): Promise<Ctx>;
  send(ctx: Ctx): Promise<InvokeResult>;
  /** What the request changes, read healthily, without ids; the twin's tag is removed. */
  shape(ctx: Ctx): Promise<unknown>;
}

const ok = (res: InvokeResult, status: number) => {
  if (res.status !== status) throw new Error(`set-up request → ${res.status} ${res.raw}`);
  return res.body;
};

const sentinel = async (kind: (typeof UniqueKind)[keyof typeof UniqueKind], value: string) => {
  const { Item } = await raw.send(new GetCommand({ TableName: tables.tableName, Key: keys.unique(APP.id, kind, value), ConsistentRead: true }));
  if (!Item) return 'free';
  const owner = kind === UniqueKind.groupName ? keys.group(APP.id, String(Item.ownerId)) : keys.user(APP.id, String(Item.ownerId));
  const { Item: ownerItem } = await raw.send(new GetCommand({ TableName: tables.tableName, Key: owner, ConsistentRead: true }));
  return ownerItem ? 'held' : 'orphaned';
};

/** A user externalId's holder entries: 'free', or per entry 'held' (its user exists) or 'orphaned'. */
const externalIdEntries = async (value: string) => {
  const { Items = [] } = await raw.send(
    new QueryCommand({ TableName: tables.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.externalIdHolders(APP.id, 'User', value) }, ConsistentRead: true }),
  );
  if (!Items.length) return 'free';
  const owners = await Promise.all(Items.map((item) => raw.send(new GetCommand({ TableName: tables.tableName, Key: keys.user(APP.id, String(item.sk)), ConsistentRead: true }))));
  return owners.map(({ Item }) => (Item ? 'held' : 'orphaned')).join(',');
};

const membershipItems = async (userId: string) => {
  const page = await raw.send(
    new QueryCommand({ TableName: tables.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.userPartition(APP.id, userId) }, ConsistentRead: true }),
  );
  return (page.Items ?? []).filter((i) => i.type === ItemType.membership).length;
};

const userView = async (id: string) => {
  const res = await users.get(`/Users/${id}`);
  if (res.status === 404) return 'gone';
  const { userName, externalId, displayName, active, emails, groups: memberOf } = res.body;
  return { userName, externalId, displayName, active, emails, groups: (memberOf ?? []).map((g: { display: string }) => g.display).sort() };
};

const memberNames = async (groupId: string) => {
  const res = await groups.get(`/Groups/${groupId}`);
  if (res.status === 404) return 'gone';
  const names = await Promise.all((res.body.members ?? []).map(async (m: { value: string }) => (await users.get(`/Users/${m.value}`)).body.userName));
  return { displayName: res.body.displayName, members: names.sort() };
};

const patch = (...ops: unknown[]) => ({ schemas: [PATCH_URN], Operations: ops });

const SCENARIOS: Scenario[] = [
  {
    name: 'POST /Users',
    setup: async (tag) => ({ tag, ids: {}, names: { user: `fault.create${tag}` } }),
    send: (ctx) => users.post('/Users', entraUser(ctx.names.user)),
    shape: async (ctx) => {
      const found = await users.get(`/Users?filter=${encodeURIComponent(`userName eq "${ctx.names.user}"`)}`);
      return {
        users: await Promise.all(found.body.Resources.map((u: { id: string }) => userView(u.id))),
        userName: await sentinel(UniqueKind.userName, ctx.names.user),
        externalId: await externalIdEntries(`ext-${ctx.names.user}`),
      };
    },
  },
  {
    name: 'PUT /Users/{id} (rename)',
    setup: async (tag) => {
      const names = { user: `fault.put${tag}`, renamed: `fault.put.renamed${tag}` };
      return { tag, names, ids: { user: ok(await users.post('/Users', entraUser(names.user)), 201).id } };
    },
    send: (ctx) => users.put(`/Users/${ctx.ids.user}`, { ...entraUser(ctx.names.renamed), displayName: 'Replaced', active: false }),
    shape: async (ctx) => ({
      user: await userView(ctx.ids.user),
      old: await sentinel(UniqueKind.userName, ctx.names.user),
      new: await sentinel(UniqueKind.userName, ctx.names.renamed),
      oldExt: await externalIdEntries(`ext-${ctx.names.user}`),
      newExt: await externalIdEntries(`ext-${ctx.names.renamed}`),
    }),
  },
  {
    name: 'PATCH /Users/{id} (disable and rename)',
    setup: async (tag) => {
      const names = { user: `fault.patch${tag}`, renamed: `fault.patch.renamed${tag}` };
      return { tag, names, ids: { user: ok(await users.post('/Users', entraUser(names.user)), 201).id } };
    },
    send: (ctx) =>
      users.patch(`/Users/${ctx.ids.user}`, patch({ op: 'replace', path: 'active', value: 'False' }, { op: 'replace', path: 'userName', value: ctx.names.renamed }, { op: 'replace', path: 'displayName', value: 'Patched' })),
    shape: async (ctx) => ({ user: await userView(ctx.ids.user), old: await sentinel(UniqueKind.userName, ctx.names.user), new: await sentinel(UniqueKind.userName, ctx.names.renamed) }),
  },
  {
    name: 'DELETE /Users/{id} (member of two groups)',
    setup: async (tag) => {
      const names = { user: `fault.delete${tag}`, g1: `Fault delete A${tag}`, g2: `Fault delete B${tag}` };
      const user = ok(await users.post('/Users', entraUser(names.user)), 201).id;
      const g1 = ok(await groups.post('/Groups', { ...entraGroup(names.g1), members: [{ value: user }] }), 201).id;
      const g2 = ok(await groups.post('/Groups', { ...entraGroup(names.g2), members: [{ value: user }] }), 201).id;
      return { tag, names, ids: { user, g1, g2 } };
    },
    send: (ctx) => users.delete(`/Users/${ctx.ids.user}`),
    shape: async (ctx) => ({
      user: await userView(ctx.ids.user),
      userName: await sentinel(UniqueKind.userName, ctx.names.user),
      memberships: await membershipItems(ctx.ids.user),
      g1: await memberNames(ctx.ids.g1),
      g2: await memberNames(ctx.ids.g2),
    }),
  },
  {
    name: 'POST /Groups (with three members)',
    setup: async (tag) => {
      const names = { group: `Fault create${tag}` };
      const ids: Record<string, string> = {};
      for (const m of ['m1', 'm2', 'm3']) ids[m] = ok(await users.post('/Users', entraUser(`fault.gc.${m}${tag}`)), 201).id;
      return { tag, names, ids };
    },
    send: (ctx) => groups.post('/Groups', { ...entraGroup(ctx.names.group), members: [ctx.ids.m1, ctx.ids.m2, ctx.ids.m3].map((value) => ({ value })) }),
    shape: async (ctx) => {
      const found = await groups.get(`/Groups?filter=${encodeURIComponent(`displayName eq "${ctx.names.group}"`)}`);
      return {
        groups: await Promise.all(found.body.Resources.map((g: { id: string }) => memberNames(g.id))),
        name: await sentinel(UniqueKind.groupName, ctx.names.group),
        memberships: (await Promise.all([ctx.ids.m1, ctx.ids.m2, ctx.ids.m3].map(membershipItems))).reduce((a, b) => a + b, 0),
      };
    },
  },
  {
    name: 'PATCH /Groups/{id} (add three members, remove one)',
    setup: async (tag) => {
      const ids: Record<string, string> = {};
      for (const m of ['m1', 'm2', 'a1', 'a2', 'a3']) ids[m] = ok(await users.post('/Users', entraUser(`fault.gp.${m}${tag}`)), 201).id;
      ids.group = ok(await groups.post('/Groups', { ...entraGroup(`Fault patch${tag}`), members: [{ value: ids.m1 }, { value: ids.m2 }] }), 201).id;
      return { tag, names: {}, ids };
    },
    send: (ctx) =>
      groups.patch(`/Groups/${ctx.ids.group}`, patch({ op: 'add', path: 'members', value: [ctx.ids.a1, ctx.ids.a2, ctx.ids.a3].map((value) => ({ value })) }, { op: 'remove', path: `members[value eq "${ctx.ids.m1}"]` })),
    shape: async (ctx) => memberNames(ctx.ids.group),
  },
  {
    name: 'PUT /Groups/{id} (rename and replace members)',
    setup: async (tag) => {
      const names = { group: `Fault put${tag}`, renamed: `Fault put renamed${tag}` };
      const ids: Record<string, string> = {};
      for (const m of ['m1', 'm2', 'n1', 'n2']) ids[m] = ok(await users.post('/Users', entraUser(`fault.gr.${m}${tag}`)), 201).id;
      ids.group = ok(await groups.post('/Groups', { ...entraGroup(names.group), members: [{ value: ids.m1 }, { value: ids.m2 }] }), 201).id;
      return { tag, names, ids };
    },
    send: (ctx) => groups.put(`/Groups/${ctx.ids.group}`, { ...entraGroup(ctx.names.renamed), members: [{ value: ctx.ids.m2 }, { value: ctx.ids.n1 }, { value: ctx.ids.n2 }] }),
    shape: async (ctx) => ({ group: await memberNames(ctx.ids.group), old: await sentinel(UniqueKind.groupName, ctx.names.group), new: await sentinel(UniqueKind.groupName, ctx.names.renamed) }),
  },
  {
    name: 'DELETE /Groups/{id}',
    setup: async (tag) => {
      const names = { group: `Fault gone${tag}` };
      const member = ok(await users.post('/Users', entraUser(`fault.gd${tag}`)), 201).id;
      return { tag, names, ids: { group: ok(await groups.post('/Groups', { ...entraGroup(names.group), members: [{ value: member }] }), 201).id } };
    },
    send: (ctx) => groups.delete(`/Groups/${ctx.ids.group}`),
    shape: async (ctx) => ({ group: await memberNames(ctx.ids.group), name: await sentinel(UniqueKind.groupName, ctx.names.group) }),
  },
];

/** The shape with the twin's tag taken out, so two twins compare equal. */
const untagged = (value: unknown, tag: string): string => JSON.stringify(value).split(tag).join('');

beforeAll(async () => {
  tables = await createTestTables('rel-faults');
  // No settings cache: each scenario fails every command of a fault-free run in turn, so the
  // commands must be the same on every run (a cached settings read would drop one of them).
  const rt = testRuntime(tables, { SCIM_AUTH_CACHE_SECONDS: '0' });
  users = scimClient(createUsersHandler(rt), APP);
  groups = scimClient(createGroupsHandler(rt), APP);
  faults = await installFaults(rt.dynamo);
  raw = DynamoDBDocumentClient.from(tables.client);
});

afterAll(async () => {
  recordFigures('faults', figures);
  faults?.plan(undefined);
  await tables.drop();
});

describe('DynamoDB faults during SCIM writes (in process)', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s: a fault on any command → 429/503 with Retry-After, and no half-written state', async (_name, scenario) => {
    // Prepare: a fault-free run on a twin gives the command count and the state after.
    const reference = await scenario.setup(`.t${twin++}`);
    const referenceBefore = untagged(await scenario.shape(reference), reference.tag);
    faults.reset();
    const done = await scenario.send(reference);
    const commands = [...faults.commands];
    expect(done.status).toBeLessThan(300);
    const referenceAfter = untagged(await scenario.shape(reference), reference.tag);
    expect(referenceAfter).not.toBe(referenceBefore);

    const outcomes: Record<string, Record<string, number>> = {};
    let halfWritten = 0;
    for (const kind of KINDS) {
      for (let n = 1; n <= commands.length; n++) {
        for (const mode of kind === 'unreachable' ? (['dies', 'blip'] as const) : (['blip'] as const)) {
          const ctx = await scenario.setup(`.t${twin++}`);
          const before = untagged(await scenario.shape(ctx), ctx.tag);
          expect(before).toBe(referenceBefore);
          faults.reset();
          // `dies`: the store goes away at command n and stays away; `blip`: only command n fails.
          faults.plan(mode === 'dies' ? failFrom(n, kind) : failNth(n, kind));
          const res = await scenario.send(ctx);
          faults.plan(undefined);
          const what = `${scenario.name}: ${kind} (${mode}) on command ${n} of ${commands.length} (${commands[n - 1]})`;
          (outcomes[`${kind}/${mode}`] ??= {})[res.status] = ((outcomes[`${kind}/${mode}`] ?? {})[res.status] ?? 0) + 1;

          // Assess: what the client saw…
          expect(describeViolations(what, answerViolations(res, { allowed5xx: [503] }))).toBe('');
          expect([what, res.status]).toEqual([what, expectedStatus(kind)]);
          expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
          // …and what a healthy re-read finds: all of the request or none of it.
          const after = untagged(await scenario.shape(ctx), ctx.tag);
          if (after !== before && after !== referenceAfter) halfWritten++;
          expect([what, [before, referenceAfter].includes(after) ? 'before or after' : after]).toEqual([what, 'before or after']);
        }
      }
    }
    figures[scenario.name] = { commands, outcomes, halfWritten };
  });

  it('a handler whose DynamoDB endpoint is a closed port → 503 with Retry-After on reads and writes', async () => {
    const port = await closedPort();
    // A runtime whose client (built as the container's is) talks to the dead port.
    const dynamo = createDocumentClient(new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, maxAttempts: 3 }));
    const answers: InvokeResult[] = [];
    try {
      const dead = scimClient(createUsersHandler(testRuntime(tables, {}, { dynamo })), APP);
      answers.push(await dead.get('/Users'), await dead.get('/Users/x'), await dead.post('/Users', entraUser('never.stored')), await dead.delete('/Users/x'));
    } finally {
      dynamo.destroy();
    }
    for (const res of answers) {
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
      expect(describeViolations('dead endpoint', answerViolations(res, { allowed5xx: [503] }))).toBe('');
    }
    expect((await users.get(`/Users?filter=${encodeURIComponent('userName eq "never.stored"')}`)).body.totalResults).toBe(0);
    figures.deadEndpoint = { requests: answers.length, statuses: answers.map((a) => a.status) };
  });

  it('a refused request whose failure cannot be recorded (the store is down) still gets its 400, and the handler recovers', async () => {
    faults.reset();
    faults.plan(failFrom(1, 'unreachable'));
    const refused = await users.post('/Users', { userName: '' });
    const attempted = faults.injected;
    faults.plan(undefined);
    expect(refused.status).toBe(400);
    expect(attempted).toBeGreaterThan(0); // the recorder did try to write the failure
    expect((await users.get('/Users?count=1')).status).toBe(200);
  });
});

