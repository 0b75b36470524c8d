import { MAX_STRING_BYTES, MAX_VALUES, parseUserInput } from '../../../lambdas/scim/resource';
import { SchemaUrn } from '../../../lambdas/scim/schemas';
import { scimErrorOf } from './scim-error-of';

const ENTERPRISE = SchemaUrn.enterpriseUser;
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User';

describe('parseUserInput', () => {
  describe('Entra request bodies (entra-scim.md)', () => {
    it('normalises the §3.1 Create User body, ignoring meta, schemas and the empty roles array', () => {
      const body = {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
        externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
        userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
        active: true,
        emails: [{ primary: true, type: 'work', value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com' }],
        meta: { resourceType: 'User' },
        name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
        roles: [],
      };

      expect(parseUserInput(body)).toEqual({
        externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
        userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
        active: true,
        emails: [{ primary: true, type: 'work', value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com' }],
        name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      });
    });

    it('accepts the §3.17 legacy body: explicit nulls are absent, the typo’d URN is ignored, top-level department/manager are unknown', () => {
      const body = {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User'],
        externalId: 'jyoung',
        userName: 'jyoung@testuser.com',
        active: true,
        addresses: null,
        displayName: 'Joy Young',
        emails: [{ type: 'work', value: 'jyoung@Contoso.com', primary: true }],
        meta: { resourceType: 'User' },
        name: { familyName: 'Young', givenName: 'Joy' },
        phoneNumbers: null,
        preferredLanguage: null,
        title: null,
        department: null,
        manager: null,
      };

      expect(parseUserInput(body)).toEqual({
        externalId: 'jyoung',
        userName: 'jyoung@testuser.com',
        active: true,
        displayName: 'Joy Young',
        emails: [{ type: 'work', value: 'jyoung@Contoso.com', primary: true }],
        name: { familyName: 'Young', givenName: 'Joy' },
      });
    });

    it('drops top-level department and manager with values: they are enterprise attributes, not core ones', () => {
      const data = parseUserInput({ userName: 'a', department: 'Sales', manager: 'b3c1' });

      expect(data).toEqual({ userName: 'a' });
    });

    it.each([
      ['SingleAppRoleAssignment (validator sends "True")', [{ primary: 'True', type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }], [{ primary: true, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }]],
      [
        'AppRoleAssignmentsComplex (displayName is no roles sub-attribute and is dropped)',
        [
          { primary: false, type: 'WindowsAzureActiveDirectoryRole', displayName: 'Admin', value: 'Admin' },
          { primary: false, type: 'WindowsAzureActiveDirectoryRole', displayName: 'User', value: 'User' },
        ],
        [
          { primary: false, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' },
          { primary: false, type: 'WindowsAzureActiveDirectoryRole', value: 'User' },
        ],
      ],
      [
        'AssertiveAppRoleAssignmentsComplex',
        [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'User', value: 'User' }],
        [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'User', value: 'User' }],
      ],
    ])('stores §4.3 roles from %s', (_name, roles, expected) => {
      const data = parseUserInput({ userName: 'alias@contoso.OnMicrosoft.com', externalId: 'alias', roles });

      expect(data.roles).toEqual(expected);
    });
  });

  describe("Microsoft's Postman collection quirks", () => {
    it('matches "Primary" case-insensitively and stores it as primary', () => {
      const data = parseUserInput({
        userName: 'UserName123',
        emails: [
          { Primary: true, type: 'work', value: 'testing@bob.com' },
          { Primary: false, type: 'home', value: 'testinghome@bob.com' },
        ],
      });

      expect(data.emails).toEqual([
        { primary: true, type: 'work', value: 'testing@bob.com' },
        { primary: false, type: 'home', value: 'testinghome@bob.com' },
      ]);
    });

    it('reads the enterprise extension with "Department" and "Manager": {"Value": …}', () => {
      const data = parseUserInput({
        userName: 'UserName222',
        schemas: [ENTERPRISE, SchemaUrn.user],
        [ENTERPRISE]: { Department: 'bob', Manager: { Value: 'SuzzyQ' } },
      });

      expect(data[ENTERPRISE]).toEqual({ department: 'bob', manager: { value: 'SuzzyQ' } });
    });

    it('stores "active": "True" as the boolean true', () => {
      expect(parseUserInput({ userName: 'emp1', active: 'True' }).active).toBe(true);
    });

    it('ignores a misspelled attribute and the client-sent id on PUT', () => {
      const data = parseUserInput({
        id: '2819c223',
        userName: 'OMalley',
        active: false,
        adreses: [{ country: 'Germany', type: 'work' }],
      });

      expect(data).toEqual({ userName: 'OMalley', active: false });
    });

    it('drops null sub-attributes of addresses but keeps the entries', () => {
      const data = parseUserInput({
        userName: 'OMalley',
        addresses: [
          { country: null, formatted: '18522 Lisa Unions\nEast Gregory, CT 52311', locality: null, type: 'other', primary: false },
        ],
        name: { formatted: 'Daniel Mcgee', familyName: 'OMalley', givenName: 'Darl', honorificPrefix: null, honorificSuffix: null },
      });

      expect(data.addresses).toEqual([{ formatted: '18522 Lisa Unions\nEast Gregory, CT 52311', type: 'other', primary: false }]);
      expect(data.name).toEqual({ formatted: 'Daniel Mcgee', familyName: 'OMalley', givenName: 'Darl' });
    });
  });

  describe('attribute names', () => {
    it('stores attribute and sub-attribute names in canonical case', () => {
      const data = parseUserInput({ USERNAME: 'a', Name: { GIVENNAME: 'Ann' }, PhoneNumbers: [{ VALUE: '+1 555', Type: 'work' }] });

      expect(data).toEqual({ userName: 'a', name: { givenName: 'Ann' }, phoneNumbers: [{ value: '+1 555', type: 'work' }] });
    });

    it('lets a later spelling of the same attribute replace an earlier one', () => {
      expect(parseUserInput({ userName: 'a', displayName: 'first', DisplayName: 'second' }).displayName).toBe('second');
    });

    it('merges dotted keys into the complex attribute they name', () => {
      const data = parseUserInput({ userName: 'a', name: { givenName: 'Ann' }, 'name.familyName': 'Lee' });

      expect(data.name).toEqual({ givenName: 'Ann', familyName: 'Lee' });
    });

    it('reads URN-qualified core attributes', () => {
      expect(parseUserInput({ 'urn:ietf:params:scim:schemas:core:2.0:User:userName': 'a' })).toEqual({ userName: 'a' });
    });

    it('reads URN-qualified enterprise attributes into the extension object', () => {
      const data = parseUserInput({
        userName: 'a',
        [`${ENTERPRISE}:employeeNumber`]: '701984',
        [`${ENTERPRISE}:manager`]: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2',
      });

      expect(data[ENTERPRISE]).toEqual({ employeeNumber: '701984', manager: { value: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' } });
    });

    it('matches the extension URN in any letter case and stores it canonically', () => {
      const data = parseUserInput({ userName: 'a', [ENTERPRISE.toUpperCase()]: { COSTCENTER: '4130' } });

      expect(data).toEqual({ userName: 'a', [ENTERPRISE]: { costCenter: '4130' } });
    });

    it('merges the extension object with URN-qualified keys for the same extension', () => {
      const data = parseUserInput({ userName: 'a', [ENTERPRISE]: { department: 'R&D' }, [`${ENTERPRISE}:division`]: 'Labs' });

      expect(data[ENTERPRISE]).toEqual({ department: 'R&D', division: 'Labs' });
    });

    it('drops unknown attributes inside the enterprise extension and unknown extension URNs', () => {
      const data = parseUserInput({
        userName: 'a',
        [ENTERPRISE]: { department: 'R&D', shoeSize: '44' },
        'urn:example:params:other': { x: 1 },
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0User:department': 'typo',
      });

      expect(data).toEqual({ userName: 'a', [ENTERPRISE]: { department: 'R&D' } });
    });
  });

  describe('custom extensions', () => {
    it('keeps a custom extension object under its URN, values as sent', () => {
      const data = parseUserInput({ userName: 'a', [CUSTOM]: { costCode: 'X1', level: 7, remote: 'True', onsite: false } });

      expect(data[CUSTOM]).toEqual({ costCode: 'X1', level: 7, remote: 'True', onsite: false });
    });

    it('keeps URN-qualified custom attributes, Entra’s form, and merges them with the object form', () => {
      const data = parseUserInput({ userName: 'a', [`${CUSTOM}:CustomAttribute`]: 'v1', [CUSTOM]: { other: 'v2' } });

      expect(data[CUSTOM]).toEqual({ CustomAttribute: 'v1', other: 'v2' });
    });

    it('merges spellings of one custom URN and one attribute, whatever their case', () => {
      const lower = CUSTOM.toLowerCase();
      const data = parseUserInput({ userName: 'a', [`${CUSTOM}:Tier`]: 'gold', [`${lower}:tier`]: 'silver' });

      expect(data).toEqual({ userName: 'a', [CUSTOM]: { Tier: 'silver' } });
    });

    it('drops null and empty custom values and custom names that are not attribute names', () => {
      const data = parseUserInput({ userName: 'a', [CUSTOM]: { a: null, b: '', 'c d': 'x', __proto__x: 'y', ok: 'z' } });

      expect(data[CUSTOM]).toEqual({ ok: 'z' });
    });

    it.each([
      ['a complex value', { nested: 1 }],
      ['a multi-valued value', ['a', 'b']],
    ])('refuses %s for a custom attribute with 400 invalidValue naming it', (_name, value) => {
      const error = scimErrorOf(() => parseUserInput({ userName: 'a', [`${CUSTOM}:badge`]: value }));

      expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
      expect(error.detail).toContain(`"${CUSTOM}:badge"`);
    });
  });

  describe('manager', () => {
    it.each([
      ['a plain string', 'm-1', { value: 'm-1' }],
      ['a {"value"} object', { value: 'm-1' }, { value: 'm-1' }],
      ['an object with $ref and displayName', { value: 'm-1', $ref: 'https://x/Users/m-1', displayName: 'Boss' }, { value: 'm-1', $ref: 'https://x/Users/m-1', displayName: 'Boss' }],
      ['a one-element array (legacy)', [{ $ref: 'http://x/scim/Users/m-1', value: 'm-1' }], { $ref: 'http://x/scim/Users/m-1', value: 'm-1' }],
    ])('accepts %s and stores {value}', (_name, manager, expected) => {
      const data = parseUserInput({ userName: 'a', [ENTERPRISE]: { manager } });

      expect(data[ENTERPRISE]).toEqual({ manager: expected });
    });

    it.each([
      ['""', ''],
      ['null', null],
      ['{"value": ""}', { value: '' }],
      ['{"value": null}', { value: null }],
      ['[]', []],
    ])('treats %s as no manager', (_name, manager) => {
      const data = parseUserInput({ userName: 'a', [ENTERPRISE]: { manager, department: 'D' } });

      expect(data[ENTERPRISE]).toEqual({ department: 'D' });
    });

    it('drops the extension object entirely when nothing is left in it', () => {
      expect(parseUserInput({ userName: 'a', [ENTERPRISE]: { manager: { value: '' } } })).toEqual({ userName: 'a' });
    });

    it.each([
      ['two managers', [{ value: 'a' }, { value: 'b' }]],
      ['a boolean', true],
      ['a value that is an object', { value: { id: 'x' } }],
    ])('refuses %s with 400 invalidValue naming manager', (_name, manager) => {
      const error = scimErrorOf(() => parseUserInput({ userName: 'a', [ENTERPRISE]: { manager } }));

      expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
      expect(error.detail).toContain(`${ENTERPRISE}:manager`);
    });
  });

  describe('booleans', () => {
    it.each([
      [true, true],
      [false, false],
      ['True', true],
      ['False', false],
      ['true', true],
      ['FALSE', false],
      ['tRuE', true],
    ])('coerces active %p to %p', (active, expected) => {
      expect(parseUserInput({ userName: 'a', active }).active).toBe(expected);
    });

    it.each([['yes'], [1], ['1'], [{}], [['true']]])('refuses active %p with 400 invalidValue naming it', (active) => {
      const error = scimErrorOf(() => parseUserInput({ userName: 'a', active }));

      expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
      expect(error.detail).toContain('"active"');
    });

    it('coerces primary inside multi-valued entries', () => {
      const data = parseUserInput({ userName: 'a', emails: [{ value: 'a@x', primary: 'TRUE' }, { value: 'b@x', primary: 'false' }] });

      expect(data.emails).toEqual([{ value: 'a@x', primary: true }, { value: 'b@x', primary: false }]);
    });

    it('refuses a primary that is not a boolean, naming emails.primary', () => {
      const error = scimErrorOf(() => parseUserInput({ userName: 'a', emails: [{ value: 'a@x', primary: 'maybe' }] }));

      expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
      expect(error.detail).toContain('"emails.primary"');
    });
  });

  describe('types', () => {
    it.each([
      ['a string where a complex value belongs', { name: 'Ann Lee' }, '"name"'],
      ['a string entry in a multi-valued complex attribute', { emails: ['a@x'] }, '"emails"'],
      ['an object where a string belongs', { displayName: { value: 'x' } }, '"displayName"'],
      ['a boolean where a string belongs', { title: true }, '"title"'],
      ['an array where a string belongs', { nickName: ['a', 'b'] }, '"nickName"'],
      ['an object sub-attribute value', { emails: [{ value: { address: 'a@x' } }] }, '"emails.value"'],
      ['a string where the enterprise extension object belongs', { [ENTERPRISE]: 'x' }, `"${ENTERPRISE}"`],
      ['an array userName', { userName: ['a'] }, '"userName"'],
    ])('refuses %s with 400 invalidValue naming the attribute', (_name, patch, named) => {
      const error = scimErrorOf(() => parseUserInput({ userName: 'a', ...patch }));

      expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
      expect(error.detail).toContain(named);
    });

    it('stores a number sent for a string attribute as its decimal text', () => {
      const data = parseUserInput({ userName: 'a', [ENTERPRISE]: { employeeNumber: 1234 }, name: { givenName: 7 } });

      expect(data[ENTERPRISE]).toEqual({ employeeNumber: '1234' });
      expect(data.name).toEqual({ givenName: '7' });
    });

    it('wraps a single object sent for a multi-valued attribute into a one-element array', () => {
      const data = parseUserInput({ userName: 'a', phoneNumbers: { type: 'mobile', value: '+49 (0)30 1234' } });

      expect(data.phoneNumbers).toEqual([{ type: 'mobile', value: '+49 (0)30 1234' }]);
    });

    it('drops null entries of a multi-valued attribute and the attribute when none is left', () => {
      const data = parseUserInput({ userName: 'a', emails: [null, { value: 'a@x' }], ims: [null, {}], photos: [{ value: null }] });

      expect(data).toEqual({ userName: 'a', emails: [{ value: 'a@x' }] });
    });

    it('refuses two primary entries with 400 invalidValue', () => {
      const error = scimErrorOf(() =>
        parseUserInput({ userName: 'a', emails: [{ value: 'a@x', primary: true }, { value: 'b@x', primary: 'True' }] }),
      );

      expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
      expect(error.detail).toContain('"emails"');
      expect(error.detail).toContain('primary');
    });
  });

  describe('values are stored exactly as sent', () => {
    it('keeps whitespace, letter case and phone formatting', () => {
      const body = {
        userName: '  Mixed.Case@Example.COM ',
        displayName: 'Ann  Lee',
        phoneNumbers: [{ type: 'work', value: '+1 (555) 010-0000 ext. 12' }],
        emails: [{ value: 'Ann.Lee@Example.com' }],
      };

      expect(parseUserInput(body)).toEqual(body);
    });
  });

  describe('ignored input', () => {
    it('ignores id, meta, schemas and the read-only groups', () => {
      const data = parseUserInput({
        id: 'x',
        meta: { resourceType: 'User', version: 'W/"9"' },
        schemas: ['urn:unknown:schema'],
        groups: [{ value: 'g1' }],
        userName: 'a',
      });

      expect(data).toEqual({ userName: 'a' });
    });

    it('never stores a password, plain or URN-qualified (we are not an authentication provider)', () => {
      const data = parseUserInput({ userName: 'a', password: 't1meMa$heen', 'urn:ietf:params:scim:schemas:core:2.0:User:password': 'x' });

      expect(data).toEqual({ userName: 'a' });
    });

    it('treats "" and [] as absent', () => {
      expect(parseUserInput({ userName: 'a', title: '', emails: [], name: {} })).toEqual({ userName: 'a' });
    });
  });

  describe('userName', () => {
    it.each([
      ['missing', {}],
      ['null', { userName: null }],
      ['empty', { userName: '' }],
      ['blank', { userName: '   ' }],
    ])('refuses userName when %s with 400 invalidValue naming it', (_name, body) => {
      const error = scimErrorOf(() => parseUserInput({ displayName: 'x', ...body }));

      expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
      expect(error.detail).toContain('"userName"');
    });
  });

  describe('body shape', () => {
    it.each([[null], [[]], ['{"userName":"a"}'], [42], [undefined]])('refuses the body %p with 400 invalidSyntax', (body) => {
      expect(scimErrorOf(() => parseUserInput(body))).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
    });
  });

  describe('size bounds', () => {
    it(`accepts a string of exactly ${MAX_STRING_BYTES} bytes`, () => {
      expect(parseUserInput({ userName: 'a', displayName: 'x'.repeat(MAX_STRING_BYTES) }).displayName).toHaveLength(MAX_STRING_BYTES);
    });

    it('refuses a string over the limit, counted in UTF-8 bytes, with 400 invalidValue naming it', () => {
      const error = scimErrorOf(() => parseUserInput({ userName: 'a', nickName: 'é'.repeat(MAX_STRING_BYTES / 2 + 1) }));

      expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
      expect(error.detail).toContain('"nickName"');
    });

    it(`accepts ${MAX_VALUES} entries and refuses one more`, () => {
      const emails = Array.from({ length: MAX_VALUES + 1 }, (_, i) => ({ value: `u${i}@x` }));

      expect(parseUserInput({ userName: 'a', emails: emails.slice(0, MAX_VALUES) }).emails).toHaveLength(MAX_VALUES);
      const error = scimErrorOf(() => parseUserInput({ userName: 'a', emails }));
      expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
      expect(error.detail).toContain('"emails"');
    });
  });
});
