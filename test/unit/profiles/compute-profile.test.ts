import { compileMapping, defaultMapping } from '../../../lambdas/profiles/compile-mapping';
import { computeProfile, profileProblemsError } from '../../../lambdas/profiles/compute-profile';
import type { MappingEntry, ProfileMapping } from '../../../lambdas/profiles/mapping';
import type { Profile, ProfileProblem, ProfileValue } from '../../../lambdas/profiles/types';
import { parseUserInput } from '../../../lambdas/scim/user-input';
import { SchemaUrn } from '../../../lambdas/scim/schemas';

const ENTERPRISE = SchemaUrn.enterpriseUser;
const ACME = 'urn:ietf:params:scim:schemas:extension:Acme:2.0:User';
const STAMP = { id: 'u-1', version: 3, updatedAt: '2024-05-31T07:00:00.000Z' };

const profileOf = (resource: unknown, mapping: unknown = defaultMapping(), groups: unknown = []): Profile => {
  const result = computeProfile(resource, groups, mapping, STAMP);
  if (!result.ok) throw new Error(`expected a profile, got ${JSON.stringify(result.problems)}`);
  return result.profile;
};

const problemsOf = (resource: unknown, mapping: unknown, groups: unknown = []): ProfileProblem[] => {
  const result = computeProfile(resource, groups, mapping, STAMP);
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.profile)}`);
  return result.problems;
};

type Entry = Partial<MappingEntry> & Pick<MappingEntry, 'profile' | 'scim'>;
const mappingOf = (entry: Entry, customType?: string): ProfileMapping =>
  ({
    attributes: [{ default: null, transform: [], ...entry }],
    custom: customType ? [{ name: entry.profile, type: customType }] : [],
  }) as ProfileMapping;

/** The value one entry gives for `resource` (undefined: absent). */
const valueOf = (resource: Record<string, unknown>, entry: Entry, customType?: string): ProfileValue | undefined =>
  profileOf({ userName: 'u', ...resource }, mappingOf(entry, customType)).attributes[entry.profile];

/** What Entra ID's initial cycle POSTs with its default mapping and enterprise attributes (entra-scim.md §3.1, §11.2). */
const ENTRA_USER = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  externalId: 'alice',
  userName: 'alice@contoso.com',
  active: 'True',
  displayName: 'Alice Smith',
  title: 'Account Executive',
  preferredLanguage: 'en-US',
  emails: [{ primary: true, type: 'work', value: 'alice@contoso.com' }],
  name: { formatted: 'Alice Smith', familyName: 'Smith', givenName: 'Alice' },
  addresses: [{ type: 'work', streetAddress: '1 Main St', locality: 'Seattle', region: 'WA', postalCode: '98101', country: 'US', primary: false }],
  phoneNumbers: [
    { type: 'work', value: '+1 555 0100' },
    { type: 'mobile', value: '+1 555 0199' },
    { type: 'fax', value: '+1 555 0101' },
  ],
  [ENTERPRISE]: { employeeNumber: '1234', department: 'Sales', manager: 'm-42' },
  roles: [],
};

describe('computeProfile with the default mapping', () => {
  it("turns Entra's initial-cycle user into department, designation, manager and the rest", () => {
    const stored = parseUserInput(ENTRA_USER);

    const profile = profileOf(stored, defaultMapping(), [{ id: 'g-2', displayName: 'Sales' }, { id: 'g-1', displayName: 'All staff' }]);

    expect(profile).toEqual({
      id: 'u-1',
      userName: 'alice@contoso.com',
      externalId: 'alice',
      active: true,
      attributes: {
        email: 'alice@contoso.com',
        firstName: 'Alice',
        lastName: 'Smith',
        displayName: 'Alice Smith',
        department: 'Sales',
        location: 'Seattle',
        designation: 'Account Executive',
        employeeNumber: '1234',
        manager: { id: 'm-42' },
        phone: '+1 555 0100',
        mobile: '+1 555 0199',
        preferredLanguage: 'en-US',
      },
      groups: [{ id: 'g-1', displayName: 'All staff' }, { id: 'g-2', displayName: 'Sales' }],
      version: 3,
      updatedAt: '2024-05-31T07:00:00.000Z',
    });
  });

  it('leaves attributes the user has no value for absent, never null', () => {
    const profile = profileOf({ userName: 'bob' });

    expect(profile.attributes).toEqual({});
    expect(profile).not.toHaveProperty('externalId');
    expect(profile.active).toBe(true);
  });

  it('reads Entra\'s "False" and keeps a deactivated user inactive', () => {
    expect(profileOf({ userName: 'bob', active: 'False' }).active).toBe(false);
    expect(profileOf({ userName: 'bob', active: false }).active).toBe(false);
  });

  it('reads the representation as well as the stored resource (id, meta and schemas are not attributes)', () => {
    const stored = parseUserInput(ENTRA_USER);
    const represented = { schemas: ENTRA_USER.schemas, id: 'u-1', meta: { resourceType: 'User', version: 'W/"3"' }, ...stored };

    expect(profileOf(represented)).toEqual(profileOf(stored));
  });
});

describe('computeProfile: paths and multi-valued sources', () => {
  const emails = [
    { type: 'home', value: 'home@x.org' },
    { type: 'work', value: 'first@x.org' },
    { type: 'work', value: 'primary@x.org', primary: true },
  ];

  it.each<[string, Record<string, unknown>, Entry, string | undefined, ProfileValue | undefined]>([
    ['a core attribute', { title: 'CEO' }, { profile: 'designation', scim: 'title' }, undefined, 'CEO'],
    ['a sub-attribute', { name: { givenName: 'Ann' } }, { profile: 'firstName', scim: 'name.givenName' }, undefined, 'Ann'],
    ['an enterprise attribute', { [ENTERPRISE]: { costCenter: 'CC-7' } }, { profile: 'costCenter', scim: `${ENTERPRISE}:costCenter` }, undefined, 'CC-7'],
    ['a custom extension attribute', { [ACME]: { badge: 17 } }, { profile: 'badge', scim: `${ACME}:badge` }, 'string', '17'],
    ['attribute names in any letter case', { NAME: { GivenName: 'Ann' } }, { profile: 'firstName', scim: 'name.givenName' }, undefined, 'Ann'],
    ['a value filter', { addresses: [{ type: 'home', locality: 'Paris' }, { type: 'work', locality: 'Lyon' }] }, { profile: 'location', scim: 'addresses[type eq "work"].locality' }, undefined, 'Lyon'],
    ['a value filter on mobile', { phoneNumbers: [{ type: 'work', value: '1' }, { type: 'mobile', value: '2' }] }, { profile: 'mobile', scim: 'phoneNumbers[type eq "mobile"].value' }, undefined, '2'],
    ['a value filter, case-insensitive as SCIM says', { phoneNumbers: [{ type: 'Mobile', value: '2' }] }, { profile: 'mobile', scim: 'phoneNumbers[type eq "mobile"].value' }, undefined, '2'],
    ['a value filter nothing meets', { phoneNumbers: [{ type: 'work', value: '1' }] }, { profile: 'mobile', scim: 'phoneNumbers[type eq "mobile"].value' }, undefined, undefined],
    ['a value filter with "and"', { emails: [{ type: 'work', value: 'a' }, { type: 'work', primary: true, value: 'b' }] }, { profile: 'email', scim: 'emails[type eq "work" and primary eq true].value' }, undefined, 'b'],
    ['several matches: the primary one', { emails }, { profile: 'email', scim: 'emails[type eq "work"].value' }, undefined, 'primary@x.org'],
    ['several matches, none primary: the first', { emails: emails.slice(0, 2) }, { profile: 'email', scim: 'emails.value' }, undefined, 'home@x.org'],
    ['a primary given as the string "True"', { emails: [{ value: 'a' }, { value: 'b', primary: 'True' }] }, { profile: 'email', scim: 'emails.value' }, undefined, 'b'],
    ['an entry without the value is skipped', { emails: [{ type: 'work' }, { type: 'work', value: 'w@x' }] }, { profile: 'email', scim: 'emails[type eq "work"].value' }, undefined, 'w@x'],
    ['a list takes every value in order', { emails }, { profile: 'allEmails', scim: 'emails.value' }, 'stringList', ['home@x.org', 'first@x.org', 'primary@x.org']],
    ['a filtered list', { emails }, { profile: 'workEmails', scim: 'emails[type eq "work"].value' }, 'stringList', ['first@x.org', 'primary@x.org']],
    ['a single value into a list', { title: 'CEO' }, { profile: 'titles', scim: 'title' }, 'stringList', ['CEO']],
    ['the manager object', { [ENTERPRISE]: { manager: { value: 'm-1', displayName: 'Boss' } } }, { profile: 'manager', scim: 'manager' }, undefined, { id: 'm-1', displayName: 'Boss' }],
    ['the manager as Entra sends it (a bare id)', { [ENTERPRISE]: { manager: 'm-1' } }, { profile: 'manager', scim: 'manager' }, undefined, { id: 'm-1' }],
    ['the manager from manager.value', { [ENTERPRISE]: { manager: { value: 'm-1' } } }, { profile: 'manager', scim: 'manager.value' }, undefined, { id: 'm-1' }],
    ['a cleared manager ({"value": ""})', { [ENTERPRISE]: { manager: { value: '' } } }, { profile: 'manager', scim: 'manager' }, undefined, undefined],
  ])('%s', (_, resource, entry, customType, expected) => {
    expect(valueOf(resource, entry, customType)).toEqual(expected);
  });
});

describe('computeProfile: transforms', () => {
  it.each<[string, unknown, Entry, string | undefined, ProfileValue | undefined]>([
    ['trim', '  Sales  ', { profile: 'department', scim: 'title', transform: ['trim'] }, undefined, 'Sales'],
    ['lowercase', 'Sales', { profile: 'department', scim: 'title', transform: ['lowercase'] }, undefined, 'sales'],
    ['uppercase', 'Sales', { profile: 'department', scim: 'title', transform: ['uppercase'] }, undefined, 'SALES'],
    ['boolean of "Yes"', 'Yes', { profile: 'flag', scim: 'title', transform: ['boolean'] }, 'boolean', true],
    ['boolean of "off"', 'off', { profile: 'flag', scim: 'title', transform: ['boolean'] }, 'boolean', false],
    ['boolean to text', 'TRUE', { profile: 'department', scim: 'title', transform: ['boolean'] }, undefined, 'true'],
    ['number of " 42 "', ' 42 ', { profile: 'level', scim: 'title', transform: ['number'] }, 'number', 42],
    ['number to text normalises', '0042.50', { profile: 'department', scim: 'title', transform: ['number'] }, undefined, '42.5'],
    ['split', 'a;b;;c', { profile: 'tags', scim: 'title', transform: [{ split: ';' }] }, 'stringList', ['a', 'b', 'c']],
    ['split, trim each, join', 'a ; b', { profile: 'department', scim: 'title', transform: [{ split: ';' }, 'trim', { join: '/' }] }, undefined, 'a/b'],
    ['trim to nothing: absent', '   ', { profile: 'department', scim: 'title', transform: ['trim'] }, undefined, undefined],
    ['trim to nothing: the default', '   ', { profile: 'department', scim: 'title', transform: ['trim'], default: 'Unknown' }, undefined, 'Unknown'],
  ])('%s', (_, title, entry, customType, expected) => {
    expect(valueOf({ title }, entry, customType)).toEqual(expected);
  });

  it('join collects every value of a multi-valued attribute', () => {
    const resource = { phoneNumbers: [{ value: '1' }, { value: '2' }] };

    expect(valueOf(resource, { profile: 'phone', scim: 'phoneNumbers.value', transform: [{ join: ', ' }] })).toBe('1, 2');
  });

  it('lowercase applies to each value of a list', () => {
    const resource = { roles: [{ value: 'Admin' }, { value: 'Dev' }] };

    expect(valueOf(resource, { profile: 'roles', scim: 'roles.value', transform: ['lowercase'] }, 'stringList')).toEqual(['admin', 'dev']);
  });
});

describe('computeProfile: types, defaults and problems', () => {
  it.each<[string, unknown, string, ProfileValue]>([
    ['a date stays a date', '2024-02-29', 'date', '2024-02-29'],
    ['a date-time becomes UTC', '2024-05-31T09:30:00+02:00', 'date', '2024-05-31T07:30:00.000Z'],
    ['a date-time without offset is UTC', '2024-05-31T09:30:00', 'date', '2024-05-31T09:30:00.000Z'],
    ['fractions are kept to the millisecond', '2024-05-31T09:30:00.1234Z', 'date', '2024-05-31T09:30:00.123Z'],
    ['a number from text', '3.5', 'number', 3.5],
    ['a number from a number', 7, 'number', 7],
    ['a boolean from "False"', 'False', 'boolean', false],
    ['a boolean from a boolean', true, 'boolean', true],
    ['text from a number', 1234, 'string', '1234'],
  ])('%s', (_, value, type, expected) => {
    expect(valueOf({ [ACME]: { x: value } }, { profile: 'x', scim: `${ACME}:x` }, type)).toEqual(expected);
  });

  it('uses the default when the user has no value, and only then', () => {
    const entry: Entry = { profile: 'department', scim: 'department', default: 'Unassigned' };

    expect(valueOf({}, entry)).toBe('Unassigned');
    expect(valueOf({ [ENTERPRISE]: { department: 'Sales' } }, entry)).toBe('Sales');
  });

  it.each<[string, unknown, string, RegExp]>([
    ['text that is no number', 'many', 'number', /the string "many" is not a number/],
    ['an infinite number', '1e999', 'number', /is not a number/],
    ['text that is no boolean', 'maybe', 'boolean', /the string "maybe" is not a boolean \(true or false\)/],
    ['text that is no date', 'next monday', 'date', /the string "next monday" is not an ISO 8601 date \(e\.g\. 2024-05-31\)/],
    ['a day that does not exist', '2023-02-29', 'date', /is not an ISO 8601 date/],
    ['an hour that does not exist', '2024-05-31T24:00:00Z', 'date', /is not an ISO 8601 date/],
    ['a number for a date', 20240531, 'date', /the number 20240531 is not an ISO 8601 date/],
  ])('refuses %s, naming the SCIM path, the profile attribute and the problem', (_, value, type, why) => {
    const problems = problemsOf({ userName: 'u', [ACME]: { x: value } }, mappingOf({ profile: 'x', scim: `${ACME}:x` }, type));

    expect(problems).toEqual([{ profileAttribute: 'x', scimPath: `${ACME}:x`, value, problem: expect.stringMatching(why) }]);
  });

  it('reports every attribute that fails, not only the first', () => {
    const mapping = {
      attributes: [
        { profile: 'a', scim: `${ACME}:a`, default: null, transform: [] },
        { profile: 'b', scim: `${ACME}:b`, default: null, transform: [] },
      ],
      custom: [
        { name: 'a', type: 'number' },
        { name: 'b', type: 'date' },
      ],
    };

    const problems = problemsOf({ userName: 'u', [ACME]: { a: 'x', b: 'y' } }, mapping);

    expect(problems.map((p) => p.profileAttribute)).toEqual(['a', 'b']);
  });

  it('quotes long values cut, and objects as short JSON', () => {
    const long = 'x'.repeat(500);
    const [problem] = problemsOf({ userName: 'u', [ACME]: { x: long } }, mappingOf({ profile: 'x', scim: `${ACME}:x` }, 'number'));

    expect(String(problem.value)).toHaveLength(100);
    expect(String(problem.value).endsWith('…')).toBe(true);
  });

  it('refuses a user without userName and groups that are not groups', () => {
    const problems = problemsOf({ title: 'x' }, defaultMapping(), [{ id: 'g' }]);

    expect(problems.map((p) => [p.profileAttribute, p.problem])).toEqual([
      ['userName', 'a user needs a userName'],
      ['groups', expect.stringMatching(/is not a group/)],
    ]);
  });

  it('lists each group once, sorted by name', () => {
    const groups = [
      { id: 'b', displayName: 'Beta' },
      { id: 'a', displayName: 'Alpha' },
      { id: 'b', displayName: 'Beta' },
    ];

    expect(profileOf({ userName: 'u' }, defaultMapping(), groups).groups.map((g) => g.id)).toEqual(['a', 'b']);
  });
});

describe('computeProfile with a stored mapping', () => {
  it('runs the usable entries of a stored mapping that no longer validates and lists the rest', () => {
    const stored = {
      attributes: [
        { profile: 'department', scim: 'department', default: null, transform: [] },
        { profile: 'gone', scim: 'title', default: null, transform: [] },
        { profile: 'designation', scim: 'no.such.path', default: null, transform: [] },
      ],
      custom: [],
    };

    const compiled = compileMapping(stored);
    const profile = profileOf({ userName: 'u', title: 'CEO', [ENTERPRISE]: { department: 'Sales' } }, compiled);

    expect(profile.attributes).toEqual({ department: 'Sales' });
    expect(compiled.ignored.map((p) => p.at)).toEqual(['attributes[1].profile', 'attributes[2].scim']);
  });

  it('a stored mapping that is not a mapping gives the fields every profile has', () => {
    expect(profileOf({ userName: 'u', title: 'CEO' }, 'garbage').attributes).toEqual({});
  });
});

describe('profileProblemsError', () => {
  it('is a 400 invalidValue naming the SCIM path, the profile attribute and the problem', () => {
    const problems = problemsOf({ userName: 'u', [ACME]: { start: 'soon' } }, mappingOf({ profile: 'startDate', scim: `${ACME}:start` }, 'date'));

    const error = profileProblemsError(problems);

    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toBe(
      `Attribute "${ACME}:start" cannot fill the profile attribute "startDate": the string "soon" is not an ISO 8601 date (e.g. 2024-05-31) or date-time (e.g. 2024-05-31T09:30:00Z or 2024-05-31T09:30:00+02:00).`,
    );
  });
});
