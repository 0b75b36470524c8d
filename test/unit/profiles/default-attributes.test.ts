import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_ATTRIBUTES, defaultAttribute } from '../../../lambdas/profiles/default-attributes';
import { defaultMapping } from '../../../lambdas/profiles/compile-mapping';
import { parseMapping } from '../../../lambdas/profiles/mapping-schema';
import { REQUIRED_PRESETS } from '../../../lambdas/scim/required-policy';
import { SchemaUrn } from '../../../lambdas/scim/schemas';
import { formatValuePath, parseValuePath } from '../../../lambdas/scim/value-path';

describe('DEFAULT_ATTRIBUTES', () => {
  it('publishes the names issue 15 lists, once each, in its order', () => {
    expect(DEFAULT_ATTRIBUTES.map((a) => a.name)).toEqual([
      'email', 'firstName', 'lastName', 'displayName', 'department', 'location', 'designation', 'employeeNumber', 'manager',
      'phone', 'mobile', 'costCenter', 'division', 'organization', 'preferredLanguage', 'locale', 'timezone', 'userType',
    ]);
  });

  it('gives every attribute a label, a one-line description and a type; manager is the only manager', () => {
    for (const a of DEFAULT_ATTRIBUTES) {
      expect(a.label).toMatch(/^[A-Z][a-z]/);
      expect(a.description).toMatch(/^[A-Z].*\.$/);
      expect(a.description).not.toContain('\n');
      expect(a.type).toBe(a.name === 'manager' ? 'manager' : 'string');
    }
  });

  it('names each SCIM path in canonical form', () => {
    for (const { scim } of DEFAULT_ATTRIBUTES) {
      const path = parseValuePath('User', scim);
      expect(path && formatValuePath(path)).toBe(scim);
    }
  });

  it("maps to the paths Entra ID's default mapping fills (entra-scim.md §11.2)", () => {
    const bySource = Object.fromEntries(DEFAULT_ATTRIBUTES.filter((a) => a.entraSource).map((a) => [a.entraSource, a.scim]));

    expect(bySource).toEqual({
      mail: 'emails[type eq "work"].value',
      givenName: 'name.givenName',
      surname: 'name.familyName',
      displayName: 'displayName',
      department: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
      city: 'addresses[type eq "work"].locality',
      jobTitle: 'title',
      employeeId: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber',
      manager: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
      telephoneNumber: 'phoneNumbers[type eq "work"].value',
      mobile: 'phoneNumbers[type eq "mobile"].value',
      preferredLanguage: 'preferredLanguage',
    });
  });

  it("covers the attributes of the required-attribute preset for Entra's default mapping", () => {
    const mapped = new Set(DEFAULT_ATTRIBUTES.map((a) => a.scim));
    const profileFields = new Set(['userName', 'active']);

    for (const path of REQUIRED_PRESETS['entra-default']) expect(mapped.has(path) || profileFields.has(path)).toBe(true);
  });

  it('is documented row by row in docs/profiles.md (name, type, label, SCIM path, Entra source)', () => {
    const doc = readFileSync(path.resolve(__dirname, '../../../docs/profiles.md'), 'utf8');
    const short = (scim: string) => scim.replace(`${SchemaUrn.enterpriseUser}:`, 'enterprise:');

    for (const a of DEFAULT_ATTRIBUTES) {
      const row = `| \`${a.name}\` | ${a.type} | ${a.label} | \`${short(a.scim)}\` | ${a.entraSource ? `\`${a.entraSource}\`` : '—'} |`;
      expect(doc).toContain(row);
    }
  });

  it('finds an attribute by name, and nothing for other names', () => {
    expect(defaultAttribute('designation')?.label).toBe('Designation');
    expect(defaultAttribute('constructor')).toBeUndefined();
    expect(defaultAttribute('Department')).toBeUndefined();
  });
});

describe('defaultMapping', () => {
  it('maps every default attribute from its path, with no default and no transform', () => {
    expect(defaultMapping().attributes).toEqual(DEFAULT_ATTRIBUTES.map((a) => ({ profile: a.name, scim: a.scim, default: null, transform: [] })));
    expect(parseMapping(defaultMapping()).ok).toBe(true);
  });

  it('is a new object each time, so one application cannot change another’s', () => {
    const one = defaultMapping();
    one.attributes.pop();

    expect(defaultMapping().attributes).toHaveLength(DEFAULT_ATTRIBUTES.length);
  });
});
