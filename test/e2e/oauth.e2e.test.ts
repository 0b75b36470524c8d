/**
 * Issue 17 over HTTP against `npm start`: Microsoft's validator flow on the OAuth 2.0 client
 * credentials grant (a form-encoded token request → `GET /Users?startIndex=1&count=1` with the
 * token → 200), then Entra's initial provisioning cycle on that token, and the report rows that say
 * how the requests authenticated.
 */
import { rmSync } from 'node:fs';
import { freePort } from '../../lib/local/dynamodb-local';
import { readLocalJson, spawnGateway, tempDir, type GatewayProcess } from '../helpers/gateway-process';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('OAuth 2.0 client credentials against the local gateway', () => {
  let dataDir: string;
  let gateway: GatewayProcess;
  let apiUrl: string;
  let adminToken: string;
  let appId: string;
  let tenantUrl: string;

  const adminCall = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${apiUrl}/admin${path}`, {
      method,
      headers: { Authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: response.status === 204 ? undefined : ((await response.json()) as any) }; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  };

  beforeAll(async () => {
    dataDir = tempDir('oauth');
    gateway = spawnGateway(['--in-memory', '--port', String(await freePort()), '--data-dir', dataDir, '--quiet']);
    await gateway.waitFor(/Press Ctrl-C to stop/);
    const state = readLocalJson(dataDir);
    apiUrl = state.apiUrl;
    adminToken = state.adminToken!;
    appId = state.apps[0].id;
    tenantUrl = state.apps[0].tenantUrl;
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("replays Microsoft's validator, then Entra's initial cycle, on an OAuth access token", async () => {
    // The admin creates a client: Entra's four fields.
    const created = await adminCall('POST', `/apps/${appId}/oauth-clients`, { description: 'Entra ID gallery', tokenLifetimeMinutes: 120 });
    expect(created.status).toBe(201);
    const { clientId, clientSecret, tokenEndpoint } = created.body;
    expect(created.body.tenantUrl).toBe(tenantUrl);
    expect(tokenEndpoint).toBe(`${apiUrl}/apps/${appId}/oauth/token`);

    // Validate_Credentials_Test: a form-encoded client credentials request (client_secret_post)…
    const tokenResponse = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
    });
    expect(tokenResponse.status).toBe(200);
    expect(tokenResponse.headers.get('cache-control')).toBe('no-store');
    const grant = (await tokenResponse.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(grant).toMatchObject({ token_type: 'Bearer', expires_in: 7200 });

    // …then the SCIM call with the token.
    const scim = async (method: string, pathAndQuery: string, body?: unknown) => {
      const response = await fetch(`${tenantUrl}${pathAndQuery}`, {
        method,
        headers: { Authorization: `Bearer ${grant.access_token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/scim+json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: response.status === 204 ? undefined : ((await response.json()) as any) }; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
    };
    const probe = await scim('GET', '/Users?startIndex=1&count=1');
    expect([probe.status, probe.body.totalResults]).toEqual([200, 0]);

    // Entra's initial cycle: look up each user and group by its matching attribute, create what is missing, add members.
    const userName = 'adele.vance@contoso.example';
    expect((await scim('GET', `/Users?filter=userName+eq+%22${encodeURIComponent(userName)}%22`)).body.totalResults).toBe(0);
    const user = await scim('POST', '/Users', {
      schemas: [USER],
      externalId: 'adele',
      userName,
      active: true,
      displayName: 'Adele Vance',
      emails: [{ primary: true, type: 'work', value: userName }],
      name: { givenName: 'Adele', familyName: 'Vance' },
    });
    expect(user.status).toBe(201);
    expect((await scim('GET', '/Groups?excludedAttributes=members&filter=displayName+eq+%22Sales%22')).body.totalResults).toBe(0);
    const group = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Sales', externalId: 'sales' });
    expect(group.status).toBe(201);
    const added = await scim('PATCH', `/Groups/${group.body.id}`, { schemas: [PATCH], Operations: [{ op: 'Add', path: 'members', value: [{ value: user.body.id }] }] });
    expect(added.status).toBe(204);
    expect((await scim('GET', `/Users/${user.body.id}`)).body.groups).toEqual([expect.objectContaining({ value: group.body.id })]);

    // A token of this client does not open the admin API, and a forged one does not open the Tenant URL.
    expect((await fetch(`${apiUrl}/admin/apps`, { headers: { Authorization: `Bearer ${grant.access_token}` } })).status).toBe(401);
    const forged = `${grant.access_token.slice(0, -4)}AAAA`;
    expect((await fetch(`${tenantUrl}/Users`, { headers: { Authorization: `Bearer ${forged}` } })).status).toBe(401);

    // The client's last use is shown; the discovery document lists OAuth first.
    const client = await adminCall('GET', `/apps/${appId}/oauth-clients/${clientId}`);
    expect(client.body.lastUsed).toEqual({ at: expect.any(String), sourceIp: expect.any(String) });
    const config = await scim('GET', '/ServiceProviderConfig');
    expect(config.body.authenticationSchemes.map((s: { name: string }) => s.name)).toEqual(['OAuth 2.0 client credentials', 'OAuth Bearer Token']);

    // The report rows of the cycle say which OAuth client wrote them; the forged token is a refused connection.
    let rows: Array<{ action: string; authenticatedBy?: string; reason?: string }> = [];
    const poll = async () => {
      const page = await adminCall('GET', `/reports?application=${appId}&from=1h`);
      rows = page.body.reports;
    };
    // The stream poller writes rows a moment later: ask until they are there (bounded).
    for (let i = 0; i < 60 && !(rows.some((r) => r.reason === 'jwt-bad-signature') && rows.some((r) => r.action === 'member-added')); i++) {
      await poll();
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(rows.find((r) => r.action === 'create')?.authenticatedBy).toBe(`OAuth client ${clientId} (secret ${created.body.secretId})`);
    expect(rows.find((r) => r.reason === 'jwt-bad-signature')).toBeDefined();
  }, 120_000);
});
