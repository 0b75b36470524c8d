/**
 * The provisioning report over HTTP on the real local gateway (`scim-gateway local`): an
 * Entra-style sequence of SCIM requests produces exactly the expected report rows, queried by
 * user, by application, by time span and unfiltered — through the API and through the CLI.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../lib/local/dynamodb-local';
import type { LocalState } from '../../lib/local/local-state';
import { runReportsCommand } from '../../lib/cli/reports';
import { readLocalJson, spawnGateway, type GatewayProcess } from '../helpers/gateway-process';
import { parseCsv } from '../helpers/rfc4180';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTRA_AGENT = 'Azure Active Directory SCIM Client';
const EXT = '7fce0092-d52e-4f76-b727-3955bd72c939';

type Row = Record<string, unknown>;
const summary = (rows: Row[]) => rows.map((r) => `${r.action}${r.status === 'failure' ? '!' : ''}`);
/** Exactly these rows, newest first: deletes and member removals too carry their request's own time. */
const expectRows = (rows: Row[], expected: string[]) => {
  expect(summary(rows)).toEqual(expected);
  expect(rows.every((r, i) => i === 0 || String(rows[i - 1].time) >= String(r.time))).toBe(true);
};

describe('provisioning report on the local gateway', () => {
  let dataDir: string;
  let gateway: GatewayProcess;
  let state: LocalState;
  let tenantUrl: string;
  let appId: string;
  let appName: string;
  let started: string;
  let userId: string;
  const status: Record<string, number> = {};

  const scim = async (method: string, pathname: string, body?: unknown) => {
    const response = await fetch(`${tenantUrl}${pathname}`, {
      method,
      headers: {
        Authorization: `Bearer ${state.apps[0].secretToken}`,
        'Content-Type': 'application/scim+json',
        'User-Agent': ENTRA_AGENT,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  const reports = async (query: Record<string, string> = {}) => {
    const search = new URLSearchParams(query).toString().replace(/\+/g, '%20');
    const response = await fetch(`${state.apiUrl}/admin/reports?${search}`, {
      headers: { Authorization: `Bearer ${state.adminToken}` },
    });
    return { status: response.status, body: (await response.json()) as { reports: Row[]; nextCursor?: string; detail?: string } };
  };

  /** Reports arrive through the stream poller: ask again until they are all there (or give up). */
  const eventually = async (query: Record<string, string>, count: number) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { body } = await reports(query);
      if (body.reports.length >= count || Date.now() > deadline) return body.reports;
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'scim-e2e-reports-'));
    gateway = spawnGateway(['--in-memory', '--port', String(await freePort()), '--data-dir', dataDir, '--quiet']);
    await gateway.waitFor(/Press Ctrl-C to stop/);
    state = readLocalJson(dataDir);
    tenantUrl = state.apps[0].tenantUrl;
    appId = state.apps[0].id;
    appName = state.apps[0].name;
    started = new Date(Date.now() - 1000).toISOString();

    // Act: what Entra does for one user over its lifetime, plus a rejected duplicate create.
    const created = await scim('POST', '/Users', {
      schemas: [USER_SCHEMA],
      externalId: EXT,
      userName: 'alice@contoso.com',
      active: true,
      name: { givenName: 'Alice', familyName: 'Smith' },
      emails: [{ primary: true, type: 'work', value: 'alice@contoso.com' }],
    });
    status.create = created.status;
    userId = created.body?.id;
    status.duplicate = (await scim('POST', '/Users', { schemas: [USER_SCHEMA], externalId: 'other-ext', userName: 'ALICE@contoso.com', active: true })).status;
    status.rename = (
      await scim('PATCH', `/Users/${userId}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'Replace', path: 'userName', value: 'alice.smith@contoso.com' }] })
    ).status;
    status.disable = (await scim('PATCH', `/Users/${userId}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] })).status;
    const sales = await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], externalId: 'grp-sales', displayName: 'Sales', members: [] });
    const staff = await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], externalId: 'grp-staff', displayName: 'All Staff', members: [] });
    status.groups = Math.max(sales.status, staff.status);
    const members = (op: string) => ({ schemas: [PATCH_SCHEMA], Operations: [{ op, path: 'members', value: [{ $ref: null, value: userId }] }] });
    status.addSales = (await scim('PATCH', `/Groups/${sales.body?.id}`, members('Add'))).status;
    status.addStaff = (await scim('PATCH', `/Groups/${staff.body?.id}`, members('Add'))).status;
    status.removeSales = (await scim('PATCH', `/Groups/${sales.body?.id}`, members('Remove'))).status;
    // Deleting the user also drops its All Staff membership: reported as the delete alone.
    status.delete = (await scim('DELETE', `/Users/${userId}`)).status;
  }, 180_000);

  afterAll(async () => {
    await gateway?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers the SCIM requests as Entra expects', () => {
    expect(status).toEqual({ create: 201, duplicate: 409, rename: 200, disable: 200, groups: 201, addSales: 204, addStaff: 204, removeSales: 204, delete: 204 });
  });

  it('GET /admin/reports?endUser=<userName> → the user’s whole history, renames followed, newest first', async () => {
    const rows = await eventually({ endUser: 'alice.smith@contoso.com' }, 8);
    expectRows(rows, ['delete', 'member-removed', 'member-added', 'member-added', 'disable', 'update', 'create!', 'create']);
    expect(rows.find((r) => r.action === 'update')).toMatchObject({
      userName: 'alice.smith@contoso.com',
      changes: [{ name: 'userName', old: 'alice@contoso.com', new: 'alice.smith@contoso.com' }],
      userAgent: ENTRA_AGENT,
      appId,
      appName,
    });
    expect(rows.find((r) => r.action === 'disable')).toMatchObject({ changes: [{ name: 'active', old: 'true', new: 'false' }] });
    expect(rows.filter((r) => r.resourceType === 'Membership').map((r) => `${r.action} ${r.groupDisplayName}`).sort()).toEqual([
      'member-added All Staff',
      'member-added Sales',
      'member-removed Sales',
    ]);
    expect(rows.find((r) => r.status === 'failure')).toMatchObject({ action: 'create', httpStatus: 409, scimType: 'uniqueness', userName: 'ALICE@contoso.com' });
    // The delete and the member removal name their own requests, as every other row does.
    for (const row of rows) expect(row).toMatchObject({ requestId: expect.any(String), sourceIp: '127.0.0.1', userAgent: ENTRA_AGENT });
    expect(new Set(rows.map((r) => r.requestId)).size).toBe(rows.length);
  });

  it('GET /admin/reports?application=<name> and ?application=<id> → every event of the application', async () => {
    const byName = await eventually({ application: appName.toUpperCase() }, 10);
    expect(byName).toHaveLength(10);
    expectRows(byName, ['delete', 'member-removed', 'member-added', 'member-added', 'create', 'create', 'disable', 'update', 'create!', 'create']);
    expect(byName.filter((r) => r.resourceType === 'Group').map((r) => r.groupDisplayName)).toEqual(['All Staff', 'Sales']);
    expect((await reports({ application: appId })).body.reports).toEqual(byName);
  });

  it('GET /admin/reports unfiltered and with a time span → the same events; a span before them → none', async () => {
    const all = await eventually({}, 10);
    expectRows(all, ['delete', 'member-removed', 'member-added', 'member-added', 'create', 'create', 'disable', 'update', 'create!', 'create']);
    expect((await reports({ from: started, to: new Date().toISOString() })).body.reports).toEqual(all);
    expect((await reports({ from: '2h', to: started })).body.reports).toEqual([]);
    expect((await reports({ status: 'failure' })).body.reports).toHaveLength(1);
  });

  it('GET /admin/reports?from=yesterday → 400 with a clear message', async () => {
    const { status: code, body } = await reports({ from: 'yesterday' });
    expect(code).toBe(400);
    expect(body.detail).toContain('from "yesterday" is not a date');
  });

  it('scim-gateway reports --user … --app … --since 1h prints the same rows', async () => {
    await eventually({ endUser: 'alice.smith@contoso.com' }, 8);
    let stdout = '';
    const code = await runReportsCommand(['--user', 'alice.smith@contoso.com', '--app', appName, '--since', '1h', '--data-dir', dataDir, '--json'], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stdout += t),
      env: {},
    });
    expect(code).toBe(0);
    expectRows(JSON.parse(stdout).reports, ['delete', 'member-removed', 'member-added', 'member-added', 'disable', 'update', 'create!', 'create']);
  });

  it('scim-gateway reports --format csv exports every row as RFC 4180 CSV, row by row the report API’s', async () => {
    const rows = await eventually({ application: appId }, 10);
    let stdout = '';
    let stderr = '';
    const code = await runReportsCommand(['--app', appName, '--since', '1h', '--format', 'csv', '--data-dir', dataDir], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: {},
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const [header, ...records] = parseCsv(stdout);
    expect(records.map((r) => [r[header.indexOf('eventId')], r[header.indexOf('action')], r[header.indexOf('status')]])).toEqual(
      rows.map((r) => [r.eventId, r.action, r.status]),
    );
  });

  // Last: these refusals add rows to the application the tests above count.
  it('refused connections on the Tenant URL: the 403 says what to check, and reports --action authenticate shows them per reason with a count', async () => {
    // Prepare: a second application, whose token gets pasted with the first one's Tenant URL.
    const other = await fetch(`${state.apiUrl}/admin/apps`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${state.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Okta (e2e)' }),
    });
    expect(other.status).toBe(201);
    const otherToken = ((await other.json()) as { secretToken: string }).secretToken;
    const testConnection = (token: string) =>
      fetch(`${tenantUrl}/Users?filter=userName%20eq%20%22x%22`, { headers: { Authorization: `Bearer ${token}`, 'User-Agent': ENTRA_AGENT } });
    // Act: Entra's Test Connection with a mistyped token (twice) and with the other application's token.
    const wrong = `${state.apps[0].secretToken.slice(0, -3)}xyz`;
    const refused = [(await testConnection(wrong)).status, (await testConnection(wrong)).status];
    const denied = await testConnection(otherToken);
    // Assess
    expect(refused).toEqual([401, 401]);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '403',
      detail: 'the Secret Token belongs to another application: use the Tenant URL and Secret Token of the same application',
    });
    // One row per reason and minute (two, should the refusals straddle a minute), each with its count;
    // the stream poller may not have carried the last count yet, so ask until it has (or give up).
    const countsOf = (rows: Row[]) => {
      const counted: Record<string, number> = {};
      for (const r of rows) counted[`${r.reason} ${r.httpStatus}`] = (counted[`${r.reason} ${r.httpStatus}`] ?? 0) + Number(r.count);
      return counted;
    };
    const expected = { 'unknown-token 401': 2, 'other-application 403': 1 };
    let counted = {};
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      counted = countsOf((await reports({ application: appId, action: 'authenticate' })).body.reports);
      if (JSON.stringify(Object.entries(counted).sort()) === JSON.stringify(Object.entries(expected).sort())) break;
    }
    expect(counted).toEqual(expected);
    let stdout = '';
    const code = await runReportsCommand(['--action', 'authenticate', '--app', appName, '--data-dir', dataDir], { stdout: (t) => (stdout += t), stderr: (t) => (stdout += t), env: {} });
    expect(code).toBe(0);
    expect(stdout).toMatch(/authenticate\s+failure\s+401 unknown-token( ×2)?: the Secret Token is not one of this application's tokens/);
    expect(stdout).toMatch(/authenticate\s+failure\s+403 other-application: the Secret Token belongs to another application/);
  });
});
