import { parseUserInput } from '../../../lambdas/scim/resource';
import { checkRequiredAttributes, unmetRequiredPaths } from '../../../lambdas/scim/required';
import { compileRequiredPolicy } from '../../../lambdas/scim/required-policy';
import { SchemaUrn } from '../../../lambdas/scim/schemas';
import { scimErrorOf } from './scim-error-of';

const SEED_POLICY = ['userName', 'name.givenName', 'name.familyName', 'emails[type eq "work"].value', 'displayName', 'active'];
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:Acme:2.0:User';
const DEPARTMENT = `${SchemaUrn.enterpriseUser}:department`;

const pathsOf = (policy: readonly string[]) => compileRequiredPolicy(policy).paths;

const complete = {
  userName: 'ann',
  name: { givenName: 'Ann', familyName: 'Lee' },
  emails: [{ type: 'Work', value: 'ann@x' }],
  displayName: 'Ann Lee',
  active: false,
};

const without = (path: (body: Record<string, any>) => void) => {
  const body = structuredClone(complete) as Record<string, any>;
  path(body);
  return parseUserInput(body);
};

describe('checkRequiredAttributes (create)', () => {
  it('accepts a user meeting the seed policy; active false counts as present and type matches in any case', () => {
    expect(() => checkRequiredAttributes(parseUserInput(complete), pathsOf(SEED_POLICY))).not.toThrow();
  });

  it.each([
    ['name.givenName', (b: Record<string, any>) => delete b.name.givenName],
    ['name.familyName', (b: Record<string, any>) => (b.name.familyName = '  ')],
    ['emails[type eq "work"].value', (b: Record<string, any>) => (b.emails = [{ type: 'home', value: 'ann@home' }])],
    ['emails[type eq "work"].value', (b: Record<string, any>) => (b.emails = [{ type: 'work', display: 'no value' }])],
    ['displayName', (b: Record<string, any>) => delete b.displayName],
    ['active', (b: Record<string, any>) => (b.active = null)],
  ])('refuses a user without %s with 400 invalidValue naming the path', (path, change) => {
    const error = scimErrorOf(() => checkRequiredAttributes(without(change), pathsOf(SEED_POLICY)));

    expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(error.detail).toBe(`Attribute "${path}" is required by this application.`);
  });

  it.each([
    [`${SchemaUrn.enterpriseUser}:employeeNumber`, { [SchemaUrn.enterpriseUser]: { employeeNumber: '7' } }],
    [`${SchemaUrn.enterpriseUser}:manager.value`, { [`${SchemaUrn.enterpriseUser}:manager`]: 'm-1' }],
    [`${CUSTOM}:costCode`, { [`${CUSTOM}:CostCode`]: 'X' }],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName', {}],
    ['emails.value', { emails: [{ value: 'a@x' }] }],
    ['phoneNumbers[type eq "mobile"].value', { phoneNumbers: [{ type: 'work', value: '1' }, { type: 'mobile', value: '2' }] }],
    ['roles[primary eq "True"].value', { roles: [{ primary: 'True', value: 'Admin' }] }],
    ['NAME.GIVENNAME', { name: { givenName: 'A' } }],
    ['department', { [SchemaUrn.enterpriseUser]: { department: 'Sales' } }],
  ])('accepts %s when present', (path, body) => {
    expect(() => checkRequiredAttributes(parseUserInput({ userName: 'a', ...body }), pathsOf([path]))).not.toThrow();
  });

  it.each([
    [`${SchemaUrn.enterpriseUser}:employeeNumber`, `${SchemaUrn.enterpriseUser}:employeeNumber`, { [SchemaUrn.enterpriseUser]: { department: 'x' } }],
    [`${CUSTOM}:costCode`, `${CUSTOM}:costCode`, {}],
    ['roles[primary eq "True"].value', 'roles[primary eq "True"].value', { roles: [{ primary: false, value: 'Admin' }] }],
    ['emails', 'emails', {}],
    ['department', DEPARTMENT, { [SchemaUrn.enterpriseUser]: { division: 'x' } }],
    ['entra-default', 'name.givenName', {}],
  ])('refuses %s when absent, naming %s', (path, named, body) => {
    const error = scimErrorOf(() => checkRequiredAttributes(parseUserInput({ userName: 'a', ...body }), pathsOf([path])));

    expect(error.detail).toBe(`Attribute "${named}" is required by this application.`);
  });

  it('names the first unmet path', () => {
    const error = scimErrorOf(() => checkRequiredAttributes(parseUserInput({ userName: 'a' }), pathsOf(['userName', 'title', 'displayName'])));

    expect(error.detail).toContain('"title"');
  });
});

describe('checkRequiredAttributes (update: no less compliant)', () => {
  const strict = pathsOf(['entra-default', 'department']);
  // A user created before the policy was tightened: no department, no work e-mail.
  const legacy = parseUserInput({ userName: 'old', name: { givenName: 'O', familyName: 'Ld' }, displayName: 'Old', active: true });

  it('accepts deactivating, reactivating or renaming a user that misses required attributes it already missed', () => {
    for (const change of [{ active: false }, { active: true }, { displayName: 'Old One' }]) {
      expect(() => checkRequiredAttributes(parseUserInput({ ...legacy, ...change }), strict, legacy)).not.toThrow();
    }
  });

  it('accepts a write that makes the user more compliant without meeting everything', () => {
    const after = parseUserInput({ ...legacy, [SchemaUrn.enterpriseUser]: { department: 'Sales' } });

    expect(unmetRequiredPaths(after, strict)).toEqual(['emails[type eq "work"].value']);
    expect(() => checkRequiredAttributes(after, strict, legacy)).not.toThrow();
  });

  it('refuses a write that removes a required value the user had, naming it', () => {
    const { displayName: _removed, ...rest } = legacy;

    const error = scimErrorOf(() => checkRequiredAttributes(parseUserInput(rest), strict, legacy));

    expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(error.detail).toBe('Attribute "displayName" is required by this application and cannot be removed.');
  });

  it('refuses a write that trades one missing attribute for another', () => {
    const before = parseUserInput({ ...legacy, emails: [{ type: 'work', value: 'o@x' }] });
    const after = parseUserInput({ ...legacy, [SchemaUrn.enterpriseUser]: { department: 'Sales' } });

    expect(scimErrorOf(() => checkRequiredAttributes(after, strict, before)).detail).toContain('"emails[type eq "work"].value"');
  });
});
