/** What the engine does beyond the documented examples: names, pathless forms, multi-valued rules, clearing, booleans. */
import { applyPatch } from '../../../../lambdas/scim/patch';
import { body, ENTERPRISE, entraUser, PATCH_OP, patchGroup, patchUser } from './helpers';

const CUSTOM = 'urn:ietf:params:scim:schemas:extension:Acme:2.0:User';

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
};

describe('applyPatch: envelope leniency', () => {
  it.each(['Add', 'add', 'ADD', 'Replace', 'replace', 'REPLACE'])('accepts op "%s"', (op) => {
    expect(patchUser(entraUser(), { op, path: 'title', value: 'T' }).data.title).toBe('T');
  });

  it.each(['Remove', 'remove', 'REMOVE'])('accepts op "%s"', (op) => {
    expect(patchUser({ ...entraUser(), title: 'T' }, { op, path: 'title' }).data).toEqual(entraUser());
  });

  it('accepts lower-case "operations", operation keys in any case, and no schemas', () => {
    const result = applyPatch('User', entraUser(), { operations: [{ Op: 'replace', Path: 'title', Value: 'T' }] });
    expect(result.data.title).toBe('T');
  });

  it('accepts the PatchOp URN in any case and as a single string', () => {
    const ops = [{ op: 'add', path: 'title', value: 'T' }];
    expect(applyPatch('User', entraUser(), { schemas: [PATCH_OP.toUpperCase()], Operations: ops }).data.title).toBe('T');
    expect(applyPatch('User', entraUser(), { schemas: PATCH_OP, Operations: ops }).data.title).toBe('T');
  });

  it('treats an empty path on add as no path', () => {
    expect(patchUser(entraUser(), { op: 'add', path: '', value: { title: 'T' } }).data.title).toBe('T');
  });
});

describe('applyPatch: attribute names', () => {
  it('matches attribute, sub-attribute and URN names in any case and stores canonical names', () => {
    const result = patchUser(
      entraUser(),
      { op: 'replace', path: 'USERNAME', value: 'u2' },
      { op: 'replace', path: 'Name.GivenName', value: 'G' },
      { op: 'add', path: 'URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:Department', value: 'D' },
      { op: 'add', path: 'urn:ietf:params:scim:schemas:core:2.0:user:NickName', value: 'N' },
    );
    expect(result.data).toEqual({
      ...entraUser(),
      userName: 'u2',
      nickName: 'N',
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'G' },
      [ENTERPRISE]: { department: 'D' },
    });
  });

  it('canonicalises sub-attribute names inside values ("Value", "Primary")', () => {
    const result = patchUser({ userName: 'u' }, { op: 'add', path: 'emails', value: [{ Value: 'a@x.com', Type: 'work', Primary: 'True' }] });
    expect(result.data.emails).toEqual([{ value: 'a@x.com', type: 'work', primary: true }]);
  });

  it('accepts unqualified enterprise attributes for Users (legacy shape)', () => {
    const result = patchUser({ userName: 'u' }, { op: 'add', value: { department: 'D', employeeNumber: '7' } });
    expect(result.data).toEqual({ userName: 'u', [ENTERPRISE]: { department: 'D', employeeNumber: '7' } });
  });

  it('keeps the stored spelling of a custom extension and attribute when addressed in another case', () => {
    const user = { userName: 'u', [CUSTOM]: { badgeId: '1' } };
    const result = patchUser(user, { op: 'replace', path: `${CUSTOM.toLowerCase()}:BADGEID`, value: '2' });
    expect(result.data).toEqual({ userName: 'u', [CUSTOM]: { badgeId: '2' } });
  });

  it('ignores operations on schemas', () => {
    const result = patchUser(entraUser(), { op: 'replace', path: 'schemas', value: ['x'] }, { op: 'remove', path: 'schemas' });
    expect(result).toEqual({ data: entraUser(), memberChanges: [], changed: false });
  });

  it('ignores schemas and meta inside a pathless value (RFC 7643 §3.1: client meta is ignored)', () => {
    const result = patchUser(entraUser(), {
      op: 'replace',
      value: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], meta: { resourceType: 'User' }, title: 'T' },
    });
    expect(result.data).toEqual({ ...entraUser(), title: 'T' });
  });

  it('ignores id inside a pathless value (Okta echoes it when renaming a group)', () => {
    const result = patchGroup({ displayName: 'Old' }, { op: 'replace', value: { id: 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b', displayName: 'New' } });
    expect(result.data).toEqual({ displayName: 'New' });
  });

  it('splits the URN before the filter, so colons inside filter literals are kept', () => {
    const user = { userName: 'u', emails: [{ value: 'sip:a@x.com', type: 'work' }] };
    const result = patchUser(user, { op: 'replace', path: 'emails[value eq "sip:a@x.com"].type', value: 'other' });
    expect(result.data.emails).toEqual([{ value: 'sip:a@x.com', type: 'other' }]);
  });
});

describe('applyPatch: pathless add and replace', () => {
  it('merges the RFC nested form into name on add', () => {
    const result = patchUser(entraUser(), { op: 'add', value: { name: { middleName: 'M' } } });
    expect(result.data.name).toEqual({ formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName', middleName: 'M' });
  });

  it('replaces only the given sub-attributes on replace (RFC 7644 §3.5.2.3), clearing those sent empty', () => {
    const result = patchUser(entraUser(), { op: 'replace', value: { name: { givenName: 'G', formatted: '' } } });
    expect(result.data.name).toEqual({ familyName: 'familyName', givenName: 'G' });
  });

  it('applies an extension given as an object of its attributes', () => {
    const user = { userName: 'u', [ENTERPRISE]: { department: 'Old', costCenter: 'C' } };
    const result = patchUser(user, { op: 'replace', value: { [ENTERPRISE]: { department: 'New', manager: { value: 'm' } } } });
    expect(result.data[ENTERPRISE]).toEqual({ department: 'New', costCenter: 'C', manager: { value: 'm' } });
  });

  it('applies the core schema URN given as an object of attributes', () => {
    const result = patchUser(entraUser(), { op: 'replace', value: { 'urn:ietf:params:scim:schemas:core:2.0:User': { title: 'T' } } });
    expect(result.data.title).toBe('T');
  });

  it('applies an extension URN path with an object value, and removes the extension by its URN', () => {
    const added = patchUser({ userName: 'u' }, { op: 'add', path: CUSTOM, value: { badge: 'b', level: '3' } });
    expect(added.data[CUSTOM]).toEqual({ badge: 'b', level: '3' });
    const removed = patchUser(added.data, { op: 'remove', path: CUSTOM });
    expect(removed.data).toEqual({ userName: 'u' });
  });

  it('applies keys in order, each as its own operation', () => {
    const result = patchUser({ userName: 'u' }, { op: 'add', value: { emails: [{ value: 'a@x.com', type: 'work' }], 'emails[type eq "work"].primary': true } });
    expect(result.data.emails).toEqual([{ value: 'a@x.com', type: 'work', primary: true }]);
  });
});

describe('applyPatch: multi-valued attributes', () => {
  const user = () => ({
    userName: 'u',
    emails: [
      { value: 'w@x.com', type: 'work', primary: true },
      { value: 'h@x.com', type: 'home' },
    ],
  });

  it('appends on add and skips exact duplicates', () => {
    const result = patchUser(user(), {
      op: 'add',
      path: 'emails',
      value: [{ value: 'h@x.com', type: 'home' }, { value: 'o@x.com', type: 'other' }, { value: 'o@x.com', type: 'other' }],
    });
    expect(result.data.emails).toEqual([...user().emails, { value: 'o@x.com', type: 'other' }]);
  });

  it('skips empty elements on add', () => {
    expect(patchUser(user(), { op: 'add', path: 'emails', value: [{}, { value: '' }, null] }).changed).toBe(false);
  });

  it('replaces the whole list with an array, and with a single object as a one-element list', () => {
    expect(patchUser(user(), { op: 'replace', path: 'emails', value: [{ value: 'n@x.com' }] }).data.emails).toEqual([{ value: 'n@x.com' }]);
    expect(patchUser(user(), { op: 'replace', path: 'emails', value: { value: 'n@x.com' } }).data.emails).toEqual([{ value: 'n@x.com' }]);
  });

  it('replaces the matched element with an object, keeping the filter terms', () => {
    const result = patchUser(user(), { op: 'replace', path: 'emails[type eq "home"]', value: { value: 'h2@x.com' } });
    expect(result.data.emails).toEqual([user().emails[0], { type: 'home', value: 'h2@x.com' }]);
  });

  it('merges an object into the matched element on add', () => {
    const result = patchUser(user(), { op: 'add', path: 'emails[type eq "home"]', value: { display: 'Home' } });
    expect(result.data.emails).toEqual([user().emails[0], { value: 'h@x.com', type: 'home', display: 'Home' }]);
  });

  it('matches filter values case-insensitively and never duplicates the element', () => {
    const result = patchUser(
      user(),
      { op: 'replace', path: 'emails[type eq "WORK"].value', value: 'w2@x.com' },
      { op: 'add', path: 'emails[Type EQ "Work"].value', value: 'w3@x.com' },
    );
    expect(result.data.emails).toEqual([{ value: 'w3@x.com', type: 'work', primary: true }, user().emails[1]]);
  });

  it('sets the sub-attribute on every matching element', () => {
    const data = { userName: 'u', phoneNumbers: [{ value: '1', type: 'work' }, { value: '2', type: 'work' }, { value: '3', type: 'fax' }] };
    const result = patchUser(data, { op: 'replace', path: 'phoneNumbers[type eq "work"].display', value: 'Desk' });
    expect(result.data.phoneNumbers).toEqual([
      { value: '1', type: 'work', display: 'Desk' },
      { value: '2', type: 'work', display: 'Desk' },
      { value: '3', type: 'fax' },
    ]);
  });

  it('creates a missing element from all eq terms of an and-filter, coercing booleans', () => {
    const result = patchUser({ userName: 'u' }, { op: 'add', path: 'addresses[type eq "work" and primary eq "TRUE"].locality', value: 'Oslo' });
    expect(result.data.addresses).toEqual([{ type: 'work', primary: true, locality: 'Oslo' }]);
  });

  it('sets primary on one element and clears it on the others (RFC 7643 §2.4)', () => {
    const result = patchUser(user(), { op: 'replace', path: 'emails[type eq "home"].primary', value: 'True' });
    expect(result.data.emails).toEqual([
      { value: 'w@x.com', type: 'work', primary: false },
      { value: 'h@x.com', type: 'home', primary: true },
    ]);
  });

  it('clears primary on existing elements when a primary element is added', () => {
    const result = patchUser(user(), { op: 'add', path: 'emails', value: { value: 'n@x.com', type: 'other', primary: true } });
    expect(result.data.emails).toEqual([
      { value: 'w@x.com', type: 'work', primary: false },
      { value: 'h@x.com', type: 'home' },
      { value: 'n@x.com', type: 'other', primary: true },
    ]);
  });

  it('removes matching elements, and the attribute when none is left', () => {
    const once = patchUser(user(), { op: 'remove', path: 'emails[type eq "home"]' });
    expect(once.data.emails).toEqual([user().emails[0]]);
    const twice = patchUser(once.data, { op: 'remove', path: 'emails[type eq "work"]' });
    expect(twice.data).toEqual({ userName: 'u' });
  });

  it('removes a sub-attribute of matching elements', () => {
    const result = patchUser(user(), { op: 'remove', path: 'emails[type eq "work"].primary' });
    expect(result.data.emails).toEqual([{ value: 'w@x.com', type: 'work' }, user().emails[1]]);
  });

  it('removes the elements listed in a remove value (object or bare value)', () => {
    expect(patchUser(user(), { op: 'remove', path: 'emails', value: [{ type: 'HOME' }] }).data.emails).toEqual([user().emails[0]]);
    expect(patchUser(user(), { op: 'remove', path: 'emails', value: 'w@x.com' }).data.emails).toEqual([user().emails[1]]);
  });

  it('removes the element whose value is cleared through a filtered .value path, and creates nothing on ""', () => {
    const cleared = patchUser(user(), { op: 'replace', path: 'emails[type eq "home"].value', value: '' });
    expect(cleared.data.emails).toEqual([user().emails[0]]);
    const nothing = patchUser(user(), { op: 'replace', path: 'emails[type eq "other"].value', value: '' });
    expect(nothing.changed).toBe(false);
  });

  it('removes the matched element when replaced with {"value": ""}', () => {
    const result = patchUser(user(), { op: 'replace', path: 'emails[type eq "home"]', value: { value: '' } });
    expect(result.data.emails).toEqual([user().emails[0]]);
  });

  it('turns bare values into {value} elements for value-keyed attributes', () => {
    const result = patchUser({ userName: 'u' }, { op: 'add', path: 'roles', value: ['Admin', 'User'] });
    expect(result.data.roles).toEqual([{ value: 'Admin' }, { value: 'User' }]);
  });

  it('sets a sub-attribute on every element when no filter is given (emails.type)', () => {
    const result = patchUser(user(), { op: 'replace', path: 'emails.type', value: 'other' });
    expect(result.data.emails).toEqual([
      { value: 'w@x.com', type: 'other', primary: true },
      { value: 'h@x.com', type: 'other' },
    ]);
  });

  it('understands ne, co, sw, ew, pr, or and not in filters', () => {
    const paths = [
      'emails[type ne "work"].display',
      'emails[value co "h@"].display',
      'emails[value sw "h"].display',
      'emails[value ew "h@x.com"].display',
      'emails[not (primary pr)].display',
      'emails[type eq "home" or type eq "other"].display',
      'emails[(type eq "home") and not (value eq "w@x.com")].display',
    ];
    for (const path of paths) {
      expect(patchUser(user(), { op: 'replace', path, value: 'H' }).data.emails).toEqual([user().emails[0], { ...user().emails[1], display: 'H' }]);
    }
  });
});

describe('applyPatch: clearing, removing and values', () => {
  it.each([
    ['""', ''],
    ['null', null],
    ['[]', []],
  ])('clears an attribute on add/replace with %s', (_case, value) => {
    const user = { ...entraUser(), title: 'T', roles: [{ value: 'r' }] };
    expect(patchUser(user, { op: 'replace', path: 'title', value }, { op: 'add', path: 'roles', value }).data).toEqual(entraUser());
  });

  it('treats remove of an absent attribute as a no-op', () => {
    const result = patchUser(entraUser(), { op: 'remove', path: 'title' }, { op: 'remove', path: `${ENTERPRISE}:manager` }, { op: 'remove', path: 'emails[type eq "home"]' });
    expect(result).toEqual({ data: entraUser(), memberChanges: [], changed: false });
  });

  it('removes a sub-attribute, and the parent with its last sub-attribute', () => {
    const first = patchUser({ userName: 'u', name: { givenName: 'G', familyName: 'F' } }, { op: 'remove', path: 'name.givenName' });
    expect(first.data).toEqual({ userName: 'u', name: { familyName: 'F' } });
    const last = patchUser(first.data, { op: 'remove', path: 'name.familyName' });
    expect(last.data).toEqual({ userName: 'u' });
  });

  it.each([
    ['True', true],
    ['FALSE', false],
    ['true', true],
    ['false', false],
    [true, true],
  ])('coerces %p to a boolean for active', (value, expected) => {
    expect(patchUser(entraUser(), { op: 'replace', path: 'active', value }).data.active).toBe(expected);
  });

  it('keeps values exactly as sent: whitespace, case and string custom attributes', () => {
    const result = patchUser(
      entraUser(),
      { op: 'replace', path: 'displayName', value: '  Mixed Case  ' },
      { op: 'add', path: `${CUSTOM}:flag`, value: 'True' },
    );
    expect(result.data.displayName).toBe('  Mixed Case  ');
    expect(result.data[CUSTOM]).toEqual({ flag: 'True' });
  });

  it('applies several ops on the same attribute in order', () => {
    const result = patchUser(
      entraUser(),
      { op: 'add', path: 'nickName', value: 'a' },
      { op: 'remove', path: 'nickName' },
      { op: 'replace', path: 'nickName', value: 'b' },
    );
    expect(result.data.nickName).toBe('b');
  });

  it('reports changed=false for a replace with the current value', () => {
    expect(patchUser(entraUser(), { op: 'replace', path: 'active', value: 'true' }).changed).toBe(false);
  });

  it('never mutates the input and returns values that share nothing with the body', () => {
    // Prepare
    const input = deepFreeze({ ...entraUser(), [ENTERPRISE]: { manager: { value: 'm' } } });
    const emails = [{ value: 'n@x.com', type: 'work' }];
    // Act
    const result = patchUser(
      input,
      { op: 'replace', path: 'emails', value: emails },
      { op: 'remove', path: `${ENTERPRISE}:manager` },
      { op: 'replace', path: 'name.givenName', value: 'G' },
    );
    emails[0].value = 'mutated@x.com';
    // Assess
    expect(result.data).not.toBe(input);
    expect(result.data.emails).toEqual([{ value: 'n@x.com', type: 'work' }]);
    expect(input).toEqual({ ...entraUser(), [ENTERPRISE]: { manager: { value: 'm' } } });
  });
});

describe('applyPatch: Group members', () => {
  it('returns member changes for a pathless add/replace with a members key, applying the rest to data', () => {
    const result = patchGroup(
      { displayName: 'g' },
      { op: 'add', value: { members: [{ value: 'a' }] } },
      { op: 'replace', value: { displayName: 'h', members: [{ value: 'b', type: 'user' }] } },
    );
    expect(result.data).toEqual({ displayName: 'h' });
    expect(result.memberChanges).toEqual([
      { op: 'add', members: [{ value: 'a' }] },
      { op: 'replace', members: [{ value: 'b', type: 'User' }] },
    ]);
  });

  it.each([
    ['an unquoted id', 'members[value eq 123abc]', ['123abc']],
    ['an unquoted number', 'members[value eq 123]', ['123']],
    ['a $ref eq null term', 'members[$ref eq null and value eq "x"]', ['x']],
    ['an id with colons', 'members[value eq "urn:x:1"]', ['urn:x:1']],
    ['or of ids', 'members[value eq "a" or value eq "b"]', ['a', 'b']],
    ['the URN-qualified path', 'urn:ietf:params:scim:schemas:core:2.0:Group:members[value eq "x"]', ['x']],
  ])('removes by filter with %s', (_case, path, values) => {
    expect(patchGroup({ displayName: 'g' }, { op: 'remove', path }).memberChanges).toEqual([{ op: 'remove', values }]);
  });

  it('removes only the listed members, given as objects, bare strings or one object', () => {
    expect(patchGroup({}, { op: 'remove', path: 'members', value: [{ value: 'a' }, 'b'] }).memberChanges).toEqual([{ op: 'remove', values: ['a', 'b'] }]);
    expect(patchGroup({}, { op: 'remove', path: 'members', value: { value: 'a' } }).memberChanges).toEqual([{ op: 'remove', values: ['a'] }]);
  });

  it('treats remove with an empty value list as a no-op, never as remove-all', () => {
    expect(patchGroup({ displayName: 'g' }, { op: 'remove', path: 'members', value: [] })).toEqual({
      data: { displayName: 'g' },
      memberChanges: [],
      changed: false,
    });
  });

  it('replaces members with an empty list on replace with [] or null', () => {
    expect(patchGroup({}, { op: 'replace', path: 'members', value: [] }).memberChanges).toEqual([{ op: 'replace', members: [] }]);
    expect(patchGroup({}, { op: 'replace', path: 'members', value: null }).memberChanges).toEqual([{ op: 'replace', members: [] }]);
  });

  it('lists each member id once per operation', () => {
    const result = patchGroup({}, { op: 'add', path: 'Members', value: [{ value: 'a' }, { value: 'a', display: 'A' }, 'b'] });
    expect(result.memberChanges).toEqual([{ op: 'add', members: [{ value: 'a' }, { value: 'b' }] }]);
  });
});
