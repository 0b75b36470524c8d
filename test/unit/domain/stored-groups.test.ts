import fc from 'fast-check';
import { groupsOfStored, sortGroups, storedGroupsOf } from '../../../lambdas/domain/stored-groups';

const group = fc.record({ id: fc.string({ minLength: 1 }), displayName: fc.string() });
/** Groups with distinct ids, as a user's profile lists them. */
const groups = fc.uniqueArray(group, { selector: (g) => g.id, maxLength: 20 });

describe('domain/stored-groups', () => {
  it('reads back what it stores, in the profile\'s order (display name, then id), whatever the order written', () => {
    fc.assert(
      fc.property(groups, (list) => {
        expect(groupsOfStored(storedGroupsOf(list))).toEqual(sortGroups(list));
        expect(groupsOfStored(storedGroupsOf([...list].reverse()))).toEqual(sortGroups(list));
      }),
    );
  });

  it('reads a list stored before the map the same way as the map', () => {
    fc.assert(fc.property(groups, (list) => expect(groupsOfStored(list)).toEqual(groupsOfStored(storedGroupsOf(list)))));
  });

  it('stores one key per group: id → display name', () => {
    expect(storedGroupsOf([{ id: 'g-2', displayName: 'Sales' }, { id: 'g-1', displayName: 'Engineering' }])).toEqual({ 'g-1': 'Engineering', 'g-2': 'Sales' });
    expect(storedGroupsOf([])).toEqual({});
  });

  it('sorts by display name, then id', () => {
    expect(
      sortGroups([
        { id: 'b', displayName: 'Sales' },
        { id: 'a', displayName: 'Sales' },
        { id: 'c', displayName: 'Engineering' },
      ]).map((g) => g.id),
    ).toEqual(['c', 'a', 'b']);
  });

  it('is undefined for a value that is neither (a damaged item)', () => {
    for (const damaged of [null, 'g-1', 3, [{ displayName: 'no id' }], [{ id: '' }], [null], { 'g-1': 3 }, { '': 'empty id' }]) {
      expect(groupsOfStored(damaged)).toBeUndefined();
    }
    expect(groupsOfStored([{ id: 'g-1' }])).toEqual([{ id: 'g-1', displayName: '' }]);
  });
});
