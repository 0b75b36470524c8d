/**
 * Random Bulk bodies, from garbage to near-valid requests full of bulkId references (cycles, forward,
 * unknown and repeated ones), run through the whole core against the fake directory (itself the
 * real SCIM core). Every body gets a plan or a 4xx ScimError, and no operation ever answers 5xx.
 */
import fc from 'fast-check';
import {
  bulkResponse,
  executeBulk,
  parseBulkRequest,
  planBulk,
  referencesIn,
  type BulkCall,
  type BulkExecution,
  type BulkPlan,
  type BulkRequest,
  type BulkStep,
  type Perform,
} from '../../../../lambdas/scim/bulk';
import { isScimError } from '../../../../lambdas/scim/errors';
import { FakeDirectory } from './fake-directory';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const BULK_IDS = ['a', 'b', 'c', 'd'];

const bulkId = fc.constantFrom(...BULK_IDS);
const reference = fc.oneof(
  { weight: 6, arbitrary: bulkId.map((b) => `bulkId:${b}`) },
  { weight: 1, arbitrary: fc.constantFrom('bulkId:zz', 'bulkId:', 'id-1', 'seeded-user', 'seeded-group') },
);
const name = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom('alice', 'Alice', '') },
  { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 8 }) },
);
const member = fc.oneof(
  fc.record({ value: reference, type: fc.constantFrom('User', 'Group', 'user', 'x') }, { requiredKeys: ['value'] }),
  reference,
);

const userData = fc.record(
  {
    schemas: fc.constant(['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE]),
    userName: name,
    active: fc.constantFrom(true, 'False'),
    [ENTERPRISE]: fc.record({ manager: fc.oneof(fc.record({ value: reference }), reference), department: name }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);
const groupData = fc.record({ displayName: name, members: fc.array(member, { maxLength: 3 }) }, { requiredKeys: [] });
const patchData = fc.record({
  schemas: fc.constant(['urn:ietf:params:scim:api:messages:2.0:PatchOp']),
  Operations: fc.array(
    fc.record(
      {
        op: fc.constantFrom('add', 'remove', 'replace', 'Add', 'bogus'),
        path: fc.oneof(
          fc.constantFrom('members', 'displayName', 'userName', `${ENTERPRISE}:manager`),
          reference.map((r) => `members[value eq "${r}"]`),
        ),
        value: fc.oneof(fc.array(member, { maxLength: 2 }), name, fc.record({ value: reference })),
      },
      { requiredKeys: ['op'] },
    ),
    { maxLength: 3 },
  ),
});
const data = fc.oneof(
  { weight: 4, arbitrary: userData },
  { weight: 4, arbitrary: groupData },
  { weight: 3, arbitrary: patchData },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

const method = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE', 'post', 'Patch') },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('GET', '', null), fc.integer()) },
);
const resourcePath = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('/Users/seeded-user', '/Groups/seeded-group', '/Groups/missing') },
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom('/Users/', '/Groups/'), reference).map(([p, r]) => p + r) },
);
const path = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('/Users', '/Groups', 'Users') },
  { weight: 6, arbitrary: resourcePath },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('/Users/a/b', '/Widgets', '/Users/%E0%A4%A', 7)) },
);
const version = fc.option(fc.constantFrom('W/"1"', 'W/"2"', 'W/"9"'), { nil: undefined });
/** Operations shaped as clients send them, so that most of them run. */
const coherent = fc
  .oneof(
    fc.record({ method: fc.constant('POST'), path: fc.constant('/Users'), bulkId, data: userData }),
    fc.record({ method: fc.constant('POST'), path: fc.constant('/Groups'), bulkId, data: groupData }),
    fc.record({ method: fc.constantFrom('PATCH', 'patch'), path: resourcePath, data: patchData, version }),
    fc.record({ method: fc.constant('PUT'), path: resourcePath, data: fc.oneof(userData, groupData), version }),
    fc.record({ method: fc.constant('DELETE'), path: resourcePath, version }),
  )
  .map((op) => Object.fromEntries(Object.entries(op).filter(([, v]) => v !== undefined)));
const loose = fc.record(
  { method, path, bulkId: fc.oneof(bulkId, fc.constantFrom(3, '')), data, version: fc.constantFrom('W/"1"', 'W/"9"', 4) },
  { requiredKeys: ['method', 'path'] },
);
const operation = fc.oneof(
  { weight: 12, arbitrary: coherent },
  { weight: 4, arbitrary: loose },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
const bulkBody = fc.record(
  {
    schemas: fc.oneof(
      { weight: 20, arbitrary: fc.constant(['urn:ietf:params:scim:api:messages:2.0:BulkRequest']) },
      { weight: 1, arbitrary: fc.constant(['x']) },
    ),
    failOnErrors: fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 1, max: 4 }) },
      { weight: 1, arbitrary: fc.constantFrom(0, '2', null, true) },
    ),
    Operations: fc.oneof(
      { weight: 30, arbitrary: fc.array(operation, { minLength: 1, maxLength: 8 }) },
      { weight: 1, arbitrary: fc.array(operation, { maxLength: 10 }) },
    ),
  },
  { requiredKeys: ['Operations'] },
);
const anyBody = fc.oneof({ weight: 10, arbitrary: bulkBody }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) });

const parsed = (body: unknown): BulkRequest | undefined => {
  try {
    return parseBulkRequest(body, { maxOperations: 8, maxPayloadSize: 1 << 20 });
  } catch (error) {
    if (!isScimError(error) || ![400, 413].includes(error.status)) throw error;
    return undefined;
  }
};

const indexesOfStep = (step: BulkStep): number[] =>
  step.kind === 'reject' ? [step.entry.index] : step.kind === 'run' ? [step.operation.index] : step.creates.map((c) => c.operation.index);
const indexesOf = (plan: BulkPlan): number[] => plan.steps.flatMap(indexesOfStep);

/** failOnErrors stops between steps: a cycle fails as a whole, so only the last step run may pass the limit. */
const errorsBeforeLastStep = (plan: BulkPlan, execution: BulkExecution): number => {
  const failed = new Set(execution.results.filter((r) => r.status >= 400).map((r) => r.index));
  const processed = new Set(execution.results.map((r) => r.index));
  const steps = plan.steps.map(indexesOfStep).filter((indexes) => indexes.some((i) => processed.has(i)));
  return steps
    .slice(0, -1)
    .flat()
    .filter((i) => failed.has(i)).length;
};

const directoryWithSeeds = (idOf?: (call: BulkCall) => string): FakeDirectory => {
  const directory = new FakeDirectory([], idOf);
  directory.seed('seeded-user', 'User', { userName: 'seeded' });
  directory.seed('seeded-group', 'Group', { displayName: 'seeded' });
  return directory;
};

describe('Bulk core under random bodies', () => {
  it('answers every body with a plan or a 400/413 ScimError, and plans each entry exactly once, after what it refers to', () => {
    fc.assert(
      fc.property(anyBody, (body) => {
        const request = parsed(body);
        if (!request) return;
        const plan = planBulk(request);
        expect(indexesOf(plan).sort((a, b) => a - b)).toEqual(request.entries.map((e) => e.index));

        // Every reference's POST runs in an earlier step, or in the same cycle.
        const stepOf = new Map<number, number>();
        plan.steps.forEach((step, s) => indexesOfStep(step).forEach((index) => stepOf.set(index, s)));
        const declarer = new Map<string, number>();
        for (const entry of request.entries)
          if (entry.method === 'POST' && entry.bulkId && !declarer.has(entry.bulkId)) declarer.set(entry.bulkId, entry.index);
        for (const entry of request.entries) {
          if (entry.kind !== 'operation') continue;
          for (const bulkId of entry.references) expect(stepOf.get(declarer.get(bulkId)!)!).toBeLessThanOrEqual(stepOf.get(entry.index)!);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('runs every plan without a 5xx, with every bulkId replaced, and leaves nothing of a failed POST behind', async () => {
    await fc.assert(
      fc.asyncProperty(bulkBody, async (body) => {
        // Prepare
        const request = parsed(body);
        if (!request) return;
        const directory = directoryWithSeeds();
        const createdBy = new Map<number, string>();
        const perform: Perform = async (call: BulkCall) => {
          expect(referencesIn({ data: call.data, id: call.id }).length).toBe(0);
          const success = await directory.perform(call);
          if (call.method === 'POST') createdBy.set(call.index, success.id);
          return success;
        };

        // Act
        const plan = planBulk(request);
        const execution = await executeBulk(plan, perform, {
          onUnexpectedError: (error) => {
            throw error;
          },
        });
        const response = bulkResponse(execution.results, 'https://gw.example/scim/v2');

        // Assess
        expect(execution.results.every((r) => r.status < 500)).toBe(true);
        if (request.failOnErrors === undefined) expect(execution.results.map((r) => r.index)).toEqual(request.entries.map((e) => e.index));
        else expect(errorsBeforeLastStep(plan, execution)).toBeLessThan(request.failOnErrors);
        for (const result of execution.results) {
          if (result.method === 'POST' && result.status >= 400 && createdBy.has(result.index)) {
            expect(directory.resources.has(createdBy.get(result.index)!)).toBe(false);
          }
        }
        expect(JSON.parse(JSON.stringify(response))).toEqual(response);
        expect(response.Operations.every((o) => /^[1-5]\d\d$/.test(o.status))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('runs waves of commuting operations concurrently with the outcome of one at a time (statuses, resources, names)', async () => {
    /** The directory's state without its generated ids, which depend on the order creates ran in. */
    const stateOf = (directory: FakeDirectory) =>
      [...directory.resources.values()]
        .map((r) => JSON.stringify([r.resourceType, r.data.userName ?? r.data.displayName, r.members.length, r.version]))
        .sort();
    await fc.assert(
      fc.asyncProperty(bulkBody, fc.boolean(), fc.infiniteStream(fc.integer({ min: 0, max: 3 })), async (body, keepFailOnErrors, delays) => {
        // Mostly without failOnErrors: with it, nothing runs concurrently.
        const request = parsed(keepFailOnErrors ? body : { ...body, failOnErrors: undefined });
        if (!request) return;
        const plan = planBulk(request);
        // Ids that do not depend on which create ran first, like the server's random ones: the
        // bodies name `id-1` literally, which with counted ids would be whichever create ran first.
        const idOf = (call: BulkCall) => `created-${call.index}`;
        const sequential = directoryWithSeeds(idOf);
        const one = await executeBulk(plan, sequential.perform);

        const concurrent = directoryWithSeeds(idOf);
        let inFlight = 0;
        let most = 0;
        // Each call waits a random number of turns first, so calls finish in another order than they started.
        const shuffled: Perform = async (call) => {
          most = Math.max(most, ++inFlight);
          try {
            for (let turns = delays.next().value; turns > 0; turns--) await new Promise((resolve) => setImmediate(resolve));
            return await concurrent.perform(call);
          } finally {
            inFlight--;
          }
        };
        const many = await executeBulk(plan, shuffled, { concurrency: 4 });

        expect(many.results.map((r) => [r.index, r.status])).toEqual(one.results.map((r) => [r.index, r.status]));
        expect(stateOf(concurrent)).toEqual(stateOf(sequential));
        expect(most).toBeLessThanOrEqual(request.failOnErrors === undefined ? 4 : 1);
      }),
      { numRuns: 600 },
    );
  });
});
