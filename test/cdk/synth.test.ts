/**
 * The real thing, offline: `npx cdk synth` runs bin/app.ts (cdk-nag included) and bundles every
 * function with local esbuild. It needs every handler entry file; until the last one lands it is
 * skipped, and the skip names what is missing.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { missingEntries, REPO_ROOT } from './gateway-fixture';

const missing = missingEntries();
const itWhenComplete = missing.length === 0 ? it : it.skip;
const label = missing.length === 0 ? '' : ` (skipped: no lambdas/handlers/{${missing.join(',')}}.ts yet)`;

describe('cdk synth', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'scgw-synth-'));
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  itWhenComplete(`synthesizes the app offline, cdk-nag clean, with every function bundled${label}`, () => {
    const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', '--output', outdir], {
      cwd: REPO_ROOT,
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
      encoding: 'utf8',
      timeout: 600_000, // a dozen esbuild bundles on a shared 2-core machine; no timing is asserted
    });
    expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({ status: 0, stderr: '' });

    const template = JSON.parse(fs.readFileSync(path.join(outdir, 'ScimGateway.template.json'), 'utf8'));
    const functions = Object.values(template.Resources as Record<string, { Type: string; Metadata?: Record<string, string> }>).filter(
      (r) => r.Type === 'AWS::Lambda::Function',
    );
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      const asset = fn.Metadata?.['aws:asset:path'];
      expect(fs.existsSync(path.join(outdir, asset ?? 'missing', 'index.js'))).toBe(true);
    }
  }, 660_000);
});
