import fc from 'fast-check';
import { ScimError } from '../../../../lambdas/scim/errors';
import {
  type AttrPath,
  type CompValue,
  COMPARE_OPS,
  type Filter,
  type KeyLookup,
  MAX_FILTER_LENGTH,
  compareForSort,
  keyLookup,
  matches,
  parseFilter,
  stringifyFilter,
} from '../../../../lambdas/scim/filter';

// ---- generators ---------------------------------------------------------------------------------

const ATTRS = ['id', 'userName', 'USERNAME', 'externalId', 'displayName', 'emails', 'groups', 'members', 'active', 'title', 'name', 'meta', 'schemas', 'roles', 'not', 'and', 'or', 'pr', '$ref', 'a-b_c1'];
const SUBS = ['value', 'Value', 'type', 'primary', 'givenName', 'created', 'lastModified', '$ref', 'display'];
const URNS = ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:core:2.0:Group', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', 'URN:x-Custom:ext:1.0'];
const WORDS = ['work', 'WORK', 'home', 'Jane', 'jane', 'g-1', 'u-1', '', 'True', 'false', '2018-03-27T19:59:26Z', '2018-03-27T12:59:26-07:00', '12', 'a"b\\c', 'ü+ 🙂'];

const attrName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ATTRS) }, fc.stringMatching(/^[A-Za-z$][A-Za-z0-9_$-]{0,6}$/));
const subName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...SUBS) }, fc.stringMatching(/^[A-Za-z$][A-Za-z0-9_$-]{0,6}$/));
const urn = fc.option(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...URNS) }, fc.stringMatching(/^urn:[a-z0-9.-]{1,5}(:[A-Za-z0-9.-]{1,5}){0,3}$/)), { nil: undefined, freq: 2 });

const value: fc.Arbitrary<CompValue> = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
  fc.boolean(),
  fc.constant(null),
);

const plainPath: fc.Arbitrary<AttrPath> = fc.record({ urn, attr: attrName, subAttr: fc.option(subName, { nil: undefined }) }).map(compact);

/** Filters the parser can produce: `and`/`or` flattened, no value filter inside a value filter. */
const filterOf = (inValueFilter: boolean): fc.Memo<Filter> => {
  const leafOf = (depth: number): fc.Arbitrary<Filter> => {
    const paths: fc.Arbitrary<AttrPath>[] = [plainPath];
    if (!inValueFilter && depth > 1) {
      const inner = filterOf(true)(depth - 1);
      paths.push(fc.record({ urn, attr: attrName, valueFilter: inner, subAttr: fc.option(subName, { nil: undefined }) }).map(compact));
    }
    const path = fc.oneof(...paths);
    return fc.oneof(
      fc.record({ kind: fc.constant('compare' as const), attrPath: path, op: fc.constantFrom(...COMPARE_OPS), value }),
      fc.record({ kind: fc.constant('present' as const), attrPath: path }),
    );
  };
  return fc.memo((depth) => {
    if (depth <= 1) return leafOf(depth);
    const sub = filterOf(inValueFilter)(depth - 1);
    const options: fc.Arbitrary<Filter>[] = [
      leafOf(depth),
      fc.array(sub, { minLength: 2, maxLength: 3 }).map((fs) => flat('and', fs)),
      fc.array(sub, { minLength: 2, maxLength: 3 }).map((fs) => flat('or', fs)),
      sub.map((f): Filter => ({ kind: 'not', filter: f })),
    ];
    if (!inValueFilter) {
      const vpPath = fc.record({ urn, attr: attrName }).map(compact);
      options.push(fc.record({ kind: fc.constant('valuePath' as const), attrPath: vpPath, filter: filterOf(true)(depth - 1) }));
    }
    return fc.oneof(...options);
  });
};
const anyFilter = filterOf(false)(5);

function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
function flat(kind: 'and' | 'or', fs: Filter[]): Filter {
  return { kind, filters: fs.flatMap((f) => (f.kind === kind ? f.filters : [f])) };
}

/** Resources built from the same names and words, so filters both hit and miss. */
const scalar = fc.oneof(fc.constantFrom(...WORDS), fc.integer({ min: -5, max: 20 }), fc.boolean(), fc.constant(null), fc.string());
const element = fc.oneof(scalar, fc.dictionary(subName, fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), { maxKeys: 4 }));
const attrValue = fc.oneof(element, fc.array(element, { maxLength: 3 }), fc.array(fc.array(element, { maxLength: 2 }), { maxLength: 2 }));
const resource = fc
  .tuple(
    fc.dictionary(attrName, attrValue, { maxKeys: 6 }),
    fc.dictionary(fc.constantFrom(...URNS), fc.dictionary(attrName, attrValue, { maxKeys: 3 }), { maxKeys: 2 }),
  )
  .map(([core, extensions]) => ({ ...core, ...extensions }));
const anyResource = fc.oneof({ weight: 5, arbitrary: resource }, { weight: 1, arbitrary: fc.jsonValue() });

// ---- properties ---------------------------------------------------------------------------------

describe('filter engine properties', () => {
  it('parseFilter(stringifyFilter(ast)) deep-equals ast', () => {
    fc.assert(
      fc.property(anyFilter, (ast) => {
        const text = stringifyFilter(ast);
        fc.pre(text.length <= MAX_FILTER_LENGTH);
        expect(parseFilter(text)).toEqual(ast);
      }),
      { numRuns: 1000 },
    );
  });

  it('stringifyFilter is canonical: printing a parsed canonical text gives the same text', () => {
    fc.assert(
      fc.property(anyFilter, (ast) => {
        const text = stringifyFilter(ast);
        fc.pre(text.length <= MAX_FILTER_LENGTH);
        expect(stringifyFilter(parseFilter(text))).toBe(text);
      }),
    );
  });

  const filterish = fc
    .array(
      fc.oneof(
        fc.constantFrom('(', ')', '[', ']', ' ', ' ', '+', '"', '\\', '.', ':', 'not', 'and', 'or', 'pr', 'eq', 'co', 'gt', 'userName', 'emails', 'value', 'urn:a:b', 'true', 'null', '1', '-2.5e3', '"x"', '"\\u00"', '$ref', '\t'),
        fc.string({ maxLength: 3 }),
      ),
      { maxLength: 25 },
    )
    .map((parts) => parts.join(''));
  const mutated = fc
    .tuple(anyFilter, fc.nat(), fc.nat({ max: 5 }), fc.string({ maxLength: 3 }))
    .map(([ast, at, cut, insert]) => {
      const text = stringifyFilter(ast);
      const i = at % (text.length + 1);
      return text.slice(0, i) + insert + text.slice(i + cut);
    });

  it('parseFilter on any text returns an AST or throws a 400 invalidFilter ScimError, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), filterish, mutated), (text) => {
        try {
          const ast = parseFilter(text);
          expect(typeof ast.kind).toBe('string');
          expect(parseFilter(stringifyFilter(ast))).toEqual(ast); // whatever parsed also round-trips
        } catch (e) {
          expect(e).toBeInstanceOf(ScimError);
          expect(e).toMatchObject({ status: 400, scimType: 'invalidFilter' });
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('matches never throws and follows the logic of not, and, or', () => {
    fc.assert(
      fc.property(anyFilter, anyResource, (filter, res) => {
        const result = matches(filter, res);
        expect(typeof result).toBe('boolean');
        expect(matches({ kind: 'not', filter }, res)).toBe(!result);
        if (filter.kind === 'and') expect(result).toBe(filter.filters.every((f) => matches(f, res)));
        if (filter.kind === 'or') expect(result).toBe(filter.filters.some((f) => matches(f, res)));
        if (filter.kind === 'compare' && filter.op === 'ne' && filter.value !== null) {
          expect(result).toBe(!matches({ ...filter, op: 'eq' }, res));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('matches gives the same answer for a filter and its canonical re-parse', () => {
    fc.assert(
      fc.property(anyFilter, resource, (filter, res) => {
        expect(matches(parseFilter(stringifyFilter(filter)), res)).toBe(matches(filter, res));
      }),
    );
  });

  const lookupFilter = (lookup: KeyLookup): Filter => {
    const v = JSON.stringify(lookup.value);
    const text = {
      id: `id eq ${v}`,
      userName: `userName eq ${v}`,
      externalId: `externalId eq ${v}`,
      workEmail: `emails[type eq "work"].value eq ${v}`,
      displayName: `displayName eq ${v}`,
      group: `groups.value eq ${v}`,
      member: `members.value eq ${v}`,
    }[lookup.kind];
    return parseFilter(text);
  };

  const KEY_POOL = ['jane', 'Jane', '12', 'g-1'];

  /** Conjunctions of terms the store can key on, mixed with arbitrary terms. */
  const keyTerm = fc
    .tuple(
      fc.constantFrom(
        'id eq %',
        'userName eq %',
        'externalId eq %',
        'emails[type eq "work"].value eq %',
        'emails[Type eq "WORK" and value eq %]',
        'emails[value eq % and type eq "work"]',
        'emails[type eq "home"].value eq %',
        'emails[type eq "home" and value eq %]',
        'emails[type eq "work" and value eq % and display pr]',
        'emails[type eq "work"].display eq %',
        'userName eq % and id eq %',
        'displayName eq %',
        'groups.value eq %',
        'groups[value eq %]',
        'members.value eq %',
        'members[value eq %]',
      ),
      fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KEY_POOL).map((w) => JSON.stringify(w)) }, fc.constantFrom('12', 'jane', '""')),
    )
    .map(([template, literal]) => parseFilter(template.replaceAll('%', literal)));
  const conjunction = fc
    .array(fc.oneof({ weight: 3, arbitrary: keyTerm }, filterOf(false)(3)), { minLength: 1, maxLength: 3 })
    .map((terms) => (terms.length === 1 ? terms[0] : flat('and', terms)));

  it('keyLookup: lookup and residual together select exactly what the filter selects', () => {
    // Values come from the same small pool as the key literals, so lookups hit as well as miss.
    const pooled = fc.oneof({ weight: 6, arbitrary: fc.constantFrom<unknown>(...KEY_POOL, 12, null) }, scalar);
    const keyedResource = fc.record(
      {
        id: pooled,
        userName: pooled,
        externalId: pooled,
        displayName: pooled,
        emails: fc.array(fc.record({ type: fc.constantFrom('work', 'Work', 'home'), value: pooled, display: pooled }, { requiredKeys: [] }), { maxLength: 3 }),
        groups: fc.array(fc.oneof(fc.record({ value: pooled }), pooled), { maxLength: 2 }),
        members: fc.array(fc.record({ value: pooled }), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(conjunction, fc.constantFrom('User' as const, 'Group' as const), fc.oneof({ weight: 4, arbitrary: keyedResource }, resource), (filter, type, res) => {
        const plan = keyLookup(filter, type);
        if (!plan) return;
        const viaKey = matches(lookupFilter(plan.lookup), res) && (plan.residual === undefined || matches(plan.residual, res));
        expect(viaKey).toBe(matches(filter, res));
      }),
      { numRuns: 2000 },
    );
  });

  it('compareForSort is a consistent order that never throws', () => {
    const sortBy = fc.oneof(
      fc.constantFrom('userName', 'emails', 'emails.value', 'meta.created', 'name.givenName', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:title'),
      plainPath.filter((p) => p.urn === undefined || !p.urn.includes('.')).map((p) => `${p.urn ? `${p.urn}:` : ''}${p.attr}${p.subAttr ? `.${p.subAttr}` : ''}`),
    );
    fc.assert(
      fc.property(sortBy, fc.constantFrom('ascending', 'descending'), anyResource, anyResource, anyResource, (by, order, a, b, c) => {
        const cmp = compareForSort(by, order);
        expect(Math.sign(cmp(a, b))).toBe(-Math.sign(cmp(b, a)) || 0);
        expect(cmp(a, a)).toBe(0);
        if (cmp(a, b) <= 0 && cmp(b, c) <= 0) expect(cmp(a, c)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 1000 },
    );
  });
});
