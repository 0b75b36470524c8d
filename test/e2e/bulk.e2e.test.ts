/**
 * POST <Tenant URL>/Bulk over HTTP against `scim-gateway local`: discovery advertises it, the
 * RFC 7644 §3.7.2 example provisions a user and a group in one call, the application's Secret Token
 * is the only key to it, the limits answer 413, and the provisioning report shows each operation.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../lib/local/dynamodb-local';
import type { LocalState } from '../../lib/local/local-state';
import { createApp, readLocalJson, spawnGateway, tempDir, type GatewayProcess } from '../helpers/gateway-process';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const fixture = (name: string) => readFileSync(path.join(__dirname, '../fixtures/rfc7644-bulk', name), 'utf8');

let dataDir: string;
let gateway: GatewayProcess;
let state: LocalState;
let tenantUrl: string;
let token: string;

const send = async (method: string, url: string, body?: string, secret = token) => {
  const response = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/scim+json' },
    body,
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), body: text ? JSON.parse(text) : undefined };
};

beforeAll(async () => {
  dataDir = tempDir('bulk');
  gateway = spawnGateway(['--in-memory', '--port', String(await freePort()), '--data-dir', dataDir, '--quiet']);
  await gateway.waitFor(/Press Ctrl-C to stop/);
  state = readLocalJson(dataDir);
  ({ tenantUrl, secretToken: token } = state.apps[0]);
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('POST <Tenant URL>/Bulk on the local gateway', () => {
  it('GET /ServiceProviderConfig → bulk supported, with maxOperations and maxPayloadSize', async () => {
    const res = await send('GET', `${tenantUrl}/ServiceProviderConfig`);
    expect(res.body.bulk).toEqual({ supported: true, maxOperations: 1000, maxPayloadSize: 1048576 });
  });

  it('RFC 7644 §3.7.2 verbatim → 200 BulkResponse; the group lists the user; the report shows both creates and the membership', async () => {
    const res = await send('POST', `${tenantUrl}/Bulk`, fixture('3.7.2-bulkid-request.json'));

    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/scim\+json/);
    expect(res.body.Operations.map((o: { method: string; bulkId: string; status: string }) => [o.method, o.bulkId, o.status])).toEqual([
      ['POST', 'qwerty', '201'],
      ['POST', 'ytrewq', '201'],
    ]);
    const [user, group] = res.body.Operations.map((o: { location: string }) => o.location);
    expect(user.startsWith(`${tenantUrl}/Users/`)).toBe(true);
    const stored = await send('GET', group);
    expect(stored.body).toMatchObject({ displayName: 'Tour Guides', members: [{ value: user.split('/').pop() }] });

    // The stream reaches the report table within a poll or two.
    const deadline = Date.now() + 30_000;
    let rows: { action: string; status: string }[] = [];
    while (Date.now() < deadline) {
      const reports = await send('GET', `${state.apiUrl}/admin/reports?application=${state.apps[0].id}&limit=500`, undefined, state.adminToken ?? undefined);
      rows = reports.body.reports;
      if (rows.length >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(rows.map((r) => `${r.action} ${r.status}`).sort()).toEqual(['create success', 'create success', 'member-added success']);
  }, 60_000);

  it('the Secret Token of another application → 403, and nothing is written', async () => {
    const other = await createApp(state, 'Other application');
    const res = await send('POST', `${tenantUrl}/Bulk`, fixture('3.7.2-manager-request.json'), other.secretToken);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ schemas: [ERROR] });
    expect((await send('GET', `${tenantUrl}/Users?filter=userName%20eq%20%22Bob%22`)).body.totalResults).toBe(0);
  });

  it('a body over maxPayloadSize → 413 in RFC 7644 §3.7.4\'s words; 1,001 operations → 413 naming maxOperations', async () => {
    const big = JSON.stringify({ schemas: [BULK], Operations: [{ method: 'POST', path: '/Users', bulkId: 'a', data: { userName: 'a', title: 'x'.repeat(1_048_576) } }] });
    const tooLarge = await send('POST', `${tenantUrl}/Bulk`, big);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toEqual(JSON.parse(fixture('3.7.4-payload-too-large-response.json')));

    const Operations = Array.from({ length: 1001 }, (_, i) => ({ method: 'DELETE', path: `/Users/u${i}` }));
    const tooMany = await send('POST', `${tenantUrl}/Bulk`, JSON.stringify({ schemas: [BULK], Operations }));
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.detail).toContain('maxOperations (1000)');
  });

  it('1,000 operations (the limit) → 200 within the gateway\'s 29 s, every operation answered: applied (201), or 503 "not attempted" when time ran out', async () => {
    const Operations = Array.from({ length: 1000 }, (_, i) => ({ method: 'POST', path: '/Users', bulkId: `b${i}`, data: { userName: `bulk${i}@contoso.com`, active: true } }));

    const res = await send('POST', `${tenantUrl}/Bulk`, JSON.stringify({ schemas: [BULK], Operations }));

    expect(res.status).toBe(200);
    const statuses: string[] = res.body.Operations.map((o: { status: string }) => o.status);
    expect(statuses).toHaveLength(1000);
    expect(statuses.filter((s) => s !== '201' && s !== '503')).toEqual([]);
    const applied = statuses.filter((s) => s === '201').length;
    expect(applied).toBeGreaterThan(0);
    const listed = await send('GET', `${tenantUrl}/Users?filter=userName%20sw%20%22bulk%22&count=1`);
    expect(listed.body.totalResults).toBe(applied);
  }, 60_000);
});
