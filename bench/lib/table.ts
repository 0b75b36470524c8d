/**
 * Plain-text tables for stdout and Markdown tables for docs/benchmarks.md, from the same rows.
 */

export type Cell = string | number | boolean | undefined | null;

export interface TableSpec {
  title: string;
  headers: string[];
  rows: Cell[][];
  /** Printed under the table. */
  notes?: string[];
}

export const cellText = (cell: Cell): string => {
  if (cell === undefined || cell === null) return '—';
  if (typeof cell === 'boolean') return cell ? 'yes' : 'no';
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return 'n/a';
    if (Number.isInteger(cell)) return String(cell);
    return Math.abs(cell) >= 100 ? cell.toFixed(0) : Math.abs(cell) >= 10 ? cell.toFixed(1) : cell.toFixed(2);
  }
  return cell;
};

const isNumeric = (cell: Cell) => typeof cell === 'number';

export const textTable = (spec: TableSpec): string => {
  const texts = spec.rows.map((row) => row.map(cellText));
  const widths = spec.headers.map((h, i) => Math.max(h.length, ...texts.map((r) => (r[i] ?? '').length)));
  const numericColumn = spec.headers.map((_h, i) => spec.rows.some((r) => isNumeric(r[i])));
  const line = (cells: string[], raw?: Cell[]) =>
    cells.map((c, i) => ((raw ? isNumeric(raw[i]) : numericColumn[i]) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [`${spec.title}`, line(spec.headers), widths.map((w) => '─'.repeat(w)).join('  ')];
  texts.forEach((cells, r) => out.push(line(cells, spec.rows[r])));
  for (const note of spec.notes ?? []) out.push(`  · ${note}`);
  return `${out.join('\n')}\n`;
};

const escapeMd = (text: string) => text.replace(/\|/g, '\\|');

export const markdownTable = (spec: Omit<TableSpec, 'title'>): string => {
  const head = `| ${spec.headers.map(escapeMd).join(' | ')} |`;
  const rule = `| ${spec.headers.map((_h, i) => (spec.rows.some((r) => isNumeric(r[i])) ? '---:' : '---')).join(' | ')} |`;
  const body = spec.rows.map((row) => `| ${row.map((c) => escapeMd(cellText(c))).join(' | ')} |`);
  const notes = (spec.notes ?? []).map((n) => `- ${n}`);
  return [head, rule, ...body, ...(notes.length ? ['', ...notes] : [])].join('\n');
};
