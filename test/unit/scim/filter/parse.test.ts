import { ScimError } from '../../../../lambdas/scim/errors';
import {
  type AttrPath,
  type CompValue,
  type CompareOp,
  type Filter,
  MAX_FILTER_DEPTH,
  MAX_FILTER_LENGTH,
  parseAttrPath,
  parseFilter,
  stringifyFilter,
} from '../../../../lambdas/scim/filter';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** `name`, `name.sub`, or `urn:…:name.sub` written as the parser would split it. */
const p = (text: string): AttrPath => {
  const colon = text.lastIndexOf(':');
  const urn = colon >= 0 ? text.slice(0, colon) : undefined;
  const [attr, subAttr] = text.slice(colon + 1).split('.');
  return { ...(urn === undefined ? {} : { urn }), attr, ...(subAttr === undefined ? {} : { subAttr }) };
};
const cmp = (path: string | AttrPath, op: CompareOp, value: CompValue): Filter => ({
  kind: 'compare',
  attrPath: typeof path === 'string' ? p(path) : path,
  op,
  value,
});
const pr = (path: string): Filter => ({ kind: 'present', attrPath: p(path) });
const and = (...filters: Filter[]): Filter => ({ kind: 'and', filters });
const or = (...filters: Filter[]): Filter => ({ kind: 'or', filters });
const not = (filter: Filter): Filter => ({ kind: 'not', filter });
const vp = (attr: string, filter: Filter): Filter => ({ kind: 'valuePath', attrPath: p(attr), filter });

const expectInvalidFilter = (text: string, detail?: RegExp): ScimError => expectInvalidFilterFrom(() => parseFilter(text), detail);

const expectInvalidFilterFrom = (parse: () => unknown, detail?: RegExp): ScimError => {
  let caught: unknown;
  try {
    parse();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ScimError);
  const error = caught as ScimError;
  expect(error.status).toBe(400);
  expect(error.scimType).toBe('invalidFilter');
  if (detail) expect(error.detail).toMatch(detail);
  return error;
};

describe('parseFilter', () => {
  describe('comparisons', () => {
    it.each<[string, Filter]>([
      ['userName eq "bjensen"', cmp('userName', 'eq', 'bjensen')],
      ['userName ne "bjensen"', cmp('userName', 'ne', 'bjensen')],
      ['name.familyName co "O\'Malley"', cmp('name.familyName', 'co', "O'Malley")],
      ['userName sw "J"', cmp('userName', 'sw', 'J')],
      ['userName ew "@example.com"', cmp('userName', 'ew', '@example.com')],
      ['meta.lastModified gt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'gt', '2011-05-13T04:42:34Z')],
      ['meta.lastModified ge "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'ge', '2011-05-13T04:42:34Z')],
      ['meta.lastModified lt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'lt', '2011-05-13T04:42:34Z')],
      ['meta.lastModified le "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'le', '2011-05-13T04:42:34Z')],
      ['title pr', pr('title')],
      ['active eq true', cmp('active', 'eq', true)],
      ['active eq FALSE', cmp('active', 'eq', false)],
      ['manager eq Null', cmp('manager', 'eq', null)],
      ['age gt 42', cmp('age', 'gt', 42)],
      ['score le -1.5e3', cmp('score', 'le', -1500)],
      ['x eq -0', cmp('x', 'eq', 0)],
      ['displayName eq "true"', cmp('displayName', 'eq', 'true')],
      ['displayName eq "line\\nbreak \\"quoted\\" \\u00e9"', cmp('displayName', 'eq', 'line\nbreak "quoted" é')],
      ['displayName eq ""', cmp('displayName', 'eq', '')],
    ])('parses %s', (text, expected) => {
      expect(parseFilter(text)).toEqual(expected);
    });

    it('reads operators, keywords and literals in any case and keeps attribute names as written', () => {
      expect(parseFilter('DisplayName EQ "Bob" AND Active Eq TRUE OR Title PR')).toEqual(
        or(and(cmp('DisplayName', 'eq', 'Bob'), cmp('Active', 'eq', true)), pr('Title')),
      );
    });

    it('tolerates extra whitespace, tabs and newlines between tokens', () => {
      expect(parseFilter('  userName\teq\n"a"   and  title  pr ')).toEqual(and(cmp('userName', 'eq', 'a'), pr('title')));
    });
  });

  describe('unquoted literals (Entra and the Microsoft Postman collection)', () => {
    it.each<[string, Filter]>([
      ['externalId eq jyoung', cmp('externalId', 'eq', 'jyoung')],
      ['userName sw O', cmp('userName', 'sw', 'O')],
      ['emails.Value co example.com', cmp('emails.Value', 'co', 'example.com')],
      ['meta.Created gt 2015-10-10T14:38:21.8617979-07:00', cmp('meta.Created', 'gt', '2015-10-10T14:38:21.8617979-07:00')],
      ['members[value eq 123abc]', vp('members', cmp('value', 'eq', '123abc'))],
      ['externalId eq 12345', cmp('externalId', 'eq', 12345)],
      ['externalId eq 00123', cmp('externalId', 'eq', '00123')],
      ['externalId eq 1e999', cmp('externalId', 'eq', '1e999')],
      ['userName eq user@contoso.com', cmp('userName', 'eq', 'user@contoso.com')],
      ['active eq True', cmp('active', 'eq', true)],
      [
        'name.FamilyName eq Employee and (emails.Value co example.com or emails.Value co example.org)',
        and(cmp('name.FamilyName', 'eq', 'Employee'), or(cmp('emails.Value', 'co', 'example.com'), cmp('emails.Value', 'co', 'example.org'))),
      ],
      ['(userName eq abc)', cmp('userName', 'eq', 'abc')],
    ])('parses %s', (text, expected) => {
      expect(parseFilter(text)).toEqual(expected);
    });

    it('reads a JSON filter (POST /.search) as written: its + is never a space', () => {
      expect(parseFilter('userName eq "a+b"', 'json')).toEqual(cmp('userName', 'eq', 'a+b'));
      expectInvalidFilterFrom(() => parseFilter('DisplayName+eq+"BobIsAmazing"', 'json'));
    });
  });

  describe('precedence and grouping', () => {
    it.each<[string, Filter]>([
      ['a pr or b pr and c pr', or(pr('a'), and(pr('b'), pr('c')))],
      ['a pr and b pr or c pr', or(and(pr('a'), pr('b')), pr('c'))],
      ['(a pr or b pr) and c pr', and(or(pr('a'), pr('b')), pr('c'))],
      ['a pr and b pr and c pr', and(pr('a'), pr('b'), pr('c'))],
      ['(a pr and b pr) and c pr', and(pr('a'), pr('b'), pr('c'))],
      ['a pr or (b pr or c pr)', or(pr('a'), pr('b'), pr('c'))],
      ['not (a pr) and b pr', and(not(pr('a')), pr('b'))],
      ['not (a pr or b pr)', not(or(pr('a'), pr('b')))],
      ['NOT(a pr)', not(pr('a'))],
      ['not (not (a pr))', not(not(pr('a')))],
      ['((((a pr))))', pr('a')],
      ['not eq "x"', cmp('not', 'eq', 'x')],
      ['and eq "x" and or pr', and(cmp('and', 'eq', 'x'), pr('or'))],
    ])('parses %s', (text, expected) => {
      expect(parseFilter(text)).toEqual(expected);
    });
  });

  describe('value paths', () => {
    it.each<[string, Filter]>([
      ['emails[type eq "work"]', vp('emails', cmp('type', 'eq', 'work'))],
      ['emails[type eq "work" and value co "@example.com"]', vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com')))],
      ['emails[not (type eq "work")]', vp('emails', not(cmp('type', 'eq', 'work')))],
      ['emails[type eq "work"].value eq "x"', cmp({ attr: 'emails', valueFilter: cmp('type', 'eq', 'work'), subAttr: 'value' }, 'eq', 'x')],
      ['emails[type eq "work"].value pr', { kind: 'present', attrPath: { attr: 'emails', valueFilter: cmp('type', 'eq', 'work'), subAttr: 'value' } }],
      ['emails[type eq "work"] co "example"', cmp({ attr: 'emails', valueFilter: cmp('type', 'eq', 'work') }, 'co', 'example')],
      ['roles[primary eq "True"]', vp('roles', cmp('primary', 'eq', 'True'))],
      ['groups[value eq "g1"] and userName eq "u"', and(vp('groups', cmp('value', 'eq', 'g1')), cmp('userName', 'eq', 'u'))],
      [
        'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
        and(cmp('userType', 'eq', 'Employee'), or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org'))),
      ],
      [
        'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
        and(cmp('userType', 'eq', 'Employee'), vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com')))),
      ],
    ])('parses %s', (text, expected) => {
      expect(parseFilter(text)).toEqual(expected);
    });
  });

  describe('attribute paths', () => {
    it.each<[string, Filter]>([
      [`${ENTERPRISE}:employeeNumber eq "701984"`, cmp({ urn: ENTERPRISE, attr: 'employeeNumber' }, 'eq', '701984')],
      [`${ENTERPRISE}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`, cmp({ urn: ENTERPRISE, attr: 'manager', subAttr: 'value' }, 'eq', '26118915-6090-4610-87e4-49d8ca9f808d')],
      [
        'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bjensen"',
        cmp({ urn: 'urn:ietf:params:scim:schemas:core:2.0:User', attr: 'userName' }, 'eq', 'bjensen'),
      ],
      ['URN:IETF:params:scim:schemas:core:2.0:User:name.givenName pr', { kind: 'present', attrPath: { urn: 'URN:IETF:params:scim:schemas:core:2.0:User', attr: 'name', subAttr: 'givenName' } }],
      [`${ENTERPRISE}:emails[type eq "x"]`, { kind: 'valuePath', attrPath: { urn: ENTERPRISE, attr: 'emails' }, filter: cmp('type', 'eq', 'x') }],
      ['members.$ref eq "https://x/Users/1"', cmp('members.$ref', 'eq', 'https://x/Users/1')],
      ['$ref pr', pr('$ref')],
      ['x-custom_attr2 eq 1', cmp('x-custom_attr2', 'eq', 1)],
    ])('parses %s', (text, expected) => {
      expect(parseFilter(text)).toEqual(expected);
    });
  });

  describe('form-encoded "+" in a query string (a front door that only percent-decodes leaves it)', () => {
    it.each<[string, Filter]>([
      ['DisplayName+eq+"BobIsAmazing"', cmp('DisplayName', 'eq', 'BobIsAmazing')],
      ['userName+eq+"a+b@example.com"', cmp('userName', 'eq', 'a+b@example.com')],
      ['userName+eq+"x"+and+active+eq+true', and(cmp('userName', 'eq', 'x'), cmp('active', 'eq', true))],
      ['emails[type+eq+"work"].value+eq+"John Smith"', cmp({ attr: 'emails', valueFilter: cmp('type', 'eq', 'work'), subAttr: 'value' }, 'eq', 'John Smith')],
      ['meta.created gt 2024-01-01T00:00:00+02:00', cmp('meta.created', 'gt', '2024-01-01T00:00:00+02:00')],
      ['userName eq a+b', cmp('userName', 'eq', 'a+b')],
    ])('parses %s', (text, expected) => {
      expect(parseFilter(text)).toEqual(expected);
    });
  });

  describe('errors → 400 invalidFilter with a detail a person understands', () => {
    it.each<[string, string, RegExp]>([
      ['unclosed quote', 'userName eq "bjensen', /string starting at character 13 is not closed/],
      ['missing operand', 'userName eq', /character 12: expected a value after 'eq'.*found the end of the filter/],
      // `and` right after an operator is read as the unquoted literal "and", so the error is at `title`.
      ['missing operand before and', 'userName eq and title pr', /character 17: expected 'and', 'or' or the end of the filter, found 'title'/],
      ['missing operand before ")"', '(userName eq )', /character 14: expected a value after 'eq'.*found '\)'/],
      ['unknown operator', 'userName equals "x"', /character 10: expected an operator .* after 'userName', found 'equals'/],
      ['missing operator', 'userName', /expected an operator .*found the end of the filter/],
      ['unclosed bracket', 'emails[type eq "work"', /expected '\]' to close the '\[' at character 7/],
      ['unclosed paren', '(userName eq "x"', /expected '\)' to close the '\(' at character 1/],
      ['stray closing paren', 'userName eq "x")', /character 16: expected 'and', 'or' or the end of the filter, found '\)'/],
      ['trailing garbage', 'userName eq "x" garbage', /character 17: expected 'and', 'or' or the end of the filter, found 'garbage'/],
      ['dangling and', 'userName eq "x" and', /expected an attribute name/],
      ['empty filter', '', /the filter is empty/],
      ['blank filter', '   ', /the filter is empty/],
      ['empty parens', '()', /character 2: expected an attribute name/],
      ['empty brackets', 'emails[]', /character 8: expected an attribute name/],
      ['nested value filter', 'groups[members[value eq "x"]]', /value filters cannot be nested/],
      ['not without parens', 'not userName eq "x"', /'not' must be followed by '\('/],
      ['bad escape', 'userName eq "\\x"', /not a valid JSON string/],
      ['raw control character in a string', 'userName eq "a\u0001b"', /not a valid JSON string/],
      ['colon without URN', 'foo:bar eq "x"', /does not start with a schema URN/],
      ['too many levels', 'name.givenName.first eq "x"', /too many levels/],
      ['bad attribute name', '1abc eq "x"', /'1abc' at character 1 is not a valid attribute name/],
      ['value filter after a sub-attribute', 'name.x[value eq 1]', /must follow an attribute, not a sub-attribute/],
      ['missing sub-attribute after "]."', 'emails[type eq "work"]. eq "x"', /expected a sub-attribute name/],
      ['value that is a group', 'userName eq (x)', /expected a value after 'eq'/],
      ['single quotes are not strings', "userName eq 'x' y", /found 'y'/],
    ])('rejects %s', (_name, text, detail) => {
      expectInvalidFilter(text, detail);
    });

    it(`rejects nesting deeper than ${MAX_FILTER_DEPTH} levels without overflowing the stack`, () => {
      const nested = (n: number) => `${'('.repeat(n)}a pr${')'.repeat(n)}`;
      expect(parseFilter(nested(MAX_FILTER_DEPTH))).toEqual(pr('a'));
      expectInvalidFilter(nested(MAX_FILTER_DEPTH + 1), /more than 64 levels/);
      expectInvalidFilter(`${'not ('.repeat(1500)}a pr${')'.repeat(1500)}`, /more than 64 levels/);
      expectInvalidFilter('('.repeat(9000), /more than 64 levels/);
    });

    it(`rejects filters longer than ${MAX_FILTER_LENGTH} characters`, () => {
      const at = (n: number) => `userName eq "${'x'.repeat(n - 14)}"`;
      expect(at(MAX_FILTER_LENGTH)).toHaveLength(MAX_FILTER_LENGTH);
      expect(() => parseFilter(at(MAX_FILTER_LENGTH))).not.toThrow();
      expectInvalidFilter(at(MAX_FILTER_LENGTH + 1), /10001 characters long; the limit is 10000/);
    });

    it('parses a long flat and-chain within the length limit into one shallow node', () => {
      const terms = Array.from({ length: 700 }, (_, i) => `a${i} pr`);
      const filter = parseFilter(terms.join(' and '));
      expect(filter.kind).toBe('and');
      expect(filter.kind === 'and' && filter.filters).toHaveLength(700);
    });

    it('names the error detail "Invalid filter"', () => {
      expect(expectInvalidFilter('x').toBody()).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '400',
        scimType: 'invalidFilter',
        detail: expect.stringMatching(/^Invalid filter: /),
      });
    });
  });
});

describe('stringifyFilter', () => {
  it.each<[string, string]>([
    ['userName Eq bjensen', 'userName eq "bjensen"'],
    ['a pr or b pr and c pr', 'a pr or b pr and c pr'],
    ['(a pr or b pr) and c pr', '(a pr or b pr) and c pr'],
    ['not(a pr)', 'not (a pr)'],
    ['emails[type eq work].value eq "x"', 'emails[type eq "work"].value eq "x"'],
    ['members[value eq 123abc]', 'members[value eq "123abc"]'],
    [`urn:x:y:2.0:User:manager.value eq NULL`, 'urn:x:y:2.0:User:manager.value eq null'],
    ['x eq "a\\"b"', 'x eq "a\\"b"'],
    ['score gt 1.5E3', 'score gt 1500'],
  ])('prints %s as %s', (text, canonical) => {
    expect(stringifyFilter(parseFilter(text))).toBe(canonical);
  });

  it('keeps the shape of a hand-built and nested in and', () => {
    const nested = and(pr('a'), and(pr('b'), pr('c')));
    expect(stringifyFilter(nested)).toBe('a pr and (b pr and c pr)');
  });
});

describe('parseAttrPath', () => {
  it.each<[string, AttrPath]>([
    ['userName', { attr: 'userName' }],
    ['name.givenName', { attr: 'name', subAttr: 'givenName' }],
    [`${ENTERPRISE}:manager.value`, { urn: ENTERPRISE, attr: 'manager', subAttr: 'value' }],
    ['members[value eq "1"]', { attr: 'members', valueFilter: cmp('value', 'eq', '1') }],
    ['emails[type eq "work"].value', { attr: 'emails', valueFilter: cmp('type', 'eq', 'work'), subAttr: 'value' }],
  ])('parses %s', (text, expected) => {
    expect(parseAttrPath(text)).toEqual(expected);
  });

  it('builds its errors with the given factory', () => {
    expect(() => parseAttrPath('members[value eq', ScimError.invalidPath)).toThrow(
      expect.objectContaining({ status: 400, scimType: 'invalidPath', detail: expect.stringContaining('end of the attribute path') }),
    );
    expect(() => parseAttrPath('userName eq "x"', ScimError.invalidPath)).toThrow(expect.objectContaining({ scimType: 'invalidPath' }));
  });
});
