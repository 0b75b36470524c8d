/**
 * Section 6: report freshness — the time from a SCIM write's response to its row being visible in
 * `GET /admin/reports` on the local gateway. Measured only when the reports pipeline (stream
 * consumer + report API) is in the tree; otherwise the section says so and reports no number.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROUTES } from '../../lambdas/shared/routes';
import type { SectionContext } from '../lib/context';
import * as entra from '../lib/entra-bodies';
import { waitForIdle } from '../lib/gateway-process';
import { httpClient } from '../lib/http-client';
import { round, summarize } from '../lib/stats';
import type { TableSpec } from '../lib/table';

const POLL_MS = 10;
const TIMEOUT_MS = 30_000;

export interface FreshnessResults {
  measured: boolean;
  reason?: string;
  samples?: number;
  medianMs?: number;
  p99Ms?: number;
  maxMs?: number;
  timeouts?: number;
  /** How long the marker write waited for its row: the stream backlog earlier sections left (undefined: over 5 min). */
  backlogMs?: number;
}

const ROOT = path.resolve(__dirname, '../..');

export const reportsPipelinePresent = (): boolean =>
  ['stream', 'reports'].every((name) => existsSync(path.join(ROOT, 'lambdas', 'handlers', `${name}.ts`))) &&
  ROUTES.some((r) => r.method === 'GET' && r.path === '/admin/reports');

const absent = (reason: string): { results: FreshnessResults; table: TableSpec } => ({
  results: { measured: false, reason },
  table: { title: '6. Report freshness (SCIM response → row visible in GET /admin/reports)', headers: ['result'], rows: [[`not measured: ${reason}`]] },
});

export const runFreshness = async (ctx: SectionContext): Promise<{ results: FreshnessResults; table: TableSpec }> => {
  if (!reportsPipelinePresent()) return absent('reports pipeline absent');
  const gateway = await ctx.gateway();
  const scim = httpClient(gateway.secretToken, 2);
  const admin = httpClient(gateway.adminToken, 2);
  try {
    const probe = await admin.request('GET', `${gateway.apiUrl}/admin/reports?limit=1`);
    if (probe.status !== 200) return absent(`reports pipeline absent (GET /admin/reports answered ${probe.status})`);
    const tag = `fr${Date.now().toString(36)}`;
    /** Creates user `n` and waits for its report row: ms from the response to the row, or undefined after TIMEOUT_MS. */
    const rowDelay = async (n: number, timeoutMs = TIMEOUT_MS): Promise<number | undefined> => {
      const userName = entra.userNameOf(tag, n);
      const created = await scim.request('POST', `${gateway.tenantUrl}/Users`, entra.entraCreateUser(tag, n));
      if (created.status !== 201) throw new Error(`POST /Users answered ${created.status}: ${JSON.stringify(created.body)}`);
      const answered = performance.now();
      while (performance.now() - answered < timeoutMs) {
        const rows = await admin.request('GET', `${gateway.apiUrl}/admin/reports?endUser=${encodeURIComponent(userName)}&limit=5`);
        if (rows.status !== 200) throw new Error(`GET /admin/reports answered ${rows.status}: ${JSON.stringify(rows.body)}`);
        if (((rows.body as { reports?: unknown[] }).reports ?? []).length > 0) return performance.now() - answered;
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      return undefined;
    };
    // Earlier sections' writes must not be queued in the stream ahead of ours. An idle gateway
    // process is not enough (it waits on DynamoDB Local while a backlog drains): a marker write
    // whose row shows proves every record before it was consumed (one shard, in order).
    await waitForIdle(gateway);
    const samples = ctx.sizes.freshnessSamples;
    const backlogMs = await rowDelay(samples, 10 * TIMEOUT_MS); // the marker: the user after the samples
    const bar = ctx.progress('report freshness', samples);
    const delays: number[] = [];
    let timeouts = 0;
    for (let i = 0; i < samples; i++) {
      const delay = await rowDelay(i);
      if (delay === undefined) timeouts++;
      else delays.push(delay);
      bar.tick();
    }
    bar.done();
    const s = summarize(delays);
    const results: FreshnessResults = {
      measured: true,
      samples: delays.length,
      medianMs: round(s.median, 0),
      p99Ms: round(s.p99, 0),
      maxMs: round(s.max, 0),
      timeouts,
      backlogMs: backlogMs === undefined ? undefined : round(backlogMs, 0),
    };
    return {
      results,
      table: {
        title: '6. Report freshness (SCIM response → row visible in GET /admin/reports)',
        headers: ['samples', 'median ms', 'p99 ms', 'max ms', 'timeouts (>30 s)'],
        rows: [[delays.length, results.medianMs, results.p99Ms, results.maxMs, timeouts]],
        notes: [
          `POST /Users, then GET /admin/reports?endUser=<userName> every ${POLL_MS} ms until the row shows; started once a marker write's row showed (no stream backlog ahead of the samples).`,
          `the marker, written when the gateway process had gone idle after the earlier sections, waited ${results.backlogMs === undefined ? 'over 5 min' : `${results.backlogMs} ms`} for its row: the report pipeline's backlog after them (the Entra cycle's writes, on DynamoDB Local).`,
          'Locally the stream poller waits 200 ms when a shard is idle; in AWS the Lambda event source mapping polls a shard about 4 times a second, so expect the same order of magnitude.',
        ],
      },
    };
  } finally {
    scim.close();
    admin.close();
  }
};
