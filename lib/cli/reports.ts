/**
 * `scim-gateway reports`: the provisioning report on the command line. Talks to the report API
 * of the local gateway (its `<data dir>/local.json` says where it listens and holds its admin
 * token) or of a deployed one (`--api-url`, admin token from `--admin-token` or
 * SCIM_GATEWAY_ADMIN_TOKEN). Prints a table, or JSON with `--json`; follows cursors up to --limit.
 */
import { adminClient, CliError, ioOf, resolveTarget, table, parseCommandArgs, type CliIo, type Target } from './admin-client';

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
  --limit <n>           rows to print (default 50; pages are followed up to this)
  --json                print {"reports":[…]} instead of a table
  --data-dir <dir>      local gateway data directory (default: $SCIM_GATEWAY_DATA_DIR or .data)
  --api-url <url>       a deployed gateway instead of the local one
  --admin-token <token> admin token for --api-url (prefer $SCIM_GATEWAY_ADMIN_TOKEN: flags end up in shell history)
`;

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
}

const getPage = async (target: Target, fetchFn: typeof fetch, query: URLSearchParams) => {
  const call = adminClient(target, fetchFn, 'The token may not read reports (403): use an admin token.');
  // %20, not URLSearchParams' '+', for spaces: every front door reads %20 as a space, not every one reads '+' so.
  const json = await call<{ reports?: ReportView[]; nextCursor?: string } | undefined>('GET', `/admin/reports?${query.toString().replace(/\+/g, '%20')}`);
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
  return changes.join('; ');
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

/** Runs `reports …` (argv excludes "reports"); returns the process exit code. */
export const runReportsCommand = async (argv: string[], io: ReportsCliIo = {}): Promise<number> => {
  const { out, err, env } = ioOf(io);
  try {
    const parsed = parseCommandArgs(
      'reports',
      argv,
      {
        user: { type: 'string' },
        app: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        action: { type: 'string' },
        status: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
      },
      false,
    );
    const { values } = parsed;
    if (values.help) {
      out(USAGE);
      return 0;
    }
    const limit = values.limit === undefined ? 50 : /^\d+$/.test(values.limit) ? Number(values.limit) : NaN;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ROWS) throw new CliError(`--limit must be a whole number from 1 to ${MAX_ROWS}.`);

    const target = await resolveTarget(values, env);
    const query = new URLSearchParams();
    const set = (name: string, value: string | undefined) => value !== undefined && value !== '' && query.set(name, value);
    set('endUser', values.user);
    set('application', values.app);
    set('from', values.since);
    set('to', values.until);
    set('action', values.action);
    set('status', values.status);

    const rows: ReportView[] = [];
    let cursor: string | undefined;
    do {
      query.set('limit', String(Math.min(MAX_PAGE, limit - rows.length)));
      if (cursor) query.set('cursor', cursor);
      const page = await getPage(target, io.fetch ?? fetch, query);
      rows.push(...page.reports);
      cursor = page.nextCursor;
    } while (cursor && rows.length < limit);

    const shown = rows.slice(0, limit);
    if (values.json) out(`${JSON.stringify({ reports: shown }, null, 2)}\n`);
    else out(shown.length ? formatTable(shown) : 'No provisioning events match.\n');
    return 0;
  } catch (error) {
    err(`scim-gateway reports: ${error instanceof CliError ? error.message : (error as Error).message ?? String(error)}\n`);
    return 1;
  }
};
