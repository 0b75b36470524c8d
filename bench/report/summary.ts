/**
 * The headline table: one line per target of the benchmark, with the measured figure and whether it
 * is met. Built from the results JSON only.
 */
import type { BenchResults } from '../lib/results';
import type { TableSpec } from '../lib/table';
import { COST_TARGET_PER_MILLION } from '../sections/cost-model';

const verdict = (ok: boolean) => (ok ? 'yes' : 'NO');

/** Issue 18 §1's write-unit targets, by the round-trips section's operation ids. */
const WRITE_UNIT_TARGETS = [
  { label: 'PATCH/PUT without key change', ids: ['patchDefaultNoKeys', 'patchFlagNoKeys', 'replaceUser', 'disableUser'], max: 2 },
  { label: 'POST /Users', ids: ['createUser'], max: 5 },
  { label: 'DELETE /Users', ids: ['deleteUser'], max: 5 },
] as const;

export const summaryTable = (r: BenchResults): TableSpec => {
  const rows: (string | number)[][] = [];
  if (r.roundTrips) {
    const targeted = r.roundTrips.operations.filter((o) => o.target !== '—');
    const met = targeted.filter((o) => o.targetMet);
    const missed = targeted.filter((o) => !o.targetMet).map((o) => o.id);
    rows.push(['round trips per operation', 'GET 1 · key filter ≤2 · create 1 · PATCH/PUT ≤2 · delete ≤2 · k members ⌈k/100⌉', `${met.length}/${targeted.length} met${missed.length ? ` (missed: ${missed.join(', ')})` : ''}`, verdict(missed.length === 0)]);
    // Issue 18 §1: write units per request, as DynamoDB Local reports them (targets whose operations all ran).
    const unitsOf = new Map(r.roundTrips.operations.map((o) => [o.id, o.writeUnits]));
    const measured = WRITE_UNIT_TARGETS.filter((t) => t.ids.every((id) => unitsOf.has(id))).map((t) => ({ ...t, units: t.ids.map((id) => unitsOf.get(id)!) }));
    if (measured.length) {
      rows.push([
        'write units per request (WRU)',
        measured.map((t) => `${t.label} ≤${t.max}`).join(' · '),
        measured.map((t) => `${t.label} ${[...new Set(t.units)].join('/')}`).join(' · '),
        verdict(measured.every((t) => t.units.every((u) => u <= t.max))),
      ]);
    }
  }
  if (r.cpu) {
    for (const kind of ['read', 'write'] as const) {
      const ops = r.cpu.operations.filter((o) => o.kind === kind && o.targetUs !== undefined);
      if (!ops.length) continue;
      const worst = ops.reduce((a, b) => (b.handler.medianUs > a.handler.medianUs ? b : a));
      const sdkWorst = ops.reduce((a, b) => (b.withSdk.medianUs > a.withSdk.medianUs ? b : a));
      const over = ops.filter((o) => !o.targetMet).map((o) => o.id);
      rows.push([
        `handler CPU, ${kind}s (median)`,
        `≤${ops[0].targetUs} µs`,
        `max ${worst.handler.medianUs} µs (${worst.id}); with SDK max ${sdkWorst.withSdk.medianUs} µs (${sdkWorst.id})${over.length ? `; over: ${over.join(', ')}` : ''}`,
        verdict(over.length === 0),
      ]);
    }
  }
  if (r.gatewayCpu) {
    // The reference gateway keeps its data in memory: our handler code alone is the like-for-like figure.
    const handlerOnly = r.cpu?.operations.find((o) => o.id === 'filterUserName');
    const alone = handlerOnly ? `; handler code alone (2a) ${handlerOnly.handler.medianUs} µs, with SDK ${handlerOnly.withSdk.medianUs} µs` : '';
    rows.push([
      'local gateway CPU per filtered GET',
      `< ${r.gatewayCpu.referenceMs} ms (reference gateway, in-memory store)`,
      `${r.gatewayCpu.cpuMsPerRequestIdleCorrected} ms for the whole process (user ${r.gatewayCpu.userMsPerRequest}, kernel ${r.gatewayCpu.systemMsPerRequest})${alone}`,
      verdict(r.gatewayCpu.belowReference),
    ]);
    if (r.gatewayCpu.targetRequestsPerSecond !== undefined) {
      rows.push([
        `local gateway, filtered GETs on ${r.gatewayCpu.inFlight} connections`,
        `≥${r.gatewayCpu.targetRequestsPerSecond} req/s and ≤${r.gatewayCpu.targetCpuMs} ms CPU each`,
        `${r.gatewayCpu.requestsPerSecond} req/s, ${r.gatewayCpu.cpuMsPerRequestIdleCorrected} ms CPU per request`,
        verdict(r.gatewayCpu.targetsMet),
      ]);
      const log = r.gatewayCpu.logBytes;
      rows.push(['log bytes per request (INFO)', `≤${log.target} B`, `${log.total} B (handlers ${log.handlers}, access log ${log.accessLog}, Lambda platform ${log.lambdaPlatform})`, verdict(log.total <= log.target)]);
    }
  }
  if (r.coldStart?.bundles.length) {
    const b = r.coldStart.bundles;
    const biggest = b.reduce((x, y) => (y.kb > x.kb ? y : x));
    const slowest = b.reduce((x, y) => (y.initMs > x.initMs ? y : x));
    rows.push(['bundle size', 'reported, no target', `largest ${biggest.name} ${biggest.kb} KB (gzip ${biggest.gzipKb} KB); SDK bundled: ${b.some((x) => x.sdkBundled) ? 'yes (pinned, on purpose)' : 'no'}`, '—']);
    const floor = r.coldStart.sdkFloor ? `; the SDK alone ${r.coldStart.sdkFloor.initMs} ms on this machine` : '';
    rows.push(['cold start (load + 1st call)', '≤100 ms', `${b.filter((x) => x.initMet).length}/${b.length} met; slowest ${slowest.name} ${slowest.initMs} ms${floor}`, verdict(b.every((x) => x.initMet))]);
  }
  if (r.scale) {
    for (const c of [r.scale.userLookup, r.scale.addMember]) {
      const first = c.points[0];
      const last = c.points[c.points.length - 1];
      rows.push([c.name, 'large/small ≤1.2', `${c.ratio} (${first.size} → ${last.size}: ${first.medianMs} → ${last.medianMs} ms)`, verdict(c.targetMet)]);
    }
  }
  if (r.cycle) {
    rows.push(['Entra initial cycle', 'errors = 0', `${r.cycle.requestsPerSecond} req/s, p50 ${r.cycle.p50Ms} ms, p99 ${r.cycle.p99Ms} ms, ${r.cycle.errors} errors (${r.cycle.users} users, ${r.cycle.groups} groups)`, verdict(r.cycle.errors === 0)]);
  }
  if (r.freshness) {
    rows.push(['report freshness', '—', r.freshness.measured ? `median ${r.freshness.medianMs} ms, p99 ${r.freshness.p99Ms} ms${r.freshness.backlogMs !== undefined ? `; backlog after the earlier sections drained in ${r.freshness.backlogMs} ms` : ''}` : `not measured: ${r.freshness.reason}`, '—']);
  }
  if (r.webhooks) {
    rows.push(['change → webhook', '—', `p50 ${r.webhooks.p50Ms} ms, p99 ${r.webhooks.p99Ms} ms; ${r.webhooks.eventsPerSecond} events/s`, '—']);
  }
  if (r.cost) {
    rows.push(['cost per million, REST API + WAF', `≤$${COST_TARGET_PER_MILLION.restWaf}`, `$${r.cost.totalRestWaf}`, verdict(r.cost.restWafMeetsTarget)]);
    rows.push(['cost per million, HTTP API', `≤$${COST_TARGET_PER_MILLION.httpApi}`, `$${r.cost.totalHttpApi}`, verdict(r.cost.httpApiMeetsTarget)]);
  }
  for (const [section, reason] of Object.entries(r.skipped)) rows.push([section, '—', `skipped: ${reason}`, '—']);
  for (const [section, reason] of Object.entries(r.failed)) rows.push([section, '—', `FAILED: ${reason}`, 'NO']);
  return { title: 'Summary: targets', headers: ['measure', 'target', 'measured', 'met'], rows };
};
