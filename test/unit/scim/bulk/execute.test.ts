import {
  executeBulk,
  parseBulkRequest,
  planBulk,
  type BulkCall,
  type BulkExecution,
  type ExecuteOptions,
  type Perform,
} from '../../../../lambdas/scim/bulk';
import { ScimError } from '../../../../lambdas/scim/errors';
import { FakeDirectory } from './fake-directory';

const postUser = (bulkId: string, userName = bulkId) => ({ method: 'POST', path: '/Users', bulkId, data: { userName } });
const postGroup = (bulkId: string, ...members: string[]) => ({
  method: 'POST',
  path: '/Groups',
  bulkId,
  data: { displayName: bulkId, members: members.map((value) => ({ value })) },
});

const execute = (perform: Perform, operations: unknown[], extra: Record<string, unknown> = {}, options?: ExecuteOptions) =>
  executeBulk(planBulk(parseBulkRequest({ ...extra, Operations: operations })), perform, options);

const statuses = (execution: BulkExecution) => execution.results.map((r) => [r.index, r.status]);

/** Lets every call through to `directory`, except those `fail` picks. */
const failing =
  (directory: FakeDirectory, fail: (call: BulkCall) => unknown): Perform =>
  async (call) => {
    const thrown = fail(call);
    if (thrown !== undefined) {
      directory.calls.push(call);
      throw thrown;
    }
    return directory.perform(call);
  };

describe('executeBulk', () => {
  describe('failures and failOnErrors', () => {
    it('goes on past failures when failOnErrors is absent', async () => {
      const directory = new FakeDirectory();
      const execution = await execute(directory.perform, [postUser('a', 'same'), postUser('b', 'same'), postUser('c')]);
      expect(statuses(execution)).toEqual([
        [0, 201],
        [1, 409],
        [2, 201],
      ]);
      expect(execution.errors).toBe(1);
      expect(execution.stopped).toBeUndefined();
    });

    it('stops once failOnErrors operations failed: the rest are neither attempted nor reported', async () => {
      const directory = new FakeDirectory();
      const operations = [postUser('a', 'same'), postUser('b', 'same'), postUser('c'), postUser('d', 'same'), postUser('e')];

      const execution = await execute(directory.perform, operations, { failOnErrors: 2 });

      expect(statuses(execution)).toEqual([
        [0, 201],
        [1, 409],
        [2, 201],
        [3, 409],
      ]);
      expect(execution.stopped).toBe('failOnErrors');
      expect(directory.calls).toHaveLength(4);
    });

    it('counts a refused operation toward failOnErrors at its place', async () => {
      const directory = new FakeDirectory();
      const execution = await execute(directory.perform, [postUser('a'), { method: 'GET', path: '/Users' }, postUser('c')], {
        failOnErrors: 1,
      });
      expect(statuses(execution)).toEqual([
        [0, 201],
        [1, 400],
      ]);
      expect(directory.calls).toHaveLength(1);
    });

    it('does not attempt an operation whose reference points to a failed POST, and answers 409 naming it', async () => {
      const directory = new FakeDirectory();
      directory.seed('taken', 'User', { userName: 'alice' });

      const execution = await execute(directory.perform, [
        postUser('a', 'alice'),
        postGroup('g', 'bulkId:a'),
        { method: 'DELETE', path: '/Users/bulkId:a' },
      ]);

      expect(statuses(execution)).toEqual([
        [0, 409],
        [1, 409],
        [2, 409],
      ]);
      expect(execution.results[1].error!.detail).toContain('Operations[0]) failed');
      expect(execution.results[2]).not.toHaveProperty('id');
      expect(directory.calls).toHaveLength(1);
    });

    it('answers a non-ScimError from perform with 500 for that operation only, and reports it', async () => {
      const directory = new FakeDirectory();
      const seen: unknown[] = [];
      const perform = failing(directory, (call) => (call.index === 0 ? new TypeError('bug') : undefined));

      const execution = await execute(perform, [postUser('a'), postUser('b')], {}, { onUnexpectedError: (error) => seen.push(error) });

      expect(statuses(execution)).toEqual([
        [0, 500],
        [1, 201],
      ]);
      expect(execution.results[0].error!.detail).not.toContain('bug');
      expect(seen).toEqual([new TypeError('bug')]);
    });
  });

  describe('bulkId references', () => {
    it("sends each version as ifMatch, so a stale one answers the single route's 412", async () => {
      const directory = new FakeDirectory();
      directory.seed('u1', 'User', { userName: 'bob' });

      const execution = await execute(directory.perform, [
        { method: 'PUT', path: '/Users/u1', version: 'W/"7"', data: { userName: 'bob2' } },
        { method: 'PUT', path: '/Users/u1', version: 'W/"1"', data: { userName: 'bob3' } },
      ]);

      expect(directory.calls.map((c) => c.ifMatch)).toEqual(['W/"7"', 'W/"1"']);
      expect(statuses(execution)).toEqual([
        [0, 412],
        [1, 200],
      ]);
      expect(execution.results[0].id).toBe('u1');
    });

    it('resolves a path and a PATCH filter that name resources created earlier in the request', async () => {
      const directory = new FakeDirectory();
      const removeMember = {
        method: 'PATCH',
        path: '/Groups/bulkId:g',
        data: { Operations: [{ op: 'remove', path: 'members[value eq "bulkId:u"]' }] },
      };

      const execution = await execute(directory.perform, [
        postUser('u'),
        postGroup('g', 'bulkId:u'),
        removeMember,
        { method: 'DELETE', path: '/Users/bulkId:u' },
      ]);

      expect(statuses(execution)).toEqual([
        [0, 201],
        [1, 201],
        [2, 200],
        [3, 204],
      ]);
      expect(directory.calls[2]).toMatchObject({ id: 'id-2', data: { Operations: [{ path: 'members[value eq "id-1"]' }] } });
      expect([...directory.resources.keys()]).toEqual(['id-2']);
      expect(directory.resources.get('id-2')!.members).toEqual([]);
    });

    it('creates a forward-referenced user before the group that lists it, and answers in request order', async () => {
      const directory = new FakeDirectory();
      const execution = await execute(directory.perform, [postGroup('g', 'bulkId:u'), postUser('u')]);
      expect(directory.calls.map((c) => c.resourceType)).toEqual(['User', 'Group']);
      expect(execution.results.map((r) => [r.index, r.bulkId, r.id])).toEqual([
        [0, 'g', 'id-2'],
        [1, 'u', 'id-1'],
      ]);
    });
  });

  describe('circular references', () => {
    it('keeps a resolved cycle: every member answers 201 with its version after the link', async () => {
      const directory = new FakeDirectory();
      const execution = await execute(directory.perform, [postGroup('a', 'bulkId:b'), postGroup('b', 'bulkId:a')]);
      expect(statuses(execution)).toEqual([
        [0, 201],
        [1, 201],
      ]);
      expect(execution.results.map((r) => r.version)).toEqual(['W/"2"', 'W/"1"']);
    });

    it('deletes the members already created when a later create fails; the failing one answers its own error, the others 409', async () => {
      // Prepare: b's create is refused by the single-resource code (no displayName)
      const directory = new FakeDirectory();
      const b = { method: 'POST', path: '/Groups', bulkId: 'b', data: { members: [{ value: 'bulkId:a' }] } };

      // Act
      const execution = await execute(directory.perform, [postGroup('a', 'bulkId:b'), b, postUser('after')]);

      // Assess
      expect(statuses(execution)).toEqual([
        [0, 409],
        [1, 400],
        [2, 201],
      ]);
      expect(execution.results[0].error!.detail).toContain('because Operations[1] failed');
      expect(directory.calls.map((c) => [c.purpose, c.method])).toEqual([
        ['operation', 'POST'],
        ['operation', 'POST'],
        ['undo', 'DELETE'],
        ['operation', 'POST'],
      ]);
      expect([...directory.resources.values()].map((r) => r.resourceType)).toEqual(['User']);
    });

    it('undoes the whole cycle when its link fails, and the member whose link failed keeps that status', async () => {
      const directory = new FakeDirectory();
      const perform = failing(directory, (call) => (call.purpose === 'link' ? ScimError.invalidValue('no') : undefined));

      const execution = await execute(perform, [postGroup('a', 'bulkId:b'), postGroup('b', 'bulkId:a')]);

      expect(statuses(execution)).toEqual([
        [0, 400],
        [1, 409],
      ]);
      expect(execution.results[0].error!.detail).toContain('failed: no');
      expect(directory.resources.size).toBe(0);
    });

    it('says so when a member could not be deleted again, naming the id it kept', async () => {
      const directory = new FakeDirectory();
      const perform = failing(directory, (call) =>
        call.purpose === 'link'
          ? ScimError.invalidValue('no')
          : call.purpose === 'undo' && call.id === 'id-2'
            ? ScimError.unavailable()
            : undefined,
      );

      const execution = await execute(perform, [postGroup('a', 'bulkId:b'), postGroup('b', 'bulkId:a')]);

      expect(execution.results[1].error!.detail).toContain('created as id-2 and could not be deleted again');
      expect([...directory.resources.keys()]).toEqual(['id-2']);
    });

    it('fails a member whose reference outside the cycle points to a failed POST, without creating any member', async () => {
      const directory = new FakeDirectory();
      directory.seed('taken', 'User', { userName: 'alice' });

      const execution = await execute(directory.perform, [
        postUser('u', 'alice'),
        postGroup('a', 'bulkId:b', 'bulkId:u'),
        postGroup('b', 'bulkId:a'),
      ]);

      expect(statuses(execution)).toEqual([
        [0, 409],
        [1, 409],
        [2, 409],
      ]);
      expect(directory.calls).toHaveLength(1);
    });
  });

  describe('deadline', () => {
    it('answers the operations not started by the deadline with 503, without calling perform', async () => {
      // Prepare: each call takes 10 ms on a fake clock
      const directory = new FakeDirectory();
      let clock = 0;
      const perform: Perform = async (call) => {
        clock += 10;
        return directory.perform(call);
      };

      // Act
      const execution = await execute(
        perform,
        [postUser('a'), postUser('b'), postUser('c'), postGroup('g', 'bulkId:a')],
        {},
        { deadline: 20, now: () => clock },
      );

      // Assess
      expect(statuses(execution)).toEqual([
        [0, 201],
        [1, 201],
        [2, 503],
        [3, 503],
      ]);
      expect(execution.stopped).toBe('deadline');
      expect(execution.results[2].error!.detail).toContain('was not attempted');
      expect(directory.calls).toHaveLength(2);
    });
  });
});
