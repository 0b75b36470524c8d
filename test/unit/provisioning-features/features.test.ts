import fc from 'fast-check';
import {
  DEFAULT_FEATURES,
  featuresError,
  parseFeatures,
  readFeatures,
  type FeaturesProblem,
  type ProvisioningFeatures,
} from '../../../lambdas/provisioning-features/features';

const problemsOf = (input: unknown, base?: ProvisioningFeatures): FeaturesProblem[] => {
  const result = parseFeatures(input, base);
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.features)}`);
  return result.problems;
};

describe('DEFAULT_FEATURES', () => {
  it('turns everything on, and DELETE deletes', () => {
    expect(DEFAULT_FEATURES).toEqual({ create: true, update: true, deactivate: true, reactivate: true, delete: 'delete', groups: true });
    expect(Object.isFrozen(DEFAULT_FEATURES)).toBe(true);
  });
});

describe('parseFeatures', () => {
  it('accepts the whole object', () => {
    const features = { create: false, update: true, deactivate: true, reactivate: false, delete: 'ignore', groups: false };

    expect(parseFeatures(features)).toEqual({ ok: true, features });
  });

  it('a PUT that leaves a field out gets its default', () => {
    expect(parseFeatures({ create: false })).toEqual({ ok: true, features: { ...DEFAULT_FEATURES, create: false } });
  });

  it('a partial change keeps the current value of the fields it leaves out', () => {
    const current = { ...DEFAULT_FEATURES, groups: false };

    expect(parseFeatures({ delete: 'deactivate' }, current)).toEqual({ ok: true, features: { ...current, delete: 'deactivate' } });
  });

  it.each<[string, unknown, string, RegExp]>([
    ['not an object', 'on', 'features', /must be a JSON object such as \{"create":true/],
    ['an array', [], 'features', /must be a JSON object/],
    ['an unknown field', { creat: false }, 'features', /unknown field "creat"; the features are "create", "update", "deactivate", "reactivate", "delete", "groups"/],
    ['a switch that is not a boolean', { create: 'off' }, 'create', /"create" must be true or false/],
    ['a delete mode that does not exist', { delete: 'soft' }, 'delete', /"delete" must be one of "delete", "deactivate", "ignore"/],
    ['deletes that deactivate while deactivation is off', { delete: 'deactivate', deactivate: false }, 'delete', /"delete": "deactivate" deactivates users, but "deactivate" is off/],
  ])('refuses %s, naming the field and what is valid', (_, input, at, why) => {
    const problems = problemsOf(input);

    expect(problems).toEqual([{ at, problem: expect.stringMatching(why) }]);
  });

  it('checks the combination against the current features too', () => {
    expect(problemsOf({ delete: 'deactivate' }, { ...DEFAULT_FEATURES, deactivate: false })[0].at).toBe('delete');
  });

  it('never throws on any JSON input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.constantFrom('create', 'update', 'delete', 'groups', 'x'), fc.jsonValue({ maxDepth: 1 }))), (input) => {
        const result = parseFeatures(input);
        if (result.ok) expect(Object.keys(result.features).sort()).toEqual(Object.keys(DEFAULT_FEATURES).sort());
        else expect(result.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('featuresError', () => {
  it('is a 400 invalidValue naming every field', () => {
    const error = featuresError(problemsOf({ create: 'off', delete: 'soft' }));

    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toBe('Invalid provisioning features: create: "create" must be true or false; delete: "delete" must be one of "delete", "deactivate", "ignore".');
  });
});

describe('readFeatures', () => {
  it('reads what was saved', () => {
    const saved = { create: false, update: false, deactivate: true, reactivate: true, delete: 'ignore', groups: false };

    expect(readFeatures(saved)).toEqual(saved);
  });

  it.each<[string, unknown]>([
    ['nothing stored (an application from before features)', undefined],
    ['not an object', 'x'],
    ['fields of the wrong type', { create: 'no', delete: 7, groups: null }],
  ])('gives the defaults for %s', (_, stored) => {
    expect(readFeatures(stored)).toEqual(DEFAULT_FEATURES);
  });

  it('keeps valid fields and defaults the others', () => {
    expect(readFeatures({ create: false, delete: 'nope', extra: 1 })).toEqual({ ...DEFAULT_FEATURES, create: false });
  });
});
