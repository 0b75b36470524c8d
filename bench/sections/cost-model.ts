/**
 * Section 7: the AWS bill per million mixed SCIM requests, from what this run measured — capacity
 * units and round trips per operation (section 1), handler CPU with the SDK (section 2a), bundle
 * load time (section 3, when run) — and the documented prices, mix and assumptions (prices.ts).
 * Lambda wall time is estimated as CPU + one measured DynamoDB Local latency per round trip.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SectionContext } from '../lib/context';
import { accessLogBytesPerRequest, lambdaPlatformBytesPerRequest } from '../lib/log-bytes';
import { ASSUMPTIONS, PRICES, REQUEST_MIX } from '../lib/prices';
import { round } from '../lib/stats';
import type { TableSpec } from '../lib/table';
import type { ColdStartResults } from './cold-start';
import { directoryEventCost, type EventCostResults } from './cost-events';
import type { HandlerCpuResults } from './handler-cpu';
import type { RoundTripResults } from './round-trips';

/** Issue 18 §2: the same mix and prices, per million requests. */
export const COST_TARGET_PER_MILLION = { restWaf: 6, httpApi: 3 } as const;

export interface MixLine {
  op: string;
  label: string;
  share: number;
  readUnits: number;
  writeUnits: number;
  cpuMs: number;
  dynamoWaitMs: number;
  billedMs: number;
}

export interface CostComponent {
  name: string;
  restWaf: number;
  httpApi: number;
  basis: string;
}

export interface CostResults {
  mix: MixLine[];
  components: CostComponent[];
  totalRestWaf: number;
  totalHttpApi: number;
  restWafMeetsTarget: boolean;
  httpApiMeetsTarget: boolean;
  /** Uncached-authorizer worst case, added to each total. */
  authorizerUncachedExtra: number;
  fixedMonthly: string[];
  assumptions: string[];
  prices: typeof PRICES;
  /** Directory events, per million events (issue 16; not part of the per-request totals). */
  directoryEvents: EventCostResults;
}

interface FunctionSettings {
  api: { memorySize: number };
  authorizer: { memorySize: number };
  stream: { memorySize: number };
}

/** Memory sizes the stack deploys (lib/defaults.ts), or the documented ones when it is absent. */
const memorySizes = async () => {
  const file = path.resolve(__dirname, '../../lib/defaults.ts');
  const fallback = { handler: ASSUMPTIONS.handlerMemoryMb, authorizer: ASSUMPTIONS.authorizerMemoryMb, stream: ASSUMPTIONS.streamMemoryMb, source: 'prices.ts ASSUMPTIONS' };
  if (!existsSync(file)) return fallback;
  try {
    const mod = (await import(file)) as { FUNCTION_SETTINGS?: FunctionSettings };
    const s = mod.FUNCTION_SETTINGS;
    if (!s) return fallback;
    return { handler: s.api.memorySize, authorizer: s.authorizer.memorySize, stream: s.stream.memorySize, source: 'lib/defaults.ts FUNCTION_SETTINGS' };
  } catch {
    return fallback;
  }
};

const gbSeconds = (ms: number, memoryMb: number) => (ms / 1000) * (memoryMb / 1024);

export const runCostModel = async (
  _ctx: SectionContext,
  inputs: { roundTrips: RoundTripResults; cpu: HandlerCpuResults; coldStart?: ColdStartResults },
): Promise<{ results: CostResults; table: TableSpec; mixTable: TableSpec }> => {
  const memory = await memorySizes();
  const { readLatencyMs, writeLatencyMs } = inputs.roundTrips;
  const mix: MixLine[] = REQUEST_MIX.map((m) => {
    const rt = inputs.roundTrips.operations.find((o) => o.id === m.op);
    const cpu = inputs.cpu.operations.find((o) => o.id === m.op);
    if (!rt || !cpu) throw new Error(`The cost model needs the measured figures of "${m.op}" (sections round-trips and cpu).`);
    const cpuMs = cpu.withSdk.medianUs / 1000;
    const dynamoWaitMs = rt.reads * readLatencyMs + rt.writes * writeLatencyMs;
    return { op: m.op, label: m.label, share: m.share, readUnits: rt.readUnits, writeUnits: rt.writeUnits, cpuMs: round(cpuMs, 3), dynamoWaitMs: round(dynamoWaitMs, 2), billedMs: Math.ceil(cpuMs + dynamoWaitMs) };
  });
  const weighted = (f: (l: MixLine) => number) => mix.reduce((sum, l) => sum + l.share * f(l), 0);
  const million = 1_000_000;
  const gbs = PRICES.lambdaArmGbSecond.usd;

  // Handler Lambda.
  const handlerRequests = PRICES.lambdaRequestsPerMillion.usd;
  const avgBilledMs = weighted((l) => l.billedMs);
  const handlerDuration = million * gbSeconds(avgBilledMs, memory.handler) * gbs;
  const usersBundle = inputs.coldStart?.bundles.find((b) => b.name === 'users');
  const loadMs = usersBundle?.loadMs ?? 250;
  const initMs = ASSUMPTIONS.runtimeInitMs + loadMs;
  const handlerInit = million * ASSUMPTIONS.coldStartShare * gbSeconds(initMs, memory.handler) * gbs;

  // Authorizer: API Gateway caches its answer per token for the TTL; its own 60 s cache then always
  // misses, so each invocation reads the secret and the application item.
  const authorizerCalls = million / (ASSUMPTIONS.requestsPerSecond * ASSUMPTIONS.authorizerCacheTtlSeconds);
  const authorizerBilledMs = Math.ceil(ASSUMPTIONS.secretsManagerLatencyMs + readLatencyMs);
  const authorizerLambda = authorizerCalls * (PRICES.lambdaRequestsPerMillion.usd / million + gbSeconds(authorizerBilledMs, memory.authorizer) * gbs);
  const authorizerReads = (authorizerCalls * 1 * PRICES.dynamoReadUnitsPerMillion.usd) / million;
  const secretsCalls = (authorizerCalls / 10_000) * PRICES.secretsManagerPer10k.usd;
  // Worst case: no API Gateway cache — one invocation per request, warm in-memory cache (1 ms billed).
  const authorizerUncached = PRICES.lambdaRequestsPerMillion.usd + million * gbSeconds(1, memory.authorizer) * gbs;
  const authorizerUncachedExtra = authorizerUncached - authorizerLambda;

  // DynamoDB for the SCIM traffic itself (measured units).
  const rru = weighted((l) => l.readUnits);
  const wru = weighted((l) => l.writeUnits);
  const dynamo = rru * PRICES.dynamoReadUnitsPerMillion.usd + wru * PRICES.dynamoWriteUnitsPerMillion.usd;

  // Reports: one row per write and per member change, written by the stream consumer.
  const events = weighted((l) => REQUEST_MIX.find((m) => m.op === l.op)!.reportEvents);
  const reportWrites = events * ASSUMPTIONS.reportRowWriteUnits * PRICES.dynamoWriteUnitsPerMillion.usd + events * ASSUMPTIONS.reportRowReadUnits * PRICES.dynamoReadUnitsPerMillion.usd;
  const streamCalls = (events * million) / ASSUMPTIONS.streamBatchSize;
  const streamLambda = streamCalls * (PRICES.lambdaRequestsPerMillion.usd / million + gbSeconds(ASSUMPTIONS.streamInvocationMs, memory.stream) * gbs);

  // The stack's own access-log format and Lambda logging settings (bench/lib/log-bytes.ts); handlers log nothing at INFO for these requests.
  const logBytes = accessLogBytesPerRequest() + lambdaPlatformBytesPerRequest();
  const logs = ((million * logBytes) / 1e9) * PRICES.logsIngestionPerGb.usd;

  const both = (name: string, value: number, basis: string): CostComponent => ({ name, restWaf: round(value, 3), httpApi: round(value, 3), basis });
  const components: CostComponent[] = [
    { name: 'API Gateway', restWaf: PRICES.restApiPerMillion.usd, httpApi: PRICES.httpApiPerMillion.usd, basis: 'REST $3.50/M; HTTP API $1.00/M' },
    { name: 'WAF request fee', restWaf: PRICES.wafPerMillion.usd, httpApi: 0, basis: '$0.60/M (HTTP API cannot attach WAF)' },
    both('handler Lambda requests', handlerRequests, '$0.20 per M invocations'),
    both('handler Lambda duration', handlerDuration, `${round(avgBilledMs, 2)} ms billed on average × ${memory.handler} MB arm64`),
    both('handler Lambda INIT', handlerInit, `${ASSUMPTIONS.coldStartShare * 100} % cold × ${round(initMs, 0)} ms (runtime ${ASSUMPTIONS.runtimeInitMs} + bundle load ${round(loadMs, 0)})`),
    both('authorizer Lambda (API Gateway cache)', authorizerLambda, `${round(authorizerCalls, 0)} calls/M (TTL ${ASSUMPTIONS.authorizerCacheTtlSeconds} s at ${ASSUMPTIONS.requestsPerSecond} req/s) × ${authorizerBilledMs} ms × ${memory.authorizer} MB`),
    both('authorizer DynamoDB + Secrets Manager', authorizerReads + secretsCalls, `${round(authorizerCalls, 0)} GetSecretValue + application GetItem`),
    both('DynamoDB, SCIM traffic (measured)', dynamo, `${round(rru, 2)} RRU + ${round(wru, 2)} WRU per request`),
    both('DynamoDB, report rows', reportWrites, `${round(events, 2)} rows/request × (${ASSUMPTIONS.reportRowWriteUnits} WRU + ${ASSUMPTIONS.reportRowReadUnits} RRU)`),
    both('stream consumer Lambda', streamLambda, `${round(streamCalls, 0)} calls/M × ${ASSUMPTIONS.streamInvocationMs} ms × ${memory.stream} MB`),
    both('CloudWatch Logs', logs, `${logBytes} B/request (access-log line + Lambda platform lines)`),
  ];
  const totalRestWaf = round(components.reduce((s, c) => s + c.restWaf, 0), 2);
  const totalHttpApi = round(components.reduce((s, c) => s + c.httpApi, 0), 2);

  const assumptions = [
    `mix (bench/lib/prices.ts): ${REQUEST_MIX.map((m) => `${m.share * 100} % ${m.label}`).join(', ')}.`,
    `Lambda wall time ≈ handler CPU with the SDK (section 2a median) + round trips × warm DynamoDB Local latency (reads ${readLatencyMs} ms, transactions ${writeLatencyMs} ms), a stand-in for DynamoDB in the same region; billed per 1 ms.`,
    `memory from ${memory.source}: handlers ${memory.handler} MB, authorizer ${memory.authorizer} MB, stream consumer ${memory.stream} MB, all arm64.`,
    `capacity units are what DynamoDB Local reports for these requests (on demand prices); items over 1 KB cost a unit per started KB; the main table's indexes copy keys and type only (lib/tables.ts), so a write that keeps its index keys pays for its table copy alone.`,
    `report rows: ${ASSUMPTIONS.reportRowWriteUnits} WRU each (lambdas/store/reports.ts: base table + byUser index) and ${ASSUMPTIONS.reportRowReadUnits} RRU of directory reads; stream batches of ${ASSUMPTIONS.streamBatchSize} records.`,
    `uncached authorizer worst case (API Gateway cache off): +$${round(authorizerUncachedExtra, 2)} per M on both totals.`,
  ];
  // ─── Directory events (issue 16): per million events, apart from the per-request totals (cost-events.ts). ───
  const directoryEvents = directoryEventCost({ writeLatencyMs });
  const eventRow = [
    'directory events, per million events (not in the totals)',
    directoryEvents.perMillionEvents,
    directoryEvents.perMillionEvents,
    `one webhook; +$${directoryEvents.eventBridgePerMillion} with EventBridge; sender $${directoryEvents.senderFixedMonthly}/month fixed`,
  ];
  // ─── end of directory events ───

  const results: CostResults = {
    directoryEvents,
    mix,
    components,
    totalRestWaf,
    totalHttpApi,
    restWafMeetsTarget: totalRestWaf <= COST_TARGET_PER_MILLION.restWaf,
    httpApiMeetsTarget: totalHttpApi <= COST_TARGET_PER_MILLION.httpApi,
    authorizerUncachedExtra: round(authorizerUncachedExtra, 3),
    fixedMonthly: [
      `WAF: $${PRICES.wafWebAclPerMonth.usd} per web ACL + $1 per rule per month (REST only)`,
      `Secrets Manager: $${PRICES.secretPerMonth.usd} per secret per month (one per application + the admin secret)`,
      'DynamoDB storage and point-in-time recovery, KMS key: per GB / per month',
    ],
    assumptions,
    prices: PRICES,
  };
  const mixTable: TableSpec = {
    title: '7a. Cost model inputs per operation (measured in this run)',
    headers: ['operation', 'share', 'RRU', 'WRU', 'CPU ms', 'DynamoDB wait ms', 'billed ms'],
    rows: mix.map((l) => [l.label, `${l.share * 100} %`, l.readUnits, l.writeUnits, l.cpuMs, l.dynamoWaitMs, l.billedMs]),
  };
  const table: TableSpec = {
    title: '7b. AWS bill per million mixed SCIM requests (us-east-1, on demand)',
    headers: ['component', 'REST API + WAF $', 'HTTP API $', 'basis'],
    rows: [
      ...components.map((c) => [c.name, c.restWaf, c.httpApi, c.basis]),
      ['total per million', totalRestWaf, totalHttpApi, `targets ≤ $${COST_TARGET_PER_MILLION.restWaf} / ≤ $${COST_TARGET_PER_MILLION.httpApi}`],
      ['meets its target', results.restWafMeetsTarget ? 'yes' : 'NO', results.httpApiMeetsTarget ? 'yes' : 'NO', ''],
      eventRow,
    ],
    notes: [...assumptions, `fixed per month, not per request: ${results.fixedMonthly.join('; ')}.`, ...directoryEvents.notes],
  };
  return { results, table, mixTable };
};
