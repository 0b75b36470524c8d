/**
 * Profiles and provisioning features as an admin meets them: Entra's initial cycle over HTTP
 * against the local gateway, then `scim-gateway apps profile | features | mapping` in process.
 * The mapping change is recomputed in the background by the local gateway's stream poller, the
 * same code the stream Lambda runs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAppsCommand } from '../../lib/cli/apps';
import { freePort } from '../../lib/local/dynamodb-local';
import { readLocalJson, spawnGateway, type GatewayProcess } from '../helpers/gateway-process';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let dataDir: string;
let gateway: GatewayProcess;

const apps = async (...argv: string[]) => {
  let out = '';
  let err = '';
  const code = await runAppsCommand([...argv, '--data-dir', dataDir], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} });
  return { code, out, err };
};
const appsJson = async (...argv: string[]) => {
  const result = await apps(...argv, '--json');
  expect(result).toMatchObject({ code: 0, err: '' });
  return JSON.parse(result.out);
};

interface CreatedApp {
  id: string;
  tenantUrl: string;
  secretToken: string;
}

const client = (app: CreatedApp) => async (method: string, resource: string, body?: unknown) => {
  const response = await fetch(`${app.tenantUrl}${resource}`, {
    method,
    headers: { Authorization: `Bearer ${app.secretToken}`, 'Content-Type': 'application/scim+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
};

/** Entra's Create User body with the enterprise attributes its default mapping sends. */
const entraUser = (userName: string, enterprise: Record<string, unknown>, title: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  externalId: userName.split('@')[0],
  userName,
  active: true,
  displayName: userName,
  title,
  emails: [{ primary: true, type: 'work', value: userName }],
  name: { givenName: 'Joy', familyName: 'Young' },
  addresses: [{ type: 'work', locality: 'Redmond', formatted: 'Building 4' }],
  [ENTERPRISE]: enterprise,
});

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'scim-e2e-profiles-'));
  gateway = spawnGateway(['--in-memory', '--port', String(await freePort()), '--data-dir', dataDir, '--quiet']);
  await gateway.waitFor(/Press Ctrl-C to stop/);
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('profiles through the local gateway and the CLI', () => {
  let app: CreatedApp;
  let scim: ReturnType<typeof client>;
  const manager = 'manager@contoso.com';
  const employee = 'employee@contoso.com';
  let managerId: string;
  let employeeId: string;

  it("Entra's initial cycle with enterprise attributes gives profiles with department, designation and manager", async () => {
    app = await appsJson('create', '--name', 'Entra profiles');
    scim = client(app);
    // Entra matches first (userName eq), then creates; the manager reference is the manager's id here.
    for (const [userName, enterprise, title] of [
      [manager, { department: 'Sales', employeeNumber: '100' }, 'Director'],
      [employee, { department: 'Sales', employeeNumber: '101' }, 'Account Executive'],
    ] as const) {
      expect((await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`)).body?.totalResults).toBe(0);
      const extra = userName === employee ? { manager: { value: managerId } } : {};
      const created = await scim('POST', '/Users', entraUser(userName, { ...enterprise, ...extra }, title));
      expect(created.status).toBe(201);
      if (userName === manager) managerId = created.body!.id;
      else employeeId = created.body!.id;
    }
    expect((await scim('GET', `/Groups?filter=${encodeURIComponent('displayName eq "Sales Team"')}`)).body?.totalResults).toBe(0);
    const group = await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Sales Team', externalId: 'sales' });
    expect(group.status).toBe(201);
    const added = await scim('PATCH', `/Groups/${group.body!.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'members', value: [{ value: employeeId }] }],
    });
    expect(added.status).toBe(204);

    const profile = await appsJson('profile', app.id, employee);
    expect(profile).toMatchObject({
      id: employeeId,
      userName: employee,
      active: true,
      attributes: { department: 'Sales', designation: 'Account Executive', employeeNumber: '101', location: 'Redmond', manager: { id: managerId } },
      groups: [{ id: group.body!.id, displayName: 'Sales Team' }],
    });
    const human = await apps('profile', app.id, employee);
    expect(human.out).toContain('Department          Sales');
    expect(human.out).toContain('Designation         Account Executive');
    expect(human.out).toContain('Groups        Sales Team');
  });

  it('Entra\'s delete against delete: "deactivate" → 204, the user kept inactive; re-assigned, Entra finds it and reactivates it', async () => {
    const features = await appsJson('features', app.id, '--delete', 'deactivate');
    expect(features).toMatchObject({ delete: 'deactivate', deactivate: true, create: true });
    // The local gateway keeps no settings cache (SCIM_AUTH_CACHE_SECONDS=0): the switch applies at once.
    const deleted = await scim('DELETE', `/Users/${employeeId}`);
    expect(deleted.status).toBe(204);
    const kept = await scim('GET', `/Users/${employeeId}`);
    expect(kept.status).toBe(200);
    expect(kept.body!.active).toBe(false);
    expect((await appsJson('profile', app.id, employeeId)).active).toBe(false);
    // Entra's next cycle, the user assigned again: match by userName, then PATCH active.
    const found = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${employee}"`)}`);
    expect(found.body!.Resources[0].id).toBe(employeeId);
    const reactivated = await scim('PATCH', `/Users/${employeeId}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'True' }] });
    expect(reactivated.status).toBe(200);
    expect((await appsJson('profile', app.id, employeeId)).active).toBe(true);

    await appsJson('features', app.id, '--create', 'off');
    const refused = await scim('POST', '/Users', entraUser('late@contoso.com', {}, 'Intern'));
    expect(refused.status).toBe(403);
    expect(refused.body!.detail).toBe('Creating users is turned off for this application (provisioning feature "create").');
    expect((await apps('features', app.id, '--create', 'maybe')).code).toBe(1);
  });

  /** The application's report rows matching `query`, once `count` of them have come through the stream poller. */
  const reportRows = async (query: Record<string, string>, count: number): Promise<Record<string, any>[]> => {
    const state = readLocalJson(dataDir);
    const search = new URLSearchParams({ application: app.id, ...query }).toString();
    for (let i = 0; ; i++) {
      const response = await fetch(`${state.apiUrl}/admin/reports?${search}`, { headers: { Authorization: `Bearer ${state.adminToken}` } });
      const rows = ((await response.json()) as { reports: Record<string, any>[] }).reports;
      if (rows.length >= count || i >= 150) return rows;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it('Entra\'s delete against delete: "ignore" → 204, nothing changed, and the report says what was requested and what was applied', async () => {
    await appsJson('features', app.id, '--delete', 'ignore', '--create', 'on');
    const created = await scim('POST', '/Users', entraUser('kept@contoso.com', { department: 'Ops' }, 'Clerk'));
    expect(created.status).toBe(201);
    expect((await scim('DELETE', `/Users/${created.body!.id}`)).status).toBe(204);
    expect((await scim('GET', `/Users/${created.body!.id}`)).body).toMatchObject({ id: created.body!.id, active: true });
    const rows = await reportRows({ endUser: 'kept@contoso.com' }, 2);
    expect(rows.map((r) => `${r.action} ${r.status} ${r.httpStatus}`)).toEqual(['delete success 204', 'create success 201']);
    expect(rows[0]).toMatchObject({
      requested: ['delete'],
      applied: [],
      detail: 'The delete was answered and nothing was changed (provisioning feature "delete": "ignore").',
    });
    await appsJson('features', app.id, '--delete', 'delete');
  });

  it('apps mapping --set recomputes every profile in the background; --show reports it done', async () => {
    expect((await appsJson('mapping', app.id, '--show')).version).toBe(0);
    const file = path.join(dataDir, 'mapping.json');
    writeFileSync(
      file,
      JSON.stringify({
        attributes: [
          { profile: 'department', scim: 'department', default: null, transform: ['uppercase'] },
          { profile: 'location', scim: 'addresses[type eq "work"].formatted', default: null, transform: [] },
          { profile: 'badge', scim: 'employeeNumber', default: null, transform: ['number'] },
        ],
        custom: [{ name: 'badge', type: 'number' }],
      }),
    );
    const saved = await appsJson('mapping', app.id, '--set', file);
    expect(saved.version).toBe(1);
    let mapping = saved;
    for (let i = 0; i < 120 && mapping.recompute?.state !== 'done'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      mapping = await appsJson('mapping', app.id);
    }
    expect(mapping.recompute).toMatchObject({ state: 'done', failed: 0 });
    // Reported when done: one application row with the counts, not a row per user.
    const [done] = await reportRows({ action: 'recompute-profiles' }, 1);
    expect(done).toMatchObject({
      resourceType: 'Application',
      status: 'success',
      time: mapping.recompute.finishedAt,
      recompute: { mappingVersion: 1, users: mapping.recompute.processed, rewritten: mapping.recompute.updated, failed: 0 },
    });
    expect((await appsJson('profile', app.id, manager)).attributes).toEqual({ department: 'SALES', location: 'Building 4', badge: 100 });
    const bad = await apps('mapping', app.id, '--set', path.join(dataDir, 'missing.json'));
    expect(bad.code).toBe(1);
  }, 120_000);
});
