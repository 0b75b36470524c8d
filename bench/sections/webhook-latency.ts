/**
 * Section 9: directory events — the time from a SCIM write's response to its signed webhook
 * arriving at a receiver on loopback (local gateway: stream poller → event stage → delivery queue →
 * sender), one write at a time; then a burst of writes sent at once, timed until every event has
 * arrived: events per second sustained end to end.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SectionContext } from '../lib/context';
import * as entra from '../lib/entra-bodies';
import { waitForIdle } from '../lib/gateway-process';
import { httpClient } from '../lib/http-client';
import { round, summarize } from '../lib/stats';
import type { TableSpec } from '../lib/table';

const TIMEOUT_MS = 30_000;
const TITLE = '9. Directory events (SCIM response → signed webhook received on loopback)';

export interface WebhookLatencyResults {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  timeouts: number;
  burstEvents: number;
  eventsPerSecond: number;
}

export const runWebhookLatency = async (ctx: SectionContext): Promise<{ results: WebhookLatencyResults; table: TableSpec }> => {
  const gateway = await ctx.gateway();
  const scim = httpClient(gateway.secretToken, 8);
  const admin = httpClient(gateway.adminToken, 2);
  /** userName → when its user.created arrived. */
  const arrived = new Map<string, number>();
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string; subject?: { userName?: string } };
      if (event.type === 'user.created' && event.subject?.userName) arrived.set(event.subject.userName, performance.now());
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/bench`;
  const appId = /\/apps\/([^/]+)\//.exec(gateway.tenantUrl)![1];
  let webhookId: string | undefined;
  try {
    const made = await admin.request('POST', `${gateway.apiUrl}/admin/apps/${appId}/webhooks`, { url, types: ['user.created'] });
    if (made.status !== 201) throw new Error(`POST …/webhooks answered ${made.status}: ${JSON.stringify(made.body)}`);
    webhookId = (made.body as { id: string }).id;
    await waitForIdle(gateway);
    const tag = `wh${Date.now().toString(36)}`;
    const samples = ctx.sizes.freshnessSamples;
    const bar = ctx.progress('webhook latency', samples);
    const delays: number[] = [];
    let timeouts = 0;
    for (let i = 0; i < samples; i++) {
      const created = await scim.request('POST', `${gateway.tenantUrl}/Users`, entra.entraCreateUser(tag, i));
      if (created.status !== 201) throw new Error(`POST /Users answered ${created.status}`);
      const answered = performance.now();
      const userName = entra.userNameOf(tag, i);
      while (!arrived.has(userName) && performance.now() - answered < TIMEOUT_MS) await new Promise((r) => setTimeout(r, 5));
      if (arrived.has(userName)) delays.push(arrived.get(userName)! - answered);
      else timeouts++;
      bar.tick();
    }
    bar.done();
    // The burst: many writes at once, timed from the first request to the last event received.
    const burst = samples * 5;
    const burstTag = `${tag}b`;
    const start = performance.now();
    await Promise.all(Array.from({ length: burst }, (_, i) => scim.request('POST', `${gateway.tenantUrl}/Users`, entra.entraCreateUser(burstTag, i))));
    const names = Array.from({ length: burst }, (_, i) => entra.userNameOf(burstTag, i));
    while (!names.every((n) => arrived.has(n)) && performance.now() - start < TIMEOUT_MS * 4) await new Promise((r) => setTimeout(r, 20));
    const last = Math.max(...names.map((n) => arrived.get(n) ?? performance.now()));
    const s = summarize(delays);
    const results: WebhookLatencyResults = {
      samples: delays.length,
      p50Ms: round(s.median, 0),
      p99Ms: round(s.p99, 0),
      maxMs: round(s.max, 0),
      timeouts,
      burstEvents: names.filter((n) => arrived.has(n)).length,
      eventsPerSecond: round((names.filter((n) => arrived.has(n)).length / (last - start)) * 1000, 1),
    };
    return {
      results,
      table: {
        title: TITLE,
        headers: ['samples', 'p50 ms', 'p99 ms', 'max ms', 'timeouts (>30 s)', 'burst events', 'events/s end to end'],
        rows: [[results.samples, results.p50Ms, results.p99Ms, results.maxMs, timeouts, results.burstEvents, results.eventsPerSecond]],
        notes: [
          'One POST /Users at a time, timed from its response to its user.created webhook arriving (signed, over http on loopback); then a burst sent at once, timed until its last event arrived.',
          'Locally each stream poller waits 200 ms when idle and the sender passes over the queue every 200 ms at most, which bounds the median; in AWS the event source mapping and the sender schedule play these parts.',
        ],
      },
    };
  } finally {
    if (webhookId) await admin.request('DELETE', `${gateway.apiUrl}/admin/apps/${appId}/webhooks/${webhookId}`).catch(() => undefined);
    scim.close();
    admin.close();
    await new Promise((resolve) => receiver.close(resolve));
  }
};
