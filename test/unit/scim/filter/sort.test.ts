import { ScimError } from '../../../../lambdas/scim/errors';
import { compareForSort } from '../../../../lambdas/scim/filter';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const users = [
  { id: 'b', userName: 'bob', name: { familyName: 'Zeta' }, meta: { created: '2020-01-01T12:00:00+02:00' }, emails: [{ value: 'z@x', primary: false }, { value: 'b@x', primary: true }], [ENTERPRISE]: { employeeNumber: 2 } },
  { id: 'A', userName: 'Alice', meta: { created: '2020-01-01T11:00:00Z' }, emails: [{ value: 'a@x' }, { value: 'c@x' }], [ENTERPRISE]: { employeeNumber: 10 } },
  { id: 'c', userName: 'carol', name: { familyName: 'alpha' }, meta: { created: '2020-01-01T10:30:00.5Z' }, emails: [] },
  { id: 'd', userName: '', name: { familyName: null }, meta: {}, emails: [{ value: 'd@x', primary: 'True' }] },
];

const ids = (sortBy: string, sortOrder?: string, list: unknown[] = users) =>
  [...list].sort(compareForSort(sortBy, sortOrder)).map((u) => (u as { id: string }).id);

describe('compareForSort', () => {
  it.each<[string, string | undefined, string[]]>([
    ['userName', undefined, ['A', 'b', 'c', 'd']],
    ['userName', 'ascending', ['A', 'b', 'c', 'd']],
    ['userName', 'descending', ['d', 'c', 'b', 'A']],
    ['UserName', 'DESCENDING', ['d', 'c', 'b', 'A']],
    ['name.familyName', 'ascending', ['c', 'b', 'A', 'd']],
    ['name.familyName', 'descending', ['A', 'd', 'b', 'c']],
    ['meta.created', 'ascending', ['b', 'c', 'A', 'd']],
    ['emails', 'ascending', ['A', 'b', 'd', 'c']],
    ['emails.value', 'ascending', ['A', 'b', 'd', 'c']],
    [`${ENTERPRISE}:employeeNumber`, 'ascending', ['b', 'A', 'c', 'd']],
    ['id', 'ascending', ['A', 'b', 'c', 'd']],
    ['nickName', 'ascending', ['b', 'A', 'c', 'd']],
  ])('sorts by %s %s', (sortBy, sortOrder, expected) => {
    expect(ids(sortBy, sortOrder)).toEqual(expected);
  });

  it('compares caseExact attributes by code unit (id is caseExact by default)', () => {
    const list = [{ id: 'b' }, { id: 'a' }, { id: 'B' }];
    expect(ids('id', 'ascending', list)).toEqual(['B', 'a', 'b']);
    expect([...list].sort(compareForSort('id', 'ascending', { caseExact: () => false })).map((u) => u.id)).toEqual(['a', 'b', 'B']);
  });

  it('sorts dateTime values as instants, before values that are not dates', () => {
    const list = [{ id: '1', meta: { created: 'yesterday' } }, { id: '2', meta: { created: '2020-01-01T00:00:00+05:00' } }, { id: '3', meta: { created: '2019-12-31T20:00:00Z' } }];
    expect(ids('meta.created', 'ascending', list)).toEqual(['2', '3', '1']);
  });

  it('orders mixed types boolean < number < string and false before true', () => {
    const list = [{ id: '1', x: 'a' }, { id: '2', x: 3 }, { id: '3', x: true }, { id: '4', x: false }, { id: '5' }, { id: '6', x: 1 }];
    expect(ids('x', 'ascending', list)).toEqual(['4', '3', '6', '2', '1', '5']);
  });

  it('keeps input order for ties and tolerates non-object resources', () => {
    const list = [{ id: '1', x: 'same' }, 'junk', { id: '2', x: 'SAME' }, null];
    expect([...list].sort(compareForSort('x'))).toEqual([{ id: '1', x: 'same' }, { id: '2', x: 'SAME' }, 'junk', null]);
  });

  it.each([
    ['a bad sortBy', 'name..x', undefined, /Invalid sortBy 'name..x'/],
    ['a sortBy with spaces', 'userName eq "x"', undefined, /Invalid sortBy/],
    ['an unknown sortOrder', 'userName', 'up', /Invalid sortOrder 'up'/],
  ])('rejects %s with 400 invalidValue', (_name, sortBy, sortOrder, detail) => {
    let caught: unknown;
    try {
      compareForSort(sortBy, sortOrder);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ScimError);
    expect(caught).toMatchObject({ status: 400, scimType: 'invalidValue', detail: expect.stringMatching(detail) });
  });
});
