import fc from 'fast-check';
import { compileMapping, defaultMapping } from '../../../lambdas/profiles/compile-mapping';
import { checkDefault, normaliseDate, toProfileValue } from '../../../lambdas/profiles/conversions';
import { applyTransform, transformKind, type Working } from '../../../lambdas/profiles/transforms';
import { PROFILE_TYPES } from '../../../lambdas/profiles/types';

describe('normaliseDate', () => {
  it.each([
    ['2024-05-31', '2024-05-31'],
    ['2024-02-29', '2024-02-29'],
    ['2000-02-29', '2000-02-29'],
    [' 2024-05-31 ', '2024-05-31'],
    ['2024-05-31T09:30:00Z', '2024-05-31T09:30:00.000Z'],
    ['2024-05-31t09:30:00z', '2024-05-31T09:30:00.000Z'],
    ['2024-05-31 09:30', '2024-05-31T09:30:00.000Z'],
    ['2024-05-31T09:30:00+02:00', '2024-05-31T07:30:00.000Z'],
    ['2024-05-31T01:00:00-0230', '2024-05-31T03:30:00.000Z'],
    ['2024-01-01T00:30:00+01:00', '2023-12-31T23:30:00.000Z'],
    ['2024-05-31T09:30:00.5Z', '2024-05-31T09:30:00.500Z'],
    ['2024-05-31T09:30:00,25Z', '2024-05-31T09:30:00.250Z'],
    ['0001-01-01T00:00:00', '0001-01-01T00:00:00.000Z'],
  ])('%s → %s', (text, normalised) => {
    expect(normaliseDate(text)).toBe(normalised);
  });

  it.each(['2023-02-29', '1900-02-29', '2024-13-01', '2024-04-31', '2024-00-10', '2024-05-31T24:00Z', '2024-05-31T09:60Z', '2024-05-31T09:30:60Z', '2024-05-31T09:30+24:00', '31/05/2024', '2024-5-31', '20240531', 'now', '', '0000-01-01T00:00:00+01:00'])(
    'refuses %j',
    (text) => {
      expect(normaliseDate(text)).toBeUndefined();
    },
  );

  it('gives any instant back in the one spelling, and that spelling is a fixed point', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }), (date) => {
        const iso = date.toISOString();
        expect(normaliseDate(iso)).toBe(iso);
        expect(normaliseDate(iso.slice(0, 10))).toBe(iso.slice(0, 10));
      }),
    );
  });

  it('never throws, and what it gives is a fixed point', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 30 }), fc.stringMatching(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/)), (text) => {
        const date = normaliseDate(text);
        if (date !== undefined) expect(normaliseDate(date)).toBe(date);
      }),
      { numRuns: 500 },
    );
  });
});

describe('transformKind', () => {
  it.each<[Parameters<typeof transformKind>[0], Parameters<typeof transformKind>[1], string | undefined]>([
    ['trim', 'text', 'text'],
    ['trim', 'list', 'list'],
    ['trim', 'scalar', 'text'],
    ['trim', 'number', undefined],
    ['lowercase', 'boolean', undefined],
    ['uppercase', 'complex', undefined],
    ['boolean', 'text', 'boolean'],
    ['boolean', 'number', 'boolean'],
    ['boolean', 'list', undefined],
    ['number', 'text', 'number'],
    ['number', 'boolean', undefined],
    [{ split: ',' }, 'text', 'list'],
    [{ split: ',' }, 'list', undefined],
    [{ join: ',' }, 'list', 'text'],
    [{ join: ',' }, 'text', undefined],
  ])('%j on %s gives %s', (t, kind, expected) => {
    const result = transformKind(t, kind);
    expect(result.ok ? result.value : undefined).toBe(expected);
  });
});

describe('applyTransform and toProfileValue on any value', () => {
  const working = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.double(),
    fc.boolean(),
    fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
    fc.constant(undefined),
  ) as fc.Arbitrary<Working>;
  const transform = fc.oneof(
    fc.constantFrom('trim', 'lowercase', 'uppercase', 'boolean', 'number' as const),
    fc.string({ minLength: 1, maxLength: 2 }).map((split) => ({ split })),
    fc.string({ minLength: 1, maxLength: 2 }).map((join) => ({ join })),
  ) as fc.Arbitrary<Parameters<typeof applyTransform>[0]>;

  it('return a value or a problem, never throw', () => {
    fc.assert(
      fc.property(transform, working, fc.constantFrom(...PROFILE_TYPES), (t, value, type) => {
        const step = applyTransform(t, value);
        const next = step.ok ? toProfileValue(type, step.value) : step;
        expect(next.ok ? true : typeof next.problem).toEqual(next.ok ? true : 'string');
      }),
      { numRuns: 1000 },
    );
  });

  it('checkDefault never throws either', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROFILE_TYPES), fc.jsonValue({ maxDepth: 2 }), (type, value) => {
        expect(typeof checkDefault(type, value).ok).toBe('boolean');
      }),
    );
  });
});

describe('compileMapping', () => {
  it('compiles a mapping object once', () => {
    const mapping = defaultMapping();

    expect(compileMapping(mapping)).toBe(compileMapping(mapping));
    expect(compileMapping(mapping).entries).toHaveLength(mapping.attributes.length);
  });

  it('drops entries that used a custom declaration that is no longer valid', () => {
    const compiled = compileMapping({
      attributes: [{ profile: 'userName', scim: 'title', default: null, transform: [] }, { profile: 'department', scim: 'department', default: null, transform: [] }],
      custom: [{ name: 'userName', type: 'string' }],
    });

    expect(compiled.entries.map((e) => e.profile)).toEqual(['department']);
    expect(compiled.ignored.map((p) => p.at)).toEqual(['custom[0].name', 'attributes[0].profile']);
  });

  it('names ignored parts by their place in the stored mapping, even when found on a later pass', () => {
    const compiled = compileMapping({
      attributes: [
        { profile: 'department', scim: 'department', default: null, transform: 7 },
        { profile: 'title', scim: 'title', default: null, transform: [] },
        { profile: 'designation', scim: 'title', default: null, transform: [] },
      ],
      custom: [{ name: 'ok', type: 'string' }, { name: 'title', type: 'no-such-type' }],
    });

    expect(compiled.entries.map((e) => e.profile)).toEqual(['designation']);
    expect(compiled.ignored.map((p) => p.at)).toEqual(['attributes[0].transform', 'custom[1].type', 'attributes[1].profile']);
  });
});
