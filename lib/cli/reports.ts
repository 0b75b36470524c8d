/**
 * `scim-gateway reports`: the provisioning report on the command line. Talks to the report API
 * of the local gateway (its `<data dir>/local.json` says where it listens and holds its admin
 * token) or of a deployed one (`--api-url`, admin token from `--admin-token` or
 * SCIM_GATEWAY_ADMIN_TOKEN). Prints a table, or JSON with `--json`; follows cursors up to --limit
 * and says when more rows match. `--format csv|json` exports every matching row instead.
 * Refusals are told in the flags' words (`--since`, not the API's `from`).
 */
import { REPORT_FORMATS, type ReportFormat } from '../../lambdas/reports/query';
import { adminClient, ApiRefusal, CliError, ioOf, resolveTarget, table, parseCommandArgs, type CliIo, type Target } from './admin-client';
import { exportReports, reportsPath } from './report-export';
import { closeMatches, inFlagWords, orList } from './words';

export type ReportsCliIo = CliIo;

const USAGE = `Usage: scim-gateway reports [options]

Provisioning events, newest first. No filter: everything in the time span (default: the last 24 hours).

Options:
  --user <id>           end user: userName (any letter case), externalId or id
  --app <id or name>    one application
  --since <when>        start of the span: ISO date/time or a span back from now (30m, 24h, 7d)
  --until <when>        end of the span (default: now)
  --action <a,b>        create, update, rename, disable, enable, delete, read, member-added, member-removed,
                        authenticate (refused connections: wrong, revoked or expired tokens), other
  --status <status>     success or failure
  --attribute <name>    rows that changed this attribute: SCIM (title, department, name.givenName) or profile (designation)
  --limit <n>           rows to print (default 50; with --format: all); pages are followed up to this
  --json                print {"reports":[…]} instead of a table
  --format <csv|json>   export every matching row (all pages) as RFC 4180 CSV or JSON, e.g. > report.csv
  --data-dir <dir>      local gateway data directory (default: $SCIM_GATEWAY_DATA_DIR or .data)
  --api-url <url>       a deployed gateway instead of the local one
  --admin-token <token> admin token for --api-url (prefer $SCIM_GATEWAY_ADMIN_TOKEN: flags end up in shell history)
  -h, --help            this text
`;

/** The flags of this command (parseArgs options); the usage above lists each. */
export const REPORTS_OPTIONS = {
  user: { type: 'string' },
  app: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  action: { type: 'string' },
  status: { type: 'string' },
  attribute: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
  format: { type: 'string' },
} as const;

/** The report API's query parameters, by the flag that sets each (for refusals in the user's words). */
const FLAG_OF: Readonly<Record<string, string>> = {
  endUser: '--user',
  application: '--app',
  from: '--since',
  to: '--until',
  action: '--action',
  status: '--status',
  attribute: '--attribute',
  limit: '--limit',
  format: '--format',
};

const MAX_PAGE = 500;
const MAX_ROWS = 100_000;
const CHANGES_WIDTH = 100;

interface ReportView {
  time: string;
  appId: string;
  appName?: string;
  resourceType: string;
  userName?: string;
  groupDisplayName?: string;
  action: string;
  status: string;
  httpStatus?: number;
  scimType?: string;
  detail?: string;
  reason?: string;
  count?: number;
  changes?: { name: string; old?: string; new?: string }[];
  profileChanges?: { name: string; old?: string; new?: string }[];
  requested?: string[];
  applied?: string[];
}

const getPage = async (target: Target, fetchFn: typeof fetch, query: URLSearchParams) => {
  const call = adminClient(target, fetchFn, 'The token may not read reports (403): use an admin token.');
  const json = await call<{ reports?: ReportView[]; nextCursor?: string } | undefined>('GET', reportsPath(query));
  if (!json || !Array.isArray(json.reports)) throw new CliError(`${target.apiUrl} did not answer with a report (is it a scim-gateway?).`);
  return { reports: json.reports, nextCursor: json.nextCursor };
};

const clip = (text: string, width: number) => (text.length <= width ? text : `${text.slice(0, width - 1)}…`);

/** What happened, in one cell: the error of a failure, the group of a membership, else the changes. */
export const describeRow = (row: ReportView): string => {
  if (row.status === 'failure') {
    // A refused connection is one row a minute: say how many times.
    const times = row.count !== undefined && row.count > 1 ? ` ×${row.count}` : '';
    return [row.httpStatus, row.scimType ?? row.reason].filter(Boolean).join(' ') + times + (row.detail ? `: ${row.detail}` : '');
  }
  if (row.resourceType === 'Membership') return `group "${row.groupDisplayName ?? '?'}"`;
  const changes = (row.changes ?? []).map((c) =>
    c.old === undefined ? `${c.name}=${c.new ?? ''}` : c.new === undefined ? `-${c.name}` : `${c.name}: ${c.old} → ${c.new}`,
  );
  // Profile changes in profile names beside the SCIM ones (`department: Sales → Marketing`).
  const profile = (row.profileChanges ?? []).map((c) => `${c.name}: ${c.old ?? '(none)'} → ${c.new ?? '(none)'}`);
  const applied = row.requested && row.applied ? [`requested ${row.requested.join('+')}, applied ${row.applied.join('+') || 'nothing'}`] : [];
  return [...changes, ...(profile.length ? [`profile ${profile.join(', ')}`] : []), ...applied].join('; ');
};

const subjectOf = (row: ReportView): string =>
  row.userName ?? (row.groupDisplayName ? `group "${row.groupDisplayName}"` : row.resourceType);

export const formatTable = (rows: ReportView[]): string => {
  const lines = [
    ['TIME', 'APP', 'USER', 'ACTION', 'STATUS', 'CHANGES'],
    ...rows.map((r) => [
      r.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      r.appName ?? r.appId,
      subjectOf(r),
      r.action,
      r.status,
      clip(describeRow(r), CHANGES_WIDTH),
    ]),
  ];
  return table(lines);
};

/**
 * A refusal of the report API in the flags' words; an unknown `--app` with the names of the
 * applications closest to what was typed.
 */
const inUserWords = async (refusal: ApiRefusal, app: string | undefined, target: Target, fetchFn: typeof fetch): Promise<CliError> => {
  if (app !== undefined && /^application "/.test(refusal.detail)) {
    let names: string[] = [];
    try {
      const { apps } = await adminClient(target, fetchFn)<{ apps: { id: string; name: string }[] }>('GET', '/admin/apps');
      names = closeMatches(app, apps.map((a) => a.name)).map((name) => `"${name}"`);
    } catch {
      // The suggestion is a courtesy: without the list, say what was wrong.
    }
    const hint = names.length ? ` Did you mean ${orList(names)}?` : ' "scim-gateway apps list" shows every application.';
    return new CliError(`--app "${app}" is neither the id nor the name of an application.${hint}`);
  }
  return new CliError(`${inFlagWords(refusal.detail, FLAG_OF)} (HTTP ${refusal.status})`);
};

/** Runs `reports …` (argv excludes "reports"); returns the process exit code. */
export const runReportsCommand = async (argv: string[], io: ReportsCliIo = {}): Promise<number> => {
  const { out, err, env } = ioOf(io);
  try {
    const { values } = parseCommandArgs('reports', argv, REPORTS_OPTIONS, false);
    if (values.help) {
      out(USAGE);
      return 0;
    }
    const format = values.format === undefined ? undefined : REPORT_FORMATS.find((f) => f === values.format?.toLowerCase());
    if (values.format !== undefined && !format) throw new CliError(`--format must be ${orList(REPORT_FORMATS)}, got "${values.format}".`);
    if (format && values.json) throw new CliError('--json prints one page as JSON; --format json exports every row. Use one of them.');
    const limit = values.limit === undefined ? (format ? undefined : 50) : /^\d+$/.test(values.limit) ? Number(values.limit) : NaN;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_ROWS)) throw new CliError(`--limit must be a whole number from 1 to ${MAX_ROWS}.`);

    const target = await resolveTarget(values, env);
    const fetchFn = io.fetch ?? fetch;
    const query = new URLSearchParams();
    const set = (name: string, value: string | undefined) => value !== undefined && value !== '' && query.set(name, value);
    set('endUser', values.user);
    set('application', values.app);
    set('from', values.since);
    set('to', values.until);
    set('action', values.action);
    set('status', values.status);
    set('attribute', values.attribute);

    try {
      if (format) {
        const result = await exportReports(target, fetchFn, query, format, limit, out);
        if (result.more) err(`Exported the newest ${result.rows} events; more match. Raise --limit (at most ${MAX_ROWS}) or leave it out to export all.\n`);
        return 0;
      }
      const rows: ReportView[] = [];
      let cursor: string | undefined;
      do {
        query.set('limit', String(Math.min(MAX_PAGE, limit! - rows.length)));
        if (cursor) query.set('cursor', cursor);
        const page = await getPage(target, fetchFn, query);
        rows.push(...page.reports);
        cursor = page.nextCursor;
      } while (cursor && rows.length < limit!);

      const shown = rows.slice(0, limit);
      if (values.json) out(`${JSON.stringify({ reports: shown }, null, 2)}\n`);
      else out(shown.length ? formatTable(shown) : 'No provisioning events match.\n');
      if (cursor) {
        const more = Math.min(MAX_ROWS, limit! * 10);
        err(`Showing the newest ${shown.length} events; more match. See more with --limit ${more}, or all of them with --format csv > report.csv.\n`);
      }
      return 0;
    } catch (error) {
      if (error instanceof ApiRefusal) throw await inUserWords(error, values.app, target, fetchFn);
      throw error;
    }
  } catch (error) {
    err(`scim-gateway reports: ${error instanceof CliError ? error.message : (error as Error).message ?? String(error)}\n`);
    return 1;
  }
};
