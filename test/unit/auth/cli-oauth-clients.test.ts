/** `scim-gateway oauth-clients`: what it sends to the admin API and what it prints (issue 17). */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOAuthClientsCommand } from '../../../lib/cli/oauth-clients';

const API = 'http://127.0.0.1:4010';
const ADMIN = 'scgw_admin_abcd1234_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const APP = 'abcdefghij12';
const CLIENT = `scgwc_${APP}_cli00001`;
const SECRET = `scgws_sec00002_${'C'.repeat(43)}`;

const json = (status: number, body?: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scgw-cli-oauth-'));
  await writeFile(join(dir, 'local.json'), JSON.stringify({ apiUrl: API, adminToken: ADMIN, apps: [] }));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const run = async (argv: string[], replies: Response[]) => {
  const sent: { url: string; method: string; body?: unknown }[] = [];
  let out = '';
  let err = '';
  const fetchFn = (async (url: string, init: RequestInit) => {
    sent.push({ url, method: String(init.method), body: init.body ? JSON.parse(String(init.body)) : undefined });
    return replies.shift() ?? json(500, {});
  }) as unknown as typeof fetch;
  const code = await runOAuthClientsCommand([...argv, '--data-dir', dir], { fetch: fetchFn, stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} });
  return { code, out, err, sent };
};

describe('scim-gateway oauth-clients (CLI)', () => {
  it("create prints Entra's four fields under Entra's names, the secret once", async () => {
    const created = {
      clientId: CLIENT,
      clientSecret: SECRET,
      secretId: 'sec00002',
      expiresAt: '2027-06-01T12:00:00.000Z',
      tenantUrl: `${API}/apps/${APP}/scim/v2`,
      tokenEndpoint: `${API}/apps/${APP}/oauth/token`,
      tokenLifetimeMinutes: 120,
    };
    const { code, out, sent } = await run(['create', APP, '--description', 'Entra', '--token-lifetime', '120'], [json(201, created)]);
    expect(code).toBe(0);
    expect(sent).toEqual([{ url: `${API}/admin/apps/${APP}/oauth-clients`, method: 'POST', body: { description: 'Entra', tokenLifetimeMinutes: 120 } }]);
    expect(out).toContain(`Tenant URL         ${created.tenantUrl}`);
    expect(out).toContain(`Token Endpoint     ${created.tokenEndpoint}`);
    expect(out).toContain(`Client Identifier  ${CLIENT}`);
    expect(out).toContain(`Client Secret      ${SECRET}`);
  });

  it('rotate issues a second secret and says how to revoke the old one', async () => {
    const client = { clientId: CLIENT, tokenLifetimeMinutes: 60, created: '', secrets: [{ id: 'sec00001', created: '', expiresAt: '2027-01-01T00:00:00Z' }, { id: 'sec00002', created: '', expiresAt: '2027-06-01T00:00:00Z' }], tokenEndpoint: '', tenantUrl: '' };
    const { code, out, sent } = await run(['rotate', APP, CLIENT], [json(201, { clientId: CLIENT, clientSecret: SECRET, secretId: 'sec00002', expiresAt: '2027-06-01T00:00:00Z' }), json(200, client)]);
    expect(code).toBe(0);
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([`POST ${API}/admin/apps/${APP}/oauth-clients/${CLIENT}/secrets`, `GET ${API}/admin/apps/${APP}/oauth-clients/${CLIENT}`]);
    expect(out).toContain(`scim-gateway oauth-clients revoke ${APP} ${CLIENT} --secret sec00001`);
    expect(out).not.toContain('--secret sec00002');
  });

  it('revoke removes one secret with --secret, else the whole client', async () => {
    const one = await run(['revoke', APP, CLIENT, '--secret', 'sec00001'], [json(204)]);
    expect(one.sent[0]).toMatchObject({ method: 'DELETE', url: `${API}/admin/apps/${APP}/oauth-clients/${CLIENT}/secrets/sec00001` });
    const all = await run(['revoke', APP, CLIENT], [json(204)]);
    expect(all.sent[0]).toMatchObject({ method: 'DELETE', url: `${API}/admin/apps/${APP}/oauth-clients/${CLIENT}` });
    expect(all.out).toContain('revoked');
  });

  it('entra sets the accepted tenants, and an unknown command is refused with the list', async () => {
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const set = await run(['entra', APP, '--tenants', tenant], [json(200, { tenantIds: [tenant] })]);
    expect(set.sent[0]).toMatchObject({ method: 'PUT', body: { tenantIds: [tenant] } });
    expect(set.out).toContain(tenant);
    const bad = await run(['frobnicate'], []);
    expect([bad.code, bad.err]).toEqual([1, expect.stringContaining('Commands: create, list, rotate, revoke')]);
  });
});
