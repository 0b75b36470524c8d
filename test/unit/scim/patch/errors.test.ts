/** Refusals: each is a 400 ScimError with the right scimType and a detail naming the problem, and nothing is applied. */
import { applyPatch, MAX_PATCH_OPERATIONS } from '../../../../lambdas/scim/patch';
import { body, ENTERPRISE, entraUser, PATCH_OP, scimErrorOf } from './helpers';

const user = () => ({ ...entraUser(), [ENTERPRISE]: { manager: { value: 'm-1' } }, roles: [{ value: 'r', primary: true }] });

/** Applies `ops` after a valid first op, and checks the whole request is refused without touching the input. */
const refuse = (resourceType: 'User' | 'Group', ...ops: unknown[]) => {
  // Prepare
  const data = resourceType === 'User' ? user() : { displayName: 'g' };
  const snapshot = structuredClone(data);
  // Act
  const error = scimErrorOf(() => applyPatch(resourceType, data, body({ op: 'replace', path: 'displayName', value: 'changed' }, ...ops)));
  // Assess
  expect(data).toEqual(snapshot);
  expect(error.status).toBe(400);
  return error;
};

describe('applyPatch: refused requests', () => {
  it('refuses an unknown op, naming it (invalidSyntax)', () => {
    const error = refuse('User', { op: 'merge', path: 'title', value: 'x' });
    expect(error.scimType).toBe('invalidSyntax');
    expect(error.detail).toContain('"merge"');
  });

  it('refuses a path that names no attribute (invalidPath), naming the path', () => {
    const error = refuse('User', { op: 'add', path: 'favouriteColour', value: 'x' });
    expect(error.scimType).toBe('invalidPath');
    expect(error.detail).toContain('favouriteColour');
  });

  it.each([
    ['a sub-attribute that does not exist', 'name.nickname'],
    ['too many levels', 'name.givenName.first'],
    ['an unknown extension schema', 'urn:ietf:params:scim:schemas:extension:enterprise:3.0:User:department'],
    ['the Group schema on a User', 'urn:ietf:params:scim:schemas:core:2.0:Group:displayName'],
    ['a filter on a single-valued attribute', 'name[givenName eq "x"]'],
    ['a filter on a custom attribute', 'urn:ietf:params:scim:schemas:extension:Acme:2.0:User:badge[value eq "x"]'],
    ['members on a User', 'members'],
  ])('refuses %s (invalidPath)', (_case, path) => {
    const error = refuse('User', { op: 'replace', path, value: 'x' });
    expect(error.scimType).toBe('invalidPath');
    expect(error.detail).toContain(path);
  });

  it('refuses remove without a path (noTarget)', () => {
    const error = refuse('User', { op: 'remove', value: { title: 'x' } });
    expect(error.scimType).toBe('noTarget');
    expect(error.detail).toContain('remove');
  });

  it.each([
    ['id', 'id'],
    ['meta', 'meta'],
    ['meta.lastModified', 'meta.lastModified'],
    ['groups', 'groups'],
    ['manager.displayName', `${ENTERPRISE}:manager.displayName`],
  ])('refuses a change to read-only %s (mutability)', (_name, path) => {
    const error = refuse('User', { op: 'replace', path, value: 'x' });
    expect(error.scimType).toBe('mutability');
    expect(error.detail).toContain(path);
  });

  it('refuses removing a read-only attribute too (mutability)', () => {
    expect(refuse('User', { op: 'remove', path: 'groups' }).scimType).toBe('mutability');
  });

  it('refuses groups inside a pathless value (mutability)', () => {
    expect(refuse('User', { op: 'replace', value: { groups: [{ value: 'g' }], title: 'x' } }).scimType).toBe('mutability');
  });

  it.each(['yes', 'T', 1, 0, { value: true }])('refuses %p for the boolean active (invalidValue)', (value) => {
    const error = refuse('User', { op: 'replace', path: 'active', value });
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toContain('active');
  });

  it('refuses a bad boolean inside a multi-valued element (invalidValue)', () => {
    const error = refuse('User', { op: 'add', path: 'emails', value: [{ value: 'a@x.com', primary: 'yes' }] });
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toContain('emails.primary');
  });

  it.each([
    ['an unclosed bracket', 'emails[type eq "work".value'],
    ['an unclosed string', 'emails[type eq "work].value'],
    ['a missing operator', 'emails[type "work"].value'],
    ['an unknown operator', 'emails[type is "work"].value'],
    ['a missing value', 'emails[type eq].value'],
    ['an unknown sub-attribute', 'emails[kind eq "work"].value'],
    ['an empty filter', 'emails[].value'],
    ['an unbalanced parenthesis', 'emails[(type eq "work"].value'],
    ['text after the bracket', 'emails[type eq "work"]value'],
    ['a dangling and', 'emails[type eq "work" and].value'],
  ])('refuses a malformed filter in the path: %s (invalidPath)', (_case, path) => {
    const error = refuse('User', { op: 'replace', path, value: 'x' });
    expect(error.scimType).toBe('invalidPath');
    expect(error.detail).toContain(path);
  });

  it.each([
    ['a string', 'Babs'],
    ['an array', [{ nickName: 'Babs' }]],
    ['null', null],
  ])('refuses a pathless add whose value is %s (invalidValue)', (_case, value) => {
    const error = refuse('User', { op: 'add', value });
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toContain('value');
  });

  it('refuses a complex attribute given a string (invalidValue)', () => {
    expect(refuse('User', { op: 'replace', path: 'name', value: 'Barbara Jensen' }).scimType).toBe('invalidValue');
  });

  it('refuses a manager given as an array of two (invalidValue)', () => {
    const error = refuse('User', { op: 'add', path: 'manager', value: [{ value: 'a' }, { value: 'b' }] });
    expect(error.scimType).toBe('invalidValue');
  });

  it('refuses a filter that matches nothing and cannot describe a new element (noTarget)', () => {
    const error = refuse('User', { op: 'replace', path: 'emails[value co "@nowhere"].type', value: 'work' });
    expect(error.scimType).toBe('noTarget');
  });

  it.each([
    ['User', 'userName', { op: 'remove', path: 'userName' }],
    ['User', 'userName', { op: 'replace', path: 'userName', value: '' }],
    ['Group', 'displayName', { op: 'remove', path: 'displayName' }],
    ['Group', 'displayName', { op: 'replace', value: { displayName: null } }],
  ] as const)('refuses unsetting the required %s.%s: %j (invalidValue)', (type, name, op) => {
    const error = refuse(type, op);
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toContain(name);
  });

  it.each([
    ['a sub-attribute of one member', 'members[value eq "x"].display', 'remove'],
    ['add with a filter', 'members[value eq "x"]', 'add'],
    ['a member filter that does not name the id', 'members[display eq "x"]', 'remove'],
    ['members.value', 'members.value', 'replace'],
  ])('refuses %s on a Group (invalidPath)', (_case, path, op) => {
    const error = refuse('Group', { op, path, value: [{ value: 'x' }] });
    expect(error.scimType).toBe('invalidPath');
    expect(error.detail).toContain(path);
  });

  it.each([
    ['a member without value', [{ display: 'x' }]],
    ['a numeric member id', [{ value: 42 }]],
    ['an unknown member type', [{ value: 'x', type: 'Device' }]],
  ])('refuses %s (invalidValue)', (_case, value) => {
    expect(refuse('Group', { op: 'add', path: 'members', value }).scimType).toBe('invalidValue');
  });
});

describe('parsePatchRequest via applyPatch: the envelope', () => {
  const refuseBody = (value: unknown) => {
    const data = user();
    const error = scimErrorOf(() => applyPatch('User', data, value));
    expect(data).toEqual(user());
    return error;
  };

  it.each([
    ['no body', undefined],
    ['an array body', [{ op: 'add' }]],
    ['no Operations', { schemas: [PATCH_OP] }],
    ['empty Operations', { schemas: [PATCH_OP], Operations: [] }],
    ['Operations not an array', { schemas: [PATCH_OP], Operations: { op: 'add' } }],
    ['an operation that is not an object', { schemas: [PATCH_OP], Operations: ['add'] }],
    ['an operation without op', { schemas: [PATCH_OP], Operations: [{ path: 'title', value: 'x' }] }],
    ['add without value', { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'title' }] }],
    ['a non-string path', { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 3, value: 'x' }] }],
    ['another message schema', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], Operations: [{ op: 'add', path: 'title', value: 'x' }] }],
  ])('refuses %s with 400', (_case, value) => {
    const error = refuseBody(value);
    expect(error.status).toBe(400);
    expect(['invalidSyntax', 'invalidPath']).toContain(error.scimType);
  });

  it(`refuses more than ${MAX_PATCH_OPERATIONS} operations (tooMany)`, () => {
    const ops = Array.from({ length: MAX_PATCH_OPERATIONS + 1 }, () => ({ op: 'add', path: 'title', value: 'x' }));
    const error = refuseBody({ schemas: [PATCH_OP], Operations: ops });
    expect(error.scimType).toBe('tooMany');
    expect(error.detail).toContain(String(MAX_PATCH_OPERATIONS));
  });
});
