import { DEFAULT_CASE_EXACT_PATHS, defaultCaseExact, matches, parseFilter } from '../../../../lambdas/scim/filter';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** A user as Entra provisions it (entra-scim.md §3.1 and §11), with the enterprise extension and roles. */
const jane = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  id: '48af03ac28ad4fb88478',
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'Jane.Young@contoso.com',
  active: true,
  displayName: 'Jane Young',
  title: '',
  userType: 'Employee',
  name: { formatted: 'Jane Young', familyName: 'Young', givenName: 'Jane' },
  emails: [
    { value: 'jane.young@contoso.com', type: 'work', primary: true },
    { value: 'jyoung@example.org', type: 'home', primary: false },
  ],
  phoneNumbers: [{ value: '+1 555 0100', type: 'mobile' }],
  addresses: [],
  roles: [{ value: 'Reader', display: 'Reader', primary: 'True' }],
  groups: [{ value: 'g-1', display: 'Sales' }],
  meta: {
    resourceType: 'User',
    created: '2018-03-27T19:59:26.000Z',
    lastModified: '2018-03-27T19:59:26.8617979Z',
    version: 'W/"3694e05e9dff591"',
  },
  [ENTERPRISE]: {
    employeeNumber: '701984',
    department: 'Sales',
    manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' },
  },
};

/** A reference-collection user: attribute names in other cases, the extension URN in lower case. */
const omalley = {
  UserName: 'OMalley',
  Active: 'True',
  Name: { FamilyName: 'Employee', GivenName: 'Ryan' },
  Emails: [{ Primary: 'true', Type: 'work', Value: 'ryan@example.com' }],
  Meta: { Created: '2020-01-01T10:00:00-07:00' },
  [ENTERPRISE.toLowerCase()]: { Department: 'Tech', Manager: { Value: 'boss' } },
  score: 42,
};

const group = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
  id: '927fa2c08dcb4a7fae9e',
  displayName: 'Sales Team',
  members: [
    { value: 'u-1', $ref: 'https://gw.example/Users/u-1', display: 'Jane' },
    { value: 'u-2', display: 'Ryan' },
  ],
};

const check = (resource: unknown) => (filter: string) => matches(parseFilter(filter), resource);

describe('matches', () => {
  describe('against an Entra user', () => {
    const on = check(jane);

    it.each([
      // eq and case rules
      ['userName eq "jane.young@contoso.com"', true],
      ['USERNAME EQ "JANE.YOUNG@CONTOSO.COM"', true],
      ['userName eq "jane"', false],
      ['externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"', true],
      ['externalId eq "0A21F0F2-8D2A-4F8E-BF98-7363C4AED4EF"', false],
      ['id eq "48af03ac28ad4fb88478"', true],
      ['id eq "48AF03AC28AD4FB88478"', false],
      ['meta.version eq "w/\\"3694e05e9dff591\\""', false],
      ['meta.version eq "W/\\"3694e05e9dff591\\""', true],
      // every operator
      ['userName ne "someone@contoso.com"', true],
      ['userName ne "JANE.YOUNG@contoso.com"', false],
      ['displayName co "ne yo"', true],
      ['displayName sw "jane"', true],
      ['displayName sw "young"', false],
      ['displayName ew "YOUNG"', true],
      ['displayName gt "Jane"', true],
      ['displayName gt "jz"', false],
      ['displayName ge "jane young"', true],
      ['displayName lt "K"', true],
      ['displayName le "jane young"', true],
      ['displayName le "Jane Yo"', false],
      // sub-attributes and multi-valued attributes
      ['name.familyName eq "young"', true],
      ['Name.GivenName sw "J"', true],
      ['emails.value eq "jyoung@example.org"', true],
      ['emails.value co "@contoso.com"', true],
      ['emails.value ew ".net"', false],
      ['emails eq "jyoung@example.org"', true],
      ['emails co "example.org"', true],
      ['emails.type eq "home"', true],
      ['emails.type ne "home"', false],
      ['schemas eq "URN:ietf:params:scim:schemas:extension:enterprise:2.0:User"', true],
      ['schemas co "core"', true],
      ['schemas eq "urn:other"', false],
      // value paths
      ['emails[type eq "work"]', true],
      ['emails[type eq "WORK"].value eq "jane.young@contoso.com"', true],
      ['emails[type eq "work"].value eq "jyoung@example.org"', false],
      ['emails[type eq "home" and value co "example"]', true],
      ['emails[type eq "home" and primary eq true]', false],
      ['emails[not (type eq "work")].value sw "jyoung"', true],
      ['emails[primary eq true].value eq "jane.young@contoso.com"', true],
      ['emails[type eq "work"] co "contoso"', true],
      ['emails[type eq "other"].value pr', false],
      ['groups[value eq "g-1"]', true],
      ['groups.value eq "g-2"', false],
      // booleans, including Entra's "True" strings
      ['active eq true', true],
      ['active eq "True"', true],
      ['active eq false', false],
      ['active ne false', true],
      ['active gt false', false],
      ['roles[primary eq "True"]', true],
      ['roles[primary eq true].value eq "Reader"', true],
      ['roles[primary eq false]', false],
      ['emails[primary eq "TRUE"].type eq "work"', true],
      // the enterprise extension
      [`${ENTERPRISE}:employeeNumber eq "701984"`, true],
      [`${ENTERPRISE}:employeeNumber eq 701984`, true],
      [`${ENTERPRISE.toUpperCase()}:DEPARTMENT eq "sales"`, true],
      [`${ENTERPRISE}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`, true],
      [`${ENTERPRISE}:manager eq "26118915-6090-4610-87e4-49d8ca9f808d"`, true],
      [`${ENTERPRISE}:manager pr`, true],
      [`${ENTERPRISE}:costCenter pr`, false],
      ['urn:ietf:params:scim:schemas:extension:other:2.0:User:department eq "Sales"', false],
      [ENTERPRISE + ' pr', true],
      ['department eq "Sales"', false],
      // core-schema URN prefix means the top level
      ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "jane.young@contoso.com"', true],
      ['urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq "jane"', true],
      // presence
      ['title pr', false],
      ['addresses pr', false],
      ['nickName pr', false],
      ['emails pr', true],
      ['name pr', true],
      ['title eq null', true],
      ['nickName eq null', true],
      ['userName eq null', false],
      ['userName ne null', true],
      ['userName gt null', false],
      // dates compare as instants
      ['meta.created gt "2018-03-27T12:59:25-07:00"', true],
      ['meta.created eq "2018-03-27T12:59:26-07:00"', true],
      ['meta.created lt "2018-03-27T19:59:26.001Z"', true],
      ['meta.created ge "2018-03-28"', false],
      ['meta.lastModified gt "2018-03-27T19:59:26.8617978Z"', true],
      ['meta.lastModified gt "2018-03-27T19:59:26.8617979Z"', false],
      ['meta.Created gt 2015-10-10T14:38:21.8617979-07:00', true],
      ['meta.created gt "2018-03-27T19:59:26.000+01:00"', true],
      // logic
      ['userName sw "jane" and active eq true', true],
      ['userName sw "ryan" or active eq true', true],
      ['userName sw "ryan" or active eq false', false],
      ['not (userName sw "ryan")', true],
      ['userName sw "x" or userName sw "y" and active eq true', false],
      ['(userName sw "x" or userName sw "j") and active eq true', true],
      ['userType eq "Employee" and (emails co "contoso.com" or emails.value co "example.org")', true],
      ['userType eq "Employee" and emails[type eq "work" and value co "@contoso.com"]', true],
      ['title pr and userType eq "Employee" or emails[type eq "work" and value co "@contoso.com"]', true],
    ])('%s → %s', (filter, expected) => {
      expect(on(filter)).toBe(expected);
    });
  });

  describe('against a reference-collection user (other cases, unquoted literals)', () => {
    const on = check(omalley);

    it.each([
      ['userName sw O', true],
      ['userName eq omalley', true],
      ['name.FamilyName eq Employee and (emails.Value co example.com or emails.Value co example.org)', true],
      ['name.familyname eq employee and emails.value co example.org', false],
      ['meta.Created gt 2015-10-10T14:38:21.8617979-07:00', true],
      ['meta.created lt 2020-01-01T17:00:00.0000001Z', true],
      ['meta.created gt 2020-01-01T17:00:00Z', false],
      ['active eq true', true],
      ['emails[primary eq true].type eq work', true],
      [`${ENTERPRISE}:department eq tech`, true],
      [`${ENTERPRISE}:manager.value eq boss`, true],
      ['score eq 42', true],
      ['score eq "42"', true],
      ['score gt 41.5', true],
      ['score lt "100"', true],
      ['score co "4"', true],
      ['score eq "forty-two"', false],
    ])('%s → %s', (filter, expected) => {
      expect(on(filter)).toBe(expected);
    });
  });

  describe('against a group', () => {
    const on = check(group);

    it.each([
      ['displayName eq "sales team"', true],
      ['DisplayName+eq+"Sales+Team"', false],
      ['DisplayName+eq+"Sales Team"', true],
      ['members[value eq "u-2"]', true],
      ['members[value eq u-3]', false],
      ['members.value eq "u-1"', true],
      ['members eq "u-2"', true],
      ['members.$ref eq "https://gw.example/Users/u-1"', true],
      ['members.$ref eq "HTTPS://GW.EXAMPLE/USERS/U-1"', false],
      ['members.display co "ryan"', true],
      ['id eq "927fa2c08dcb4a7fae9e" and members eq "u-1"', true],
      ['members[value eq "u-1" and display eq "Ryan"]', false],
    ])('%s → %s', (filter, expected) => {
      expect(on(filter)).toBe(expected);
    });
  });

  describe('options.caseExact', () => {
    it('defaults to id, externalId, meta.version and every $ref', () => {
      expect(DEFAULT_CASE_EXACT_PATHS).toEqual(['id', 'externalid', 'meta.version']);
      expect(['id', 'externalid', 'meta.version', 'members.$ref', '$ref'].map(defaultCaseExact)).toEqual([true, true, true, true, true]);
      expect(['username', 'emails.value', 'displayname', 'members.value'].map(defaultCaseExact)).toEqual([false, false, false, false]);
    });

    it('receives lower-case canonical paths and decides case sensitivity', () => {
      const seen: string[] = [];
      const caseExact = (path: string) => {
        seen.push(path);
        return path === 'username' || path === `${ENTERPRISE.toLowerCase()}:department` || path === 'emails.type';
      };
      const run = (filter: string) => matches(parseFilter(filter), jane, { caseExact });
      expect(run('userName eq "JANE.YOUNG@CONTOSO.COM"')).toBe(false);
      expect(run('userName eq "Jane.Young@contoso.com"')).toBe(true);
      expect(run('id eq "48AF03AC28AD4FB88478"')).toBe(true);
      expect(run(`${ENTERPRISE}:Department eq "SALES"`)).toBe(false);
      expect(run('emails[type eq "WORK"]')).toBe(false);
      expect(run('emails[type eq "work"]')).toBe(true);
      expect(seen).toEqual(expect.arrayContaining(['username', 'id', `${ENTERPRISE.toLowerCase()}:department`, 'emails.type']));
    });
  });

  describe('robustness', () => {
    it.each([
      ['a non-object resource', 'not a resource'],
      ['null', null],
      ['an array', [jane]],
      ['a resource with odd shapes', { emails: 'x', name: [[{ givenName: 'a' }]], meta: null, active: { value: true } }],
    ])('treats %s as a resource without the attributes', (_name, resource) => {
      expect(() => matches(parseFilter('emails[type eq "work"].value eq "x" or name.givenName pr or not (meta.created gt 1)'), resource)).not.toThrow();
      expect(matches(parseFilter('userName pr'), resource)).toBe(false);
    });

    it('flattens nested arrays of complex values', () => {
      expect(matches(parseFilter('name.givenName eq "a"'), { name: [[{ givenName: 'a' }]] })).toBe(true);
    });

    it('addresses primitive elements of a multi-valued attribute as value inside a value filter', () => {
      expect(matches(parseFilter('schemas[value ew "enterprise:2.0:User"]'), jane)).toBe(true);
      expect(matches(parseFilter('schemas[value eq "nope"]'), jane)).toBe(false);
    });

    it('does not see inherited properties', () => {
      expect(matches(parseFilter('constructor pr or toString pr or hasOwnProperty pr or constructor.name pr'), {})).toBe(false);
    });
  });
});
