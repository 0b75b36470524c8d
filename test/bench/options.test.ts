import { BenchUsageError, FULL_SIZES, parseBenchArgs, QUICK_SIZES, SECTIONS } from '../../bench/lib/options';

describe('parseBenchArgs', () => {
  it('runs every section at full size by default and rewrites the docs', () => {
    const options = parseBenchArgs([])!;
    expect(options.sections).toEqual([...SECTIONS]);
    expect(options.sizes).toEqual(FULL_SIZES);
    expect(options.docs).toBe('docs/benchmarks.md');
  });

  it('uses the quick sizes with --quick, and --users/--members override them', () => {
    const options = parseBenchArgs(['--quick', '--users', '3000', '--members', '40'])!;
    expect(options.sizes).toEqual({ ...QUICK_SIZES, users: 3000, members: 40 });
  });

  it('adds the sections the cost model needs to --only cost, and leaves the docs alone', () => {
    const options = parseBenchArgs(['--only', 'cost'])!;
    expect(options.sections).toEqual(['round-trips', 'cpu', 'cost']);
    expect(options.docs).toBeUndefined();
  });

  it('refuses unknown sections and sizes that are not whole numbers', () => {
    expect(() => parseBenchArgs(['--only', 'speed'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['--users', '1e3x'])).toThrow(/--users must be a whole number/);
    expect(() => parseBenchArgs(['--users', '0'])).toThrow(BenchUsageError);
  });

  it('returns undefined for --help', () => {
    expect(parseBenchArgs(['--help'])).toBeUndefined();
  });
});
