/**
 * Download of the report query on screen as one CSV or JSON file: the report API's export
 * (`format=csv|json`, every page), followed through `X-Next-Cursor` when the export outgrows one
 * response, joined (one CSV header line; one `{"reports": [...]}`), and handed to the browser.
 */
import type { Api } from './api';
import { reportApiQuery, type ReportFilters } from './queries';

export type ExportFormat = 'csv' | 'json';

/** The report API's continuation header (lambdas/handlers/reports.ts NEXT_CURSOR_HEADER). */
const NEXT_CURSOR = 'X-Next-Cursor';
/** A runaway export stops here rather than filling the browser's memory. */
const MAX_RESPONSES = 100;

/** Every row of the query, as the file's text; `onProgress` hears the rows so far. */
export const exportText = async (api: Api, filters: ReportFilters, format: ExportFormat, onProgress: (rows: number) => void): Promise<string> => {
  const csvParts: string[] = [];
  const jsonRows: unknown[] = [];
  let cursor: string | undefined;
  let rows = 0;
  for (let n = 0; n < MAX_RESPONSES; n++) {
    const query = reportApiQuery(filters, { cursor });
    query.set('format', format);
    const { text, headers } = await api.getText('admin/reports', query);
    if (format === 'csv') {
      // Each response opens with the header line: the file keeps the first.
      const body = n === 0 ? text : text.slice(text.indexOf('\r\n') + 2);
      csvParts.push(body);
      rows += (body.match(/\r\n/g) ?? []).length - (n === 0 ? 1 : 0);
    } else {
      const page = (JSON.parse(text) as { reports: unknown[] }).reports;
      jsonRows.push(...page);
      rows = jsonRows.length;
    }
    onProgress(rows);
    cursor = headers.get(NEXT_CURSOR) ?? undefined;
    if (!cursor) break;
  }
  return format === 'csv' ? csvParts.join('') : `${JSON.stringify({ reports: jsonRows }, null, 2)}\n`;
};

/** Hands `text` to the browser as a file download. */
export const saveFile = (text: string, name: string, type: string): void => {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};
