import fc from 'fast-check';
import { diffProfiles } from '../../../lambdas/profiles/diff';
import { profileChangeLine, profileChanges } from '../../../lambdas/profiles/labels';
import type { Profile } from '../../../lambdas/profiles/types';

const BASE: Profile = {
  id: 'u-1',
  userName: 'alice@contoso.com',
  externalId: 'alice',
  active: true,
  attributes: { department: 'Sales', manager: { id: 'm-1' }, tags: ['a', 'b'] },
  groups: [{ id: 'g-1', displayName: 'All staff' }],
  version: 1,
  updatedAt: '2024-01-01T00:00:00.000Z',
};

const next = (change: Partial<Profile>): Profile => ({ ...BASE, version: 2, updatedAt: '2024-01-02T00:00:00.000Z', ...change });

describe('diffProfiles', () => {
  it('names a changed attribute and keeps its old value under its own name', () => {
    const after = next({ attributes: { ...BASE.attributes, department: 'Marketing' } });

    expect(diffProfiles(BASE, after)).toEqual({ changes: ['attributes.department'], previous: { department: 'Sales' } });
  });

  it('a new version that changes nothing has no changes (version and updatedAt are not changes)', () => {
    expect(diffProfiles(BASE, next({}))).toEqual({ changes: [], previous: {} });
  });

  it.each<[string, Partial<Profile>, string[], Record<string, unknown>]>([
    ['deactivation', { active: false }, ['active'], { active: true }],
    ['a new userName', { userName: 'alice@fabrikam.com' }, ['userName'], { userName: 'alice@contoso.com' }],
    ['a removed externalId', { externalId: undefined }, ['externalId'], { externalId: 'alice' }],
    ['a group joined', { groups: [...BASE.groups, { id: 'g-2', displayName: 'Sales' }] }, ['groups'], { groups: BASE.groups }],
    ['a group renamed', { groups: [{ id: 'g-1', displayName: 'Everyone' }] }, ['groups'], { groups: BASE.groups }],
    ['an attribute set that had no value', { attributes: { ...BASE.attributes, mobile: '+1 555' } }, ['attributes.mobile'], { mobile: null }],
    ['an attribute cleared', { attributes: { manager: { id: 'm-1' }, tags: ['a', 'b'] } }, ['attributes.department'], { department: 'Sales' }],
    ['a new manager', { attributes: { ...BASE.attributes, manager: { id: 'm-2' } } }, ['attributes.manager'], { manager: { id: 'm-1' } }],
    ['a list reordered', { attributes: { ...BASE.attributes, tags: ['b', 'a'] } }, ['attributes.tags'], { tags: ['a', 'b'] }],
  ])('sees %s', (_, change, changes, previous) => {
    expect(diffProfiles(BASE, next(change))).toEqual({ changes, previous });
  });

  it('a new user: everything it has is a change from no value', () => {
    const diff = diffProfiles(undefined, BASE);

    expect(diff.changes).toEqual(['userName', 'externalId', 'active', 'groups', 'attributes.department', 'attributes.manager', 'attributes.tags']);
    expect(Object.values(diff.previous).every((v) => v === null)).toBe(true);
  });

  it('a deleted user: everything it had is a change', () => {
    expect(diffProfiles(BASE, undefined).previous).toEqual({
      userName: 'alice@contoso.com',
      externalId: 'alice',
      active: true,
      groups: BASE.groups,
      department: 'Sales',
      manager: { id: 'm-1' },
      tags: ['a', 'b'],
    });
  });

  it('keeps a stored attribute named like an Object property as a plain key', () => {
    const before = { ...BASE, attributes: JSON.parse('{"__proto__": "x"}') };
    const diff = diffProfiles(before, next({ attributes: {} }));

    expect(Object.keys(diff.previous)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(diff.previous)).toBe(Object.prototype);
  });

  it('lists no change exactly when the profiles are equal apart from version and time', () => {
    const attrs = fc.dictionary(fc.constantFrom('department', 'mobile', 'tags'), fc.oneof(fc.constantFrom<string>('a', 'b'), fc.constant(['x']).map((l) => [...l])), { maxKeys: 3 });
    const profile = fc.record({ active: fc.boolean(), userName: fc.constantFrom('a', 'b'), attributes: attrs });
    fc.assert(
      fc.property(profile, profile, (a, b) => {
        const before = { ...BASE, ...a };
        const after = next(b);
        const diff = diffProfiles(before, after);
        const equal = JSON.stringify([before.active, before.userName]) === JSON.stringify([after.active, after.userName]) &&
          JSON.stringify(Object.entries(before.attributes).sort()) === JSON.stringify(Object.entries(after.attributes).sort());
        expect(diff.changes.length === 0).toBe(equal);
        expect(Object.keys(diff.previous)).toHaveLength(diff.changes.length);
      }),
    );
  });
});

describe('profileChanges', () => {
  it('reads as report lines in profile names: department: Sales → Marketing', () => {
    const after = next({ active: false, attributes: { ...BASE.attributes, department: 'Marketing', manager: { id: 'm-2', displayName: 'Bo' }, mobile: '+1 555' } });

    expect(profileChanges(BASE, after).map(profileChangeLine)).toEqual([
      'active: true → false',
      'department: Sales → Marketing',
      'manager: m-1 → Bo (m-2)',
      'mobile: (none) → +1 555',
    ]);
  });

  it('keeps the shape of report rows: absent old or new when there was no value', () => {
    expect(profileChanges(undefined, { ...BASE, groups: [], attributes: { department: 'Sales' } })).toEqual([
      { name: 'userName', new: 'alice@contoso.com' },
      { name: 'externalId', new: 'alice' },
      { name: 'active', new: 'true' },
      { name: 'department', new: 'Sales' },
    ]);
  });
});
