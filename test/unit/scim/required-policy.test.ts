import fc from 'fast-check';
import {
  compileRequiredPolicy,
  normaliseRequiredEntry,
  normaliseRequiredPolicy,
  REQUIRED_PRESETS,
  resolveShortName,
  splitRequiredList,
} from '../../../lambdas/scim/required-policy';
import { attr, SchemaUrn, type SchemaDef } from '../../../lambdas/scim/schemas';

const ENTERPRISE = SchemaUrn.enterpriseUser;
const ENTRA_DEFAULT = ['userName', 'name.givenName', 'name.familyName', 'emails[type eq "work"].value', 'displayName', 'active'];

const problemOf = (text: string): string => {
  const result = normaliseRequiredEntry(text);
  if (!('problem' in result)) throw new Error(`expected a problem for ${text}, got ${result.entry}`);
  return result.problem;
};

describe('normaliseRequiredEntry', () => {
  it.each([
    ['department', `${ENTERPRISE}:department`],
    ['Department', `${ENTERPRISE}:department`],
    ['manager.value', `${ENTERPRISE}:manager.value`],
    ['employeeNumber', `${ENTERPRISE}:employeeNumber`],
    [`${ENTERPRISE.toLowerCase()}:DEPARTMENT`, `${ENTERPRISE}:department`],
    ['NAME.GIVENNAME', 'name.givenName'],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName', 'userName'],
    ['emails[type eq work].value', 'emails[type eq "work"].value'],
    ['  emails[TYPE eq "work"].value ', 'emails[type eq "work"].value'],
    ['urn:ietf:params:scim:schemas:extension:Acme:2.0:User:costCode', 'urn:ietf:params:scim:schemas:extension:Acme:2.0:User:costCode'],
    ['Entra-Default', 'entra-default'],
  ])('keeps %s as %s', (text, entry) => {
    expect(normaliseRequiredEntry(text)).toEqual({ entry });
  });

  it.each([
    ['foo.bar', /^"foo\.bar" does not name a User attribute: "foo" is not an attribute of the User schema; User attributes: .*userName.*; urn:ietf:params:scim:schemas:extension:enterprise:2\.0:User attributes: .*department/],
    ['name.nope', /"name" has no sub-attribute "nope"; its sub-attributes are formatted, familyName, givenName/],
    ['userName.x', /"userName" has no sub-attributes/],
    ['name..given', /at most one "\."/],
    ['emails[type eq "work"', /not closed with "\]"/],
    ['emails[kind eq "work"].value', /must read <sub-attribute> eq <value>.*sub-attributes of emails are value, display, type, primary/],
    ['emails[type co "w"].value', /must read <sub-attribute> eq <value>/],
    ['userName[type eq "x"]', /applies to a multi-valued complex attribute/],
    ['emails[type eq "work"].nope', /"emails" has no sub-attribute "nope"/],
    ['emails[type eq "work"]x', /after "\]" only "\.<sub-attribute>" may follow/],
    ['urn:x:y:z', /"urn:x:y" is not a schema of Users here/],
    [`${ENTERPRISE}:nope`, /"nope" is not an attribute of the EnterpriseUser extension/],
    ['urn:ietf:params:scim:schemas:extension:Acme:2.0:User:a.b', /custom extension attributes are simple values/],
    ['groups', /"groups" is read-only/],
    ['id', /"id" is read-only/],
    ['meta.created', /"meta\.created" is read-only/],
    ['manager.displayName', /"urn:ietf:params:scim:schemas:extension:enterprise:2\.0:User:manager\.displayName" is read-only/],
    ['okta-default', /"okta-default" does not name a User attribute/],
  ])('refuses %s, saying why and what would be valid', (text, why) => {
    const problem = problemOf(text);

    expect(problem).toMatch(why);
    expect(problem).toContain('Valid entries are paths as SCIM requests write them');
    expect(problem).toContain('entra-default');
  });

  it('every preset path is an entry in canonical form', () => {
    for (const paths of Object.values(REQUIRED_PRESETS)) {
      for (const path of paths) expect(normaliseRequiredEntry(path)).toEqual({ entry: path });
    }
  });

  it('canonical entries are fixed points: normalising one again gives it back', () => {
    const names = ['userName', 'NAME.givenName', 'department', 'manager.value', 'emails', 'phoneNumbers', 'addresses', 'roles', 'title', 'active'];
    const filter = fc.tuple(fc.constantFrom('type', 'primary', 'value', 'display'), fc.oneof(fc.string(), fc.boolean(), fc.integer()));
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.option(filter), fc.option(fc.constantFrom('value', 'type', 'display')), (name, term, sub) => {
        const literal = term && (typeof term[1] === 'string' ? JSON.stringify(term[1]) : String(term[1]));
        const text = `${name}${term ? `[${term[0]} eq ${literal}]` : ''}${sub ? `.${sub}` : ''}`;
        const first = normaliseRequiredEntry(text);
        if ('entry' in first) expect(normaliseRequiredEntry(first.entry)).toEqual(first);
      }),
    );
  });
});

describe('resolveShortName', () => {
  const extension = (id: string): SchemaDef => ({ id, name: id, description: '', attributes: [attr('costCode', 'x')] });

  it('leaves core attributes, URN paths and unknown names as they are', () => {
    expect(resolveShortName('displayName')).toEqual({ path: 'displayName' });
    expect(resolveShortName(`${ENTERPRISE}:department`)).toEqual({ path: `${ENTERPRISE}:department` });
    expect(resolveShortName('nothing')).toEqual({ path: 'nothing' });
  });

  it('refuses a name two extensions share, listing both URNs', () => {
    const a = 'urn:ietf:params:scim:schemas:extension:A:2.0:User';
    const b = 'urn:ietf:params:scim:schemas:extension:B:2.0:User';

    const result = resolveShortName('costCode', [extension(a), extension(b)]);

    expect(result).toEqual({ problem: expect.stringMatching(/^"costCode" is ambiguous: .*A:2\.0:User and .*B:2\.0:User both have "costCode"; write it with the URN/) });
  });
});

describe('normaliseRequiredPolicy', () => {
  it('keeps userName first and each entry once, in canonical form', () => {
    const { entries, problems } = normaliseRequiredPolicy(['department', 'entra-default', `${ENTERPRISE}:Department`, 'userName', 'ENTRA-DEFAULT']);

    expect(problems).toEqual([]);
    expect(entries).toEqual(['userName', `${ENTERPRISE}:department`, 'entra-default']);
  });

  it('reports every refused entry with its position', () => {
    const { problems } = normaliseRequiredPolicy(['displayName', 'foo.bar', 'department', 'groups']);

    expect(problems.map((p) => p.index)).toEqual([1, 3]);
  });
});

describe('compileRequiredPolicy', () => {
  it('expands presets and resolves short names, each path once, userName first', () => {
    const { paths, ignored } = compileRequiredPolicy(['department', 'entra-default', 'displayName']);

    expect(ignored).toEqual([]);
    expect(paths.map((p) => p.text)).toEqual([...ENTRA_DEFAULT.slice(0, 1), `${ENTERPRISE}:department`, ...ENTRA_DEFAULT.slice(1)]);
  });

  it('skips what only an older version or a hand edit could have stored, and says why, without throwing', () => {
    const stored: unknown[] = ['foo.bar', 'urn:x:y:z', '', '   ', 'okta-default', 'groups', 'name..given', 5, null, { path: 'x' }, ['a'], true, 'department'];

    const { paths, ignored } = compileRequiredPolicy(stored);

    expect(paths.map((p) => p.text)).toEqual(['userName', `${ENTERPRISE}:department`]);
    expect(ignored.map((i) => i.entry)).toEqual(['foo.bar', 'urn:x:y:z', '', '   ', 'okta-default', 'groups', 'name..given', '5', 'null', '{"path":"x"}', '["a"]', 'true']);
    for (const { problem } of ignored) expect(problem).toEqual(expect.any(String));
  });

  it('never throws, whatever is stored', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.jsonValue(), fc.constantFrom('department', 'entra-default', 'emails[type eq "work"].value'))), (stored) => {
        const { paths } = compileRequiredPolicy(stored);
        expect(paths[0].text).toBe('userName');
      }),
    );
  });
});

describe('splitRequiredList', () => {
  it('splits on commas and line breaks, except inside a value filter or a quoted literal', () => {
    expect(splitRequiredList('userName, department\nemails[type eq "a,b"].value\r\n,addresses[type eq "x]y,z"].locality,,')).toEqual([
      'userName',
      'department',
      'emails[type eq "a,b"].value',
      'addresses[type eq "x]y,z"].locality',
    ]);
  });
});
