/**
 * Waves (lambdas/scim/bulk/waves.ts): which operations run concurrently, and that running them so
 * answers exactly what one at a time answers, even when the later call finishes first.
 */
import { executeBulk, parseBulkRequest, planBulk, type BulkCall, type BulkSuccess, type Perform } from '../../../../lambdas/scim/bulk';
import { waveLength } from '../../../../lambdas/scim/bulk/waves';
import { FakeDirectory } from './fake-directory';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const planOf = (Operations: unknown[], extra: Record<string, unknown> = {}) => planBulk(parseBulkRequest({ ...extra, Operations }));
const createUser = (userName: string, bulkId = userName) => ({ method: 'POST', path: '/Users', bulkId, data: { userName } });

/** The first call waits `turns` event-loop turns, later calls none: the later one finishes first. */
const firstCallSlow = (perform: Perform, turns = 5) => {
  let calls = 0;
  let inFlight = 0;
  const seen = { most: 0 };
  const slowed: Perform = async (call: BulkCall): Promise<BulkSuccess> => {
    seen.most = Math.max(seen.most, ++inFlight);
    try {
      for (let t = calls++ === 0 ? turns : 0; t > 0; t--) await new Promise((resolve) => setImmediate(resolve));
      return await perform(call);
    } finally {
      inFlight--;
    }
  };
  return { slowed, seen };
};

const statusesOf = async (Operations: unknown[], seed?: (d: FakeDirectory) => void, extra: Record<string, unknown> = {}) => {
  const directory = new FakeDirectory();
  seed?.(directory);
  const { slowed, seen } = firstCallSlow(directory.perform);
  const execution = await executeBulk(planOf(Operations, extra), slowed, { concurrency: 4 });
  return { statuses: execution.results.map((r) => r.status), most: seen.most };
};

describe('waveLength', () => {
  it('groups creates of different names, up to the maximum', () => {
    const plan = planOf([createUser('a'), createUser('b'), createUser('c'), createUser('d')]);
    expect(waveLength(plan.steps, 0, 8)).toBe(4);
    expect(waveLength(plan.steps, 0, 3)).toBe(3);
  });

  it('ends a wave at a name already in it (any letter case), a PUT, or a reference into it', () => {
    expect(waveLength(planOf([createUser('alice', 'a'), createUser('ALICE', 'b')]).steps, 0, 8)).toBe(1);
    expect(waveLength(planOf([createUser('a'), { method: 'PUT', path: '/Users/x', data: { userName: 'x' } }]).steps, 0, 8)).toBe(1);
    const member = { method: 'POST', path: '/Groups', bulkId: 'g', data: { displayName: 'G', members: [{ value: 'bulkId:a' }] } };
    expect(waveLength(planOf([createUser('a'), member]).steps, 0, 8)).toBe(1);
  });

  it('lets a PATCH join only when it cannot rename, and deletes only of different targets', () => {
    const patch = (id: string, path: string) => ({ method: 'PATCH', path: `/Users/${id}`, data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path, value: 'v' }] } });
    expect(waveLength(planOf([patch('x', 'active'), patch('y', 'title')]).steps, 0, 8)).toBe(2);
    expect(waveLength(planOf([patch('x', 'userName'), patch('y', 'title')]).steps, 0, 8)).toBe(1);
    expect(waveLength(planOf([patch('x', 'active'), patch('x', 'title')]).steps, 0, 8)).toBe(1);
    expect(waveLength(planOf([{ method: 'DELETE', path: '/Users/x' }, { method: 'DELETE', path: '/Users/y' }]).steps, 0, 8)).toBe(2);
    expect(waveLength(planOf([{ method: 'DELETE', path: '/Users/x' }, { method: 'DELETE', path: '/Users/x' }]).steps, 0, 8)).toBe(1);
  });
});

describe('executeBulk with concurrency', () => {
  it('answers two creates of one userName 201 then 409, as in request order, though the second call would finish first', async () => {
    const { statuses } = await statusesOf([createUser('alice', 'a'), createUser('Alice', 'b')]);
    expect(statuses).toEqual([201, 409]);
  });

  it('creates a group after the member it refers to exists', async () => {
    const member = { method: 'POST', path: '/Groups', bulkId: 'g', data: { displayName: 'G', members: [{ value: 'bulkId:a' }] } };
    expect((await statusesOf([createUser('a'), member])).statuses).toEqual([201, 201]);
  });

  it('keeps renames in order: two PATCHes to one userName → 200 then 409', async () => {
    const rename = (id: string) => ({ method: 'PATCH', path: `/Users/${id}`, data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'userName', value: 'bob' }] } });
    const { statuses } = await statusesOf([rename('x'), rename('y')], (d) => {
      d.seed('x', 'User', { userName: 'x' });
      d.seed('y', 'User', { userName: 'y' });
    });
    expect(statuses).toEqual([200, 409]);
  });

  it('runs commuting creates together, at most `concurrency` at once', async () => {
    const { statuses, most } = await statusesOf(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => createUser(n)));
    expect(statuses).toEqual(Array(6).fill(201));
    expect(most).toBe(4);
  });

  it('runs one at a time with failOnErrors: the errors must be counted in order', async () => {
    const { statuses, most } = await statusesOf(['a', 'b', 'c'].map((n) => createUser(n)), undefined, { failOnErrors: 1 });
    expect(statuses).toEqual([201, 201, 201]);
    expect(most).toBe(1);
  });
});
