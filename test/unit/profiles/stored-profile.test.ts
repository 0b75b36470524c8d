import fc from 'fast-check';
import { defaultMapping } from '../../../lambdas/profiles/compile-mapping';
import { computeProfile } from '../../../lambdas/profiles/compute-profile';
import { profileOfItem, storedProfileOf } from '../../../lambdas/profiles/stored-profile';
import type { Profile } from '../../../lambdas/profiles/types';
import { SchemaUrn } from '../../../lambdas/scim/schemas';

const computed = (resource: Record<string, unknown>, stamp: { id: string; version: number; updatedAt: string }, groups: unknown = []): Profile => {
  const result = computeProfile(resource, groups, defaultMapping(), stamp);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.profile;
};

/** A user item as the store writes it: its own fields, and the stored part of its profile. */
const itemOf = (resource: Record<string, unknown>, stamp: { id: string; version: number; updatedAt: string }, profile: Profile) => ({
  id: stamp.id,
  userName: String(resource.userName),
  ...(typeof resource.externalId === 'string' && resource.externalId !== '' ? { externalId: resource.externalId } : {}),
  active: resource.active !== false,
  version: stamp.version,
  lastModified: stamp.updatedAt,
  profile: storedProfileOf(profile),
});

describe('stored profile', () => {
  const resource = {
    userName: 'alice@contoso.com',
    externalId: 'alice-ext',
    active: false,
    displayName: 'Alice',
    emails: [{ type: 'work', value: 'alice@contoso.com', primary: true }],
    [SchemaUrn.enterpriseUser]: { department: 'Sales' },
  };
  const stamp = { id: 'u-1', version: 4, updatedAt: '2026-12-05T10:00:00.000Z' };

  it('stores only attributes and groups: the item already holds id, userName, externalId, active, version and the time', () => {
    const profile = computed(resource, stamp, [{ id: 'g-1', displayName: 'Sales' }]);
    expect(storedProfileOf(profile)).toEqual({
      attributes: { displayName: 'Alice', email: 'alice@contoso.com', department: 'Sales' },
      groups: { 'g-1': 'Sales' },
    });
  });

  it('reads groups an item stored as a list (written before the map) in the profile\'s order', () => {
    const profile = computed(resource, stamp, [
      { id: 'g-2', displayName: 'Sales' },
      { id: 'g-1', displayName: 'Engineering' },
    ]);
    const item = itemOf(resource, stamp, profile);
    const listed = { ...item, profile: { ...(item.profile as object), groups: [{ id: 'g-2', displayName: 'Sales' }, { id: 'g-1', displayName: 'Engineering' }] } };
    expect(profileOfItem(listed)?.groups).toEqual([
      { id: 'g-1', displayName: 'Engineering' },
      { id: 'g-2', displayName: 'Sales' },
    ]);
    expect(profileOfItem(listed)).toEqual(profileOfItem(item));
  });

  it('rebuilds from the item exactly the profile that was computed, keys in the documented order', () => {
    const profile = computed(resource, stamp, [{ id: 'g-1', displayName: 'Sales' }]);
    const rebuilt = profileOfItem(itemOf(resource, stamp, profile));
    expect(rebuilt).toEqual(profile);
    expect(JSON.stringify(rebuilt)).toBe(JSON.stringify(profile));
  });

  it('reads an item that stored the whole profile (written before) the same way', () => {
    const profile = computed(resource, stamp);
    expect(profileOfItem({ ...itemOf(resource, stamp, profile), profile })).toEqual(profile);
  });

  it('is undefined for an item without a profile (written before profiles)', () => {
    expect(profileOfItem({ id: 'u-1', userName: 'a', active: true, version: 1 })).toBeUndefined();
    expect(profileOfItem({ id: 'u-1', userName: 'a', active: true, version: 1, profile: { groups: [] } })).toBeUndefined();
  });

  it('round-trips any identity: stored part + item fields = the computed profile', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
        fc.boolean(),
        fc.integer({ min: 1, max: 1_000_000 }),
        (userName, externalId, active, version) => {
          const user = { userName, active, ...(externalId !== undefined ? { externalId } : {}) };
          const at = { id: 'u-9', version, updatedAt: '2026-01-01T00:00:00.000Z' };
          const profile = computed(user, at);
          expect(profileOfItem(itemOf(user, at, profile))).toEqual(profile);
        },
      ),
    );
  });
});
