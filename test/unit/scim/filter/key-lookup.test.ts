import { keyLookup, parseFilter, stringifyFilter } from '../../../../lambdas/scim/filter';
import type { ResourceType } from '../../../../lambdas/scim/schemas';

/** keyLookup over parsed text, with the residual printed canonically so expectations stay readable. */
const plan = (filter: string, resourceType: ResourceType) => {
  const result = keyLookup(parseFilter(filter), resourceType);
  if (!result) return undefined;
  return result.residual ? { ...result.lookup, residual: stringifyFilter(result.residual) } : { ...result.lookup };
};

describe('keyLookup', () => {
  describe('single terms', () => {
    it.each<[string, ResourceType, ReturnType<typeof plan>]>([
      ['id eq "48af03ac28ad4fb88478"', 'User', { kind: 'id', value: '48af03ac28ad4fb88478' }],
      ['ID Eq "x"', 'Group', { kind: 'id', value: 'x' }],
      ['userName eq "Test_User@contoso.com"', 'User', { kind: 'userName', value: 'Test_User@contoso.com' }],
      ['UserName eq jyoung', 'User', { kind: 'userName', value: 'jyoung' }],
      ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a"', 'User', { kind: 'userName', value: 'a' }],
      ['externalId eq jyoung', 'User', { kind: 'externalId', value: 'jyoung' }],
      ['externalId eq 12345', 'User', { kind: 'externalId', value: '12345' }],
      ['externalId eq "8aa1a0c0"', 'Group', { kind: 'externalId', value: '8aa1a0c0' }],
      ['emails[type eq "work"].value eq "a@contoso.com"', 'User', { kind: 'workEmail', value: 'a@contoso.com' }],
      ['emails[Type eq "WORK"].Value eq a@contoso.com', 'User', { kind: 'workEmail', value: 'a@contoso.com' }],
      ['emails[type eq "work" and value eq "a@contoso.com"]', 'User', { kind: 'workEmail', value: 'a@contoso.com' }],
      ['emails[value eq "a@contoso.com" and type eq "Work"]', 'User', { kind: 'workEmail', value: 'a@contoso.com' }],
      ['displayName eq "Sales Team"', 'Group', { kind: 'displayName', value: 'Sales Team' }],
      ['DisplayName+eq+"BobIsAmazing"', 'Group', { kind: 'displayName', value: 'BobIsAmazing' }],
      ['urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "g"', 'Group', { kind: 'displayName', value: 'g' }],
      ['groups.value eq "g-1"', 'User', { kind: 'group', value: 'g-1' }],
      ['groups[value eq "g-1"]', 'User', { kind: 'group', value: 'g-1' }],
      ['members.value eq "u-1"', 'Group', { kind: 'member', value: 'u-1' }],
      ['members[value eq 123abc]', 'Group', { kind: 'member', value: '123abc' }],
    ])('%s on %s → %j', (filter, type, expected) => {
      expect(plan(filter, type)).toEqual(expected);
    });

    it.each<[string, ResourceType]>([
      ['userName ne "a"', 'User'],
      ['userName co "a"', 'User'],
      ['userName sw "a"', 'User'],
      ['userName pr', 'User'],
      ['userName eq true', 'User'],
      ['userName eq null', 'User'],
      ['userName eq "a"', 'Group'],
      ['displayName eq "a"', 'User'],
      ['members.value eq "u"', 'User'],
      ['groups.value eq "g"', 'Group'],
      ['emails.value eq "a@contoso.com"', 'User'],
      ['emails[type eq "home"].value eq "a@contoso.com"', 'User'],
      ['emails[type eq "work"].value co "a@contoso.com"', 'User'],
      ['emails[type eq "work"].display eq "a"', 'User'],
      ['emails[type eq "work" or primary eq true].value eq "a"', 'User'],
      ['emails[type eq "work" and value co "a"]', 'User'],
      ['emails[type eq "work" and value eq "a" and primary eq true]', 'User'],
      ['emails[type eq "work"]', 'User'],
      ['emails[type eq "work" and value eq "a"]', 'Group'],
      ['groups[value ne "g"]', 'User'],
      ['groups[display eq "g"]', 'User'],
      ['members[value eq "u" and display eq "x"]', 'Group'],
      ['name.userName eq "a"', 'User'],
      ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:userName eq "a"', 'User'],
      ['urn:ietf:params:scim:schemas:core:2.0:Group:userName eq "a"', 'User'],
      ['not (userName eq "a")', 'User'],
      ['userName eq "a" or userName eq "b"', 'User'],
      ['(userName eq "a" and active eq true) or id eq "x"', 'User'],
      ['active eq true and title pr', 'User'],
    ])('%s on %s → scan', (filter, type) => {
      expect(plan(filter, type)).toBeUndefined();
    });
  });

  describe('conjunctions', () => {
    it.each<[string, ResourceType, ReturnType<typeof plan>]>([
      // Entra's legacy reference checks (entra-scim.md §5)
      ['id eq "u-1" and manager eq "m-1"', 'User', { kind: 'id', value: 'u-1', residual: 'manager eq "m-1"' }],
      ['id eq "g-1" and members eq "u-1"', 'Group', { kind: 'id', value: 'g-1', residual: 'members eq "u-1"' }],
      ['members.value eq "u-1" and id eq "g-1"', 'Group', { kind: 'id', value: 'g-1', residual: 'members.value eq "u-1"' }],
      ['active eq true and userName eq "a"', 'User', { kind: 'userName', value: 'a', residual: 'active eq true' }],
      [
        'externalId eq "e" and active eq true and userName eq "a"',
        'User',
        { kind: 'userName', value: 'a', residual: 'externalId eq "e" and active eq true' },
      ],
      [
        'groups[value eq "g"] and emails[type eq "work"].value eq "w" and externalId eq "e"',
        'User',
        { kind: 'externalId', value: 'e', residual: 'groups[value eq "g"] and emails[type eq "work"].value eq "w"' },
      ],
      ['groups.value eq "g" and emails[type eq "work" and value eq "w"]', 'User', { kind: 'workEmail', value: 'w', residual: 'groups.value eq "g"' }],
      ['members[value eq "u"] and displayName eq "d"', 'Group', { kind: 'displayName', value: 'd', residual: 'members[value eq "u"]' }],
      ['userName eq "a" and userName eq "b"', 'User', { kind: 'userName', value: 'a', residual: 'userName eq "b"' }],
      ['(userName eq "a" and title pr) and (active eq true)', 'User', { kind: 'userName', value: 'a', residual: 'title pr and active eq true' }],
      [
        'userName eq "a" and (title pr or nickName pr) and not (active eq false)',
        'User',
        { kind: 'userName', value: 'a', residual: '(title pr or nickName pr) and not (active eq false)' },
      ],
      ['title pr and groups.value eq "g"', 'User', { kind: 'group', value: 'g', residual: 'title pr' }],
    ])('%s on %s → %j', (filter, type, expected) => {
      expect(plan(filter, type)).toEqual(expected);
    });

    it('returns the residual as an AST the evaluator can use', () => {
      const result = keyLookup(parseFilter('userName eq "a" and active eq true'), 'User');
      expect(result?.residual).toEqual({ kind: 'compare', attrPath: { attr: 'active' }, op: 'eq', value: true });
    });
  });
});
