import { projectAttributes, returnsAttribute } from '../../../lambdas/scim/attributes';
import { groupRepresentation, parseUserInput, userRepresentation, type ScimResource } from '../../../lambdas/scim/resource';
import { SchemaUrn } from '../../../lambdas/scim/schemas';

const ENTERPRISE = SchemaUrn.enterpriseUser;
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:Acme:2.0:User';
const times = { created: '2026-11-26T10:00:00.000Z', lastModified: '2026-11-26T11:00:00.000Z' };

const user: ScimResource = userRepresentation(
  {
    id: 'u-1',
    version: 2,
    ...times,
    data: parseUserInput({
      userName: 'UserName111',
      externalId: 'ext-1',
      name: { formatted: 'Ryan Leenay', familyName: 'Leenay', givenName: 'Ryan' },
      emails: [
        { Primary: true, type: 'work', value: 'emailName357' },
        { Primary: false, type: 'home', value: 'testinghome@bob.com' },
      ],
      [ENTERPRISE]: { department: 'R&D', manager: 'm-1' },
      [CUSTOM]: { tier: 'gold' },
    }),
  },
  { location: 'https://x/Users/u-1', groups: [{ value: 'g-1', display: 'Sales', $ref: 'https://x/Groups/g-1' }] },
);

const always = { schemas: user.schemas, id: 'u-1' };

describe('projectAttributes', () => {
  it('returns the resource unchanged without parameters', () => {
    expect(projectAttributes(user, {}, 'User')).toEqual(user);
  });

  it.each<[string, Record<string, unknown>]>([
    ['userName,emails', { userName: 'UserName111', emails: user.emails }],
    [' USERNAME , Emails ', { userName: 'UserName111', emails: user.emails }],
    ['id', {}],
    ['name.givenName', { name: { givenName: 'Ryan' } }],
    ['emails.value', { emails: [{ value: 'emailName357' }, { value: 'testinghome@bob.com' }] }],
    ['emails.value,emails.type', { emails: [{ type: 'work', value: 'emailName357' }, { type: 'home', value: 'testinghome@bob.com' }] }],
    [`${ENTERPRISE}:manager`, { [ENTERPRISE]: { manager: { value: 'm-1' } } }],
    [`${ENTERPRISE}:manager.value`, { [ENTERPRISE]: { manager: { value: 'm-1' } } }],
    [ENTERPRISE.toLowerCase(), { [ENTERPRISE]: { department: 'R&D', manager: { value: 'm-1' } } }],
    [`${CUSTOM}:TIER`, { [CUSTOM]: { tier: 'gold' } }],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName', { userName: 'UserName111' }],
    ['meta.created,meta.version', { meta: { created: times.created, version: 'W/"2"' } }],
    ['groups.display', { groups: [{ display: 'Sales' }] }],
    ['nope,name.nope,emails[', {}],
  ])('attributes=%s keeps id, schemas and only what is named', (attributes, expected) => {
    expect(projectAttributes(user, { attributes }, 'User')).toEqual({ ...always, ...expected });
  });

  it.each<[string, Record<string, unknown>]>([
    ['emails[type eq "work"]', { emails: [{ primary: true, type: 'work', value: 'emailName357' }] }],
    ['emails[value eq "emailName357"]', { emails: [{ primary: true, type: 'work', value: 'emailName357' }] }],
    ['emails[type eq "WORK"].value', { emails: [{ value: 'emailName357' }] }],
    ['emails[primary eq "True"].type', { emails: [{ type: 'work' }] }],
    ['emails[type eq "other"]', {}],
    ['emails[type eq "work"],emails.type', { emails: [{ primary: true, type: 'work', value: 'emailName357' }, { type: 'home' }] }],
  ])("attributes=%s filters entries (the Postman collection's extension)", (attributes, expected) => {
    expect(projectAttributes(user, { attributes }, 'User')).toEqual({ ...always, ...expected });
  });

  it('attributes= leaves meta out (returned: default)', () => {
    expect(projectAttributes(user, { attributes: 'userName' }, 'User')).not.toHaveProperty('meta');
  });

  it('excludedAttributes removes whole attributes, sub-attributes and extensions', () => {
    const { emails, name, [ENTERPRISE]: _enterprise, meta, ...rest } = user;

    expect(projectAttributes(user, { excludedAttributes: `emails,name.formatted,${ENTERPRISE},meta` }, 'User')).toEqual({
      ...rest,
      name: { familyName: 'Leenay', givenName: 'Ryan' },
    });
    expect(emails).toBeDefined();
    expect(name).toBeDefined();
    expect(meta).toBeDefined();
  });

  it('excludedAttributes cannot remove id or schemas (returned: always)', () => {
    expect(projectAttributes(user, { excludedAttributes: 'id,schemas' }, 'User')).toEqual(user);
  });

  it('excludedAttributes with a value filter removes the matching entries', () => {
    expect(projectAttributes(user, { excludedAttributes: 'emails[type eq "home"]' }, 'User').emails).toEqual([
      { primary: true, type: 'work', value: 'emailName357' },
    ]);
  });

  it('excludedAttributes removes a sub-attribute from every entry, and the attribute when nothing is left', () => {
    expect(projectAttributes(user, { excludedAttributes: 'emails.primary' }, 'User').emails).toEqual([
      { type: 'work', value: 'emailName357' },
      { type: 'home', value: 'testinghome@bob.com' },
    ]);
    expect(projectAttributes(user, { excludedAttributes: 'groups.value,groups.display,groups.$ref' }, 'User')).not.toHaveProperty('groups');
  });

  it('applies attributes when both parameters are given', () => {
    expect(projectAttributes(user, { attributes: 'userName', excludedAttributes: 'userName' }, 'User')).toEqual({ ...always, userName: 'UserName111' });
  });

  it('never returns a password, even when asked for', () => {
    const withPassword = { ...user, password: 'secret' };

    expect(projectAttributes(withPassword, {}, 'User')).not.toHaveProperty('password');
    expect(projectAttributes(withPassword, { attributes: 'password' }, 'User')).toEqual(always);
  });

  it('GET /Groups/{id}?excludedAttributes=members leaves out members', () => {
    const group = groupRepresentation(
      { id: 'g-1', version: 1, ...times, data: { displayName: 'Sales' } },
      { location: 'https://x/Groups/g-1', members: [{ value: 'u-1', $ref: 'https://x/Users/u-1' }] },
    );

    const { members, ...rest } = group;
    expect(projectAttributes(group, { excludedAttributes: 'members' }, 'Group')).toEqual(rest);
    expect(members).toHaveLength(1);
  });
});

describe('returnsAttribute', () => {
  it.each<[Record<string, string>, string, boolean]>([
    [{}, 'members', true],
    [{ excludedAttributes: 'members' }, 'members', false],
    [{ excludedAttributes: 'Members' }, 'members', false],
    [{ excludedAttributes: 'members.display' }, 'members', true],
    [{ attributes: 'displayName' }, 'members', false],
    [{ attributes: 'members.value' }, 'members', true],
    [{ attributes: 'members[type eq "User"]' }, 'members', true],
    [{ excludedAttributes: 'id' }, 'id', true],
  ])('%p → %s returned: %p', (params, name, expected) => {
    expect(returnsAttribute(params, 'Group', name)).toBe(expected);
  });

  it('says a user never returns a password', () => {
    expect(returnsAttribute({ attributes: 'password' }, 'User', 'password')).toBe(false);
  });
});
