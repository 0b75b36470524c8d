/**
 * Section 5: an Entra-style initial cycle over HTTP against the local gateway (entra-scim.md
 * §13.1): every user looked up by `userName eq` then created; then every group looked up by
 * `displayName eq`, created without members and filled by PATCH `Add members`, with several
 * requests in flight as Entra sends them. Every request must succeed.
 */
import type { SectionContext } from '../lib/context';
import * as entra from '../lib/entra-bodies';
import { httpClient, pool, type HttpResult } from '../lib/http-client';
import { round, summarize } from '../lib/stats';
import type { TableSpec } from '../lib/table';

/** Members per group PATCH: Entra batches member changes; its batch size is not documented (assumed). */
export const MEMBERS_PER_PATCH = 50;

export interface RequestKindFigures {
  kind: string;
  count: number;
  p50Ms: number;
  p99Ms: number;
}

export interface CycleResults {
  users: number;
  groups: number;
  concurrency: number;
  membersPerPatch: number;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  errorSamples: string[];
  byKind: RequestKindFigures[];
  /** The gateway process's CPU per request over the cycle (stream consumer included). */
  gatewayCpuMsPerRequest?: number;
}

export const runEntraCycle = async (ctx: SectionContext): Promise<{ results: CycleResults; table: TableSpec }> => {
  const gateway = await ctx.gateway();
  const { cycleUsers: n, cycleGroups: g, concurrency } = ctx.sizes;
  const tag = `cy${Date.now().toString(36)}`;
  const client = httpClient(gateway.secretToken, concurrency * 2);
  const base = gateway.tenantUrl;
  const groupOf = (i: number) => i % g;
  const membersOf = (group: number) => Array.from({ length: n }, (_v, i) => i).filter((i) => groupOf(i) === group);
  const patchesOf = (group: number) => Math.ceil(membersOf(group).length / MEMBERS_PER_PATCH);
  const expected = 2 * n + Array.from({ length: g }, (_v, k) => 2 + patchesOf(k)).reduce((a, b) => a + b, 0);
  const bar = ctx.progress(`Entra initial cycle (${n} users, ${g} groups)`, expected);

  const latencies = new Map<string, number[]>();
  const errorSamples: string[] = [];
  let errors = 0;
  let requests = 0;
  const send = async (kind: string, method: string, url: string, body: unknown, expectedStatus: number): Promise<HttpResult | undefined> => {
    requests++;
    try {
      const result = await client.request(method, url, body);
      const list = latencies.get(kind) ?? [];
      list.push(result.ms);
      latencies.set(kind, list);
      if (result.status !== expectedStatus) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(`${method} ${url.slice(base.length)} → ${result.status} ${JSON.stringify(result.body).slice(0, 200)}`);
        return undefined;
      }
      return result;
    } catch (error) {
      errors++;
      if (errorSamples.length < 5) errorSamples.push(`${method} ${url.slice(base.length)} → ${(error as Error).message}`);
      return undefined;
    } finally {
      bar.tick();
    }
  };

  const ids: (string | undefined)[] = new Array(n);
  const cpuBefore = gateway.cpuMs();
  const started = performance.now();
  await pool(n, concurrency, async (i) => {
    const userName = entra.userNameOf(tag, i);
    const found = await send('GET /Users?filter=userName eq', 'GET', `${base}/Users?${entra.userNameFilter(userName)}`, undefined, 200);
    if (found && (found.body as { totalResults?: number }).totalResults !== 0) {
      errors++;
      if (errorSamples.length < 5) errorSamples.push(`lookup of new user ${userName} found ${JSON.stringify(found.body).slice(0, 120)}`);
    }
    const created = await send('POST /Users', 'POST', `${base}/Users`, entra.entraCreateUser(tag, i), 201);
    ids[i] = (created?.body as { id?: string } | undefined)?.id;
  });
  await pool(g, concurrency, async (k) => {
    const name = entra.groupNameOf(tag, k);
    await send('GET /Groups?filter=displayName eq', 'GET', `${base}/Groups?excludedAttributes=members&${entra.displayNameFilter(name)}`, undefined, 200);
    const created = await send('POST /Groups', 'POST', `${base}/Groups`, entra.entraCreateGroup(tag, k), 201);
    const groupId = (created?.body as { id?: string } | undefined)?.id;
    const members = membersOf(k).map((i) => ids[i]).filter((id): id is string => Boolean(id));
    for (let at = 0; at < members.length; at += MEMBERS_PER_PATCH) {
      if (!groupId) break;
      await send(`PATCH /Groups/{id} add ≤${MEMBERS_PER_PATCH} members`, 'PATCH', `${base}/Groups/${groupId}`, entra.entraAddMembers(members.slice(at, at + MEMBERS_PER_PATCH)), 204);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = gateway.cpuMs();
  client.close();
  bar.done(`${Math.round(requests / seconds)} requests/s, ${errors} errors`);

  const all = [...latencies.values()].flat();
  const overall = summarize(all);
  const byKind = [...latencies].map(([kind, list]) => {
    const s = summarize(list);
    return { kind, count: list.length, p50Ms: round(s.median, 1), p99Ms: round(s.p99, 1) };
  });
  const results: CycleResults = {
    users: n,
    groups: g,
    concurrency,
    membersPerPatch: MEMBERS_PER_PATCH,
    requests,
    seconds: round(seconds, 1),
    requestsPerSecond: round(requests / seconds, 1),
    p50Ms: round(overall.median, 1),
    p99Ms: round(overall.p99, 1),
    errors,
    errorSamples,
    byKind,
    gatewayCpuMsPerRequest: cpuBefore !== undefined && cpuAfter !== undefined ? round((cpuAfter - cpuBefore) / requests, 2) : undefined,
  };
  const table: TableSpec = {
    title: `5. Entra-style initial cycle over HTTP (local gateway, ${concurrency} in flight)`,
    headers: ['requests', 'count', 'p50 ms', 'p99 ms'],
    rows: [...byKind.map((k) => [k.kind, k.count, k.p50Ms, k.p99Ms]), ['all', all.length, results.p50Ms, results.p99Ms]],
    notes: [
      `${n} users (lookup + create), then ${g} groups (lookup + create + PATCH add, ${MEMBERS_PER_PATCH} members per PATCH, each user in one group).`,
      `${requests} requests in ${results.seconds} s = ${results.requestsPerSecond} requests/s; errors: ${errors} (must be 0).`,
      ...errorSamples.map((e) => `error: ${e}`),
      ...(results.gatewayCpuMsPerRequest !== undefined
        ? [`gateway process CPU over the cycle: ${results.gatewayCpuMsPerRequest} ms per request (adapter, authorizer and its caches, handlers, SDK, stream consumer writing reports; JVM excluded).`]
        : []),
    ],
  };
  return { results, table };
};
