/**
 * Random Bulk bodies through the real handler on DynamoDB Local: garbage, near-valid requests full
 * of bulkId references (cycles, forward, unknown and repeated ones), PATCHes, stale versions, raw
 * text. Every request gets a SCIM answer below 500, and so does every operation in a BulkResponse.
 */
import fc from 'fast-check';
import { createBulkHandler } from '../../lambdas/handlers/bulk';
import { createGroupsHandler } from '../../lambdas/handlers/groups';
import { createUsersHandler } from '../../lambdas/handlers/users';
import { scimClient, type TestApp } from '../helpers/invoke';
import { testRuntime } from '../helpers/runtime';
import { createTestTables, type TestTables } from '../helpers/tables';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

let tables: TestTables;
let bulk: ReturnType<typeof scimClient>;
const seeded = { user: '', group: '' };
const app: TestApp = { id: 'appbulkfuzz', name: 'Fuzz' };

beforeAll(async () => {
  tables = await createTestTables('bulk-fuzz');
  const rt = testRuntime(tables);
  bulk = scimClient(createBulkHandler(rt), app);
  const users = scimClient(createUsersHandler(rt), app);
  const groups = scimClient(createGroupsHandler(rt), app);
  seeded.user = (await users.post('/Users', { userName: 'seeded' })).body.id;
  seeded.group = (await groups.post('/Groups', { displayName: 'Seeded', members: [{ value: seeded.user }] })).body.id;
});
afterAll(() => tables.drop());

const bulkId = fc.constantFrom('a', 'b', 'c');
const reference = fc.oneof(
  { weight: 6, arbitrary: bulkId.map((b) => `bulkId:${b}`) },
  { weight: 2, arbitrary: fc.constantFrom('SEEDED-USER', 'SEEDED-GROUP', 'missing', 'bulkId:zz', 'bulkId:') },
);
const name = fc.oneof(fc.constantFrom('alice', 'ALICE', '', 'seeded'), fc.string({ minLength: 1, maxLength: 6 }));
const member = fc.oneof(fc.record({ value: reference, type: fc.constantFrom('User', 'Group', 'x') }, { requiredKeys: ['value'] }), reference);
const userData = fc.record(
  {
    schemas: fc.constant(['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE]),
    userName: name,
    active: fc.constantFrom(true, 'False', 3),
    [ENTERPRISE]: fc.record({ manager: fc.oneof(fc.record({ value: reference }), reference) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);
const groupData = fc.record({ displayName: name, members: fc.array(member, { maxLength: 3 }) }, { requiredKeys: [] });
const patchData = fc.record({
  schemas: fc.constant([PATCH_OP]),
  Operations: fc.array(
    fc.record(
      {
        op: fc.constantFrom('add', 'remove', 'replace', 'bogus'),
        path: fc.oneof(fc.constantFrom('members', 'displayName', 'userName', 'active', `${ENTERPRISE}:manager`), reference.map((r) => `members[value eq "${r}"]`)),
        value: fc.oneof(fc.array(member, { maxLength: 2 }), name, fc.boolean(), fc.record({ value: reference })),
      },
      { requiredKeys: ['op'] },
    ),
    { maxLength: 3 },
  ),
});
const resourcePath = fc.tuple(fc.constantFrom('/Users/', '/Groups/'), reference).map(([p, r]) => p + r);
const version = fc.option(fc.constantFrom('W/"1"', 'W/"2"', 'W/"9"', '*', 'junk'), { nil: undefined });
const coherent = fc
  .oneof(
    fc.record({ method: fc.constant('POST'), path: fc.constant('/Users'), bulkId, data: userData }),
    fc.record({ method: fc.constant('POST'), path: fc.constant('/Groups'), bulkId, data: groupData }),
    fc.record({ method: fc.constant('PATCH'), path: resourcePath, data: patchData, version }),
    fc.record({ method: fc.constant('PUT'), path: resourcePath, data: fc.oneof(userData, groupData), version }),
    fc.record({ method: fc.constant('DELETE'), path: resourcePath, version }),
  )
  .map((op) => Object.fromEntries(Object.entries(op).filter(([, v]) => v !== undefined)));
const loose = fc.record(
  {
    method: fc.constantFrom('POST', 'patch', 'GET', '', 7),
    path: fc.oneof(resourcePath, fc.constantFrom('/Users', '/Widgets', '/Users/a/b', '/Users/%E0%A4%A', '', 3)),
    bulkId: fc.oneof(bulkId, fc.constantFrom(3, '')),
    data: fc.oneof(userData, groupData, fc.jsonValue({ maxDepth: 3 })),
    version: fc.constantFrom('W/"1"', 4),
  },
  { requiredKeys: ['method', 'path'] },
);
const operation = fc.oneof({ weight: 10, arbitrary: coherent }, { weight: 3, arbitrary: loose }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
const bulkBody = fc.record(
  {
    schemas: fc.oneof({ weight: 20, arbitrary: fc.constant(['urn:ietf:params:scim:api:messages:2.0:BulkRequest']) }, { weight: 1, arbitrary: fc.constant(['x']) }),
    failOnErrors: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, '2', null, true)),
    Operations: fc.array(operation, { minLength: 1, maxLength: 6 }),
  },
  { requiredKeys: ['Operations'] },
);
/** What reaches the handler as the raw body: mostly BulkRequests, some other JSON, some text. */
const rawBody = fc.oneof(
  { weight: 12, arbitrary: bulkBody.map((body) => JSON.stringify(body).replaceAll('SEEDED-USER', seeded.user).replaceAll('SEEDED-GROUP', seeded.group)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

describe('POST /Bulk fuzzed', () => {
  it('answers every body with a SCIM status below 500, and every operation too', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(rawBody, async (body) => {
        const res = await bulk.call('POST', '/Bulk', undefined, { rawBody: body });
        expect(res.status).toBeLessThan(500);
        if (res.status !== 200) {
          expect(res.body).toMatchObject({ schemas: [ERROR], status: String(res.status) });
          return;
        }
        for (const answer of res.body.Operations as { status: string; response?: { schemas: string[] } }[]) {
          seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1);
          expect(Number(answer.status)).toBeLessThan(500);
          if (Number(answer.status) >= 400) expect(answer.response?.schemas).toEqual([ERROR]);
        }
      }),
      {
        numRuns: 120,
        // First a body known to create, patch and delete, so the coverage check below never rests on luck
        // (random deletes of the seeded resources may leave later runs nothing to update).
        examples: [
          [
            JSON.stringify({
              Operations: [
                { method: 'POST', path: '/Users', bulkId: 'a', data: { userName: 'example.user' } },
                { method: 'PATCH', path: '/Users/bulkId:a', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] } },
                { method: 'DELETE', path: '/Users/bulkId:a' },
              ],
            }),
          ],
        ],
      },
    );
    // The bodies reach the store, not only the parser: creates, updates and deletes were applied.
    expect([...seen.keys()]).toEqual(expect.arrayContaining(['201', '200', '204', '400', '404']));
  }, 240_000);
});
