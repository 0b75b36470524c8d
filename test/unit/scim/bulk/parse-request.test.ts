import { parseBulkRequest, type BulkEntry, type RejectedOperation } from '../../../../lambdas/scim/bulk';
import { scimErrorOf } from '../scim-error-of';

const URN = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const user = (userName = 'alice') => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName });
const bulk = (...Operations: unknown[]) => ({ schemas: [URN], Operations });
const postUser = (bulkId: string, data: Record<string, unknown> = user(bulkId)) => ({ method: 'POST', path: '/Users', bulkId, data });

const only = (body: unknown): BulkEntry => parseBulkRequest(body).entries[0];
const rejection = (entry: BulkEntry): RejectedOperation => {
  if (entry.kind !== 'rejected') throw new Error(`expected a rejection, got ${JSON.stringify(entry)}`);
  return entry;
};

describe('parseBulkRequest', () => {
  describe('the envelope', () => {
    it.each([
      ['a non-object body', [] as unknown, 400, 'invalidSyntax'],
      [
        'schemas without the BulkRequest URN',
        { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [postUser('a')] },
        400,
        'invalidSyntax',
      ],
      ['no Operations', { schemas: [URN] }, 400, 'invalidSyntax'],
      ['Operations that is not an array', { schemas: [URN], Operations: {} }, 400, 'invalidSyntax'],
      ['an empty Operations', bulk(), 400, 'invalidSyntax'],
      ['failOnErrors 0', { ...bulk(postUser('a')), failOnErrors: 0 }, 400, 'invalidValue'],
      ['failOnErrors 1.5', { ...bulk(postUser('a')), failOnErrors: 1.5 }, 400, 'invalidValue'],
      ['failOnErrors true', { ...bulk(postUser('a')), failOnErrors: true }, 400, 'invalidValue'],
    ])('refuses %s with %i %s', (_name, body, status, scimType) => {
      const error = scimErrorOf(() => parseBulkRequest(body));
      expect([error.status, error.scimType]).toEqual([status, scimType]);
    });

    it('reads member names in any letter case and tolerates a missing schemas, as for PATCH', () => {
      const request = parseBulkRequest({ OPERATIONS: [postUser('a')], FailOnErrors: '2' });
      expect(request.failOnErrors).toBe(2);
      expect(request.entries).toHaveLength(1);
    });

    it('refuses one operation over maxOperations with 413 naming the limit', () => {
      const error = scimErrorOf(() =>
        parseBulkRequest(bulk(postUser('a'), postUser('b'), postUser('c')), { maxOperations: 2, maxPayloadSize: 1000 }),
      );
      expect(error.status).toBe(413);
      expect(error.detail).toContain('maxOperations (2)');
    });

    it('accepts exactly maxOperations operations', () => {
      const body = bulk(...Array.from({ length: 1000 }, (_, i) => postUser(`u${i}`)));
      expect(parseBulkRequest(body).entries.every((e) => e.kind === 'operation')).toBe(true);
    });
  });

  describe('one operation', () => {
    it('reads a POST with its bulkId, target and data', () => {
      expect(only(bulk(postUser('qwerty')))).toEqual({
        kind: 'operation',
        index: 0,
        method: 'POST',
        target: { kind: 'collection', resourceType: 'User' },
        bulkId: 'qwerty',
        data: user('qwerty'),
        references: [],
      });
    });

    it('reads method and endpoint in any letter case, the leading slash optional, the id percent-decoded', () => {
      const entry = only(bulk({ method: 'patch', path: 'groups/a%20b', data: {}, version: 'W/"1"' }));
      expect(entry).toMatchObject({
        kind: 'operation',
        method: 'PATCH',
        target: { kind: 'resource', resourceType: 'Group', id: 'a b' },
        version: 'W/"1"',
      });
    });

    it('reads a bulkId in the path as a reference to the resource that POST creates', () => {
      const request = parseBulkRequest(bulk(postUser('x'), { method: 'DELETE', path: '/Users/bulkId:x' }));
      expect(request.entries[1]).toMatchObject({ target: { kind: 'created', bulkId: 'x' }, references: ['x'] });
    });

    it("ignores a POST's version and a DELETE's data", () => {
      const request = parseBulkRequest(
        bulk({ ...postUser('a'), version: 'W/"1"' }, { method: 'DELETE', path: '/Users/1', data: 'ignored' }),
      );
      expect(request.entries[0]).not.toHaveProperty('version');
      expect(request.entries[1]).not.toHaveProperty('data');
    });

    it.each([
      ['not an object', 'POST /Users', 400, 'invalidSyntax'],
      ['without method', { path: '/Users', bulkId: 'a', data: user() }, 400, 'invalidValue'],
      ['with method GET', { method: 'GET', path: '/Users/1' }, 400, 'invalidValue'],
      ['a POST without bulkId', { method: 'POST', path: '/Users', data: user() }, 400, 'invalidValue'],
      ['a bulkId that is a number', { method: 'POST', path: '/Users', bulkId: 7, data: user() }, 400, 'invalidValue'],
      ['without path', { method: 'DELETE' }, 400, 'invalidValue'],
      ['a blank path', { method: 'DELETE', path: '  ' }, 400, 'invalidValue'],
      ['a path that is an array', { method: 'DELETE', path: ['/Users/1'] }, 400, 'invalidValue'],
      ['a path outside /Users and /Groups', { method: 'DELETE', path: '/Widgets/1' }, 404, undefined],
      ['a path with more segments', { method: 'DELETE', path: '/Users/1/groups' }, 404, undefined],
      ['a POST to one resource', { method: 'POST', path: '/Users/1', bulkId: 'a', data: user() }, 405, undefined],
      ['a PUT to the collection', { method: 'PUT', path: '/Users', data: user() }, 405, undefined],
      ['a DELETE of the collection', { method: 'DELETE', path: '/Groups' }, 405, undefined],
      ['a PATCH without data', { method: 'PATCH', path: '/Users/1' }, 400, 'invalidValue'],
      ['a PUT whose data is a string', { method: 'PUT', path: '/Users/1', data: 'x' }, 400, 'invalidSyntax'],
      ['a version that is a number', { method: 'DELETE', path: '/Users/1', version: 3 }, 400, 'invalidValue'],
      [
        'data nested 40 levels deep',
        { method: 'PUT', path: '/Users/1', data: JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`) },
        400,
        'invalidValue',
      ],
    ])('answers an operation %s with its own %i %s, not the request', (_name, operation, status, scimType) => {
      const request = parseBulkRequest(bulk(postUser('ok'), operation));
      expect(request.entries[0].kind).toBe('operation');
      const { error } = rejection(request.entries[1]);
      expect([error.status, error.scimType]).toEqual([status, scimType]);
      expect(error.detail).toContain('Operations[1]');
    });

    it('keeps what it could read of a refused operation for the response', () => {
      const entry = rejection(only(bulk({ method: 'put', path: '/Users/42', bulkId: 'b' })));
      expect(entry).toMatchObject({ method: 'PUT', bulkId: 'b', target: { kind: 'resource', resourceType: 'User', id: '42' } });
    });
  });

  describe('bulkIds across operations', () => {
    it('collects every reference of an operation, in data and path', () => {
      const group = { displayName: 'g', members: [{ value: 'bulkId:a' }, { value: 'bulkId:b' }, { value: 'bulkId:a' }] };
      const request = parseBulkRequest(
        bulk(
          postUser('a'),
          postUser('b'),
          { method: 'PUT', path: '/Groups/bulkId:g', data: group },
          {
            method: 'POST',
            path: '/Groups',
            bulkId: 'g',
            data: { displayName: 'g' },
          },
        ),
      );
      expect(request.entries[2]).toMatchObject({ kind: 'operation', references: ['g', 'a', 'b'] });
    });

    it('refuses a reference to a bulkId no POST declares', () => {
      const request = parseBulkRequest(
        bulk({ method: 'POST', path: '/Groups', bulkId: 'g', data: { displayName: 'g', members: [{ value: 'bulkId:nobody' }] } }),
      );
      const { error } = rejection(request.entries[0]);
      expect([error.status, error.scimType]).toEqual([400, 'invalidValue']);
      expect(error.detail).toContain('"bulkId:nobody"');
    });

    it('refuses the second POST of a bulkId, keeps the first, and refuses references to it as ambiguous', () => {
      const request = parseBulkRequest(
        bulk(postUser('a', user('one')), postUser('a', user('two')), { method: 'DELETE', path: '/Users/bulkId:a' }),
      );
      expect(request.entries[0].kind).toBe('operation');
      expect(rejection(request.entries[1]).error.detail).toContain('Operations[0] already declared');
      expect(rejection(request.entries[2]).error.detail).toContain('ambiguous');
    });

    it('lets a POST refer to itself (a cycle of one, resolved when planned)', () => {
      const request = parseBulkRequest(
        bulk({ method: 'POST', path: '/Groups', bulkId: 'g', data: { displayName: 'g', members: [{ value: 'bulkId:g' }] } }),
      );
      expect(request.entries[0]).toMatchObject({ kind: 'operation', references: ['g'] });
    });

    it('lets a reference point to a refused POST (it fails when it runs, with 409)', () => {
      const request = parseBulkRequest(
        bulk({ method: 'POST', path: '/Users/1', bulkId: 'a', data: user() }, { method: 'DELETE', path: '/Users/bulkId:a' }),
      );
      expect(request.entries.map((e) => e.kind)).toEqual(['rejected', 'operation']);
    });
  });
});
