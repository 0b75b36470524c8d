import { parseUserInput } from '../../../lambdas/scim/resource';
import { checkRequiredAttributes, requiredPathProblem } from '../../../lambdas/scim/required';
import { SchemaUrn } from '../../../lambdas/scim/schemas';
import { scimErrorOf } from './scim-error-of';

const SEED_POLICY = ['userName', 'name.givenName', 'name.familyName', 'emails[type eq "work"].value', 'displayName', 'active'];
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:Acme:2.0:User';

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

describe('checkRequiredAttributes', () => {
  it('accepts a user meeting the seed policy; active false counts as present and type matches in any case', () => {
    expect(() => checkRequiredAttributes(parseUserInput(complete), SEED_POLICY)).not.toThrow();
  });

  it.each([
    ['name.givenName', (b: Record<string, any>) => delete b.name.givenName],
    ['name.familyName', (b: Record<string, any>) => (b.name.familyName = '  ')],
    ['emails[type eq "work"].value', (b: Record<string, any>) => (b.emails = [{ type: 'home', value: 'ann@home' }])],
    ['emails[type eq "work"].value', (b: Record<string, any>) => (b.emails = [{ type: 'work', display: 'no value' }])],
    ['displayName', (b: Record<string, any>) => delete b.displayName],
    ['active', (b: Record<string, any>) => (b.active = null)],
  ])('refuses a user without %s with 400 invalidValue naming the path', (path, change) => {
    const error = scimErrorOf(() => checkRequiredAttributes(without(change), SEED_POLICY));

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
  ])('accepts %s when present', (path, body) => {
    expect(() => checkRequiredAttributes(parseUserInput({ userName: 'a', ...body }), [path])).not.toThrow();
  });

  it.each([
    [`${SchemaUrn.enterpriseUser}:employeeNumber`, { [SchemaUrn.enterpriseUser]: { department: 'x' } }],
    [`${CUSTOM}:costCode`, {}],
    ['roles[primary eq "True"].value', { roles: [{ primary: false, value: 'Admin' }] }],
    ['emails', {}],
  ])('refuses %s when absent', (path, body) => {
    const error = scimErrorOf(() => checkRequiredAttributes(parseUserInput({ userName: 'a', ...body }), [path]));

    expect(error.detail).toContain(path);
  });

  it('names the first unmet path', () => {
    const error = scimErrorOf(() => checkRequiredAttributes(parseUserInput({ userName: 'a' }), ['userName', 'title', 'displayName']));

    expect(error.detail).toContain('"title"');
  });
});

describe('requiredPathProblem', () => {
  it.each(SEED_POLICY)('accepts %s', (path) => {
    expect(requiredPathProblem(path)).toBeUndefined();
  });

  it.each(['nope', 'name.nope', 'emails[type eq "work"', 'emails[kind eq "work"].value', 'userName[type eq "x"]', 'emails[type co "w"].value'])(
    'explains why %s cannot be used',
    (path) => {
      expect(requiredPathProblem(path)).toContain(path);
    },
  );
});
