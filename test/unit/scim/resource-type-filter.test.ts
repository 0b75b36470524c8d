import { matches, parseFilter, stringifyFilter } from '../../../lambdas/scim/filter';
import { filterForResourceType, typeHasAttribute } from '../../../lambdas/scim/resource-type-filter';
import { SchemaUrn, type ResourceType } from '../../../lambdas/scim/schemas';

/** The narrowed filter as text, or the constant it folded to. */
const narrowed = (text: string, type: ResourceType): string | boolean => {
  const result = filterForResourceType(parseFilter(text), type);
  return typeof result === 'boolean' ? result : stringifyFilter(result);
};

describe('filterForResourceType', () => {
  it('no filter selects every resource of the type', () => {
    expect(filterForResourceType(undefined, 'User')).toBe(true);
    expect(filterForResourceType(undefined, 'Group')).toBe(true);
  });

  it.each([
    ['userName eq "ann"', 'userName eq "ann"', false],
    ['members pr', false, 'members pr'],
    ['emails[type eq "work"]', 'emails[type eq "work"]', false],
    ['name.givenName sw "A"', 'name.givenName sw "A"', false],
    [`${SchemaUrn.enterpriseUser}:department eq "Sales"`, `${SchemaUrn.enterpriseUser}:department eq "Sales"`, false],
    [`${SchemaUrn.enterpriseUser} pr`, `${SchemaUrn.enterpriseUser} pr`, false],
    ['urn:ietf:params:scim:schemas:extension:Acme:2.0:User:tier eq "gold"', 'urn:ietf:params:scim:schemas:extension:Acme:2.0:User:tier eq "gold"', false],
  ])('a term on an attribute only one type has: %s → User %s, Group %s', (text, user, group) => {
    expect(narrowed(text, 'User')).toBe(user);
    expect(narrowed(text, 'Group')).toBe(group);
  });

  it('terms on an attribute the type lacks take the value "no value" gives them (RFC 7644 §3.4.2.1)', () => {
    expect(narrowed('userName ne "ann"', 'Group')).toBe(true);
    expect(narrowed('userName eq null', 'Group')).toBe(true);
    expect(narrowed('userName ne null', 'Group')).toBe(false);
    expect(narrowed('not (userName pr)', 'Group')).toBe(true);
    expect(narrowed('members[value eq "u-1"]', 'User')).toBe(false);
  });

  it('an attribute qualified with the other type\'s core URN is not part of this type', () => {
    expect(narrowed(`${SchemaUrn.user}:displayName eq "Sales"`, 'Group')).toBe(false);
    expect(narrowed(`${SchemaUrn.user}:displayName eq "Sales"`, 'User')).toBe(`${SchemaUrn.user}:displayName eq "Sales"`);
    expect(narrowed(`${SchemaUrn.group}:displayName eq "Sales"`, 'User')).toBe(false);
  });

  it('and / or / not fold around decided terms', () => {
    expect(narrowed('userName eq "ann" or displayName eq "Sales"', 'Group')).toBe('displayName eq "Sales"');
    expect(narrowed('userName eq "ann" or displayName eq "Sales"', 'User')).toBe('userName eq "ann" or displayName eq "Sales"');
    expect(narrowed('displayName sw "S" and members pr', 'User')).toBe(false);
    expect(narrowed('displayName sw "S" and not (members pr)', 'User')).toBe('displayName sw "S"');
    expect(narrowed('(userName eq "a" or members pr) and displayName co "x"', 'Group')).toBe('members pr and displayName co "x"');
  });

  it('meta.resourceType and schemas select a type (resourceType is caseExact, schema URNs are not)', () => {
    expect(narrowed('meta.resourceType eq "Group"', 'User')).toBe(false);
    expect(narrowed('meta.resourceType eq "Group"', 'Group')).toBe(true);
    expect(narrowed('meta.resourceType ne "Group"', 'User')).toBe(true);
    expect(narrowed('meta.resourceType eq "group"', 'Group')).toBe(false);
    expect(narrowed(`schemas eq "${SchemaUrn.group.toUpperCase()}"`, 'Group')).toBe(true);
    expect(narrowed(`schemas eq "${SchemaUrn.group}"`, 'User')).toBe(false);
    expect(narrowed(`schemas eq "${SchemaUrn.enterpriseUser}"`, 'Group')).toBe(false);
    // Only some users carry the enterprise extension: decided per resource.
    expect(narrowed(`schemas eq "${SchemaUrn.enterpriseUser}"`, 'User')).toBe(`schemas eq "${SchemaUrn.enterpriseUser}"`);
    expect(narrowed('meta.resourceType sw "U"', 'User')).toBe('meta.resourceType sw "U"');
  });

  it('a narrowed filter matches exactly the resources the whole filter matches', () => {
    const user = {
      schemas: [SchemaUrn.user, SchemaUrn.enterpriseUser],
      id: 'u-1',
      userName: 'ann@example.com',
      displayName: 'Ann',
      emails: [{ value: 'ann@example.com', type: 'work' }],
      [SchemaUrn.enterpriseUser]: { department: 'Sales' },
      meta: { resourceType: 'User' },
    };
    const group = { schemas: [SchemaUrn.group], id: 'g-1', displayName: 'Sales', members: [{ value: 'u-1' }], meta: { resourceType: 'Group' } };
    const filters = [
      'displayName sw "S"',
      'userName pr or members[value eq "u-1"]',
      'not (emails pr) and displayName eq "Sales"',
      `schemas eq "${SchemaUrn.enterpriseUser}" or meta.resourceType eq "Group"`,
      `${SchemaUrn.enterpriseUser}:department eq "Sales"`,
      'userName ne "x" and not (members pr)',
      'id eq "u-1" or id eq "g-1"',
    ];
    for (const text of filters) {
      for (const [type, resource] of [['User', user], ['Group', group]] as const) {
        const filter = filterForResourceType(parseFilter(text), type);
        const viaNarrowed = typeof filter === 'boolean' ? filter : matches(filter, resource);
        expect([text, type, viaNarrowed]).toEqual([text, type, matches(parseFilter(text), resource)]);
      }
    }
  });
});

describe('typeHasAttribute', () => {
  it('knows core, common and extension attributes per type', () => {
    expect(typeHasAttribute('User', { attr: 'userName' })).toBe(true);
    expect(typeHasAttribute('Group', { attr: 'userName' })).toBe(false);
    expect(typeHasAttribute('Group', { attr: 'externalId' })).toBe(true);
    expect(typeHasAttribute('Group', { attr: 'schemas' })).toBe(true);
    expect(typeHasAttribute('User', { urn: SchemaUrn.enterpriseUser, attr: 'manager' })).toBe(true);
    expect(typeHasAttribute('User', { urn: SchemaUrn.enterpriseUser, attr: 'nickname' })).toBe(false);
    expect(typeHasAttribute('Group', { urn: SchemaUrn.enterpriseUser, attr: 'manager' })).toBe(false);
  });
});
