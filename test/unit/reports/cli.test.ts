import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runReportsCommand } from '../../../lib/cli/reports';

const row = (n: number, overrides: Record<string, unknown> = {}) => ({
  eventId: `ev${n}:0`,
  time: `2025-03-01T10:0${n}:00.000Z`,
  appId: 'app-1',
  appName: 'Entra ID',
  resourceType: 'User',
  userName: 'alice@contoso.com',
  action: 'update',
  status: 'success',
  changes: [{ name: 'title', old: 'Rep', new: 'Lead' }],
  ...overrides,
});

const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'reports-cli-'));
  writeFileSync(join(dir, 'local.json'), JSON.stringify({ apiUrl: 'http://127.0.0.1:4010/', adminToken: 'admin-secret', apps: [] }));
  return dir;
};

const run = async (argv: string[], pages: { status?: number; body: unknown }[]) => {
  const requests: { url: string; auth?: string }[] = [];
  const fetch = jest.fn(async (url: string, init?: RequestInit) => {
    requests.push({ url, auth: (init?.headers as Record<string, string>)?.Authorization });
    const page = pages.shift() ?? { body: { reports: [] } };
    return new Response(JSON.stringify(page.body), { status: page.status ?? 200, statusText: 'Bad Request' });
  });
  let stdout = '';
  let stderr = '';
  const code = await runReportsCommand(argv, { fetch: fetch as unknown as typeof globalThis.fetch, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr, requests };
};

describe('runReportsCommand', () => {
  it('asks the local gateway with its admin token and prints a table', async () => {
    const failure = row(1, { action: 'create', status: 'failure', httpStatus: 409, scimType: 'uniqueness', detail: 'userName taken', changes: [] });
    const { code, stdout, requests } = await run(['--user', 'alice@contoso.com', '--app', 'Entra ID', '--since', '24h', '--data-dir', dataDir()], [
      { body: { reports: [row(2), failure, row(0, { resourceType: 'Membership', action: 'member-added', groupDisplayName: 'Sales', changes: [] })] } },
    ]);
    expect(code).toBe(0);
    expect(requests).toEqual([
      { url: 'http://127.0.0.1:4010/admin/reports?endUser=alice%40contoso.com&application=Entra%20ID&from=24h&limit=50', auth: 'Bearer admin-secret' },
    ]);
    expect(stdout.split('\n')).toEqual([
      'TIME                  APP       USER               ACTION        STATUS   CHANGES',
      '2025-03-01 10:02:00Z  Entra ID  alice@contoso.com  update        success  title: Rep → Lead',
      '2025-03-01 10:01:00Z  Entra ID  alice@contoso.com  create        failure  409 uniqueness: userName taken',
      '2025-03-01 10:00:00Z  Entra ID  alice@contoso.com  member-added  success  group "Sales"',
      '',
    ]);
  });

  it('follows nextCursor until --limit rows and prints JSON with --json', async () => {
    const { code, stdout, requests } = await run(['--limit', '3', '--json', '--api-url', 'https://scim.example.com', '--admin-token', 't'], [
      { body: { reports: [row(5), row(4)], nextCursor: 'c1' } },
      { body: { reports: [row(3)], nextCursor: 'c2' } },
    ]);
    expect(code).toBe(0);
    expect(requests.map((r) => r.url)).toEqual([
      'https://scim.example.com/admin/reports?limit=3',
      'https://scim.example.com/admin/reports?limit=1&cursor=c1',
    ]);
    expect(JSON.parse(stdout).reports.map((r: { eventId: string }) => r.eventId)).toEqual(['ev5:0', 'ev4:0', 'ev3:0']);
  });

  it('prints the API’s refusal as one line and exits 1', async () => {
    const { code, stderr, stdout } = await run(['--since', 'yesterday', '--data-dir', dataDir()], [
      { status: 400, body: { status: '400', scimType: 'invalidValue', detail: 'from "yesterday" is not a date.' } },
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    // The API names its parameter (from); the user typed --since.
    expect(stderr).toBe('scim-gateway reports: --since "yesterday" is not a date. (HTTP 400)\n');
  });

  it('explains a missing local gateway, a bad flag and a bad --limit in one line each', async () => {
    const missing = await run(['--data-dir', join(tmpdir(), 'no-such-dir-reports')], []);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^scim-gateway reports: No local gateway found \(.*local\.json does not exist\)\. Start it with "npm start", or pass --api-url\.\n$/);
    expect((await run(['--usr', 'x'], [])).stderr).toBe(
      'scim-gateway reports: unknown flag --usr; did you mean --user? Run "scim-gateway reports --help" for every flag.\n',
    );
    expect((await run(['--user'], [])).stderr).toBe('scim-gateway reports: --user needs a value. Run "scim-gateway reports --help" for every flag.\n');
    expect((await run(['--limit', '0', '--data-dir', dataDir()], [])).stderr).toBe('scim-gateway reports: --limit must be a whole number from 1 to 100000.\n');
  });

  it('reports --action authenticate prints refused connections with status, reason, count and what to check', async () => {
    const refused = row(3, {
      eventId: 'refused.other-application.202503011003:0',
      resourceType: 'Connection',
      userName: undefined,
      action: 'authenticate',
      status: 'failure',
      httpStatus: 403,
      reason: 'other-application',
      count: 12,
      detail: 'the Secret Token belongs to another application',
      changes: [],
    });
    const { code, stdout, requests } = await run(['--action', 'authenticate', '--data-dir', dataDir()], [{ body: { reports: [refused] } }]);
    expect(code).toBe(0);
    expect(requests[0].url).toBe('http://127.0.0.1:4010/admin/reports?action=authenticate&limit=50');
    expect(stdout.split('\n')[1]).toBe(
      '2025-03-01 10:03:00Z  Entra ID  Connection  authenticate  failure  403 other-application ×12: the Secret Token belongs to another application',
    );
  });

  it('says so when nothing matches', async () => {
    const { code, stdout } = await run(['--data-dir', dataDir()], [{ body: { reports: [] } }]);
    expect(code).toBe(0);
    expect(stdout).toBe('No provisioning events match.\n');
  });

  it('rewords every refusal with the flag that set the parameter', async () => {
    const cases: [string, string][] = [
      ['from (2025-03-02T00:00:00.000Z) is after to (2025-03-01T23:59:59.999Z).', '--since (2025-03-02T00:00:00.000Z) is after --until (2025-03-01T23:59:59.999Z).'],
      ['to "x" is not a date; use ISO 8601 (2025-01-31 or 2025-01-31T12:00:00Z) or a span back from now such as 30m, 24h or 7d.', '--until "x" is not a date; use ISO 8601 (2025-01-31 or 2025-01-31T12:00:00Z) or a span back from now such as 30m, 24h or 7d.'],
      ['action "fly" is not one of create, update.', '--action "fly" is not one of create, update.'],
      ['status must be one of success, failure.', '--status must be one of success, failure.'],
    ];
    for (const [detail, said] of cases) {
      const { stderr } = await run(['--data-dir', dataDir()], [{ status: 400, body: { detail } }]);
      expect(stderr).toBe(`scim-gateway reports: ${said} (HTTP 400)\n`);
    }
  });

  it('--app that names no application suggests the closest names', async () => {
    const apps = { apps: [{ id: 'a1', name: 'Entra ID – Contoso' }, { id: 'a2', name: 'Entra ID – Fabrikam' }, { id: 'a3', name: 'Okta' }] };
    const { code, stderr, requests } = await run(['--app', 'contoso', '--data-dir', dataDir()], [
      { status: 400, body: { detail: 'application "contoso" is neither the id nor the name of an application.' } },
      { body: apps },
    ]);
    expect(code).toBe(1);
    expect(requests[1].url).toBe('http://127.0.0.1:4010/admin/apps');
    expect(stderr).toBe('scim-gateway reports: --app "contoso" is neither the id nor the name of an application. Did you mean "Entra ID – Contoso"?\n');
    const typo = await run(['--app', 'Otka', '--data-dir', dataDir()], [{ status: 400, body: { detail: 'application "Otka" is neither the id nor the name of an application.' } }, { body: apps }]);
    expect(typo.stderr).toContain('Did you mean "Okta"?');
    const none = await run(['--app', 'Workday', '--data-dir', dataDir()], [{ status: 400, body: { detail: 'application "Workday" is neither the id nor the name of an application.' } }, { body: apps }]);
    expect(none.stderr).toContain('"scim-gateway apps list" shows every application.');
  });

  it('--limit says when more rows match and how to see them', async () => {
    const { stdout, stderr } = await run(['--limit', '2', '--data-dir', dataDir()], [{ body: { reports: [row(2), row(1)], nextCursor: 'c1' } }]);
    expect(stdout.trim().split('\n')).toHaveLength(3);
    expect(stderr).toBe('Showing the newest 2 events; more match. See more with --limit 20, or all of them with --format csv > report.csv.\n');
    const all = await run(['--limit', '2', '--data-dir', dataDir()], [{ body: { reports: [row(2), row(1)] } }]);
    expect(all.stderr).toBe('');
  });

  it('--help lists every flag the command takes', async () => {
    const { REPORTS_OPTIONS } = await import('../../../lib/cli/reports');
    const { TARGET_OPTIONS } = await import('../../../lib/cli/admin-client');
    const { stdout, code } = await run(['--help'], []);
    expect(code).toBe(0);
    const flags = [...Object.keys(REPORTS_OPTIONS), ...Object.keys(TARGET_OPTIONS), 'help'].map((f) => `--${f}`);
    expect(flags.filter((flag) => !new RegExp(`^\\s+(-h, )?${flag}\\b`, 'm').test(stdout))).toEqual([]);
  });

  it('--format csv exports every page through X-Next-Cursor into one CSV with one header line', async () => {
    const pages = [
      { text: 'time,action\r\n2025-03-01T10:02:00.000Z,update\r\n"2025-03-01T10:01:00.000Z","a\r\nb"\r\n', next: 'c1' },
      { text: 'time,action\r\n2025-03-01T10:00:00.000Z,create\r\n' },
    ];
    const urls: string[] = [];
    const fetch = jest.fn(async (url: string) => {
      urls.push(url);
      const page = pages.shift()!;
      return new Response(page.text, { status: 200, headers: page.next ? { 'X-Next-Cursor': page.next } : {} });
    });
    let stdout = '';
    let stderr = '';
    const code = await runReportsCommand(['--format', 'csv', '--since', '7d', '--data-dir', dataDir()], {
      fetch: fetch as unknown as typeof globalThis.fetch,
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: {},
    });
    expect(code).toBe(0);
    expect(urls).toEqual(['http://127.0.0.1:4010/admin/reports?from=7d&format=csv', 'http://127.0.0.1:4010/admin/reports?from=7d&format=csv&cursor=c1']);
    expect(stdout).toBe('time,action\r\n2025-03-01T10:02:00.000Z,update\r\n"2025-03-01T10:01:00.000Z","a\r\nb"\r\n2025-03-01T10:00:00.000Z,create\r\n');
    expect(stderr).toBe('');
  });

  it('--format json joins the pages; --limit caps it and says more match; a bad --format names the choices', async () => {
    const fetch = jest.fn(async () => new Response(JSON.stringify({ reports: [row(2), row(1)], nextCursor: 'c1' }), { headers: { 'X-Next-Cursor': 'c1' } }));
    let stdout = '';
    let stderr = '';
    const code = await runReportsCommand(['--format', 'json', '--limit', '2', '--data-dir', dataDir()], {
      fetch: fetch as unknown as typeof globalThis.fetch,
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: {},
    });
    expect(code).toBe(0);
    expect((fetch.mock.calls[0] as unknown as [string])[0]).toBe('http://127.0.0.1:4010/admin/reports?format=json&limit=2');
    expect(JSON.parse(stdout).reports.map((r: { eventId: string }) => r.eventId)).toEqual(['ev2:0', 'ev1:0']);
    expect(stderr).toBe('Exported the newest 2 events; more match. Raise --limit (at most 100000) or leave it out to export all.\n');
    expect((await run(['--format', 'xlsx', '--data-dir', dataDir()], [])).stderr).toBe('scim-gateway reports: --format must be csv or json, got "xlsx".\n');
  });
});
