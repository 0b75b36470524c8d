/**
 * Section 3: cold start per Lambda bundle — size (raw and gzip), whether the AWS SDK is inside,
 * and the time a fresh Node process takes to load the bundle and answer its first request.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HANDLERS, ROUTES } from '../../lambdas/shared/routes';
import { bundleEntry, stackBundleSettings, type BundleSettings } from '../lib/bundling';
import type { SectionContext } from '../lib/context';
import { adminAuthorizerContext, apiEvent, appAuthorizerContext } from '../lib/events';
import { runProbe, writeProbe, type InitTiming } from '../lib/init-probe';
import { round, summarize } from '../lib/stats';
import type { TableSpec } from '../lib/table';

/** Init is the target; bundle size is reported only (the pinned SDK is bundled on purpose, and its cost shows in init). */
export const COLD_START_TARGETS = { maxInitMs: 100 } as const;

export interface BundleResult {
  name: string;
  kb: number;
  gzipKb: number;
  sdkBundled: boolean;
  sdkKb: number;
  /** Largest contributors, e.g. "@aws-sdk/client-dynamodb 180 KB". */
  largest: string;
  /** Median over fresh processes, with NODE_OPTIONS=--enable-source-maps as the stack sets it. */
  loadMs: number;
  firstInvokeMs: number;
  initMs: number;
  /** The same without source maps, for comparison (runs of 2 or more only). */
  initNoSourceMapsMs?: number;
  probe: string;
  outcome: string;
  initMet: boolean;
}

export interface ColdStartResults {
  settings: BundleSettings;
  runs: number;
  bundles: BundleResult[];
  /** The same measure for the pinned SDK alone (bench/lib/sdk-floor.ts): this machine's floor, not a target. */
  sdkFloor?: { kb: number; loadMs: number; firstInvokeMs: number; initMs: number };
}

const ROOT = path.resolve(__dirname, '../..');
const APP = { id: 'probeapp', name: 'Probe' };

/** A request each function can answer without data: an empty lookup, a list, a bad token. */
const probeFor = (name: string): { event: unknown; kind: 'http' | 'other'; label: string } | undefined => {
  switch (name) {
    case 'users':
      return { event: apiEvent('GET', `/apps/${APP.id}/scim/v2/Users?filter=${encodeURIComponent('userName eq "nobody"')}`, appAuthorizerContext(APP)), kind: 'http', label: 'GET /Users?filter=userName eq (no match)' };
    case 'groups':
      return { event: apiEvent('GET', `/apps/${APP.id}/scim/v2/Groups?filter=${encodeURIComponent('displayName eq "none"')}`, appAuthorizerContext(APP)), kind: 'http', label: 'GET /Groups?filter=displayName eq (no match)' };
    case 'search':
      return {
        event: apiEvent('POST', `/apps/${APP.id}/scim/v2/.search`, appAuthorizerContext(APP), { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'userName eq "nobody"' }),
        kind: 'http',
        label: 'POST /.search, filter userName eq (no match)',
      };
    case 'discovery':
      return { event: apiEvent('GET', `/apps/${APP.id}/scim/v2/ServiceProviderConfig`, appAuthorizerContext(APP)), kind: 'http', label: 'GET /ServiceProviderConfig' };
    case 'authorizer':
      return {
        event: { type: 'TOKEN', authorizationToken: 'Bearer not-a-gateway-token', methodArn: 'arn:aws:execute-api:us-east-1:000000000000:abc/v1/GET/apps/x/scim/v2/Users' },
        kind: 'other',
        label: 'TOKEN event, bad token (→ Unauthorized)',
      };
    case 'stream':
      return { event: { Records: [] }, kind: 'other', label: 'stream batch with no records' };
    default: {
      // Any other API handler: its first GET route, with the token kind the route wants.
      const route = ROUTES.find((r) => r.handler === name && r.method === 'GET' && !r.path.includes('{'));
      if (!route) return undefined;
      const authorizer = route.auth === 'admin' ? adminAuthorizerContext() : route.auth === 'scim' ? appAuthorizerContext(APP) : null;
      return { event: apiEvent('GET', route.path.replace('{appId}', APP.id), authorizer), kind: 'http', label: `GET ${route.path}` };
    }
  }
};

const median = (values: number[]) => summarize(values).median;

export const runColdStart = async (ctx: SectionContext): Promise<{ results: ColdStartResults; table: TableSpec }> => {
  const settings = await stackBundleSettings();
  const names = [...HANDLERS, 'authorizer', 'stream'].filter((name) => existsSync(path.join(ROOT, 'lambdas', 'handlers', `${name}.ts`)));
  const runs = ctx.sizes.coldStartRuns;
  const outDir = mkdtempSync(path.join(tmpdir(), 'scim-bench-bundles-'));
  const probe = writeProbe(outDir);
  const compare = runs >= 2;
  const bar = ctx.progress('cold start per bundle', names.length * (1 + runs * (compare ? 2 : 1)));
  const bundles: BundleResult[] = [];
  let sdkFloor: ColdStartResults['sdkFloor'];
  try {
    // The reference first: the SDK alone, measured the same way (no source-map comparison needed).
    const floor = await bundleEntry('sdk-floor', path.join(ROOT, 'bench', 'lib', 'sdk-floor.ts'), outDir, settings);
    const floorRuns: InitTiming[] = [];
    for (let i = 0; i < runs; i++) floorRuns.push(await runProbe(probe, floor.file, {}, 'other', { sourceMaps: true }));
    sdkFloor = {
      kb: round(floor.bytes / 1024, 1),
      loadMs: round(median(floorRuns.map((t) => t.loadMs)), 1),
      firstInvokeMs: round(median(floorRuns.map((t) => t.firstInvokeMs)), 1),
      initMs: round(median(floorRuns.map((t) => t.loadMs + t.firstInvokeMs)), 1),
    };
    for (const name of names) {
      const info = await bundleEntry(name, path.join(ROOT, 'lambdas', 'handlers', `${name}.ts`), outDir, settings);
      bar.tick();
      const p = probeFor(name);
      if (!p) continue;
      const withMaps: InitTiming[] = [];
      const withoutMaps: InitTiming[] = [];
      // Alternate so a busy moment of the machine hits both variants alike.
      for (let i = 0; i < runs; i++) {
        withMaps.push(await runProbe(probe, info.file, p.event, p.kind, { sourceMaps: true }));
        bar.tick();
        if (!compare) continue;
        withoutMaps.push(await runProbe(probe, info.file, p.event, p.kind, { sourceMaps: false }));
        bar.tick();
      }
      const loadMs = median(withMaps.map((t) => t.loadMs));
      const firstInvokeMs = median(withMaps.map((t) => t.firstInvokeMs));
      const initMs = median(withMaps.map((t) => t.loadMs + t.firstInvokeMs));
      const kb = info.bytes / 1024;
      bundles.push({
        name,
        kb: round(kb, 1),
        gzipKb: round(info.gzipBytes / 1024, 1),
        sdkBundled: info.sdkBundled,
        sdkKb: round(info.sdkBytes / 1024, 1),
        largest: info.topPackages.map((p) => `${p.name} ${Math.round(p.bytes / 1024)} KB`).join(', '),
        loadMs: round(loadMs, 1),
        firstInvokeMs: round(firstInvokeMs, 1),
        initMs: round(initMs, 1),
        initNoSourceMapsMs: compare ? round(median(withoutMaps.map((t) => t.loadMs + t.firstInvokeMs)), 1) : undefined,
        probe: p.label,
        outcome: withMaps[0].outcome,
        initMet: initMs <= COLD_START_TARGETS.maxInitMs,
      });
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  bar.done();

  const results: ColdStartResults = { settings, runs, bundles, sdkFloor };
  const sdkInits = bundles.filter((b) => b.sdkBundled).map((b) => b.initMs);
  const table: TableSpec = {
    title: '3. Cold start per Lambda bundle (esbuild as the stack ships it; fresh Node process per run)',
    headers: ['bundle', 'KB', 'gzip KB', 'SDK inside', 'SDK KB', 'load ms', '1st call ms', 'init ms', 'no maps ms', 'init ≤100', 'probe → outcome'],
    rows: [
      ...bundles.map((b) => [b.name, b.kb, b.gzipKb, b.sdkBundled, b.sdkKb, b.loadMs, b.firstInvokeMs, b.initMs, b.initNoSourceMapsMs, b.initMet ? 'yes' : 'NO', `${b.probe} → ${b.outcome}`]),
      ...(sdkFloor ? [['SDK alone (reference)', sdkFloor.kb, '', true, '', sdkFloor.loadMs, sdkFloor.firstInvokeMs, sdkFloor.initMs, '', '—', 'one GetItem through the document client → ok']] : []),
    ],
    notes: [
      ...(sdkFloor && sdkInits.length
        ? [
            `SDK alone (bench/lib/sdk-floor.ts): the pinned DynamoDB document client and one GetItem, bundled and timed the same way — what any bundle that talks to DynamoDB pays on this machine (${sdkFloor.initMs} ms); the bundles' own code adds ${round(Math.min(...sdkInits) - sdkFloor.initMs, 1)}–${round(Math.max(...sdkInits) - sdkFloor.initMs, 1)} ms to it.`,
          ]
        : []),
      ...bundles.slice(0, 1).map((b) => `largest parts of the ${b.name} bundle: ${b.largest}.`),
      `esbuild settings from ${settings.source}: format ${settings.format}, minify ${settings.minify}, sourcemap ${settings.sourcemap} (sourcesContent ${settings.sourcesContent}), keepNames ${settings.keepNames}, target ${settings.target}, external [${settings.external.join(', ')}], alias {${Object.entries(settings.alias).map(([from, to]) => `${from} → ${to}`).join(', ')}}.`,
      'init = require(bundle) + first invocation (DynamoDB = a loopback server answering empty results), median of ' +
        `${runs} fresh process(es) with NODE_OPTIONS=--enable-source-maps as the stack sets it; "no maps" = the same without it${compare ? '' : ' (not run with a single run)'}.`,
      `Node ${process.version} on this machine; Lambda adds its runtime bootstrap (~120 ms for a hello-world nodejs22.x arm64 in the public lambda-perf measurements) and a TLS handshake.`,
    ],
  };
  return { results, table };
};
