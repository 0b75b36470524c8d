import fc from 'fast-check';
import { defaultMapping } from '../../../lambdas/profiles/compile-mapping';
import { mappingError, parseMapping, type MappingProblem } from '../../../lambdas/profiles/mapping-schema';
import type { ProfileMapping } from '../../../lambdas/profiles/mapping';
import { SchemaUrn } from '../../../lambdas/scim/schemas';

const ENTERPRISE = SchemaUrn.enterpriseUser;
const ACME = 'urn:ietf:params:scim:schemas:extension:Acme:2.0:User';

const problemsOf = (input: unknown): MappingProblem[] => {
  const result = parseMapping(input);
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.mapping)}`);
  return result.problems;
};

const mappingOf = (input: unknown): ProfileMapping => {
  const result = parseMapping(input);
  if (!result.ok) throw new Error(`expected a mapping, got ${JSON.stringify(result.problems)}`);
  return result.mapping;
};

const one = (entry: Record<string, unknown>, custom: unknown[] = []) => ({ attributes: [entry], custom });

describe('parseMapping', () => {
  it("accepts the issue's example and keeps it in canonical form", () => {
    const mapping = mappingOf({
      attributes: [{ profile: 'department', scim: `${ENTERPRISE}:department`, default: null, transform: [] }],
      custom: [{ name: 'costCenterCode', type: 'string' }],
    });

    expect(mapping).toEqual({
      attributes: [{ profile: 'department', scim: `${ENTERPRISE}:department`, default: null, transform: [] }],
      custom: [{ name: 'costCenterCode', type: 'string' }],
    });
  });

  it.each([
    ['department', `${ENTERPRISE}:department`],
    ['Department', `${ENTERPRISE}:department`],
    [`${ENTERPRISE.toLowerCase()}:DEPARTMENT`, `${ENTERPRISE}:department`],
    ['NAME.givenname', 'name.givenName'],
    ['addresses[type eq work].locality', 'addresses[type eq "work"].locality'],
    ['phoneNumbers[TYPE eq "mobile"].Value', 'phoneNumbers[type eq "mobile"].value'],
    ['manager.value', `${ENTERPRISE}:manager.value`],
    [`${ACME}:costCode`, `${ACME}:costCode`],
    ['urn:ietf:params:scim:schemas:core:2.0:User:title', 'title'],
  ])('stores the path %s as %s (short extension names resolved like the required-attribute policy)', (scim, canonical) => {
    expect(mappingOf(one({ profile: 'designation', scim })).attributes[0].scim).toBe(canonical);
  });

  it('fills in default and transform when they are left out', () => {
    expect(mappingOf({ attributes: [{ profile: 'email', scim: 'emails[type eq "work"].value' }] })).toEqual({
      attributes: [{ profile: 'email', scim: 'emails[type eq "work"].value', default: null, transform: [] }],
      custom: [],
    });
  });

  it('a canonical mapping is a fixed point: parsing it again gives it back', () => {
    const first = mappingOf({
      attributes: [
        { profile: 'department', scim: 'department', transform: ['trim', { split: ';' }, { join: ', ' }] },
        { profile: 'startDate', scim: `${ACME}:start`, default: '2024-05-31T09:00:00+02:00' },
        { profile: 'tags', scim: 'roles.value', transform: ['lowercase'] },
      ],
      custom: [
        { name: 'startDate', type: 'date' },
        { name: 'tags', type: 'stringList' },
      ],
    });

    expect(first.attributes[1].default).toBe('2024-05-31T07:00:00.000Z');
    expect(mappingOf(first)).toEqual(first);
  });

  it("the default mapping (Entra's default attributes) is valid and canonical", () => {
    expect(mappingOf(defaultMapping())).toEqual(defaultMapping());
  });

  it.each<[string, unknown, string, RegExp]>([
    ['not an object', 'x', 'mapping', /must be a JSON object \{"attributes"/],
    ['attributes missing', {}, 'attributes', /must be a list of mapping entries/],
    ['an unknown top-level field', { attributes: [], extra: 1 }, 'mapping', /unknown field "extra"; a mapping has "attributes" and "custom"/],
    ['an entry that is not an object', { attributes: [7] }, 'attributes[0]', /must be an object like/],
    ['a misspelled field', one({ profile: 'email', scim: 'title', defualt: 'x' }), 'attributes[0]', /unknown field "defualt"; an entry has "profile", "scim", "default" and "transform"/],
    ['scim not text', one({ profile: 'email', scim: 5 }), 'attributes[0].scim', /must be a SCIM attribute path/],
    ['an empty scim path', one({ profile: 'email', scim: '' }), 'attributes[0].scim', /must be a SCIM attribute path, e\.g\. name\.givenName/],
    ['an unknown transform', one({ profile: 'email', scim: 'title', transform: ['reverse'] }), 'attributes[0].transform[0]', /must be one of "trim", "lowercase", "uppercase", "boolean", "number", \{"split": "<separator>"\} or \{"join": "<separator>"\}/],
    ['split without separator', one({ profile: 'email', scim: 'title', transform: ['split'] }), 'attributes[0].transform[0]', /\{"split": "<separator>"\}/],
    ['an empty separator', one({ profile: 'email', scim: 'title', transform: [{ join: '' }] }), 'attributes[0].transform[0].join', /the separator must not be empty/],
    ['a custom type that does not exist', { attributes: [], custom: [{ name: 'a', type: 'integer' }] }, 'custom[0].type', /must be one of "string", "boolean", "number", "date", "stringList"/],
  ])('refuses %s, naming where and what is valid', (_, input, at, why) => {
    const problem = problemsOf(input).find((p) => p.at === at);

    expect(problem?.problem).toMatch(why);
  });

  it.each<[string, unknown, string, RegExp]>([
    ['an undeclared profile attribute', one({ profile: 'startDate', scim: 'title' }), 'attributes[0].profile', /"startDate" is neither a default profile attribute nor declared in "custom"; declare it there first, e\.g\. \{"name": "startDate", "type": "string"\}/],
    ['a path no schema has', one({ profile: 'email', scim: 'mail' }), 'attributes[0].scim', /"mail" does not name a User attribute.*Write a path as SCIM requests do/],
    ['a bad value filter', one({ profile: 'email', scim: 'emails[kind eq "work"].value' }), 'attributes[0].scim', /must read <sub-attribute> eq <value>/],
    ['an ambiguous short name', one({ profile: 'email', scim: 'nope.value' }), 'attributes[0].scim', /"nope" is not an attribute/],
    ['the read-only groups', one({ profile: 'email', scim: 'groups.display' }), 'attributes[0].scim', /fills the profile's own "groups" list/],
    ['the read-only id', one({ profile: 'email', scim: 'id' }), 'attributes[0].scim', /"id" is never part of a stored user/],
    ['the write-only password', one({ profile: 'email', scim: 'password' }), 'attributes[0].scim', /"password" is never part of a stored user/],
    ['a complex source for text', one({ profile: 'email', scim: 'name' }), 'attributes[0].scim', /"name" holds objects, and only the manager type takes one\. Name one of its sub-attributes/],
    ['a filtered entry without sub-attribute', one({ profile: 'email', scim: 'emails[type eq "work"]' }), 'attributes[0].scim', /holds objects/],
    ['the manager object for text', one({ profile: 'department', scim: `${ENTERPRISE}:manager` }), 'attributes[0].scim', /only the manager type takes one/],
    ['join on a single value', one({ profile: 'email', scim: 'title', transform: [{ join: ',' }] }), 'attributes[0].transform[0]', /"join" takes a list of values .* but here it gets text \("title" gives text\)/],
    ['lowercase on a boolean', one({ profile: 'email', scim: 'active', transform: ['lowercase'] }), 'attributes[0].transform[0]', /"lowercase" takes text or a list of text, but here it gets a boolean/],
    ['number after boolean', one({ profile: 'email', scim: 'title', transform: ['boolean', 'number'] }), 'attributes[0].transform[1]', /"number" takes text or a number, but here it gets a boolean \(after "boolean" it is a boolean\)/],
    ['split to a string attribute', one({ profile: 'email', scim: 'title', transform: [{ split: ',' }] }), 'attributes[0].transform', /after "split" it is a list of values, which cannot fill the string attribute "email"\. Add \{"join": ", "\}/],
    ['a boolean for a date', one({ profile: 'hired', scim: 'active' }, [{ name: 'hired', type: 'date' }]), 'attributes[0].scim', /"active" gives a boolean, which cannot fill the date attribute "hired"/],
    ['a default of the wrong type', one({ profile: 'email', scim: 'title', default: 5 }), 'attributes[0].default', /must be a string like "Sales", or null for none/],
    ['an empty default', one({ profile: 'email', scim: 'title', default: '' }), 'attributes[0].default', /write null for none/],
    ['a date default that is no date', one({ profile: 'hired', scim: 'title', default: '2024-02-30' }, [{ name: 'hired', type: 'date' }]), 'attributes[0].default', /must be an ISO 8601 date/],
    ['a list default with a number', one({ profile: 'tags', scim: 'roles.value', default: ['a', 1] }, [{ name: 'tags', type: 'stringList' }]), 'attributes[0].default', /must be a stringList like \["a", "b"\]/],
    ['a manager default without id', one({ profile: 'manager', scim: 'manager', default: { displayName: 'Boss' } }), 'attributes[0].default', /must be a manager like \{"id": "<user id>"\}/],
    ['a profile attribute mapped twice', { attributes: [{ profile: 'email', scim: 'title' }, { profile: 'email', scim: 'displayName' }] }, 'attributes[1].profile', /"email" is already mapped by attributes\[0\]; map each profile attribute once/],
    ['a custom name outside the pattern', { attributes: [], custom: [{ name: 'Cost-Center', type: 'string' }] }, 'custom[0].name', /start with a lower-case letter, then up to 63 letters, digits or "_"/],
    ['a custom name of 65 characters', { attributes: [], custom: [{ name: `a${'b'.repeat(64)}`, type: 'string' }] }, 'custom[0].name', /up to 63/],
    ['a custom name that is a default attribute', { attributes: [], custom: [{ name: 'department', type: 'string' }] }, 'custom[0].name', /is a default profile attribute; map it in "attributes" without declaring it/],
    ['a custom name that is a profile field', { attributes: [], custom: [{ name: 'groups', type: 'stringList' }] }, 'custom[0].name', /is a field of every profile/],
    ['a custom name declared twice', { attributes: [], custom: [{ name: 'a', type: 'string' }, { name: 'a', type: 'date' }] }, 'custom[1].name', /declared twice/],
  ])('refuses %s, naming the entry and field', (_, input, at, why) => {
    const problems = problemsOf(input);

    expect(problems.map((p) => p.at)).toContain(at);
    expect(problems.find((p) => p.at === at)?.problem).toMatch(why);
  });

  it('reports every problem of a mapping at once', () => {
    const problems = problemsOf({
      attributes: [
        { profile: 'email', scim: 'mail' },
        { profile: 'nope', scim: 'title' },
        { profile: 'phone', scim: 'title', default: 1 },
      ],
    });

    expect(problems.map((p) => p.at)).toEqual(['attributes[0].scim', 'attributes[1].profile', 'attributes[2].default']);
  });

  it.each([
    ['a trim on a list', { profile: 'tags', scim: 'emails.value', transform: ['trim', 'lowercase'] }, 'stringList'],
    ['split then join', { profile: 'phone', scim: 'title', transform: [{ split: ';' }, 'trim', { join: ' / ' }] }, 'string'],
    ['join of a multi-valued attribute', { profile: 'phone', scim: 'phoneNumbers.value', transform: [{ join: ', ' }] }, 'string'],
    ['boolean of text', { profile: 'flag', scim: 'title', transform: ['boolean'] }, 'boolean'],
    ['number of text', { profile: 'level', scim: `${ENTERPRISE}:employeeNumber`, transform: ['trim', 'number'] }, 'number'],
    ['a number to a string attribute', { profile: 'phone', scim: `${ENTERPRISE}:costCenter`, transform: ['number'] }, 'string'],
    ['an open-typed custom extension attribute', { profile: 'level', scim: `${ACME}:level` }, 'number'],
    ['the manager id only', { profile: 'manager', scim: 'manager.value' }, 'string'],
  ])('accepts %s', (_, entry, type) => {
    const name = entry.profile;
    const custom = ['tags', 'flag', 'level'].includes(name) ? [{ name, type }] : [];

    expect(parseMapping({ attributes: [entry], custom }).ok).toBe(true);
  });

  it('never throws on any JSON input: a mapping or problems naming where', () => {
    const entry = fc.record(
      {
        profile: fc.oneof(fc.constantFrom('email', 'department', 'manager', 'tags', 'x'), fc.string({ maxLength: 6 })),
        scim: fc.oneof(fc.constantFrom('title', 'emails.value', 'emails[type eq "work"].value', 'manager', 'name', `${ACME}:x`, 'groups'), fc.string({ maxLength: 12 })),
        default: fc.jsonValue({ maxDepth: 2 }),
        transform: fc.array(fc.oneof(fc.constantFrom('trim', 'number', 'boolean', 'lowercase'), fc.record({ split: fc.string({ maxLength: 3 }) }), fc.record({ join: fc.string({ maxLength: 3 }) }), fc.jsonValue({ maxDepth: 1 })), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    );
    const custom = fc.record({ name: fc.oneof(fc.constantFrom('tags', 'department', 'userName'), fc.string({ maxLength: 6 })), type: fc.oneof(fc.constantFrom('string', 'stringList', 'date'), fc.jsonValue({ maxDepth: 1 })) }, { requiredKeys: [] });
    const input = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.record({ attributes: fc.array(fc.oneof(entry, fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 }), custom: fc.array(custom, { maxLength: 3 }) }, { requiredKeys: [] }));

    fc.assert(
      fc.property(input, (value) => {
        const result = parseMapping(value);
        if (result.ok) {
          expect(parseMapping(result.mapping)).toEqual(result);
        } else {
          expect(result.problems.length).toBeGreaterThan(0);
          for (const p of result.problems) expect(p.problem).toEqual(expect.any(String));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('mappingError', () => {
  it('is a 400 invalidValue listing every problem after where it is', () => {
    const error = mappingError(problemsOf({ attributes: [{ profile: 'email', scim: 'mail' }, { profile: 'nope', scim: 'title' }] }));

    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toMatch(/^Invalid mapping: attributes\[0\]\.scim: "mail" does not name a User attribute.*; attributes\[1\]\.profile: "nope" is neither/);
  });
});
