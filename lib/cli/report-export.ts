/**
 * `scim-gateway reports --format csv|json`: the report API's export (`format=`) written to stdout as
 * it arrives, following `X-Next-Cursor` until the query is exhausted or `--limit` rows are out, so
 * an export of any size becomes one file (a CSV's repeated header lines are dropped, JSON pages are
 * joined into one `{"reports": [...]}`).
 */
import { NEXT_CURSOR_HEADER } from '../../lambdas/handlers/reports';
import { MAX_EXPORT_LIMIT, type ReportFormat } from '../../lambdas/reports/query';
import { adminRequest, CliError, type Target } from './admin-client';

/** Records of an RFC 4180 text: CRLFs outside quoted fields. */
const countRecords = (csv: string): number => {
  let records = 0;
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    if (csv[i] === '"') quoted = !quoted;
    else if (!quoted && csv[i] === '\r' && csv[i + 1] === '\n') records++;
  }
  return records;
};

export interface ExportResult {
  rows: number;
  /** More rows match than `limit` let out. */
  more: boolean;
}

/** `/admin/reports?…` with spaces as %20: every front door reads %20 as a space, not every one reads '+' so. */
export const reportsPath = (query: URLSearchParams): string => `/admin/reports?${query.toString().replace(/\+/g, '%20')}`;

export const exportReports = async (
  target: Target,
  fetchFn: typeof fetch,
  query: URLSearchParams,
  format: ReportFormat,
  limit: number | undefined,
  out: (text: string) => void,
): Promise<ExportResult> => {
  let rows = 0;
  let cursor: string | undefined;
  let first = true;
  if (format === 'json') out('{"reports":[');
  do {
    const page = new URLSearchParams(query);
    page.set('format', format);
    if (limit !== undefined) page.set('limit', String(Math.min(MAX_EXPORT_LIMIT, limit - rows)));
    if (cursor) page.set('cursor', cursor);
    const { text, headers } = await adminRequest(target, fetchFn, 'GET', reportsPath(page), { forbidden: 'The token may not read reports (403): use an admin token.' });
    if (format === 'csv') {
      // Every response starts with the header line; the file keeps the first one only.
      out(first ? text : text.slice(text.indexOf('\r\n') + 2));
      rows += Math.max(0, countRecords(text) - 1);
    } else {
      let reports: unknown[];
      try {
        reports = (JSON.parse(text) as { reports: unknown[] }).reports;
      } catch {
        throw new CliError(`${target.apiUrl} did not answer with a report export (is it a scim-gateway of this version?).`);
      }
      out(reports.map((row, i) => `${rows + i ? ',' : ''}\n${JSON.stringify(row)}`).join(''));
      rows += reports.length;
    }
    cursor = headers.get(NEXT_CURSOR_HEADER) ?? undefined;
    first = false;
  } while (cursor && (limit === undefined || rows < limit));
  if (format === 'json') out('\n]}\n');
  return { rows, more: cursor !== undefined };
};
