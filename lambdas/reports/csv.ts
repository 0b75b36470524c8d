/**
 * Report rows as CSV (RFC 4180): a header line, then one line per row, CRLF line ends, a field
 * quoted when it holds a comma, a double quote, CR or LF (quotes doubled inside). Spreadsheets run a
 * cell that starts with = + - @ tab or CR as a formula ("CSV injection"): such a cell gets a
 * leading `'`, which Excel, LibreOffice and Google Sheets show as text. Pure.
 */
import type { ReportRow } from '../domain/report-row';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field: formula-safe, then quoted when RFC 4180 asks for it. */
export const csvField = (value: string | number | undefined): string => {
  if (value === undefined) return '';
  const text = String(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** One record, CRLF-terminated. */
export const csvLine = (fields: readonly (string | number | undefined)[]): string => `${fields.map(csvField).join(',')}\r\n`;

/** The changes of a row in one cell: `name: old → new`, `name: → new` (added), `name: old →` (removed). */
const changesText = (row: ReportRow): string =>
  (row.changes ?? []).map((c) => `${c.name}: ${c.old ?? ''} → ${c.new ?? ''}`.replace(/ {2,}/g, ' ').trim()).join('; ');

/** The columns, in order: the report API's row fields (README, "Report API"), changes in one cell. */
const COLUMNS: readonly (readonly [string, (row: ReportRow) => string | number | undefined])[] = [
  ['time', (r) => r.time],
  ['appId', (r) => r.appId],
  ['appName', (r) => r.appName],
  ['resourceType', (r) => r.resourceType],
  ['resourceId', (r) => r.resourceId],
  ['userName', (r) => r.userName],
  ['previousUserName', (r) => r.previousUserName],
  ['externalId', (r) => r.externalId],
  ['groupId', (r) => r.groupId],
  ['groupDisplayName', (r) => r.groupDisplayName],
  ['action', (r) => r.action],
  ['status', (r) => r.status],
  ['httpStatus', (r) => r.httpStatus],
  ['scimType', (r) => r.scimType],
  ['detail', (r) => r.detail],
  ['reason', (r) => r.reason],
  ['count', (r) => r.count],
  ['changes', changesText],
  ['requestId', (r) => r.requestId],
  ['sourceIp', (r) => r.sourceIp],
  ['userAgent', (r) => r.userAgent],
  ['eventId', (r) => r.eventId],
];

export const REPORT_CSV_HEADER = csvLine(COLUMNS.map(([name]) => name));

export const reportCsvLine = (row: ReportRow): string => csvLine(COLUMNS.map(([, value]) => value(row)));
