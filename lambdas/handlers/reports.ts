/**
 * `GET /admin/reports`: the provisioning report. Any combination of end user, application, time
 * span, action and status; no filter means everything in the span (default: the last 24 hours).
 * Newest first, `limit` rows a page, `nextCursor` to continue. Admin token only (checked by `httpHandler`).
 *
 * `format=csv|json` exports every page of the query in one response, read page after page and
 * encoded as it goes, until the response nears Lambda's 6 MB payload limit (or API Gateway's 29 s):
 * then the `X-Next-Cursor` header (and a JSON export's `nextCursor`) continues the export.
 */
import { staleSecondsOf } from '../shared/config';
import type { ReportsPageJson } from '../admin/api-json';
import type { ReportRow } from '../domain/report-row';
import { scimPathLabel } from '../profiles/labels';
import { REPORT_CSV_HEADER, reportCsvLine } from '../reports/csv';
import { ScimError } from '../scim/errors';
import {
  decodeReportCursor,
  encodeReportCursor,
  keyInWindow,
  MAX_LIMIT,
  parseReportParams,
  resolveWindow,
  type ReportParams,
} from '../reports/query';
import { httpHandler, type HttpHandler } from '../shared/handler';
import { ok, type HttpResponse, type ScimRequest } from '../shared/http';
import { onFirstInvocation, runtime, type Runtime } from '../shared/runtime';
import { createReportDirectory, type AppSummary, type ReportDirectory } from '../store/report-directory';
import { createReportStore, type ReportQuery, type ReportStore } from '../store/reports';
import { createAppHealth } from '../use-cases/app-health';

/** Rows are never in the future; a `to` beyond this is clamped so no empty future day is walked. */
const FUTURE_SLACK_MS = 5 * 60_000;

/**
 * An export stops reading pages once this much is encoded: one more page of 500 rows (each stored
 * under 1 KB, at most ~2 KB encoded) keeps the response under Lambda's 6 MB limit.
 */
const EXPORT_BYTE_BUDGET = 4 * 1024 * 1024;
/** …or once this long has passed, well inside API Gateway's 29 s integration timeout. */
const EXPORT_TIME_BUDGET_MS = 20_000;
/** The header that carries an export's continuation (a JSON export has it as `nextCursor` too). */
export const NEXT_CURSOR_HEADER = 'X-Next-Cursor';

interface ReportApiDeps {
  reports: ReportStore;
  directory: ReportDirectory;
  retentionDays: number;
  now?: () => Date;
  /** Export budgets (tests make them small). @default EXPORT_BYTE_BUDGET, EXPORT_TIME_BUDGET_MS */
  exportBytes?: number;
  exportMillis?: number;
}

/** Each change with the name people know it by (the console shows it, the URN on hover). */
const labelled = (row: ReportRow): ReportRow =>
  row.changes?.length ? { ...row, changes: row.changes.map((c) => ({ ...c, label: scimPathLabel(c.name) })) } : row;

/** An application given by id, or by name in any letter case (several may share a name). */
const resolveApplication = (value: string, apps: AppSummary[]): string[] => {
  const byId = apps.find((app) => app.id === value);
  if (byId) return [byId.id];
  for (const name of new Set([value, value.replace(/\+/g, ' ')])) {
    // A '+' may be a form-encoded space that the API front door did not decode.
    const byName = apps.filter((app) => app.name.toLowerCase() === name.toLowerCase()).map((app) => app.id);
    if (byName.length) return byName;
  }
  throw ScimError.invalidValue(`application "${value}" is neither the id nor the name of an application.`);
};

const createListReports = (deps: ReportApiDeps) => {
  const clock = deps.now ?? (() => new Date());

  /** The identifier as a userName, plus the current userNames of users whose externalId or id it is. */
  const namesOf = async (endUser: string, appIds: string[]) => [endUser, ...(await deps.directory.userNamesFor(endUser, appIds))];

  const listReports = async (request: ScimRequest): Promise<HttpResponse> => {
    const now = clock();
    const params: ReportParams = parseReportParams(request.query);
    const cursor = params.cursor ? decodeReportCursor(params, now) : undefined;
    const at = cursor?.at ?? now;
    const window = resolveWindow(params, at, deps.retentionDays);
    if (cursor && !keyInWindow(cursor.after, window)) {
      throw ScimError.invalidValue('cursor is invalid, expired or belongs to another query; repeat the query without a cursor.');
    }

    const apps = params.application || params.endUser ? await deps.directory.apps() : [];
    const appIds = params.application ? resolveApplication(params.application, apps) : undefined;
    const endUsers = params.endUser ? await namesOf(params.endUser, appIds ?? apps.map((a) => a.id)) : undefined;
    const to = new Date(Math.min(window.to.getTime(), at.getTime() + FUTURE_SLACK_MS));

    const query: ReportQuery = {
      endUsers,
      appIds,
      from: window.from.toISOString(),
      to: to.toISOString(),
      actions: params.actions,
      status: params.status,
      attribute: params.attribute,
      limit: params.limit,
      after: cursor?.after,
      now,
    };
    if (params.format) return exportAll(params, query, at);
    const page = await deps.reports.query(query);
    const body: ReportsPageJson = { reports: page.rows.map(labelled) };
    if (page.lastKey) body.nextCursor = encodeReportCursor(params, { at, after: page.lastKey });
    return ok(body);
  };

  /** Every page of the query, encoded row by row, up to the budgets; then a continuation. */
  const exportAll = async (params: ReportParams, query: ReportQuery, at: Date): Promise<HttpResponse> => {
    const started = clock().getTime();
    const csv = params.format === 'csv';
    const parts: string[] = [];
    let bytes = 0;
    let rows = 0;
    let after = query.after;
    do {
      const page = await deps.reports.query({ ...query, limit: Math.min(MAX_LIMIT, params.limit - rows), after });
      for (const row of page.rows) {
        const encoded = csv ? reportCsvLine(row) : JSON.stringify(labelled(row));
        parts.push(encoded);
        bytes += Buffer.byteLength(encoded);
      }
      rows += page.rows.length;
      after = page.lastKey;
    } while (
      after &&
      rows < params.limit &&
      bytes < (deps.exportBytes ?? EXPORT_BYTE_BUDGET) &&
      clock().getTime() - started < (deps.exportMillis ?? EXPORT_TIME_BUDGET_MS)
    );
    const nextCursor = after ? encodeReportCursor(params, { at, after }) : undefined;
    const headers: Record<string, string> = {
      'Content-Type': csv ? 'text/csv; charset=utf-8; header=present' : 'application/json',
      'Content-Disposition': `attachment; filename="provisioning-report.${params.format}"`,
      ...(nextCursor ? { [NEXT_CURSOR_HEADER]: nextCursor } : {}),
    };
    const text = csv
      ? REPORT_CSV_HEADER + parts.join('')
      : `{"reports":[${parts.join(',')}]${nextCursor ? `,"nextCursor":${JSON.stringify(nextCursor)}` : ''}}`;
    return { status: 200, text, headers };
  };

  return listReports;
};

/** What tests may tighten: the export budgets. */
export type ReportsHandlerOptions = Pick<ReportApiDeps, 'exportBytes' | 'exportMillis'>;

export const createReportsHandler = (rt: Runtime, options: ReportsHandlerOptions = {}): HttpHandler => {
  const { dynamo, config } = rt;
  const reports = createReportStore(dynamo, config.SCIM_REPORT_TABLE_NAME, { retentionDays: config.SCIM_REPORT_RETENTION_DAYS });
  const directory = createReportDirectory(dynamo, config.SCIM_TABLE_NAME);
  const listReports = createListReports({ ...options, reports, directory, retentionDays: config.SCIM_REPORT_RETENTION_DAYS });
  const health = createAppHealth({
    dynamo,
    tableName: config.SCIM_TABLE_NAME,
    reports,
    authorizerCacheSeconds: config.SCIM_AUTHORIZER_CACHE_SECONDS,
    // The local gateway drops its caches on a revocation (SCIM_CACHE_SCOPE=process): 0 there.
    authCacheSeconds: staleSecondsOf(config),
  });
  /** `GET /admin/apps/{appId}/health`: the connection's health (use-cases/app-health.ts). */
  const getAppHealth = async (request: ScimRequest): Promise<HttpResponse> => {
    const appId = request.pathParams.appId ?? '';
    if (!(await directory.apps()).some((app) => app.id === appId)) throw ScimError.notFound(`Application ${appId} not found.`);
    return ok(await health(appId, new Date()));
  };
  return httpHandler(rt, 'reports', { listReports, getAppHealth }, { contentType: 'application/json' });
};

/** The Lambda entry point. */
export const handler = onFirstInvocation(() => createReportsHandler(runtime()));
