import fc from 'fast-check';
import { isScimError } from '../../../lambdas/scim/errors';
import { parseGroupInput, parseUserInput } from '../../../lambdas/scim/resource';
import { SchemaUrn } from '../../../lambdas/scim/schemas';

const ENTERPRISE = SchemaUrn.enterpriseUser;
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:Acme:2.0:User';

/** Keys real clients send, in odd spellings, mixed with arbitrary ones. */
const key = fc.oneof(
  fc.constantFrom(
    'userName', 'USERNAME', 'name', 'Name', 'name.givenName', 'emails', 'Emails', 'phoneNumbers', 'addresses', 'active',
    'roles', 'displayName', 'externalId', 'password', 'groups', 'id', 'meta', 'schemas', 'x509Certificates', 'members',
    ENTERPRISE, ENTERPRISE.toUpperCase(), `${ENTERPRISE}:manager`, `${ENTERPRISE}:Manager.Value`, `${ENTERPRISE}:employeeNumber`,
    CUSTOM, `${CUSTOM}:tier`, `${CUSTOM.toLowerCase()}:Tier`, 'urn:ietf:params:scim:schemas:core:2.0:User',
  ),
  fc.string({ maxLength: 12 }),
);

const subKey = fc.constantFrom('value', 'Value', 'type', 'primary', 'Primary', 'display', '$ref', 'givenName', 'manager', 'department', 'tier', 'x');
const scalar = fc.oneof(fc.constantFrom('True', 'false', 'FALSE', '', 'work', true, false, null, 0, 7), fc.string({ maxLength: 8 }), fc.integer());
const entry = fc.dictionary(subKey, fc.oneof(scalar, fc.dictionary(subKey, scalar, { maxKeys: 3 })), { maxKeys: 5 });
const value = fc.oneof(scalar, entry, fc.array(fc.oneof(entry, scalar), { maxLength: 4 }), fc.jsonValue({ maxDepth: 3 }));

/** Mostly valid users in the spellings Entra and the validators use, so the success path is exercised too. */
const text = fc.string({ maxLength: 8 });
const bool = fc.constantFrom(true, false, 'True', 'False', 'false', 'TRUE');
const spelled = (name: string) => fc.constantFrom(name, name.toUpperCase(), name.toLowerCase());
const withSpelling = <T>(name: string, arb: fc.Arbitrary<T>) => fc.tuple(spelled(name), fc.option(arb, { nil: undefined }));
const multi = fc.array(
  fc.record(
    { value: text, type: fc.constantFrom('work', 'home', 'Work', null), primary: fc.constantFrom(false, 'False', null), display: fc.option(text) },
    { requiredKeys: ['value'] },
  ),
  { maxLength: 3 },
);
const plausibleUser = fc
  .tuple(
    withSpelling('userName', fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s.trim() !== '')),
    withSpelling('active', bool),
    withSpelling('displayName', fc.oneof(text, fc.integer())),
    withSpelling('name', fc.record({ givenName: text, FamilyName: text, formatted: fc.constant(null) }, { requiredKeys: [] })),
    withSpelling('emails', fc.oneof(multi, multi.map((list) => list[0] ?? null))),
    withSpelling('roles', multi),
    withSpelling(ENTERPRISE, fc.record({ Manager: fc.oneof(text, fc.record({ Value: text }), fc.constant([])), department: text }, { requiredKeys: [] })),
    withSpelling(`${CUSTOM}:tier`, fc.oneof(text, fc.integer(), bool)),
    withSpelling('password', text),
  )
  .map((pairs) => Object.fromEntries(pairs.filter(([, v]) => v !== undefined)));

const body = fc.oneof(fc.dictionary(key, value, { maxKeys: 10 }), fc.jsonValue({ maxDepth: 4 }), plausibleUser);

const hasNull = (v: unknown): boolean =>
  v === null || (typeof v === 'object' && Object.values(v as object).some(hasNull));

const outcome = <T>(fn: () => T): { ok: true; value: T } | { ok: false; error: unknown } => {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
};

describe('parseUserInput (property)', () => {
  it('throws nothing but a 400 ScimError, and normalising its output again changes nothing', () => {
    fc.assert(
      fc.property(fc.tuple(body, fc.string({ minLength: 1, maxLength: 10 })), ([input, userName]) => {
        // Half the bodies get a userName, so that both outcomes are exercised.
        const withName = typeof input === 'object' && input !== null && !Array.isArray(input) && userName.length % 2 ? { ...input, userName } : input;
        const first = outcome(() => parseUserInput(withName));
        if (!first.ok) {
          expect(isScimError(first.error)).toBe(true);
          expect(first.error).toMatchObject({ status: 400 });
          return;
        }
        expect(parseUserInput(first.value)).toEqual(first.value);
        expect(hasNull(first.value)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseGroupInput (property)', () => {
  it('throws nothing but a 400 ScimError, and is idempotent on its own output', () => {
    fc.assert(
      fc.property(body, (input) => {
        const withName = typeof input === 'object' && input !== null && !Array.isArray(input) ? { displayName: 'G', ...input } : input;
        const first = outcome(() => parseGroupInput(withName));
        if (!first.ok) {
          expect(isScimError(first.error)).toBe(true);
          expect(first.error).toMatchObject({ status: 400 });
          return;
        }
        const { data, members } = first.value;
        expect(parseGroupInput({ ...data, members })).toEqual(first.value);
      }),
      { numRuns: 1000 },
    );
  });
});
