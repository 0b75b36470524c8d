/**
 * Runs the chosen sections in a fixed order — in-process ones first, then the ones over HTTP
 * against the local gateway, then the cost model that uses their figures — prints each table as
 * it completes, and writes the results JSON (and, when asked, the figures block of the docs).
 * A failing section is recorded and the others still run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { textTable, type TableSpec } from './table';
import { figuresMarkdown, writeFigures } from '../report/markdown';
import { summaryTable } from '../report/summary';
import { runBulk } from '../sections/bulk';
import { runColdStart } from '../sections/cold-start';
import { runCostModel } from '../sections/cost-model';
import { runEntraCycle } from '../sections/entra-cycle';
import { runFreshness } from '../sections/freshness';
import { runWebhookLatency } from '../sections/webhook-latency';
import { runGatewayCpu } from '../sections/gateway-cpu';
import { runHandlerCpu } from '../sections/handler-cpu';
import { runOAuth } from '../sections/oauth';
import { runRoundTrips } from '../sections/round-trips';
import { runScale } from '../sections/scale';
import { lazy, type SectionContext } from './context';
import { startBenchEnvironment } from './environment';
import { isGatewayAvailable, startGatewayProcess } from './gateway-process';
import { loadAverageNow, machineInfo } from './machine';
import type { BenchOptions, SectionId } from './options';
import type { ProgressFactory } from './progress';
import type { BenchResults } from './results';

export interface BenchIo {
  progress: ProgressFactory;
  /** Tables and the summary. */
  print(text: string): void;
  /** Notes while running. */
  log(message: string): void;
}

const GATEWAY_SECTIONS: SectionId[] = ['gateway-cpu', 'cycle', 'freshness', 'webhooks'];

export const runBench = async (options: BenchOptions, io: BenchIo): Promise<{ results: BenchResults; tables: TableSpec[] }> => {
  const started = performance.now();
  const environment = lazy(startBenchEnvironment, (env) => env.close());
  const gateway = lazy(startGatewayProcess, (gw) => gw.stop());
  const ctx: SectionContext = {
    sizes: options.sizes,
    quick: options.quick,
    progress: io.progress,
    log: io.log,
    environment: environment.get,
    gateway: gateway.get,
  };
  const results: BenchResults = {
    schemaVersion: 1,
    date: new Date().toISOString(),
    quick: options.quick,
    sizes: options.sizes,
    sections: options.sections,
    machine: machineInfo(),
    durationSeconds: 0,
    skipped: {},
    failed: {},
  };
  const tables: TableSpec[] = [];
  const wants = (id: SectionId) => options.sections.includes(id);
  const show = (...specs: TableSpec[]) => {
    for (const spec of specs) {
      tables.push(spec);
      io.print(`\n${textTable(spec)}`);
    }
  };
  const section = async (id: SectionId, run: () => Promise<void>) => {
    if (!wants(id)) return;
    try {
      await run();
    } catch (error) {
      results.failed[id] = (error as Error).message.split('\n')[0];
      io.log(`section ${id} failed: ${(error as Error).stack ?? String(error)}`);
    }
  };
  const gatewayWanted = GATEWAY_SECTIONS.some(wants);
  if (gatewayWanted && !isGatewayAvailable()) {
    for (const id of GATEWAY_SECTIONS.filter(wants)) results.skipped[id] = 'the local gateway (lib/local/gateway.ts) is not in this tree';
  }
  const gatewayUsable = (id: SectionId) => wants(id) && !results.skipped[id];

  try {
    await section('round-trips', async () => {
      const { results: r, table } = await runRoundTrips(ctx);
      results.roundTrips = r;
      show(table);
    });
    await section('cpu', async () => {
      const { results: r, table } = await runHandlerCpu(ctx);
      results.cpu = r;
      show(table);
    });
    await section('oauth', async () => {
      const { results: r, table } = await runOAuth(ctx);
      results.oauth = r;
      show(table);
    });
    await section('cold-start', async () => {
      const { results: r, table } = await runColdStart(ctx);
      results.coldStart = r;
      show(table);
    });
    // The gateway (a JVM and a Node process) starts while the scale curve seeds its tables.
    if (GATEWAY_SECTIONS.some(gatewayUsable)) gateway.get().catch(() => undefined);
    await section('scale', async () => {
      const { results: r, table } = await runScale(ctx);
      results.scale = r;
      show(table);
    });
    await section('bulk', async () => {
      const { results: r, table } = await runBulk(ctx);
      results.bulk = r;
      show(table);
    });
    if (gatewayUsable('gateway-cpu')) {
      await section('gateway-cpu', async () => {
        const { results: r, table } = await runGatewayCpu(ctx);
        results.gatewayCpu = r;
        show(table);
      });
    }
    if (gatewayUsable('cycle')) {
      await section('cycle', async () => {
        const { results: r, table } = await runEntraCycle(ctx);
        results.cycle = r;
        show(table);
      });
    }
    if (gatewayUsable('freshness')) {
      await section('freshness', async () => {
        const { results: r, table } = await runFreshness(ctx);
        results.freshness = r;
        show(table);
      });
    }
    if (gatewayUsable('webhooks')) {
      await section('webhooks', async () => {
        const { results: r, table } = await runWebhookLatency(ctx);
        results.webhooks = r;
        show(table);
      });
    }
    await section('cost', async () => {
      if (!results.roundTrips || !results.cpu) throw new Error('the cost model needs the round-trips and cpu sections, which did not complete');
      const { results: r, table, mixTable } = await runCostModel(ctx, { roundTrips: results.roundTrips, cpu: results.cpu, coldStart: results.coldStart });
      results.cost = r;
      show(mixTable, table);
    });
  } finally {
    await gateway.stop();
    await environment.stop();
  }

  results.durationSeconds = Math.round((performance.now() - started) / 1000);
  results.machine.loadAverageEnd = loadAverageNow();
  const summary = summaryTable(results);
  io.print(`\n${textTable(summary)}`);
  const allTables = [summary, ...tables];

  mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  io.log(`results written to ${options.out}`);
  if (options.docs) {
    writeFigures(options.docs, figuresMarkdown(results, allTables));
    io.log(`figures written to ${options.docs}`);
  }
  return { results, tables: allTables };
};
