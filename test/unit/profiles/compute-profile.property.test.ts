import fc from 'fast-check';
import { compileMapping, defaultMapping } from '../../../lambdas/profiles/compile-mapping';
import { computeProfile } from '../../../lambdas/profiles/compute-profile';
import { parseMapping } from '../../../lambdas/profiles/mapping-schema';
import type { ProfileMapping } from '../../../lambdas/profiles/mapping';
import type { ProfileType, ProfileValue } from '../../../lambdas/profiles/types';
import { SchemaUrn } from '../../../lambdas/scim/schemas';

const ENTERPRISE = SchemaUrn.enterpriseUser;
const ACME = 'urn:ietf:params:scim:schemas:extension:Acme:2.0:User';
const STAMP = { id: 'u-1', version: 1, updatedAt: '2024-01-01T00:00:00.000Z' };

/** Mappings that exercise every type, transform and kind of path. */
const MAPPING: ProfileMapping = (() => {
  const parsed = parseMapping({
    attributes: [
      ...defaultMapping().attributes,
      { profile: 'tags', scim: 'roles.value', transform: ['trim', 'lowercase'] },
      { profile: 'workEmails', scim: 'emails[type eq "work"].value' },
      { profile: 'joined', scim: 'emails.value', transform: [{ join: ';' }, { split: ';' }, { join: ', ' }] },
      { profile: 'level', scim: `${ACME}:level`, transform: ['number'] },
      { profile: 'flag', scim: `${ACME}:flag`, transform: ['boolean'], default: false },
      { profile: 'start', scim: `${ACME}:start` },
      { profile: 'count', scim: `${ACME}:count` },
      { profile: 'upper', scim: `${ACME}:upper`, transform: ['uppercase', 'trim'] },
      { profile: 'parts', scim: 'nickName', transform: [{ split: ',' }] },
    ],
    custom: [
      { name: 'tags', type: 'stringList' },
      { name: 'workEmails', type: 'stringList' },
      { name: 'joined', type: 'string' },
      { name: 'level', type: 'number' },
      { name: 'flag', type: 'boolean' },
      { name: 'start', type: 'date' },
      { name: 'count', type: 'number' },
      { name: 'upper', type: 'string' },
      { name: 'parts', type: 'stringList' },
    ],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.mapping;
})();

const TYPES = new Map<string, ProfileType>([
  ...defaultMapping().attributes.map((a): [string, ProfileType] => [a.profile, a.profile === 'manager' ? 'manager' : 'string']),
  ...MAPPING.custom.map((c): [string, ProfileType] => [c.name, c.type]),
]);

const hasType = (type: ProfileType, value: ProfileValue): boolean => {
  switch (type) {
    case 'string':
      return typeof value === 'string' && value !== '';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}\.\d{3}Z)?$/.test(value);
    case 'stringList':
      return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string');
    case 'manager':
      return typeof value === 'object' && !Array.isArray(value) && typeof value.id === 'string';
  }
};

/** Values as clients send them, and anything else JSON can hold. */
const scalar = fc.oneof(
  fc.constantFrom('True', 'false', 'yes', '', ' 42 ', '2024-05-31', '2024-05-31T09:30:00+02:00', '2023-02-29', 'work', 'mobile', 'a,b', 7, 0, 1e308, -0.5, true, false, null),
  fc.string({ maxLength: 10 }),
  fc.integer(),
  fc.double(),
);
const entry = fc.dictionary(fc.constantFrom('value', 'Value', 'type', 'primary', 'display', 'locality', 'displayName', 'x'), fc.oneof(scalar, fc.jsonValue({ maxDepth: 2 })), { maxKeys: 4 });
const value = fc.oneof(scalar, entry, fc.array(fc.oneof(entry, scalar), { maxLength: 4 }), fc.jsonValue({ maxDepth: 3 }));
const key = fc.oneof(
  fc.constantFrom('userName', 'USERNAME', 'active', 'externalId', 'title', 'nickName', 'emails', 'phoneNumbers', 'addresses', 'roles', 'name', 'displayName', ENTERPRISE, ACME),
  fc.string({ maxLength: 8 }),
);
const extension = fc.dictionary(fc.constantFrom('department', 'manager', 'Manager', 'employeeNumber', 'level', 'flag', 'start', 'count', 'upper'), value, { maxKeys: 5 });
const resource = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(key, value, { maxKeys: 8 }),
  fc.tuple(fc.dictionary(key, value, { maxKeys: 6 }), extension, extension).map(([core, enterprise, acme]) => ({ userName: 'u', ...core, [ENTERPRISE]: enterprise, [ACME]: acme })),
);
const groups = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.array(fc.record({ id: fc.string({ maxLength: 3 }), displayName: fc.string({ maxLength: 3 }) }), { maxLength: 3 }));

describe('computeProfile on any JSON', () => {
  it('never throws: a profile whose values have their declared types, or typed problems', () => {
    const compiled = compileMapping(MAPPING);
    fc.assert(
      fc.property(resource, groups, (user, memberOf) => {
        const result = computeProfile(user, memberOf, compiled, STAMP);
        if (result.ok) {
          for (const [name, v] of Object.entries(result.profile.attributes)) expect([name, hasType(TYPES.get(name) as ProfileType, v)]).toEqual([name, true]);
          expect(typeof result.profile.userName).toBe('string');
          expect(typeof result.profile.active).toBe('boolean');
        } else {
          expect(result.problems.length).toBeGreaterThan(0);
          for (const p of result.problems) {
            expect(p).toEqual({ profileAttribute: expect.any(String), scimPath: expect.any(String), value: p.value, problem: expect.any(String) });
            expect(['string', 'number', 'boolean', 'object']).toContain(typeof p.value);
            if (typeof p.value === 'object') expect(p.value).toBeNull();
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never throws whatever is passed as the mapping, the groups or the stamp', () => {
    fc.assert(
      fc.property(resource, fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 }), (user, mapping, memberOf, stamp) => {
        const result = computeProfile(user, memberOf, mapping, stamp as never);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same profile for the stored mapping and its compiled form', () => {
    fc.assert(
      fc.property(resource, (user) => {
        expect(computeProfile(user, [], MAPPING, STAMP)).toEqual(computeProfile(user, [], compileMapping(MAPPING), STAMP));
      }),
      { numRuns: 200 },
    );
  });
});
