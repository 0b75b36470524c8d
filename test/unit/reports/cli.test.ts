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
    expect(stderr).toBe('scim-gateway reports: from "yesterday" is not a date. (HTTP 400)\n');
  });

  it('explains a missing local gateway, a bad flag and a bad --limit in one line each', async () => {
    const missing = await run(['--data-dir', join(tmpdir(), 'no-such-dir-reports')], []);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^scim-gateway reports: No local gateway found \(.*local\.json does not exist\)\. Start it with "npm start", or pass --api-url\.\n$/);
    expect((await run(['--usr', 'x'], [])).stderr).toContain('Run "scim-gateway reports --help"');
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
});
