import { parseBulkRequest, planBulk, type BulkPlan, type BulkStep } from '../../../../lambdas/scim/bulk';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const planOf = (...Operations: unknown[]): BulkPlan => planBulk(parseBulkRequest({ Operations }));
const postUser = (bulkId: string, extra: Record<string, unknown> = {}) => ({
  method: 'POST',
  path: '/Users',
  bulkId,
  data: { userName: bulkId, ...extra },
});
const postGroup = (bulkId: string, ...members: string[]) => ({
  method: 'POST',
  path: '/Groups',
  bulkId,
  data: { displayName: bulkId, members: members.map((value) => ({ value })) },
});

/** Each step as the request indexes it covers. */
const order = (plan: BulkPlan): number[][] =>
  plan.steps.map((step: BulkStep) =>
    step.kind === 'reject' ? [step.entry.index] : step.kind === 'run' ? [step.operation.index] : step.creates.map((c) => c.operation.index),
  );

const cycle = (plan: BulkPlan, at = 0) => {
  const step = plan.steps[at];
  if (step.kind !== 'cycle') throw new Error(`step ${at} is a ${step.kind}`);
  return step;
};

describe('planBulk', () => {
  describe('order', () => {
    it('keeps request order when every reference points back, as in the RFC examples', () => {
      expect(order(planOf(postUser('u'), postGroup('g', 'bulkId:u'), { method: 'DELETE', path: '/Users/1' }))).toEqual([[0], [1], [2]]);
    });

    it('moves only the operation that refers forward, after the POST it needs', () => {
      const plan = planOf(
        { method: 'PATCH', path: '/Groups/9', data: { Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:u' }] }] } },
        {
          method: 'DELETE',
          path: '/Users/y',
        },
        postUser('u'),
      );
      expect(order(plan)).toEqual([[1], [2], [0]]);
    });

    it('unwinds a chain of forward references', () => {
      const plan = planOf(postGroup('a', 'bulkId:b'), postGroup('b', 'bulkId:c'), postGroup('c'));
      expect(order(plan)).toEqual([[2], [1], [0]]);
    });

    it('keeps a refused operation at its place in the order', () => {
      const plan = planOf(postUser('u'), { method: 'GET', path: '/Users' }, postUser('v'));
      expect(plan.steps.map((s) => s.kind)).toEqual(['run', 'reject', 'run']);
    });

    it('runs an operation that refers to a refused POST after that POST', () => {
      const plan = planOf({ method: 'DELETE', path: '/Users/bulkId:u' }, { method: 'POST', path: '/Users/1', bulkId: 'u', data: {} });
      expect(order(plan)).toEqual([[1], [0]]);
    });
  });

  describe('circular references (RFC 7644 §3.7.1)', () => {
    it('creates members in request order, each without the references to members not created yet, then links them', () => {
      const plan = planOf(postGroup('a', 'bulkId:b'), postGroup('b', 'bulkId:a'));
      const { creates, links } = cycle(plan);

      expect(creates.map((c) => [c.operation.index, c.data, c.deferred])).toEqual([
        [0, { displayName: 'a' }, ['b']],
        [1, { displayName: 'b', members: [{ value: 'bulkId:a' }] }, []],
      ]);
      expect(links.map((l) => [l.operation.index, l.patch])).toEqual([
        [0, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:b' }] }] }],
      ]);
    });

    it('keeps the entries of a multi-valued attribute that need not wait', () => {
      const plan = planOf(postUser('c'), postGroup('a', 'bulkId:c', 'bulkId:b', 'plain-id'), postGroup('b', 'bulkId:a'));
      const { creates, links } = cycle(plan, 1);
      expect(creates[0].data).toEqual({ displayName: 'a', members: [{ value: 'bulkId:c' }, { value: 'plain-id' }] });
      expect(links[0].patch).toMatchObject({ Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:b' }] }] });
    });

    it('resolves a group that lists itself as a cycle of one', () => {
      const { creates, links } = cycle(planOf(postGroup('g', 'bulkId:g')));
      expect(creates[0].data).toEqual({ displayName: 'g' });
      expect(links[0].patch).toMatchObject({ Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:g' }] }] });
    });

    it('defers an extension attribute by its URN-qualified path', () => {
      const managedBy = (bulkId: string) => ({ [ENTERPRISE]: { department: 'R&D', manager: { value: `bulkId:${bulkId}` } } });
      const plan = planOf(postUser('x', managedBy('z')), postUser('y', managedBy('x')), postUser('z', managedBy('y')));
      const { creates, links } = cycle(plan);

      expect(creates.map((c) => c.data)).toEqual([
        { userName: 'x', [ENTERPRISE]: { department: 'R&D' } },
        { userName: 'y', [ENTERPRISE]: { department: 'R&D', manager: { value: 'bulkId:x' } } },
        { userName: 'z', [ENTERPRISE]: { department: 'R&D', manager: { value: 'bulkId:y' } } },
      ]);
      expect(links).toHaveLength(1);
      expect(links[0].patch).toMatchObject({ Operations: [{ op: 'add', path: `${ENTERPRISE}:manager`, value: { value: 'bulkId:z' } }] });
    });

    it('runs whatever refers to a cycle member after the whole cycle', () => {
      const plan = planOf({ method: 'DELETE', path: '/Groups/bulkId:a' }, postGroup('a', 'bulkId:b'), postGroup('b', 'bulkId:a'));
      expect(order(plan)).toEqual([[1, 2], [0]]);
    });

    it('puts two separate cycles into two steps', () => {
      const plan = planOf(postGroup('a', 'bulkId:b'), postGroup('c', 'bulkId:d'), postGroup('b', 'bulkId:a'), postGroup('d', 'bulkId:c'));
      expect(order(plan)).toEqual([
        [0, 2],
        [1, 3],
      ]);
    });
  });
});
