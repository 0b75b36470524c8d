import fc from 'fast-check';
import { defaultMapping } from '../../../lambdas/profiles/compile-mapping';
import { describeMapping, formatProfileValue, profileAttributeLabel, profileProperties, scimPathLabel } from '../../../lambdas/profiles/labels';
import { parseMapping } from '../../../lambdas/profiles/mapping-schema';
import type { ProfileMapping } from '../../../lambdas/profiles/mapping';
import { isCustomExtensionPath, receivedPaths } from '../../../lambdas/profiles/received-paths';
import type { Profile } from '../../../lambdas/profiles/types';
import { parseUserInput } from '../../../lambdas/scim/user-input';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ACME = 'urn:ietf:params:scim:schemas:extension:Acme:2.0:User';

const MAPPING = ((): ProfileMapping => {
  const parsed = parseMapping({
    attributes: [
      { profile: 'department', scim: 'department', default: 'Unassigned', transform: ['trim', { split: ';' }, { join: ', ' }] },
      { profile: 'costCenterCode', scim: `${ACME}:cc` },
    ],
    custom: [
      { name: 'costCenterCode', type: 'string' },
      { name: 'badgeIDs', type: 'stringList' },
    ],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.mapping;
})();

describe('profileAttributeLabel', () => {
  it.each([
    ['department', 'Department'],
    ['designation', 'Designation'],
    ['preferredLanguage', 'Preferred language'],
    ['costCenterCode', 'Cost center code'],
    ['cost_center', 'Cost center'],
    ['badgeIDs', 'Badge IDs'],
    ['x', 'X'],
    ['httpServerURL', 'Http server URL'],
    ['employeeID', 'Employee ID'],
  ])('%s reads "%s"', (name, label) => {
    expect(profileAttributeLabel(name)).toBe(label);
  });
});

describe('formatProfileValue', () => {
  it.each<[unknown, string]>([
    ['Sales', 'Sales'],
    [42, '42'],
    [false, 'false'],
    [['a', 'b'], 'a, b'],
    [{ id: 'm-1' }, 'm-1'],
    [{ id: 'm-1', displayName: 'Bo' }, 'Bo (m-1)'],
    [[{ id: 'g', displayName: 'Sales' }], 'Sales'],
    [undefined, ''],
  ])('%j reads %j', (value, text) => {
    expect(formatProfileValue(value as never)).toBe(text);
  });
});

describe('profileProperties', () => {
  it('lists the profile as the user page shows it: default attributes in table order, then custom ones as declared', () => {
    const profile = {
      attributes: { badgeIDs: ['7'], costCenterCode: 'CC', designation: 'CEO', department: 'Sales', manager: { id: 'm' } },
    } as unknown as Profile;

    expect(profileProperties(profile, MAPPING)).toEqual([
      { name: 'department', label: 'Department', value: 'Sales' },
      { name: 'designation', label: 'Designation', value: 'CEO' },
      { name: 'manager', label: 'Manager', value: 'm' },
      { name: 'costCenterCode', label: 'Cost center code', value: 'CC' },
      { name: 'badgeIDs', label: 'Badge IDs', value: '7' },
    ]);
  });
});

describe('describeMapping', () => {
  it('gives the console one row per mapped attribute, then the declared custom attributes no entry maps', () => {
    expect(describeMapping(MAPPING)).toEqual([
      { profile: 'department', label: 'Department', type: 'string', custom: false, scim: `${ENTERPRISE}:department`, default: 'Unassigned', transform: 'trim → split ";" → join ", "' },
      { profile: 'costCenterCode', label: 'Cost center code', type: 'string', custom: true, scim: `${ACME}:cc`, default: '', transform: '' },
      { profile: 'badgeIDs', label: 'Badge IDs', type: 'stringList', custom: true, scim: '', default: '', transform: '' },
    ]);
  });

  it('describes the default mapping with the default labels', () => {
    expect(describeMapping(defaultMapping()).map((r) => r.label)).toContain('Designation');
  });
});

describe('receivedPaths', () => {
  it("offers what a user carries as paths a mapping takes, typed entries as value filters (Entra's form)", () => {
    const stored = parseUserInput({
      userName: 'a',
      active: true,
      title: 'CEO',
      name: { givenName: 'A', familyName: 'B' },
      emails: [{ type: 'work', value: 'a@x', primary: true }, { value: 'other@x' }],
      phoneNumbers: [{ type: 'mobile', value: '1' }],
      password: 'secret',
      [ENTERPRISE]: { department: 'Sales', manager: 'm-1' },
      [`${ACME}:tier`]: 'gold',
    });

    expect(receivedPaths({ id: 'u', meta: {}, groups: [], ...stored })).toEqual([
      'userName',
      'active',
      'title',
      'name.givenName',
      'name.familyName',
      'emails[type eq "work"].value',
      'emails.value',
      'phoneNumbers[type eq "mobile"].value',
      `${ENTERPRISE}:department`,
      `${ENTERPRISE}:manager`,
      `${ACME}:tier`,
    ]);
  });

  it('offers only paths that a mapping accepts for their syntax', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (resource) => {
        for (const path of receivedPaths(resource)) {
          const result = parseMapping({ attributes: [{ profile: 'tags', scim: path }], custom: [{ name: 'tags', type: 'stringList' }] });
          const scimProblems = result.ok ? [] : result.problems.filter((p) => p.at === 'attributes[0].scim' && /does not name/.test(p.problem));
          expect(scimProblems).toEqual([]);
        }
      }),
    );
  });

  it('tells custom extension paths apart', () => {
    expect(isCustomExtensionPath(`${ACME}:tier`)).toBe(true);
    expect(isCustomExtensionPath(`${ENTERPRISE}:department`)).toBe(false);
    expect(isCustomExtensionPath('title')).toBe(false);
  });
});

describe('scimPathLabel', () => {
  it('names a path by the default profile attribute it fills, any letter case', () => {
    expect(scimPathLabel('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department')).toBe('Department');
    expect(scimPathLabel('emails[type eq "work"].value')).toBe('Email');
    expect(scimPathLabel('name.givenName')).toBe('First name');
    expect(scimPathLabel('title')).toBe('Designation');
  });

  it('spells out any other path without its schema URN', () => {
    expect(scimPathLabel('active')).toBe('Active');
    expect(scimPathLabel('name.formatted')).toBe('Name formatted');
    expect(scimPathLabel('emails[type eq "home"].value')).toBe('Emails (home) value');
    expect(scimPathLabel('urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User:costCenterCode')).toBe('Cost center code');
  });
});
