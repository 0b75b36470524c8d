/**
 * The required-attribute policy as an Entra admin meets it: typed into `scim-gateway apps` against
 * the running local gateway, then Entra's requests over HTTP. (Before: `--required department` was
 * saved, and from then on every POST /Users of that application answered 500.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAppsCommand } from '../../lib/cli/apps';
import { freePort } from '../../lib/local/dynamodb-local';
import { readLocalJson, spawnGateway, type GatewayProcess } from '../helpers/gateway-process';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let dataDir: string;
let gateway: GatewayProcess;

/** `scim-gateway apps …` in process, against the local gateway of `dataDir`. */
const apps = async (...argv: string[]) => {
  let out = '';
  let err = '';
  const code = await runAppsCommand([...argv, '--data-dir', dataDir], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} });
  return { code, out, err };
};

interface CreatedApp {
  id: string;
  tenantUrl: string;
  secretToken: string;
  requiredAttributes: string[];
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

const entraUser = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  userName,
  active: true,
  displayName: userName,
  emails: [{ primary: true, type: 'work', value: userName }],
  name: { givenName: 'Joy', familyName: 'Young' },
  ...extra,
});

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'scim-e2e-required-'));
  gateway = spawnGateway(['--in-memory', '--port', String(await freePort()), '--data-dir', dataDir, '--quiet']);
  await gateway.waitFor(/Press Ctrl-C to stop/);
  expect(readLocalJson(dataDir).apiUrl).toMatch(/^http:/);
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('required attributes through the CLI and the local gateway', () => {
  it('apps create --required department → the URN form is kept, and POST /Users without it → 400 naming it (was 500)', async () => {
    const created = await apps('create', '--name', 'Entra department', '--required', 'department', '--json');
    expect(created).toMatchObject({ code: 0, err: '' });
    const app = JSON.parse(created.out) as CreatedApp;
    expect(app.requiredAttributes).toEqual(['userName', `${ENTERPRISE}:department`]);
    const scim = client(app);

    const refused = await scim('POST', '/Users', entraUser('no.department@contoso.com'));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ scimType: 'invalidValue', detail: `Attribute "${ENTERPRISE}:department" is required by this application.` });
    expect((await scim('POST', '/Users', entraUser('sales@contoso.com', { [ENTERPRISE]: { department: 'Sales' } }))).status).toBe(201);
  });

  it('apps update --required foo.bar → exit 1 naming it and what would be valid; the policy stays as it was', async () => {
    const app = JSON.parse((await apps('create', '--name', 'Entra typo', '--json')).out) as CreatedApp;

    const refused = await apps('update', app.id, '--required', 'foo.bar');

    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/"foo\.bar" does not name a User attribute: .*Valid entries are paths as SCIM requests write them/);
    const listed = JSON.parse((await apps('list', '--json')).out) as { apps: CreatedApp[] };
    expect(listed.apps.find((a) => a.id === app.id)?.requiredAttributes).toEqual(['userName']);
  });

  it('apps update --required entra-default,department after users exist: Entra can still disable, enable and delete a user that lacks department', async () => {
    const app = JSON.parse((await apps('create', '--name', 'Entra tightened', '--json')).out) as CreatedApp;
    const scim = client(app);
    const user = (await scim('POST', '/Users', entraUser('early@contoso.com'))).body!;

    const updated = await apps('update', app.id, '--required', 'entra-default,department');
    expect(updated.code).toBe(0);
    expect(updated.out).toContain(`Required      userName, entra-default, ${ENTERPRISE}:department\n`);

    for (const value of ['False', 'True']) {
      const toggled = await scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value }] });
      expect([toggled.status, toggled.body?.active]).toEqual([200, value === 'True']);
    }
    const removal = await scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: 'displayName' }] });
    expect(removal.status).toBe(400);
    expect(removal.body?.detail).toBe('Attribute "displayName" is required by this application and cannot be removed.');
    expect((await scim('DELETE', `/Users/${user.id}`)).status).toBe(204);
  });
});
