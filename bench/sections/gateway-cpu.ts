/**
 * Section 2b: CPU of the local gateway's own Node process per filtered GET under load, read from
 * /proc/<pid>/stat before and after (the DynamoDB Local JVM is another process and not counted).
 * The process is first left to go idle (its stream consumer finishes the writes that created the
 * users), and its idle CPU rate is subtracted. Reference: ~0.5 ms of CPU per filtered GET for a
 * popular Node SCIM gateway with an in-memory store.
 */
import type { SectionContext } from '../lib/context';
import * as entra from '../lib/entra-bodies';
import { waitForIdle } from '../lib/gateway-process';
import { httpClient, pool } from '../lib/http-client';
import { round, summarize } from '../lib/stats';
import type { TableSpec } from '../lib/table';

export const REFERENCE_CPU_MS_PER_FILTERED_GET = 0.5;
const IN_FLIGHT = 4;

export interface GatewayCpuResults {
  requests: number;
  inFlight: number;
  seconds: number;
  cpuMsPerRequest: number;
  /** The same with the idle rate (stream poller, timers) subtracted. */
  cpuMsPerRequestIdleCorrected: number;
  idleCpuMsPerSecond: number;
  /** Of the raw figure: time in the process's own code vs in the kernel (sockets, file reads). */
  userMsPerRequest: number;
  systemMsPerRequest: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  referenceMs: number;
  belowReference: boolean;
  errors: number;
}

export const runGatewayCpu = async (ctx: SectionContext): Promise<{ results: GatewayCpuResults; table: TableSpec }> => {
  const gateway = await ctx.gateway();
  if (gateway.cpuMs() === undefined) throw new Error('The gateway CPU section reads /proc/<pid>/stat, which this system does not have.');
  const tag = `gc${Date.now().toString(36)}`;
  const total = ctx.sizes.gatewayRequests;
  const userCount = Math.min(100, Math.max(10, Math.floor(total / 5)));
  const client = httpClient(gateway.secretToken, IN_FLIGHT * 2);
  // Unmeasured GETs first: the gateway's JIT warms up on exactly the path measured.
  const warmUp = Math.max(50, Math.floor(total / 3));
  const bar = ctx.progress('gateway CPU per filtered GET', userCount + warmUp + total);
  let errors = 0;
  await pool(userCount, IN_FLIGHT, async (i) => {
    const created = await client.request('POST', `${gateway.tenantUrl}/Users`, entra.entraCreateUser(tag, i));
    if (created.status !== 201) throw new Error(`creating user ${i} answered ${created.status}: ${JSON.stringify(created.body)}`);
    bar.tick();
  });
  await pool(warmUp, IN_FLIGHT, async (i) => {
    await client.request('GET', `${gateway.tenantUrl}/Users?${entra.userNameFilter(entra.userNameOf(tag, i % userCount))}`);
    bar.tick();
  });
  const idleRate = await waitForIdle(gateway);

  const latencies: number[] = [];
  const timesBefore = gateway.cpuTimes()!;
  const cpuBefore = gateway.cpuMs()!;
  const started = performance.now();
  await pool(total, IN_FLIGHT, async (i) => {
    const result = await client.request('GET', `${gateway.tenantUrl}/Users?${entra.userNameFilter(entra.userNameOf(tag, i % userCount))}`);
    if (result.status !== 200 || (result.body as { totalResults?: number }).totalResults !== 1) errors++;
    latencies.push(result.ms);
    bar.tick();
  });
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = gateway.cpuMs()! - cpuBefore;
  const timesAfter = gateway.cpuTimes()!;
  client.close();
  bar.done();

  const perRequest = cpuMs / total;
  const corrected = Math.max(0, cpuMs - idleRate * seconds) / total;
  const latency = summarize(latencies);
  const results: GatewayCpuResults = {
    requests: total,
    inFlight: IN_FLIGHT,
    seconds: round(seconds, 1),
    cpuMsPerRequest: round(perRequest, 3),
    cpuMsPerRequestIdleCorrected: round(corrected, 3),
    idleCpuMsPerSecond: round(idleRate, 1),
    userMsPerRequest: round((timesAfter.userMs - timesBefore.userMs) / total, 3),
    systemMsPerRequest: round((timesAfter.systemMs - timesBefore.systemMs) / total, 3),
    latencyP50Ms: round(latency.median, 1),
    latencyP99Ms: round(latency.p99, 1),
    referenceMs: REFERENCE_CPU_MS_PER_FILTERED_GET,
    belowReference: corrected < REFERENCE_CPU_MS_PER_FILTERED_GET,
    errors,
  };
  const table: TableSpec = {
    title: '2b. Local gateway process CPU per filtered GET under load (over HTTP; DynamoDB Local JVM excluded)',
    headers: ['requests', 'in flight', 'CPU ms/request', 'user', 'kernel', 'idle-corrected', 'reference', 'below', 'p50 ms', 'p99 ms', 'errors'],
    rows: [[total, IN_FLIGHT, results.cpuMsPerRequest, results.userMsPerRequest, results.systemMsPerRequest, results.cpuMsPerRequestIdleCorrected, `${REFERENCE_CPU_MS_PER_FILTERED_GET} ms`, results.belowReference ? 'yes' : 'NO', results.latencyP50Ms, results.latencyP99Ms, errors]],
    notes: [
      `GET /Users?filter=userName eq "<existing user>" with the app's Secret Token, after ${warmUp} unmeasured ones; CPU = utime + stime of the gateway process from /proc/<pid>/stat.`,
      `idle rate ${results.idleCpuMsPerSecond} ms CPU/s (stream poller, timers) subtracted for the corrected figure.`,
      'Per request the local gateway runs the HTTP adapter, the TOKEN authorizer without cache (secret file read, SHA-256, application GetItem — by design locally, so revocations apply at once), the users handler and 3 SDK calls to DynamoDB Local.',
      '"kernel" is system time: loopback sockets (on loopback the sender also pays the receiver\'s TCP processing) and the secret file read.',
    ],
  };
  return { results, table };
};
