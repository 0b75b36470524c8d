/**
 * Issue 18 §1 and issue 15's write-unit target, on DynamoDB Local through the real Users handler:
 * the indexes copy only keys and the item type, so a user write that keeps its index keys writes
 * no index and costs only its table copy (≤ 2 WRU for an Entra user of ≈ 1.25 KB); the stored
 * profile holds only what the item does not (attributes, groups); and every reader that pages an index
 * still gets whole items (users list, work e-mail lookup, directory read API with `updatedAfter`).
 */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createUsersHandler } from '../../lambdas/handlers/users';
import type { Runtime } from '../../lambdas/shared/runtime';
import { createDirectoryItems } from '../../lambdas/store/directory-items';
import { Index, keys } from '../../lambdas/store/keys';
import { scimClient, type TestApp } from '../helpers/invoke';
import { createTestTables, type TestTables } from '../helpers/tables';
import { testRuntime } from '../helpers/runtime';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let tables: TestTables;
let rt: Runtime;
let users: ReturnType<typeof scimClient>;
const app: TestApp = { id: 'appwriteunits1', name: 'Entra ID' };

/** Write units DynamoDB Local reports per command (ReturnConsumedCapacity set on every write). */
const consumed: { command: string; units: number; indexes: string[] }[] = [];

beforeAll(async () => {
  tables = await createTestTables('wru');
  rt = testRuntime(tables);
  users = scimClient(createUsersHandler(rt), app);
  rt.dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      const writes = /Put|Update|Delete|TransactWrite/.test(String(context.commandName));
      if (writes) input.ReturnConsumedCapacity = 'INDEXES';
      const out = await next(args);
      if (writes) {
        const caps = ([] as { CapacityUnits?: number; GlobalSecondaryIndexes?: Record<string, unknown> }[]).concat(
          ((out.output as Record<string, unknown>).ConsumedCapacity as never) ?? [],
        );
        consumed.push({
          command: String(context.commandName),
          units: caps.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0),
          indexes: caps.flatMap((c) => Object.keys(c.GlobalSecondaryIndexes ?? {})),
        });
      }
      return out;
    },
    { step: 'initialize', name: 'writeUnitMeter' },
  );
});
afterAll(() => tables.drop());

/** What Entra sends for a user with its default mapping. */
const entraUser = (n: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  externalId: `ext-${n}`,
  userName: `${n}@contoso.example`,
  active: true,
  displayName: `User ${n}`,
  emails: [{ primary: true, type: 'work', value: `${n}.mail@contoso.example` }],
  name: { formatted: `Given ${n}`, familyName: n, givenName: 'Given' },
  title: 'Engineer',
  [ENTERPRISE]: { employeeNumber: '100001', department: 'Research' },
});

const measured = async (write: () => Promise<{ status: number }>, status: number) => {
  consumed.length = 0;
  const res = await write();
  expect(res.status).toBe(status);
  return { units: consumed.reduce((sum, c) => sum + c.units, 0), commands: consumed.map((c) => c.command), indexes: consumed.flatMap((c) => c.indexes) };
};

describe('user writes: write units', () => {
  it('PATCH that changes no key (default dialect, userName replaced with its own value) → one plain write of ≤ 2 WRU, no index write', async () => {
    const created = await users.post('/Users', entraUser(`u${randomUUID().slice(0, 8)}`));
    const userName = created.body.userName as string;
    const patch = {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'userName', value: userName },
        { op: 'Replace', path: 'title', value: 'Senior Engineer' },
        { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Sales' },
      ],
    };
    const result = await measured(() => users.patch(`/Users/${created.body.id}`, patch), 200);
    expect(result.commands).toEqual(['PutItemCommand']);
    expect(result.indexes).toEqual([]);
    expect(result.units).toBeLessThanOrEqual(2);
  });

  it('PATCH in the flag dialect that changes no key → ≤ 2 WRU, no index write', async () => {
    const created = await users.post('/Users', entraUser(`u${randomUUID().slice(0, 8)}`));
    const patch = { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { title: 'Lead', 'name.givenName': 'Gina', active: false } }] };
    const result = await measured(() => users.patch(`/Users/${created.body.id}`, patch), 200);
    expect(result.commands).toEqual(['PutItemCommand']);
    expect(result.indexes).toEqual([]);
    expect(result.units).toBeLessThanOrEqual(2);
  });

  it('a new work e-mail moves only the e-mail lookup entry (delete + put in that index)', async () => {
    const created = await users.post('/Users', entraUser(`u${randomUUID().slice(0, 8)}`));
    const title = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Architect' }] };
    const plain = await measured(() => users.patch(`/Users/${created.body.id}`, title), 200);
    const patch = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'emails[type eq "work"].value', value: `${randomUUID().slice(0, 8)}@contoso.example` }] };
    const result = await measured(() => users.patch(`/Users/${created.body.id}`, patch), 200);
    expect(result.indexes).toEqual([Index.lookups]);
    // The table copy as before, plus the old entry's delete and the new entry's put in the index.
    expect(result.units).toBe(plain.units + 2);
  });

  it('stores the profile without the fields the item holds (rebuilt on read: admin API, events)', async () => {
    const created = await users.post('/Users', entraUser(`u${randomUUID().slice(0, 8)}`));
    const { Item } = await rt.dynamo.send(new GetCommand({ TableName: tables.tableName, Key: keys.user(app.id, created.body.id) }));
    expect(Object.keys(Item!.profile).sort()).toEqual(['attributes', 'groups']);
    expect(Item!.profile.attributes).toMatchObject({ department: 'Research', designation: 'Engineer' });
    expect(Item!.profile).not.toHaveProperty('userName');
  });
});

describe('index readers get whole items', () => {
  it('the users list, the work e-mail lookup and the directory API (updatedAfter) read items behind index entries', async () => {
    const n = `l${randomUUID().slice(0, 8)}`;
    const first = await users.post('/Users', entraUser(`${n}a`));
    const second = await users.post('/Users', entraUser(`${n}b`));
    const page = await users.get('/Users?startIndex=1&count=200');
    const listed = (page.body.Resources as { id: string; userName: string; title?: string }[]).filter((u) => u.id === first.body.id || u.id === second.body.id);
    expect(listed.map((u) => u.title)).toEqual(['Engineer', 'Engineer']);

    const byEmail = await users.get(`/Users?filter=${encodeURIComponent(`emails[type eq "work"].value eq "${n}a.mail@contoso.example"`)}`);
    expect(byEmail.body.Resources.map((u: { id: string; displayName: string }) => [u.id, u.displayName])).toEqual([[first.body.id, `User ${n}a`]]);

    const directory = createDirectoryItems(rt.dynamo, tables.tableName);
    const after = second.body.meta.lastModified as string;
    await new Promise((resolve) => setTimeout(resolve, 5)); // a later millisecond than `after`
    await users.patch(`/Users/${first.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Changed' }] });
    const changed = await directory.list(app.id, 'users', { limit: 50, updatedAfter: after });
    expect(changed.items.map((item) => [item.id, (item.resource as { title: string }).title])).toEqual([[first.body.id, 'Changed']]);
  });
});
