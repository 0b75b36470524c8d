/**
 * Imports point one way (.dependency-cruiser.cjs): handlers → use-cases → shared → (store, reports)
 * → domain → scim, no cycles, and `lambdas/` never imports `lib/` or `bin/`. dependency-cruiser is
 * ESM-only, so it runs as its CLI; a violation fails this test with the offending imports listed.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const CLI = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

/** The violations depcruise finds in `targets`, run from `cwd`, as `rule: from → to` lines. */
const violations = (cwd: string, targets: string[]): string[] => {
  const run = spawnSync(process.execPath, [CLI, '--config', CONFIG, '--output-type', 'json', ...targets], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (!run.stdout) throw new Error(`dependency-cruiser did not run: ${run.stderr}`);
  const result = JSON.parse(run.stdout) as { summary: { violations: Violation[] } };
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.cycle?.length ? v.cycle.map((c) => c.name).join(' → ') : v.to}`);
};

/** Every TypeScript source under `dir`, with its text. */
const sources = (dir: string): { file: string; text: string }[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [{ file: relative(ROOT, path), text: readFileSync(path, 'utf8') }] : [];
  });

describe('architecture', () => {
  it('lambdas, lib and bin import only in the allowed directions, without cycles', () => {
    expect(violations(ROOT, ['lambdas', 'lib', 'bin'])).toEqual([]);
  });

  it('the rules catch an import against the direction and a cycle', () => {
    const found = violations(join(ROOT, 'test', 'fixtures', 'architecture'), ['lambdas']);
    expect(found).toEqual(
      expect.arrayContaining([
        'store-below-handlers: lambdas/store/against-the-direction.ts → lambdas/shared/logger.ts',
        'oauth-is-a-pure-core: lambdas/oauth/against-the-direction.ts → lambdas/domain/report-row.ts',
        expect.stringMatching(/^no-circular: lambdas\/scim\/(a|b)\.ts → /),
      ]),
    );
  });

  it.each([
    ["the resource types 'User' | 'Group'", /'User' \| 'Group'/g, ['lambdas/scim/schemas/index.ts']],
    ['MemberRef', /\b(?:interface|type) MemberRef\b/g, ['lambdas/scim/resource-shapes.ts']],
    ['isPlainObject', /\b(?:const|function) isPlainObject\b/g, ['lambdas/scim/json.ts']],
    ['queryDigest', /\b(?:const|function) queryDigest\b/g, ['lambdas/domain/cursor.ts']],
  ])('declares %s once in lambdas/', (_concept, declaration, where) => {
    const declaring = sources(join(ROOT, 'lambdas')).flatMap(({ file, text }) => (text.match(declaration) ?? []).map(() => file));
    expect(declaring).toEqual(where);
  });
});
