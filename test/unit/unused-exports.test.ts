/**
 * No leftover scaffolding: knip (knip.json) finds exports nobody imports, files nobody reaches and
 * dependencies nobody uses. knip is ESM-only and slow to start in jest's module system, so it runs
 * as its CLI; a finding fails this test with knip's own list.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'node_modules', 'knip', 'bin', 'knip.js');

/** knip's findings in the project at `cwd` (its own knip.json), as its compact report; '' when none. */
const findings = (cwd: string): string => {
  const run = spawnSync(process.execPath, [CLI, '--no-progress', '--reporter', 'compact', '--no-config-hints'], { cwd, encoding: 'utf8' });
  if (run.status !== 0 && run.status !== 1) throw new Error(`knip did not run (exit ${run.status}): ${run.stderr}`);
  return run.stdout.trim();
};

describe('unused code', () => {
  it('every export, file and dependency of the project is used', () => {
    expect(findings(ROOT)).toBe('');
  });

  it('the check finds an export nobody imports', () => {
    expect(findings(join(ROOT, 'test', 'fixtures', 'unused-exports'))).toContain('lib.ts: forgotten');
  });
});
