/**
 * Bounded soak: mixed Entra-style traffic against the local gateway process for a fixed time
 * (10 s in the npm test slice, 5 minutes in test:reliability, RELIABILITY_SOAK_SECONDS to
 * override) with a few requests in flight. Every answer must be the one the flow expects (0
 * errors); latency percentiles and the gateway's memory (RSS) are reported, and the memory after
 * warm-up must not keep growing.
 */
import { entraGroup, entraUser, PATCH_URN } from '../support/arbitraries';
import { recordFigures } from '../support/figures';
import { scimPath, type Gateway, type HttpAnswer, type LocalApp } from '../support/gateway';
import { scaled, soakSeconds, testTimeout } from '../support/scale';

const percentile = (sorted: number[], p: number): number => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0);

interface Sample {
  op: string;
  status: number;
  ms: number;
}

export const soakSuite = (shared: () => Gateway): void => {
  describe('bounded soak on the local gateway', () => {
    let gw: Gateway;
    let app: LocalApp;

    beforeAll(async () => {
      gw = shared();
      app = await gw.createApp('Soak');
    });

    it(`${soakSeconds()} s of mixed Entra-style traffic → 0 errors, memory flat after warm-up`, async () => {
      const seconds = soakSeconds();
      const inFlight = scaled(4, 6);
      const samples: Sample[] = [];
      const errors: string[] = [];
      const rss: Array<{ atSeconds: number; kib: number }> = [];
      const started = Date.now();
      const deadline = started + seconds * 1000;
      const groupIds: string[] = [];

      const call = async (op: string, method: string, rest: string, body: unknown, expected: number[]): Promise<HttpAnswer> => {
        const res = await gw.request(method, scimPath(app, rest), { token: app.secretToken, body: body === undefined ? undefined : JSON.stringify(body) });
        samples.push({ op, status: res.status, ms: res.ms });
        if (!expected.includes(res.status)) errors.push(`${op}: ${method} ${rest} → ${res.status} ${res.raw.slice(0, 300)}`);
        return res;
      };

      // Groups shared by every worker (members are only ever added, by the user's own worker).
      for (let g = 0; g < 5; g++) groupIds.push((await call('create group', 'POST', '/Groups', entraGroup(`Soak group ${g}`), [201])).body.id);

      const sampleMemory = () => {
        const kib = gw.rssKiB();
        if (kib !== undefined) rss.push({ atSeconds: Math.round((Date.now() - started) / 100) / 10, kib });
      };
      sampleMemory();
      const sampler = setInterval(sampleMemory, Math.max(1_000, (seconds * 1000) / 30));

      /** One worker: an Entra provisioning cycle over its own users, over and over. */
      const worker = async (w: number) => {
        const mine: Array<{ id: string; userName: string }> = [];
        let n = 0;
        while (Date.now() < deadline) {
          const roll = (n * 7919 + w * 104729) % 100;
          n++;
          if (mine.length < 3 || roll < 25) {
            // Entra: look the user up by its matching attribute, then create it.
            const userName = `soak.${w}.${n}@example.com`;
            const found = await call('lookup', 'GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`, undefined, [200]);
            if (found.body?.totalResults === 0) {
              const created = await call('create', 'POST', '/Users', entraUser(userName), [201]);
              if (created.status === 201) mine.push({ id: created.body.id, userName });
            }
          } else if (roll < 45) {
            const user = mine[n % mine.length];
            await call('patch', 'PATCH', `/Users/${user.id}`, { schemas: [PATCH_URN], Operations: [{ op: 'Replace', path: 'displayName', value: `Soak ${n}` }, { op: 'Add', path: 'title', value: `Title ${n % 7}` }] }, [200]);
          } else if (roll < 55) {
            const user = mine[n % mine.length];
            await call('disable', 'PATCH', `/Users/${user.id}`, { schemas: [PATCH_URN], Operations: [{ op: 'Replace', path: 'active', value: n % 2 ? 'False' : 'True' }] }, [200]);
          } else if (roll < 70) {
            const user = mine[n % mine.length];
            const group = groupIds[n % groupIds.length];
            await call('add member', 'PATCH', `/Groups/${group}`, { schemas: [PATCH_URN], Operations: [{ op: 'Add', path: 'members', value: [{ value: user.id }] }] }, [204]);
          } else if (roll < 80) {
            const user = mine[n % mine.length];
            await call('get', 'GET', `/Users/${user.id}`, undefined, [200]);
          } else if (roll < 88) {
            await call('group lookup', 'GET', `/Groups?filter=${encodeURIComponent(`displayName eq "Soak group ${n % 5}"`)}&excludedAttributes=members`, undefined, [200]);
          } else if (roll < 95) {
            const user = mine[n % mine.length];
            await call('lookup', 'GET', `/Users?filter=${encodeURIComponent(`userName eq "${user.userName}"`)}`, undefined, [200]);
          } else if (mine.length > 3) {
            const [user] = mine.splice(n % mine.length, 1);
            await call('delete', 'DELETE', `/Users/${user.id}`, undefined, [204]);
          }
        }
      };

      await Promise.all(Array.from({ length: inFlight }, (_, w) => worker(w)));
      clearInterval(sampler);
      sampleMemory();

      const latencies = samples.map((s) => s.ms).sort((x, y) => x - y);
      const byOp: Record<string, number> = {};
      for (const s of samples) byOp[s.op] = (byOp[s.op] ?? 0) + 1;
      // Warm-up: the first third (JIT, caches, connection pools); growth is measured after it.
      const warm = rss.filter((r) => r.atSeconds >= seconds / 3);
      const afterWarmUp = warm[0]?.kib ?? rss[0]?.kib ?? 0;
      const end = rss[rss.length - 1]?.kib ?? 0;
      const peak = Math.max(...rss.map((r) => r.kib));
      const figures = {
        seconds,
        inFlight,
        requests: samples.length,
        requestsPerSecond: Math.round((samples.length / ((Date.now() - started) / 1000)) * 10) / 10,
        errors: errors.length,
        fiveXx: samples.filter((s) => s.status >= 500).length,
        operations: byOp,
        latencyMs: { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] },
        rssKiB: { start: rss[0]?.kib, afterWarmUp, end, peak, growthAfterWarmUp: end - afterWarmUp, samples: rss.length },
      };
      recordFigures('soak', figures);
      if (process.env.RELIABILITY_DEBUG) process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);

      expect(errors.slice(0, 10)).toEqual([]);
      expect(samples.length).toBeGreaterThan(seconds);
      // No leak: after warm-up the serving process may not grow by more than a quarter (and 64 MiB).
      expect(figures.rssKiB.growthAfterWarmUp).toBeLessThan(Math.max(afterWarmUp / 4, 64 * 1024));
    }, testTimeout() + soakSeconds() * 1000);
  });
};
