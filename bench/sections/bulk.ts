/**
 * Section "bulk": POST /Bulk at its limit (1,000 operations; 100 with --quick) against the same
 * work sent as single requests, through the real handlers in process on DynamoDB Local: wall time,
 * operations per second and DynamoDB round trips per operation. Bulk runs one operation at a time
 * (the handler's default) and, for comparison, in waves of four commuting operations. The handler is given time enough
 * to finish (DynamoDB Local is slower than DynamoDB); the notes say whether the run would have fit
 * in API Gateway's 29 s less the 5 s margin.
 */
import { createBulkHandler } from '../../lambdas/handlers/bulk';
import { BULK_DEADLINE_MARGIN_MS, BULK_MAX_OPERATIONS } from '../../lambdas/scim/bulk';
import { createLambdaContext } from '../../lib/local/lambda-context';
import type { SectionContext } from '../lib/context';
import * as entra from '../lib/entra-bodies';
import { expectStatus, scimEvent, type BenchApp, type LambdaHandler } from '../lib/events';
import { round } from '../lib/stats';
import type { TableSpec } from '../lib/table';

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
/** Long enough that a slow DynamoDB Local never cuts a run short: the bench measures, the deadline is tested elsewhere. */
const UNBOUNDED_MS = 3_600_000;
const BUDGET_MS = 29_000 - BULK_DEADLINE_MARGIN_MS;

export interface BulkRun {
  id: string;
  label: string;
  operations: number;
  seconds: number;
  operationsPerSecond: number;
  roundTripsPerOperation: number;
  commands: string;
  /** Whether every operation answered as expected (201, 200 or 204). */
  allApplied: boolean;
}

export interface BulkBenchResults {
  runs: BulkRun[];
}

interface Measured {
  seconds: number;
  roundTrips: number;
  commands: string;
  allApplied: boolean;
}

export const runBulk = async (ctx: SectionContext): Promise<{ results: BulkBenchResults; table: TableSpec }> => {
  const env = await ctx.environment();
  const n = ctx.quick ? 100 : BULK_MAX_OPERATIONS;
  const { users } = env.handlers;
  const context = createLambdaContext({ functionName: 'bench-bulk', requestId: 'bench', timeoutMs: UNBOUNDED_MS });
  const bulkOf = (concurrency?: number) =>
    createBulkHandler(env.runtime, { gatewayTimeoutMs: UNBOUNDED_MS, ...(concurrency !== undefined && { concurrency }) }) as unknown as LambdaHandler;
  const runs: BulkRun[] = [];
  const progress = ctx.progress('bulk', 8);

  const record = (id: string, label: string, measured: Measured) => {
    runs.push({
      id,
      label,
      operations: n,
      seconds: round(measured.seconds, 2),
      operationsPerSecond: round(n / measured.seconds, 1),
      roundTripsPerOperation: round(measured.roundTrips / n, 2),
      commands: measured.commands,
      allApplied: measured.allApplied,
    });
    progress.tick();
  };

  const timed = async (work: () => Promise<boolean>): Promise<Measured> => {
    const started = performance.now();
    const { result, metered } = await env.meter.measure(work);
    return { seconds: (performance.now() - started) / 1000, roundTrips: metered.roundTrips, commands: metered.commands, allApplied: result };
  };

  /** One POST /Bulk of `operations`; true when every operation answered `status`. */
  const bulk = (handler: LambdaHandler, app: BenchApp, operations: unknown[], status: string) => async () => {
    const result = await handler(scimEvent(app, 'POST', '/Bulk', { schemas: [BULK_REQUEST], Operations: operations }), context);
    const body = JSON.parse(result.body) as { Operations: { status: string }[] };
    return result.statusCode === 200 && body.Operations.every((o) => o.status === status);
  };
  const creates = (tag: string) => Array.from({ length: n }, (_, i) => ({ method: 'POST', path: '/Users', bulkId: `u${i}`, data: entra.entraCreateUser(tag, i) }));
  const idsFrom = async (app: BenchApp, tag: string): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const filter = encodeURIComponent(`userName eq "${entra.userNameOf(tag, i)}"`);
      const found = await expectStatus(users, scimEvent(app, 'GET', `/Users?filter=${filter}`), [200]);
      ids.push((found.body as { Resources: { id: string }[] }).Resources[0].id);
    }
    return ids;
  };

  // Warm-up, so that neither side pays for the first requests of the JIT and of DynamoDB Local.
  const warm: BenchApp = { id: 'benchbulkwarm', name: 'Bench warm-up' };
  for (let i = 0; i < 20; i++) await expectStatus(users, scimEvent(warm, 'POST', '/Users', entra.entraCreateUser('warm', i)), [201]);
  await bulk(bulkOf(), warm, Array.from({ length: 20 }, (_, i) => ({ method: 'POST', path: '/Users', bulkId: `w${i}`, data: entra.entraCreateUser('warmbulk', i) })), '201')();

  // Single requests: POST /Users n times, then PATCH (disable) each, then DELETE each.
  const single: BenchApp = { id: 'benchbulksingle', name: 'Bench single' };
  const singleIds: string[] = [];
  record('singleCreate', 'POST /Users × n (single requests, one at a time)', await timed(async () => {
    for (let i = 0; i < n; i++) singleIds.push(((await expectStatus(users, scimEvent(single, 'POST', '/Users', entra.entraCreateUser('single', i)), [201])).body as { id: string }).id);
    return true;
  }));
  record('singlePatch', 'PATCH /Users/{id} disable × n (single requests)', await timed(async () => {
    for (const id of singleIds) await expectStatus(users, scimEvent(single, 'PATCH', `/Users/${id}`, entra.entraDisableUser()), [200]);
    return true;
  }));
  record('singleDelete', 'DELETE /Users/{id} × n (single requests)', await timed(async () => {
    for (const id of singleIds) await expectStatus(users, scimEvent(single, 'DELETE', `/Users/${id}`), [204]);
    return true;
  }));

  // The same work as Bulk requests of n operations each.
  const sequential: BenchApp = { id: 'benchbulkseq', name: 'Bench bulk sequential' };
  record('bulkCreateWaves', 'POST /Bulk: n user creates, waves of 4', await timed(bulk(bulkOf(4), sequential, creates('seq'), '201')));
  const app: BenchApp = { id: 'benchbulk', name: 'Bench bulk' };
  const handler = bulkOf();
  record('bulkCreate', 'POST /Bulk: n user creates (one at a time, the default)', await timed(bulk(handler, app, creates('bulk'), '201')));
  const ids = await idsFrom(app, 'bulk');
  progress.tick();
  const patches = ids.map((id) => ({ method: 'PATCH', path: `/Users/${id}`, data: entra.entraDisableUser() }));
  record('bulkPatch', 'POST /Bulk: n user disables (PATCH)', await timed(bulk(handler, app, patches, '200')));
  record('bulkDelete', 'POST /Bulk: n user deletes', await timed(bulk(handler, app, ids.map((id) => ({ method: 'DELETE', path: `/Users/${id}` })), '204')));
  progress.done();

  const table: TableSpec = {
    title: `POST /Bulk: ${n} operations vs ${n} single requests (in process, DynamoDB Local)`,
    headers: ['run', 'ops', 'wall s', 'ops/s', 'round trips/op', 'commands', 'all applied'],
    rows: runs.map((r) => [r.label, r.operations, r.seconds, r.operationsPerSecond, r.roundTripsPerOperation, r.commands, r.allApplied]),
    notes: [
      `API Gateway waits 29 s; Bulk starts no operation after ${BUDGET_MS / 1000} s and answers the rest 503 "not attempted". ` +
        runs.filter((r) => r.id.startsWith('bulk')).map((r) => `${r.id} ${r.seconds <= BUDGET_MS / 1000 ? 'fits' : 'would be cut short'}`).join(', ') +
        ' on this machine.',
      'Round trips per operation are the single routes\' own (each Bulk operation runs their write); wall time is DynamoDB Local\'s latency, not DynamoDB\'s.',
    ],
  };
  return { results: { runs }, table };
};
