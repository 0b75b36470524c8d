/**
 * Figures of a full run (requests per route, outcomes, latencies…), one JSON file per section in
 * a scratch directory. `test/reliability/report.ts` turns them into docs/reliability.md.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isFull, SCALE } from './scale';

export const figuresDir = (): string => process.env.RELIABILITY_FIGURES_DIR ?? path.join(tmpdir(), 'scim-gateway-reliability');

/** Merges `data` into the section's file. Quick runs record nothing unless RELIABILITY_FIGURES_DIR is set. */
export const recordFigures = (section: string, data: Record<string, unknown>): void => {
  if (!isFull && !process.env.RELIABILITY_FIGURES_DIR) return;
  const dir = figuresDir();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${section}.json`);
  let existing: Record<string, unknown> = {};
  try {
    existing = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // First figures of this section.
  }
  writeFileSync(file, `${JSON.stringify({ ...existing, ...data, scale: SCALE, recordedAt: new Date().toISOString() }, null, 2)}\n`);
};

export const readAllFigures = (dir = figuresDir()): Record<string, Record<string, unknown>> => {
  const out: Record<string, Record<string, unknown>> = {};
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return out;
  }
  for (const name of names) out[name.replace(/\.json$/, '')] = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
  return out;
};

/** Counts per key (requests per route, statuses per route). */
export class Tally {
  readonly counts: Record<string, Record<string, number>> = {};
  add(key: string, status: number): void {
    const row = (this.counts[key] ??= {});
    row[String(status)] = (row[String(status)] ?? 0) + 1;
  }
  total(key: string): number {
    return Object.values(this.counts[key] ?? {}).reduce((a, b) => a + b, 0);
  }
  fiveXx(): number {
    let n = 0;
    for (const row of Object.values(this.counts)) for (const [status, c] of Object.entries(row)) if (Number(status) >= 500) n += c;
    return n;
  }
}
