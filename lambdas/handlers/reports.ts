/**
 * `GET /admin/reports`: the provisioning report. Any combination of end user, application, time
 * span, action and status; no filter means everything in the span (default: the last 24 hours).
 * Newest first, `limit` rows a page, `nextCursor` to continue. Admin token only (checked by `httpHandler`).
 */
import type { ReportsPageJson } from '../admin/api-json';
import { ScimError } from '../scim/errors';
import {
  decodeReportCursor,
  encodeReportCursor,
  keyInWindow,
  parseReportParams,
  resolveWindow,
  type ReportParams,
} from '../reports/query';
import { httpHandler, type HttpHandler } from '../shared/handler';
import { ok, type HttpResponse, type ScimRequest } from '../shared/http';
import { onFirstInvocation, runtime, type Runtime } from '../shared/runtime';
import { createReportDirectory, type AppSummary, type ReportDirectory } from '../store/report-directory';
import { createReportStore, type ReportStore } from '../store/reports';

/** Rows are never in the future; a `to` beyond this is clamped so no empty future day is walked. */
const FUTURE_SLACK_MS = 5 * 60_000;

interface ReportApiDeps {
  reports: ReportStore;
  directory: ReportDirectory;
  retentionDays: number;
  now?: () => Date;
}

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

  return async (request: ScimRequest): Promise<HttpResponse> => {
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

    const page = await deps.reports.query({
      endUsers,
      appIds,
      from: window.from.toISOString(),
      to: to.toISOString(),
      actions: params.actions,
      status: params.status,
      limit: params.limit,
      after: cursor?.after,
      now,
    });
    const body: ReportsPageJson = { reports: page.rows };
    if (page.lastKey) body.nextCursor = encodeReportCursor(params, { at, after: page.lastKey });
    return ok(body);
  };
};

export const createReportsHandler = (rt: Runtime): HttpHandler => {
  const { dynamo, config } = rt;
  const listReports = createListReports({
    reports: createReportStore(dynamo, config.SCIM_REPORT_TABLE_NAME, { retentionDays: config.SCIM_REPORT_RETENTION_DAYS }),
    directory: createReportDirectory(dynamo, config.SCIM_TABLE_NAME),
    retentionDays: config.SCIM_REPORT_RETENTION_DAYS,
  });
  return httpHandler(rt, 'reports', { listReports }, { contentType: 'application/json' });
};

/** The Lambda entry point. */
export const handler = onFirstInvocation(() => createReportsHandler(runtime()));
