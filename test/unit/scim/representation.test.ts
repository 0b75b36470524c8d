import { groupRepresentation, parseUserInput, userRepresentation, type StoredResource } from '../../../lambdas/scim/resource';
import { SchemaUrn } from '../../../lambdas/scim/schemas';

const CUSTOM = 'urn:ietf:params:scim:schemas:extension:Acme:2.0:User';
const times = { created: '2026-11-26T10:00:00.000Z', lastModified: '2026-11-26T11:00:00.000Z' };
const location = 'https://api.example/apps/a1/scim/v2/Users/u-1';

const stored = (data: Record<string, unknown>, version = 3): StoredResource => ({ id: 'u-1', data, version, ...times });

describe('userRepresentation', () => {
  it('renders schemas, id, attributes and meta with a weak version', () => {
    const data = parseUserInput({ userName: 'ann', active: true, name: { givenName: 'Ann' } });

    expect(userRepresentation(stored(data), { location })).toEqual({
      schemas: [SchemaUrn.user],
      id: 'u-1',
      userName: 'ann',
      active: true,
      name: { givenName: 'Ann' },
      meta: { resourceType: 'User', ...times, location, version: 'W/"3"' },
    });
  });

  it('lists each extension the user carries in schemas, and the manager as {value}', () => {
    const data = parseUserInput({ userName: 'ann', [`${SchemaUrn.enterpriseUser}:manager`]: 'm-1', [`${CUSTOM}:tier`]: 'gold' });

    const resource = userRepresentation(stored(data), { location });

    expect(resource.schemas).toEqual([SchemaUrn.user, SchemaUrn.enterpriseUser, CUSTOM]);
    expect(resource[SchemaUrn.enterpriseUser]).toEqual({ manager: { value: 'm-1' } });
    expect(resource[CUSTOM]).toEqual({ tier: 'gold' });
  });

  it('adds groups when given and omits them when not loaded', () => {
    const groups = [{ value: 'g-1', display: 'Sales', $ref: 'https://api.example/apps/a1/scim/v2/Groups/g-1' }];

    expect(userRepresentation(stored({ userName: 'ann' }), { location, groups }).groups).toEqual(groups);
    expect(userRepresentation(stored({ userName: 'ann' }), { location })).not.toHaveProperty('groups');
  });

  it('a user in no group has no groups attribute, not [] (RFC 7643 §2.5: unassigned values are omitted)', () => {
    expect(userRepresentation(stored({ userName: 'ann' }), { location, groups: [] })).not.toHaveProperty('groups');
  });

  it('never emits nulls, a password, or stored copies of id, meta, schemas or groups', () => {
    const data = {
      userName: 'ann',
      title: null,
      password: 'secret',
      id: 'other',
      meta: { version: 'x' },
      schemas: ['x'],
      groups: [{ value: 'stale' }],
      emails: [{ value: 'a@x', display: null }, null],
      [SchemaUrn.enterpriseUser]: { department: null },
    };

    const json = JSON.stringify(userRepresentation(stored(data), { location }));

    expect(json).not.toContain('null');
    expect(json).not.toContain('secret');
    expect(json).not.toContain('stale');
    expect(JSON.parse(json)).toEqual({
      schemas: [SchemaUrn.user],
      id: 'u-1',
      userName: 'ann',
      emails: [{ value: 'a@x' }],
      meta: { resourceType: 'User', ...times, location, version: 'W/"3"' },
    });
  });

  it('does not share objects with the stored data', () => {
    const data = { userName: 'ann', name: { givenName: 'Ann' } };
    const resource = userRepresentation(stored(data), { location });

    (resource.name as Record<string, unknown>).givenName = 'changed';

    expect(data.name.givenName).toBe('Ann');
  });
});

describe('groupRepresentation', () => {
  const groupLocation = 'https://api.example/apps/a1/scim/v2/Groups/g-1';

  it('renders a group with members and meta', () => {
    const members = [{ value: 'u-1', display: 'ann', $ref: 'https://api.example/apps/a1/scim/v2/Users/u-1', type: 'User' }];

    expect(groupRepresentation({ id: 'g-1', data: { displayName: 'Sales' }, version: 1, ...times }, { location: groupLocation, members })).toEqual({
      schemas: [SchemaUrn.group],
      id: 'g-1',
      displayName: 'Sales',
      members,
      meta: { resourceType: 'Group', ...times, location: groupLocation, version: 'W/"1"' },
    });
  });

  it('omits members when they were not loaded (excludedAttributes=members)', () => {
    const resource = groupRepresentation({ id: 'g-1', data: { displayName: 'Sales', members: [{ value: 'x' }] }, version: 1, ...times }, { location: groupLocation });

    expect(resource).not.toHaveProperty('members');
  });

  it('a group with no members has no members attribute, not [] (RFC 7643 §2.5: unassigned values are omitted)', () => {
    const resource = groupRepresentation({ id: 'g-1', data: { displayName: 'Sales' }, version: 1, ...times }, { location: groupLocation, members: [] });

    expect(resource).not.toHaveProperty('members');
  });

  it('drops undefined display values of members', () => {
    const resource = groupRepresentation(
      { id: 'g-1', data: { displayName: 'Sales' }, version: 1, ...times },
      { location: groupLocation, members: [{ value: 'u-9', display: undefined, $ref: 'r' }] },
    );

    expect(resource.members).toEqual([{ value: 'u-9', $ref: 'r' }]);
  });
});
