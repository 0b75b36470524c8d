import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAppsCommand } from '../../../lib/cli/apps';

const API = 'http://127.0.0.1:4010/local';
const ADMIN = 'scgw_admin_abcd1234_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const APP = {
  id: 'abcdefghij12',
  name: 'Entra ID',
  tenantUrl: `${API}/apps/abcdefghij12/scim/v2`,
  requiredAttributes: ['userName'],
  created: '2026-06-01T12:00:00.000Z',
  tokens: [{ id: 'tok00001', created: '2026-06-01T12:00:00.000Z' }],
};

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: unknown;
}

const json = (status: number, body?: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const run = async (argv: string[], replies: Response[], env: NodeJS.ProcessEnv = {}) => {
  const sent: Sent[] = [];
  let out = '';
  let err = '';
  const fetchFn = (async (url: string, init: RequestInit) => {
    sent.push({
      url,
      method: String(init.method),
      headers: init.headers as Record<string, string>,
      body: init.body ? JSON.parse(String(init.body)) : undefined,
    });
    const reply = replies.shift();
    if (!reply) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    return reply;
  }) as unknown as typeof fetch;
  const code = await runAppsCommand(argv, { fetch: fetchFn, stdout: (t) => (out += t), stderr: (t) => (err += t), env });
  return { code, out, err, sent };
};

describe('scim-gateway apps (CLI)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scgw-cli-'));
    await writeFile(join(dir, 'local.json'), JSON.stringify({ apiUrl: `${API}/`, adminToken: ADMIN, apps: [] }));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('create talks to the local gateway from local.json and prints the Tenant URL, the Secret Token and the Entra steps', async () => {
    const secretToken = `scgw_${APP.id}_tok00001_${'B'.repeat(43)}`;
    const { code, out, sent } = await run(
      ['create', '--name', 'Entra ID', '--required', 'name.givenName, emails[type eq "work"].value', '--data-dir', dir],
      [json(201, { ...APP, secretToken, tokenId: 'tok00001' })],
    );
    expect(code).toBe(0);
    expect(sent).toEqual([
      {
        url: `${API}/admin/apps`,
        method: 'POST',
        headers: expect.objectContaining({ Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' }),
        body: { name: 'Entra ID', requiredAttributes: ['name.givenName', 'emails[type eq "work"].value'] },
      },
    ]);
    expect(out).toContain(`Tenant URL    ${APP.tenantUrl}\n`);
    expect(out).toContain(`Secret Token  ${secretToken}\n`);
    expect(out).toMatch(/1\. .*\n\s+2\. .*\n\s+3\. .*Test Connection.*\n\s+4\. /);
  });

  it('create --required sends the entries as typed (commas inside a value filter kept) and prints what the gateway kept', async () => {
    const kept = ['userName', 'entra-default', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department'];
    const { code, out, sent } = await run(
      ['create', '--name', 'Entra ID', '--required', 'entra-default,department, addresses[type eq "a,b"].locality', '--data-dir', dir],
      [json(201, { ...APP, requiredAttributes: kept, secretToken: 'scgw_x', tokenId: 'tok00001' })],
    );
    expect(code).toBe(0);
    expect(sent[0].body).toEqual({ name: 'Entra ID', requiredAttributes: ['entra-default', 'department', 'addresses[type eq "a,b"].locality'] });
    expect(out).toContain(`Required      ${kept.join(', ')}\n`);
  });

  it.each([
    ['create', '--name', 'Entra ID'],
    ['update', APP.id],
  ])('%s --required with a path the gateway would refuse → exit 1 naming it and what would be valid, nothing sent', async (...argv) => {
    const { code, out, err, sent } = await run([...argv, '--required', 'department,foo.bar', '--data-dir', dir], []);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(sent).toEqual([]);
    expect(err).toMatch(/^scim-gateway apps: --required: "foo\.bar" does not name a User attribute: "foo" is not an attribute .*Valid entries are paths as SCIM requests write them .*entra-default\.\n$/);
  });

  it('update <appId> --required replaces the policy through PATCH and prints what the gateway kept', async () => {
    const kept = ['userName', 'entra-default'];
    const { code, out, sent } = await run(['update', APP.id, '--required', 'entra-default', '--data-dir', dir], [json(200, { ...APP, requiredAttributes: kept })]);
    expect(code).toBe(0);
    expect(sent).toEqual([
      { url: `${API}/admin/apps/${APP.id}`, method: 'PATCH', headers: expect.objectContaining({ Authorization: `Bearer ${ADMIN}` }), body: { requiredAttributes: ['entra-default'] } },
    ]);
    expect(out).toBe(`Updated application "${APP.name}" (id ${APP.id}).\nRequired      userName, entra-default\n`);
  });

  it("update shows the gateway's refusal", async () => {
    const detail = 'Invalid application update: requiredAttributes[0]: "groups" is read-only.';
    const { code, err } = await run(['update', APP.id, '--name', 'x', '--data-dir', dir], [json(400, { status: '400', scimType: 'invalidValue', detail })]);
    expect(code).toBe(1);
    expect(err).toBe(`scim-gateway apps: ${detail} (HTTP 400)\n`);
  });

  it('create --json prints the response for scripts', async () => {
    const reply = { ...APP, secretToken: 'scgw_x', tokenId: 'tok00001' };
    const { code, out } = await run(['create', '--name', 'Entra ID', '--json'], [json(201, reply)], { SCIM_GATEWAY_DATA_DIR: dir });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(reply);
  });

  it('list prints a table', async () => {
    const { code, out, sent } = await run(['list', '--data-dir', dir], [json(200, { apps: [APP] })]);
    expect(code).toBe(0);
    expect(sent[0]).toMatchObject({ method: 'GET', url: `${API}/admin/apps` });
    const [header, row] = out.trim().split('\n');
    expect(header).toMatch(/^ID\s+NAME\s+TOKENS\s+CREATED\s+TENANT URL$/);
    expect(row).toMatch(new RegExp(`^${APP.id}\\s+Entra ID\\s+tok00001\\s+2026-06-01\\s+${APP.tenantUrl.replace(/[.]/g, '\\.')}$`));
  });

  it('rotate-token creates a token and says which old token to revoke', async () => {
    const { code, out, sent } = await run(
      ['rotate-token', APP.id, '--data-dir', dir],
      [
        json(201, { tokenId: 'tok00002', secretToken: 'scgw_new' }),
        json(200, { ...APP, tokens: [...APP.tokens, { id: 'tok00002', created: 'x' }] }),
      ],
    );
    expect(code).toBe(0);
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([`POST ${API}/admin/apps/${APP.id}/tokens`, `GET ${API}/admin/apps/${APP.id}`]);
    expect(out).toContain('Secret Token  scgw_new');
    expect(out).toContain(`scim-gateway apps revoke-token ${APP.id} tok00001`);
  });

  it('revoke-token and delete --force call the admin API', async () => {
    const revoke = await run(['revoke-token', APP.id, 'tok00001', '--data-dir', dir], [json(204)]);
    expect(revoke.sent[0]).toMatchObject({ method: 'DELETE', url: `${API}/admin/apps/${APP.id}/tokens/tok00001` });
    expect(revoke.out).toBe(`Token tok00001 of application ${APP.id} revoked.\n`);
    const del = await run(['delete', APP.id, '--force', '--data-dir', dir], [json(204)]);
    expect(del.sent[0]).toMatchObject({ method: 'DELETE', url: `${API}/admin/apps/${APP.id}?force=true` });
    expect(del.code).toBe(0);
  });

  it('talks to a deployed gateway with --api-url and the admin token from the environment', async () => {
    const { code, sent } = await run(
      ['list', '--api-url', 'https://scim.example.com/prod/'],
      [json(200, { apps: [] })],
      { SCIM_GATEWAY_ADMIN_TOKEN: 'scgw_admin_from_env' },
    );
    expect(code).toBe(0);
    expect(sent[0]).toMatchObject({ url: 'https://scim.example.com/prod/admin/apps', headers: expect.objectContaining({ Authorization: 'Bearer scgw_admin_from_env' }) });
  });

  it.each([
    ['an API error', ['delete', APP.id], [json(409, { status: '409', detail: `Application ${APP.id} still has users or groups.` })], /still has users or groups\. \(HTTP 409\)/],
    ['a refused admin token', ['list'], [json(401, { detail: 'x' })], /admin token was refused/],
    ['an unreachable gateway', ['list'], [], /Cannot reach http:\/\/127\.0\.0\.1:4010\/local: ECONNREFUSED/],
    ['a missing name', ['create'], [], /Usage: scim-gateway apps create/],
    ['a missing token id', ['revoke-token', APP.id], [], /Usage: scim-gateway apps revoke-token/],
    ['an update with nothing to change', ['update', APP.id], [], /Usage: scim-gateway apps update <appId>/],
    ['an unknown command', ['launch'], [], /Unknown command "launch"/],
    ['an unknown option', ['list', '--colour'], [], /unknown flag --colour\. Run "scim-gateway apps --help" for every flag\./],
    ['a mistyped option, with the closest flags', ['create', '--nme', 'x'], [], /unknown flag --nme; did you mean --name\?/],
  ])('reports %s as one line on stderr with exit code 1', async (_what, argv, replies, message) => {
    const { code, out, err } = await run([...argv, '--data-dir', dir], replies as Response[]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('explains how to start the local gateway when there is no local.json', async () => {
    const { code, err } = await run(['list', '--data-dir', join(dir, 'nowhere')], []);
    expect(code).toBe(1);
    expect(err).toMatch(/No local gateway found .*npm start/);
  });

  it('--api-url without an admin token is refused before any request', async () => {
    const { code, err, sent } = await run(['list', '--api-url', 'https://scim.example.com'], []);
    expect(code).toBe(1);
    expect(err).toMatch(/SCIM_GATEWAY_ADMIN_TOKEN/);
    expect(sent).toEqual([]);
  });

  it('--help prints the usage and succeeds', async () => {
    const { code, out } = await run(['--help'], []);
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: scim-gateway apps/);
  });
});
