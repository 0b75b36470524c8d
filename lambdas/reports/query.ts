/**
 * The report API's query string: validated, with time spans resolved, and the opaque cursor that
 * continues it. Pure; every refusal is a 400 `invalidValue` whose detail says what to send.
 *
 * A cursor holds the instant the first page was asked (`at`), a digest of the query, and the sort
 * key to continue after. Relative spans (`24h`) are re-resolved against `at`, so every page of a
 * query reads the same window, and a cursor cannot be edited to read outside it: the digest must
 * match, `at` must be recent, and the key must lie inside the window.
 */
// zod/mini: the full zod would be ~450 KB of the reports Lambda's bundle.
import * as z from 'zod/mini';
import { decodeCursor, encodeCursor, queryDigest } from '../domain/cursor';
import { attributeKey, REPORT_ACTIONS, REPORT_STATUSES } from '../domain/report-row';
import { ScimError } from '../scim/errors';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;
/** With `format`, `limit` caps the rows of one export response instead of one page. */
export const MAX_EXPORT_LIMIT = 100_000;
export const REPORT_FORMATS = ['csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
const DEFAULT_SPAN_MS = 24 * 3_600_000;
/** A cursor older than this is refused (the window it continues would drift out of retention). */
const CURSOR_LIFETIME_MS = 24 * 3_600_000;
/** Clock skew tolerated between the API's instances. */
const SKEW_MS = 5 * 60_000;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

const PARAMS = ['endUser', 'application', 'from', 'to', 'action', 'status', 'attribute', 'limit', 'cursor', 'format'] as const;
type Param = (typeof PARAMS)[number];
/** Every query parameter the report API takes (the README documents each). */
export const REPORT_QUERY_PARAMS: readonly string[] = PARAMS;

export interface ReportParams {
  endUser?: string;
  application?: string;
  /** Raw `from`/`to` (ISO date or relative span), resolved by `resolveWindow`. */
  from?: string;
  to?: string;
  actions?: string[];
  status?: string;
  /** Rows whose SCIM or profile changes name this attribute (lower-cased; see changedNamesOf). */
  attribute?: string;
  /** Rows of this page; with `format`, at most this many rows of one export response (default MAX_EXPORT_LIMIT). */
  limit: number;
  cursor?: string;
  /** An export of every page (`csv` or `json`) rather than one page of JSON. */
  format?: ReportFormat;
}

export interface ReportWindow {
  from: Date;
  to: Date;
}

const invalid = (detail: string) => ScimError.invalidValue(detail);

const text = (query: Record<string, string>, name: Param, max = 256): string | undefined => {
  const value = query[name]?.trim();
  if (value === undefined || value === '') return undefined;
  if (value.length > max) throw invalid(`${name} is longer than ${max} characters.`);
  return value;
};

/** The filter's key (domain/report-row.ts attributeKey); a value with no attribute name in it is refused. */
const attributeOf = (value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const key = attributeKey(value);
  if (!key) throw invalid(`attribute "${value}" names no attribute; use a SCIM attribute (title, department, name.givenName) or a profile attribute (designation).`);
  return key;
};

/** Checks names and shapes; time values are checked by `resolveWindow`. */
export const parseReportParams = (query: Record<string, string>): ReportParams => {
  const unknown = Object.keys(query).filter((name) => !(PARAMS as readonly string[]).includes(name));
  if (unknown.length) throw invalid(`Unknown query parameter ${unknown.map((u) => `"${u}"`).join(', ')}; use ${PARAMS.join(', ')}.`);

  const formatText = text(query, 'format')?.toLowerCase();
  const format = REPORT_FORMATS.find((f) => f === formatText);
  if (formatText && !format) throw invalid(`format must be one of ${REPORT_FORMATS.join(', ')}.`);

  const maxLimit = format ? MAX_EXPORT_LIMIT : MAX_LIMIT;
  const limitText = text(query, 'limit', 10);
  const limit = limitText === undefined ? (format ? MAX_EXPORT_LIMIT : DEFAULT_LIMIT) : /^\d+$/.test(limitText) ? Number(limitText) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) throw invalid(`limit must be a whole number from 1 to ${maxLimit}.`);

  const actionText = text(query, 'action');
  const actions = actionText?.split(',').map((a) => a.trim().toLowerCase()).filter(Boolean);
  const badAction = actions?.find((a) => !REPORT_ACTIONS.includes(a));
  if (badAction) throw invalid(`action "${badAction}" is not one of ${REPORT_ACTIONS.join(', ')}.`);

  const status = text(query, 'status')?.toLowerCase();
  if (status && !REPORT_STATUSES.includes(status)) throw invalid(`status must be one of ${REPORT_STATUSES.join(', ')}.`);

  return {
    endUser: text(query, 'endUser'),
    application: text(query, 'application'),
    from: text(query, 'from', 64),
    to: text(query, 'to', 64),
    actions: actions?.length ? [...new Set(actions)] : undefined,
    status,
    attribute: attributeOf(text(query, 'attribute')),
    limit,
    cursor: text(query, 'cursor', 2048),
    format,
  };
};

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/i;
const RELATIVE = /^(\d{1,6})\s*([mhd])$/i;

/** An instant from an ISO 8601 date/time or a span back from `now` (`30m`, `24h`, `7d`). */
export const parseInstant = (name: 'from' | 'to', value: string, now: Date): Date => {
  const relative = RELATIVE.exec(value);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * UNIT_MS[relative[2].toLowerCase() as keyof typeof UNIT_MS]);
  if (value.toLowerCase() === 'now') return now;
  const iso = ISO.exec(value);
  if (iso) {
    const [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    const calendar = new Date(Date.UTC(year, month - 1, day));
    const realDay = calendar.getUTCFullYear() === year && calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
    const realTime = iso[4] === undefined || (Number(iso[4]) < 24 && Number(iso[5]) < 60 && Number(iso[6] ?? 0) < 60);
    const dateOnly = iso[4] === undefined;
    // A bare date means the whole day (`to=2025-01-31` includes the 31st); no zone means UTC.
    const normalised = dateOnly ? `${value}T${name === 'to' ? '23:59:59.999' : '00:00:00.000'}Z` : iso[7] ? value : `${value}Z`;
    const date = new Date(normalised);
    if (realDay && realTime && !Number.isNaN(date.getTime())) return date;
  }
  throw invalid(`${name} "${value}" is not a date; use ISO 8601 (2025-01-31 or 2025-01-31T12:00:00Z) or a span back from now such as 30m, 24h or 7d.`);
};

/** The time window of a query asked at `at`; default: the last 24 hours. */
export const resolveWindow = (params: ReportParams, at: Date, retentionDays: number): ReportWindow => {
  const to = params.to ? parseInstant('to', params.to, at) : at;
  const from = params.from ? parseInstant('from', params.from, at) : new Date(to.getTime() - DEFAULT_SPAN_MS);
  if (from.getTime() > to.getTime()) throw invalid(`from (${from.toISOString()}) is after to (${to.toISOString()}).`);
  const oldest = at.getTime() - retentionDays * UNIT_MS.d;
  if (from.getTime() < oldest - SKEW_MS) {
    throw invalid(`from (${from.toISOString()}) is beyond the report retention of ${retentionDays} days; reports start at ${new Date(oldest).toISOString()}.`);
  }
  return { from, to };
};

/** Digest of everything that defines the query except the page size and position. */
const digestOf = (params: ReportParams): string =>
  queryDigest('reports', params.endUser?.toLowerCase(), params.application, params.from, params.to, params.actions, params.status, params.attribute);

const CursorSchema = z.object({
  v: z.literal(1),
  q: z.string(),
  at: z.number().check(z.int()),
  // A row's sort key (time#eventId#n) is far below DynamoDB's 1,024-byte key limit; a longer one is forged.
  k: z.string().check(z.maxLength(256), z.regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z#.+#\d+$/)),
});

export interface ReportCursor {
  at: Date;
  after: string;
}

export const encodeReportCursor = (params: ReportParams, cursor: ReportCursor): string =>
  encodeCursor({ v: 1, q: digestOf(params), at: cursor.at.getTime(), k: cursor.after });

export const decodeReportCursor = (params: ReportParams, now: Date): ReportCursor => {
  const body = decodeCursor(params.cursor ?? '', CursorSchema);
  const fresh = body !== undefined && body.at <= now.getTime() + SKEW_MS && body.at >= now.getTime() - CURSOR_LIFETIME_MS;
  if (!body || body.q !== digestOf(params) || !fresh) {
    throw invalid('cursor is invalid, expired or belongs to another query; repeat the query without a cursor.');
  }
  return { at: new Date(body.at), after: body.k };
};

/** Whether a continuation key lies inside the window (a key outside it was not issued for it). */
export const keyInWindow = (key: string, window: ReportWindow): boolean => {
  const time = key.slice(0, key.indexOf('#'));
  return time >= window.from.toISOString() && time <= window.to.toISOString();
};
