/**
 * fast-check generators for everything a SCIM client can put in a request: bodies (valid ones
 * mutated, random JSON, and raw texts JSON.stringify cannot produce — duplicate keys, `__proto__`,
 * 10,000-level nesting, lone surrogates, truncations), PATCH operations and paths, filters,
 * `attributes`, paging parameters and ids.
 */
import fc from 'fast-check';

export const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SEARCH_URN = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/** One of a list that changes while the property runs (ids created by earlier runs). */
export const pick = (list: () => readonly string[]): fc.Arbitrary<string> => fc.nat().map((i) => list()[i % Math.max(list().length, 1)] ?? 'none');

// ─── strings ────────────────────────────────────────────────────────────────────────────────────

/** Strings that have broken parsers, key builders and case folding elsewhere. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\ud800', // lone high surrogate
  '\udfff', // lone low surrogate
  'a\ud83d', // high surrogate at the end
  '\udc00b',
  '\u202e\u0041', // right-to-left override
  'A\u0300', // combining accent
  '\ufeff', // BOM
  '𝕏𝕐',
  'ǅ',
  'ß',
  'İ', // lower-cases to two code units
  'ﬃ',
  '%00',
  '%2F',
  '../..',
  '..%2F..',
  '"',
  '\\',
  '\\u0000',
  '\n\r\t',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'APP#x#USER#y',
  'USER',
  'null',
  'undefined',
  'NaN',
  'true',
  '1e309',
  '-0',
  '<script>alert(1)</script>',
  "' OR '1'='1",
  '${jndi:ldap://x}',
  '{{7*7}}',
  'scgw_admin_boot_' + 'A'.repeat(43),
];

const loneSurrogates = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff');

/** Any string, weighted toward the awkward: binary code points, lone surrogates, the list above. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string() },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), loneSurrogates), maxLength: 12 }) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 1, arbitrary: fc.constantFrom(513, 1025, 2049, 70_000).map((n) => 'x'.repeat(n)) },
);

/** Strings a URL path segment can carry (encodeURIComponent refuses lone surrogates). */
export const encodable = (s: string): boolean => {
  try {
    encodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
};

// ─── JSON values ────────────────────────────────────────────────────────────────────────────────

export const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString,
    fc.integer(),
    fc.double(),
    fc.constantFrom(0, -1, 2 ** 53, -(2 ** 63), 1e308, Number.MIN_VALUE),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(nastyString.filter((k) => k !== '__proto__'), tie('value'), { maxKeys: 4 }),
  ),
})).value;

// ─── bodies ─────────────────────────────────────────────────────────────────────────────────────

/** A body as the raw text sent; `label` says what kind of mutation made it (for the figures). */
export interface RawBody {
  label: string;
  raw: string;
}

export const entraUser = (userName: string, externalId = `ext-${userName}`) => ({
  schemas: [USER_URN, ENTERPRISE_URN],
  externalId,
  userName,
  active: true,
  displayName: `Display ${userName}`,
  emails: [{ primary: true, type: 'work', value: `${userName}@example.com` }],
  name: { formatted: 'Given Family', familyName: 'Family', givenName: 'Given' },
  [ENTERPRISE_URN]: { employeeNumber: '42', department: 'R&D', manager: { value: 'someone' } },
});

export const entraGroup = (displayName: string) => ({ schemas: [GROUP_URN], displayName, externalId: `ext-${displayName}`, members: [] as unknown[] });

type Json = Record<string, unknown>;

/** Sets (or deletes, with `undefined`) a value at a path of a JSON object copy. */
const withAt = (base: Json, path: string[], value: unknown): Json => {
  const copy = JSON.parse(JSON.stringify(base)) as Json;
  let node: Json = copy;
  for (const key of path.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as Json;
  }
  const last = path[path.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
};

/** Paths worth breaking in a User body. */
const USER_PATHS = [
  ['userName'],
  ['externalId'],
  ['active'],
  ['schemas'],
  ['id'],
  ['meta'],
  ['emails'],
  ['emails', '0'],
  ['emails', '0', 'value'],
  ['emails', '0', 'type'],
  ['emails', '0', 'primary'],
  ['name'],
  ['name', 'givenName'],
  ['displayName'],
  ['groups'],
  ['password'],
  ['phoneNumbers'],
  ['addresses'],
  [ENTERPRISE_URN],
  [ENTERPRISE_URN, 'manager'],
  [ENTERPRISE_URN, 'manager', 'value'],
  ['urn:ietf:params:scim:schemas:extension:custom:2.0:User'],
  ['urn:ietf:params:scim:schemas:extension:custom:2.0:User', 'costCenter'],
  ['unknownAttribute'],
];
const GROUP_PATHS = [['displayName'], ['externalId'], ['schemas'], ['members'], ['members', '0'], ['members', '0', 'value'], ['id'], ['meta'], ['unknown']];

/** Mutations of a valid body: one path set to a random value or removed. */
const mutatedBody = (valid: () => Json, paths: string[][]): fc.Arbitrary<RawBody> =>
  fc
    .tuple(fc.constantFrom(...paths), fc.option(jsonValue, { nil: undefined, freq: 5 }), fc.nat(3))
    .map(([path, value, extra]) => {
      let body = withAt(valid(), path, value);
      // Sometimes a second, unrelated mutation.
      if (extra === 0) body = withAt(body, ['userName'], 42);
      return { label: value === undefined ? 'removed attribute' : 'wrong type/value', raw: JSON.stringify(body) };
    });

/** A tall tower of objects or arrays in place of one attribute. */
const nestedBody = (valid: () => Json, key: string): fc.Arbitrary<RawBody> =>
  fc.tuple(fc.constantFrom(100, 1_000, 2_000, 3_000, 4_000, 6_000, 10_000, 100_000), fc.boolean()).map(([depth, arrays]) => {
    const tower = arrays ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const text = JSON.stringify(valid());
    return { label: `nesting ${depth}`, raw: `${text.slice(0, -1)},"${key}":${tower}}` };
  });

/** Texts JSON.stringify never produces. */
const rawOnlyBodies = (valid: () => Json): fc.Arbitrary<RawBody> => {
  const text = () => JSON.stringify(valid());
  return fc.oneof(
    fc.constant(null).map(() => ({ label: 'duplicate keys', raw: `{"userName":"dup-a","displayName":"dup","userName":"dup-b",${text().slice(1)}` })),
    fc.constant(null).map(() => ({ label: 'duplicate keys', raw: `${text().slice(0, -1)},"schemas":["${USER_URN}"],"schemas":"x"}` })),
    fc.constant(null).map(() => ({ label: '__proto__ key', raw: `{"__proto__":{"isAdmin":true},${text().slice(1)}` })),
    fc.constant(null).map(() => ({ label: '__proto__ key', raw: `${text().slice(0, -1)},"name":{"constructor":{"prototype":{"x":1}}}}` })),
    fc.constant(null).map(() => ({ label: 'lone surrogate escape', raw: `${text().slice(0, -1)},"displayName":"\\ud800 \\udfff x\\ud83d"}` })),
    fc.constant(null).map(() => ({ label: 'lone surrogate escape', raw: `{"schemas":["${USER_URN}"],"userName":"\\udc00lone","displayName":"\\ud800"}` })),
    fc.nat().map((n) => {
      const t = text();
      return { label: 'truncated JSON', raw: t.slice(0, n % t.length) };
    }),
    fc.constantFrom('', ' ', 'null', '[]', '[{}]', '"text"', '42', 'true', '{}', '{"a":}', "{'single':'quotes'}", '{"a":1,}', 'NaN', '\u0000', '{"userName":"x"}garbage').map((raw) => ({
      label: 'not an object',
      raw,
    })),
    fc.constantFrom(300_000, 400_000, 900_000, 1_100_000).map((n) => ({ label: `huge string ${n}`, raw: `${text().slice(0, -1)},"displayName":"${'x'.repeat(n)}"}` })),
    fc.constantFrom(10_000, 60_000).map((n) => ({
      label: `many values ${n}`,
      raw: `${text().slice(0, -1)},"emails":[${Array.from({ length: n }, (_, i) => `{"value":"e${i}@x.org","type":"other"}`).join(',')}]}`,
    })),
  );
};

export const userBody = (valid: () => Json): fc.Arbitrary<RawBody> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(null).map(() => ({ label: 'valid', raw: JSON.stringify(valid()) })) },
    { weight: 6, arbitrary: mutatedBody(valid, USER_PATHS) },
    { weight: 2, arbitrary: jsonValue.map((v) => ({ label: 'random JSON', raw: JSON.stringify(v) ?? 'null' })) },
    { weight: 2, arbitrary: nestedBody(valid, 'name') },
    { weight: 3, arbitrary: rawOnlyBodies(valid) },
  );

export const groupBody = (valid: () => Json, memberIds: () => string[]): fc.Arbitrary<RawBody> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(null).map(() => ({ label: 'valid', raw: JSON.stringify(valid()) })) },
    {
      weight: 2,
      arbitrary: fc
        .array(fc.oneof(pick(memberIds), fc.uuid(), nastyString), { maxLength: 6 })
        .map((ids) => ({ label: 'members', raw: JSON.stringify({ ...valid(), members: ids.map((value) => ({ value })) }) })),
    },
    { weight: 6, arbitrary: mutatedBody(valid, GROUP_PATHS) },
    { weight: 2, arbitrary: jsonValue.map((v) => ({ label: 'random JSON', raw: JSON.stringify(v) ?? 'null' })) },
    { weight: 1, arbitrary: nestedBody(valid, 'displayName') },
    { weight: 3, arbitrary: rawOnlyBodies(valid) },
  );

// ─── PATCH ──────────────────────────────────────────────────────────────────────────────────────

const OPS = ['add', 'replace', 'remove', 'Add', 'Replace', 'Remove', 'ADD', 'REPLACE', 'move', 'copy', 'test', '', 'delete'];

const USER_PATCH_PATHS = [
  'userName',
  'active',
  'displayName',
  'externalId',
  'name.givenName',
  'name.familyName',
  'name',
  'emails',
  'emails[type eq "work"].value',
  'emails[type eq "work"]',
  'emails[type eq "work" and primary eq true].value',
  'emails[value co "@"]',
  'phoneNumbers[type eq "mobile"].value',
  'addresses[type eq "work"].streetAddress',
  'addresses[type eq "work"].locality',
  `${ENTERPRISE_URN}:manager`,
  `${ENTERPRISE_URN}:department`,
  `${ENTERPRISE_URN}:manager.value`,
  'urn:ietf:params:scim:schemas:extension:custom:2.0:User:costCenter',
  'id',
  'meta.created',
  'groups',
  'password',
  'emails[',
  'emails[type eq ]',
  'emails[type eq "work"',
  'emails]',
  'a.b.c.d',
  'name.givenName.x',
  'emails[type eq "work"].value.x',
  'x[y[z eq 1]]',
  'emails[not (type eq "work")].value',
  'members',
];

const GROUP_PATCH_PATHS = [
  'members',
  'members[value eq "x"]',
  'members[value eq "%ID%"]',
  'members[value ne "x"]',
  'members[display co "a"]',
  'members.value',
  'displayName',
  'externalId',
  'id',
  'members[',
  'members[value eq ]',
  'displayname',
  'MEMBERS',
  'urn:ietf:params:scim:schemas:core:2.0:Group:displayName',
  'urn:ietf:params:scim:schemas:core:2.0:Group:members',
];

const patchOp = (paths: string[], values: fc.Arbitrary<unknown>) =>
  fc.record(
    {
      op: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...OPS) }, { weight: 1, arbitrary: jsonValue }),
      path: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...paths) }, { weight: 2, arbitrary: nastyString }, { weight: 1, arbitrary: jsonValue }),
      value: values,
    },
    { requiredKeys: ['op'] },
  );

export const userPatchValue: fc.Arbitrary<unknown> = fc.oneof(
  jsonValue,
  fc.constantFrom('True', 'False', true, false, 'user@example.com', { value: 'x' }, [{ value: 'a@b.c', type: 'work' }]),
  fc.record({ [`${ENTERPRISE_URN}:manager`]: fc.constant({ value: 'm' }), 'name.givenName': nastyString, active: fc.constantFrom('False', false, 'yes') }),
);

export const memberValue = (ids: () => string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.array(fc.record({ value: fc.oneof(pick(ids), fc.uuid(), nastyString) }), { maxLength: 5 }),
    fc.record({ value: pick(ids) }),
    jsonValue,
  );

/** Operations Entra actually sends (so that many PATCHes get past validation into the store). */
const plausibleUserOp = fc.oneof(
  fc.record({ op: fc.constantFrom('replace', 'Replace', 'add'), path: fc.constant('active'), value: fc.constantFrom(true, false, 'True', 'False') }),
  fc.record({ op: fc.constantFrom('replace', 'add'), path: fc.constantFrom('displayName', 'name.givenName', 'name.familyName', 'title', `${ENTERPRISE_URN}:department`), value: nastyString }),
  fc.record({ op: fc.constant('replace'), path: fc.constant('emails[type eq "work"].value'), value: fc.emailAddress() }),
  fc.record({ op: fc.constant('add'), path: fc.constant(`${ENTERPRISE_URN}:manager`), value: fc.oneof(fc.uuid(), fc.record({ value: fc.uuid() })) }),
  fc.record({ op: fc.constant('remove'), path: fc.constantFrom(`${ENTERPRISE_URN}:manager`, 'title', 'phoneNumbers[type eq "mobile"]') }),
  fc.record({ op: fc.constant('replace'), value: fc.record({ displayName: nastyString, active: fc.boolean(), 'name.givenName': fc.string() }, { requiredKeys: [] }) }),
);

const plausibleGroupOp = (ids: () => string[]) =>
  fc.oneof(
    fc.record({ op: fc.constantFrom('add', 'Add'), path: fc.constant('members'), value: fc.array(fc.record({ value: pick(ids) }), { minLength: 1, maxLength: 5 }) }),
    fc.record({ op: fc.constantFrom('remove', 'Remove'), path: fc.constant('members'), value: fc.array(fc.record({ value: pick(ids) }), { maxLength: 3 }) }),
    pick(ids).map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` })),
    fc.record({ op: fc.constant('replace'), path: fc.constant('displayName'), value: nastyString }),
    fc.record({ op: fc.constant('replace'), value: fc.record({ displayName: nastyString, externalId: fc.string() }, { requiredKeys: [] }) }),
  );

/** PATCH bodies: well-formed envelopes with random operations, and broken envelopes. */
export const patchBody = (paths: 'user' | 'group', ids: () => string[]): fc.Arbitrary<RawBody> => {
  const pathList = (paths === 'user' ? USER_PATCH_PATHS : GROUP_PATCH_PATHS).map((p) => p.replace('%ID%', ids()[0] ?? 'x'));
  const values = paths === 'user' ? userPatchValue : fc.oneof(memberValue(ids), jsonValue, fc.constantFrom('New name', '', 'ǅ'));
  const plausible: fc.Arbitrary<unknown> = paths === 'user' ? plausibleUserOp : plausibleGroupOp(ids);
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.array(plausible, { minLength: 1, maxLength: 4 }).map((ops) => ({ label: 'plausible operations', raw: JSON.stringify({ schemas: [PATCH_URN], Operations: ops }) })),
    },
    {
      weight: 8,
      arbitrary: fc.array(patchOp(pathList, values), { minLength: 0, maxLength: 5 }).map((ops) => ({
        label: 'operations',
        raw: JSON.stringify({ schemas: [PATCH_URN], Operations: ops }),
      })),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({ schemas: fc.oneof(fc.constant([PATCH_URN]), jsonValue), Operations: jsonValue }, { requiredKeys: [] })
        .map((b) => ({ label: 'broken envelope', raw: JSON.stringify(b) })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(1_000, 5_000).map((n) => ({
        label: `many operations ${n}`,
        raw: JSON.stringify({ schemas: [PATCH_URN], Operations: Array.from({ length: n }, (_, i) => ({ op: 'replace', path: 'displayName', value: `n${i}` })) }),
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(100, 1_000, 10_000).map((depth) => ({
        label: `nested value ${depth}`,
        raw: `{"schemas":["${PATCH_URN}"],"Operations":[{"op":"add","path":"${paths === 'user' ? 'displayName' : 'members'}","value":${'['.repeat(depth)}1${']'.repeat(depth)}}]}`,
      })),
    },
    { weight: 1, arbitrary: rawOnlyBodies(() => ({ schemas: [PATCH_URN], Operations: [{ op: 'replace', path: 'displayName', value: 'x' }] })) },
  );
};

// ─── filters ────────────────────────────────────────────────────────────────────────────────────

const FILTER_ATTRS = [
  'userName',
  'externalId',
  'id',
  'active',
  'displayName',
  'emails',
  'emails.value',
  'emails[type eq "work"].value',
  'emails[type eq "work"]',
  'name.givenName',
  'meta.lastModified',
  'meta.created',
  'members',
  'members.value',
  'groups.value',
  `${ENTERPRISE_URN}:employeeNumber`,
  `${ENTERPRISE_URN}:manager.value`,
  'urn:ietf:params:scim:schemas:core:2.0:User:userName',
  'unknownAttr',
  'USERNAME',
  'x.y.z',
];
const FILTER_OPS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr', 'EQ', 'Eq', 'like', '==', ''];

const filterValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('"fuzz.1"', '"Display fuzz.2"', '"x@example.com"', '"ext-fuzz.3"', '"work"', '"Given"') },
  nastyString.map((s) => JSON.stringify(s)),
  fc.constantFrom('true', 'false', 'null', '42', '-1.5e3', '"2026-01-01T00:00:00Z"', 'unquoted', '"unterminated', "'single'"),
  fc.integer().map(String),
);

const VALID_OPS = ['eq', 'eq', 'eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr'];
const comparison = fc
  .tuple(fc.constantFrom(...FILTER_ATTRS), fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...VALID_OPS) }, { weight: 1, arbitrary: fc.constantFrom(...FILTER_OPS) }), filterValue)
  .map(([attr, op, value]) => (op.toLowerCase() === 'pr' ? `${attr} pr` : `${attr} ${op} ${value}`));

export const filterText: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: comparison },
  {
    weight: 3,
    arbitrary: fc.letrec<{ f: string }>((tie) => ({
      f: fc.oneof(
        { depthSize: 'small' },
        comparison,
        fc.tuple(tie('f'), fc.constantFrom('and', 'or', 'AND', 'Or'), tie('f')).map(([a, op, b]) => `${a} ${op} ${b}`),
        tie('f').map((f) => `not (${f})`),
        tie('f').map((f) => `(${f})`),
        fc.tuple(fc.constantFrom('emails', 'members', 'addresses'), tie('f')).map(([a, f]) => `${a}[${f}]`),
      ),
    })).f,
  },
  { weight: 1, arbitrary: nastyString },
  {
    weight: 1,
    arbitrary: fc.constantFrom(200, 2_000, 20_000).map((n) => Array.from({ length: n }, (_, i) => `userName eq "u${i}"`).join(' or ')),
  },
  { weight: 1, arbitrary: fc.constantFrom(100, 1_000, 10_000).map((n) => `${'('.repeat(n)}userName eq "x"${')'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.constantFrom(100, 1_000, 10_000).map((n) => `${'not ('.repeat(n)}active eq true${')'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.tuple(comparison, fc.nat()).map(([f, n]) => f.slice(0, n % (f.length + 1))) },
);

// ─── list parameters ────────────────────────────────────────────────────────────────────────────

const intText = fc.oneof(
  fc.integer().map(String),
  fc.constantFrom('0', '-1', '1', '2', '1000', '1001', '2147483648', '9007199254740993', '99999999999999999999999', '1.5', '1e3', '0x10', ' 1', '', 'abc', '+5', '-0', '١٢'),
);

/** A cursor that is well-formed base64url JSON but made up; `forged` ones name the right list. */
export const cursorText = (forged: () => { p: string; q: string }[]): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('', ' ', 'abc', '!!!', 'eyJ9', 'null'),
    nastyString,
    fc
      .tuple(
        fc.constantFrom(...forged()),
        fc.oneof(
          fc.constant(undefined),
          fc.constant({}),
          fc.constant({ foo: 'bar' }),
          fc.constant({ gsi1pk: 'x', gsi1sk: 'y' }),
          fc.dictionary(fc.constantFrom('pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'x'), nastyString, { maxKeys: 5 }),
          fc.constant({ pk: 'APP#other#USER#1', sk: 'USER', gsi1pk: 'APP#other#USERS', gsi1sk: '1' }),
        ),
        fc.oneof(fc.constant(undefined), fc.integer(), fc.constantFrom(1e21, -1, 0.5, 2 ** 53)),
      )
      .map(([pq, k, o]) => Buffer.from(JSON.stringify({ ...pq, ...(k ? { k } : {}), ...(o !== undefined ? { o } : {}) })).toString('base64url')),
  );

/** `value` in about `percent`% of cases, else absent. */
const sometimes = <T>(percent: number, arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.integer({ min: 0, max: 99 }).chain((n) => (n < percent ? arb : fc.constant(undefined)));

/** Valid-looking most of the time, so requests get past parameter checks into the store. */
const mostlyValidInt = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: -2, max: 300 }).map(String) }, { weight: 2, arbitrary: intText });

/** Query parameters of a list request (any subset, any letter case of the names). */
export const listQuery = (forged: () => { p: string; q: string }[]): fc.Arbitrary<Record<string, string>> =>
  fc
    .record({
      filter: sometimes(60, filterText),
      startIndex: sometimes(40, mostlyValidInt),
      count: sometimes(50, mostlyValidInt),
      cursor: sometimes(15, cursorText(forged)),
      sortBy: sometimes(15, fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...FILTER_ATTRS) }, { weight: 1, arbitrary: nastyString })),
      sortOrder: sometimes(15, fc.oneof({ weight: 4, arbitrary: fc.constantFrom('ascending', 'descending', 'DESCENDING') }, { weight: 1, arbitrary: nastyString })),
      attributes: sometimes(25, attributeList),
      excludedAttributes: sometimes(20, attributeList),
    })
    .chain((q) =>
      fc.boolean().map((lower) => {
        const present = Object.entries(q).filter((entry): entry is [string, string] => entry[1] !== undefined);
        return Object.fromEntries(present.map(([k, v]) => [lower ? k.toLowerCase() : k, v]));
      }),
    );

export const attributeList: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.oneof(fc.constantFrom(...FILTER_ATTRS, 'groups', 'members', 'meta', 'schemas', 'emails.type', 'name', 'password'), nastyString), { maxLength: 5 }).map((a) => a.join(',')),
  fc.constantFrom(',', ',,,', ' ', 'a'.repeat(5000), Array.from({ length: 2000 }, (_, i) => `a${i}`).join(',')),
);

/** Query parameters of a single-resource request (attributes only). */
export const projectionQuery: fc.Arbitrary<Record<string, string>> = fc.record({ attributes: attributeList, excludedAttributes: attributeList }, { requiredKeys: [] });

// ─── ids and headers ────────────────────────────────────────────────────────────────────────────

export const resourceId = (known: () => string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.nat().map((i) => known()[i % Math.max(known().length, 1)] ?? 'none') },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: nastyString.filter((s) => s !== '' && encodable(s)) },
    { weight: 1, arbitrary: fc.constantFrom('x'.repeat(600), 'y'.repeat(3000), 'a/b', 'a%2Fb', '..', '.', '%', '%ZZ', ' ') },
  );

export const ifMatch: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom('*', 'W/"1"', '"1"', 'W/"999"', 'W/"', '""', 'W/"1", W/"2"', ',,,', 'W/"1\u0000"') },
  { weight: 1, arbitrary: nastyString },
);

/** Query string from parameters (names and values percent-encoded). */
export const queryString = (q: Record<string, string>): string => {
  const pairs = Object.entries(q).filter(([, v]) => encodable(v));
  return pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}` : '';
};
