/**
 * Writes the figures of a run into docs/benchmarks.md, between two markers; the method text
 * around them is written by hand and left alone.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchResults } from '../lib/results';
import { markdownTable, type TableSpec } from '../lib/table';

export const BEGIN = '<!-- bench:figures:begin (written by npm run bench; edits here are overwritten) -->';
export const END = '<!-- bench:figures:end -->';

export const figuresMarkdown = (results: BenchResults, tables: TableSpec[]): string => {
  const m = results.machine;
  const lines = [
    BEGIN,
    '',
    `Run of ${results.date.slice(0, 16).replace('T', ' ')} UTC${results.quick ? ' (`--quick` sizes)' : ''}, ${results.durationSeconds} s — ` +
      `${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os}, Node ${m.node}; load average ${m.loadAverageStart.join(' / ')} at the start` +
      `${m.loadAverageEnd ? `, ${m.loadAverageEnd.join(' / ')} at the end` : ''}.`,
    '',
    `Sizes: ${Object.entries(results.sizes).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    '',
  ];
  for (const table of tables) {
    lines.push(`### ${table.title}`, '', markdownTable(table), '');
  }
  lines.push(END);
  return lines.join('\n');
};

const SKELETON = `# Benchmarks\n\nRun \`npm run bench\` (or \`npm run bench -- --quick\`).\n\n## Latest figures\n\n${BEGIN}\n${END}\n`;

/** Replaces the figures block of `file` (creating the file from a skeleton if needed). */
export const writeFigures = (file: string, block: string): void => {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : SKELETON;
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  const next = start >= 0 && end > start ? `${text.slice(0, start)}${block}${text.slice(end + END.length)}` : `${text.trimEnd()}\n\n## Latest figures\n\n${block}\n`;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, next);
};
