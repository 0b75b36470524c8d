/**
 * The benchmark harness runs end to end at a tiny size: every in-process section produces
 * finite figures for every operation, and the results JSON is written. No timing is asserted —
 * speed is what `npm run bench` reports, not what a test checks.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FULL_SIZES, type BenchOptions } from '../../bench/lib/options';
import { silentProgress } from '../../bench/lib/progress';
import type { BenchResults } from '../../bench/lib/results';
import { runBench } from '../../bench/lib/runner';

const finite = (value: unknown) => typeof value === 'number' && Number.isFinite(value);

describe('npm run bench (smoke size)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-smoke-'));
  const out = path.join(dir, 'results.json');
  let results: BenchResults;
  let printed = '';

  beforeAll(async () => {
    const options: BenchOptions = {
      quick: true,
      sections: ['round-trips', 'cpu', 'oauth', 'scale', 'cost'],
      sizes: { ...FULL_SIZES, users: 20, members: 20, cpuIterations: 5, scaleSamples: 3, coldStartRuns: 1 },
      out,
    };
    ({ results } = await runBench(options, { progress: silentProgress, print: (text) => (printed += text), log: () => undefined }));
  }, 600_000); // generous: CI machines are shared, and no timing is asserted here

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('completes every requested section without failures', () => {
    expect(results.failed).toEqual({});
    expect(results.roundTrips).toBeDefined();
    expect(results.cpu).toBeDefined();
    expect(results.scale).toBeDefined();
    expect(results.cost).toBeDefined();
  });

  it('measures round trips and capacity for every SCIM operation', () => {
    const ops = results.roundTrips!.operations;
    expect(ops.map((o) => o.id)).toEqual(
      expect.arrayContaining(['createUser', 'getUser', 'filterUserName', 'filterExternalId', 'filterWorkEmail', 'patchDefault', 'patchFlag', 'disableUser', 'replaceUser', 'deleteUser', 'createGroup', 'addMember1', 'addMember100', 'removeMember1', 'removeMember100', 'getGroupNoMembers', 'listPage']),
    );
    for (const op of ops) {
      expect(op.roundTrips).toBeGreaterThanOrEqual(1);
      expect(op.reads + op.writes).toBe(op.roundTrips);
      expect([op.readUnits, op.writeUnits, op.ms].every(finite)).toBe(true);
      expect(op.readUnits + op.writeUnits).toBeGreaterThan(0);
    }
    expect([results.roundTrips!.readLatencyMs, results.roundTrips!.writeLatencyMs, results.roundTrips!.userItemBytes].every(finite)).toBe(true);
    // The stored user carries its profile; what it adds is measured, not assumed.
    expect(results.roundTrips!.profile.bytes).toBeGreaterThan(100);
    expect(results.roundTrips!.profile.writeUnitsAdded).toBeGreaterThanOrEqual(0);
  });

  it('reports OAuth token issue, JWT verification and authorizer CPU (issue 17)', () => {
    expect(results.oauth!.cases.map((c) => c.id)).toEqual(['tokenIssue', 'tokenSign', 'tokenVerify', 'authorizerJwt', 'authorizerSecretToken']);
    for (const c of results.oauth!.cases) expect([c.cpuMedianUs, c.cpuP99Us, c.wallP50Us].every(finite)).toBe(true);
  });

  it('reports handler CPU with and without the SDK for every operation', () => {
    expect([results.cpu!.profile.medianUs, results.cpu!.profile.p99Us].every(finite)).toBe(true);
    for (const op of results.cpu!.operations) {
      expect([op.handler.medianUs, op.handler.p99Us, op.withSdk.medianUs, op.withSdk.p99Us].every(finite)).toBe(true);
    }
  });

  it('reports both scale curves with a ratio', () => {
    for (const curve of [results.scale!.userLookup, results.scale!.addMember]) {
      expect(curve.points.length).toBeGreaterThanOrEqual(2);
      expect(curve.points.every((p) => finite(p.medianMs) && p.roundTrips >= 1)).toBe(true);
      expect(finite(curve.ratio)).toBe(true);
    }
  });

  it('prices a million requests for both API flavours', () => {
    const cost = results.cost!;
    expect(cost.components.every((c) => finite(c.restWaf) && finite(c.httpApi))).toBe(true);
    expect(cost.totalRestWaf).toBeGreaterThan(cost.totalHttpApi);
    expect(cost.mix.reduce((sum, line) => sum + line.share, 0)).toBeCloseTo(1);
  });

  it('writes the results JSON and prints the summary table', () => {
    const written = JSON.parse(readFileSync(out, 'utf8')) as BenchResults;
    expect(written.sections).toEqual(['round-trips', 'cpu', 'oauth', 'scale', 'cost']);
    expect(written.roundTrips!.operations).toHaveLength(results.roundTrips!.operations.length);
    expect(printed).toContain('Summary: targets');
    // Issue 18 §1's write-unit targets get their own line, with the measured figure of each operation.
    const createUnits = results.roundTrips!.operations.find((o) => o.id === 'createUser')!.writeUnits;
    expect(printed).toMatch(new RegExp(`write units per request \\(WRU\\).*POST /Users ≤5.*POST /Users ${createUnits}\\b`));
  });
});
