/**
 * `scim-gateway local` for real: the CLI as a child process, its own DynamoDB Local, HTTP from
 * outside. Its processes (signals, npm start, the data-directory lock): local-processes.e2e.test.ts.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import path from 'node:path';
import { freePort } from '../../lib/local/dynamodb-local';
import type { LocalState } from '../../lib/local/local-state';
import { descendantsOf, isRunning, readLocalJson, spawnGateway, tempDir, type GatewayProcess } from '../helpers/gateway-process';

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

const javaPidOf = (gateway: GatewayProcess): number => Number(/DynamoDB Local:\s+\S+ \(pid (\d+)\)/.exec(gateway.output())?.[1]);
const dynamoPortOf = (gateway: GatewayProcess): number => Number(/DynamoDB Local:\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(gateway.output())?.[1]);

const portAccepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const expectScimError = async (response: Response, status: number): Promise<void> => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  expect(await response.json()).toMatchObject({ schemas: [ERROR_SCHEMA], status: String(status) });
};

describe('scim-gateway local --in-memory', () => {
  let dataDir: string;
  let gateway: GatewayProcess;
  let state: LocalState;
  let tenantUrl: string;

  beforeAll(async () => {
    dataDir = tempDir('mem');
    gateway = spawnGateway(['--in-memory', '--port', String(await freePort()), '--data-dir', dataDir, '--quiet']);
    await gateway.waitFor(/Press Ctrl-C to stop/);
    state = readLocalJson(dataDir);
    tenantUrl = state.apps[0].tenantUrl;
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the Tenant URL, Secret Token, admin token and report API it saved in local.json', () => {
    expect(state.apps).toHaveLength(1);
    expect(state.apps[0]).toMatchObject({ name: 'Default application', tenantUrl: `${state.apiUrl}/apps/${state.apps[0].id}/scim/v2` });
    const out = gateway.output();
    expect(out).toContain(`Tenant URL:    ${tenantUrl}`);
    expect(out).toContain(`Secret Token:  ${state.apps[0].secretToken}`);
    expect(out).toContain(`Admin token:     ${state.adminToken}`);
    expect(out).toContain(`${state.apiUrl}/admin/reports`);
    expect(gateway.errors()).toBe('');
  });

  it('GET <tenantUrl>/Users without a token → 401 SCIM error with a Bearer challenge', async () => {
    const response = await fetch(`${tenantUrl}/Users`);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    await expectScimError(response, 401);
  });

  it('GET <tenantUrl>/Users with a wrong token → 401', async () => {
    await expectScimError(await fetch(`${tenantUrl}/Users`, { headers: bearer('scgw_not_a_real_token') }), 401);
  });

  it('GET <tenantUrl>/Users with the admin token → 403', async () => {
    await expectScimError(await fetch(`${tenantUrl}/Users`, { headers: bearer(state.adminToken ?? '') }), 403);
  });

  it('GET <tenantUrl>/Nothing → 404 SCIM error', async () => {
    await expectScimError(await fetch(`${tenantUrl}/Nothing`, { headers: bearer(state.apps[0].secretToken) }), 404);
  });

  it('Entra Test Connection: GET /Users?filter=userName eq "x" returns an empty ListResponse', async () => {
    const response = await fetch(`${tenantUrl}/Users?filter=userName%20eq%20%22x%22`, { headers: bearer(state.apps[0].secretToken) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ schemas: [LIST_SCHEMA], totalResults: 0 });
  });

  it('GET <tenantUrl>/ServiceProviderConfig → 200', async () => {
    const response = await fetch(`${tenantUrl}/ServiceProviderConfig`, { headers: bearer(state.apps[0].secretToken) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'] });
  });

  it('POST <tenantUrl>/.search (RFC 7644 §3.4.3) → one ListResponse over Users and Groups', async () => {
    const headers = { ...bearer(state.apps[0].secretToken), 'Content-Type': 'application/scim+json' };
    const post = (path: string, body: unknown) => fetch(`${tenantUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect((await post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'root.search@example.com', displayName: 'Root Search' })).status).toBe(201);
    expect((await post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Root Search Group' })).status).toBe(201);

    const response = await post('/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'displayName sw "Root Search"' });

    expect(response.status).toBe(200);
    const body = (await response.json()) as { totalResults: number; Resources: { meta: { resourceType: string } }[] };
    expect(body).toMatchObject({ schemas: [LIST_SCHEMA], totalResults: 2 });
    expect(body.Resources.map((r) => r.meta.resourceType)).toEqual(['User', 'Group']);
  });

  it('a token whose Allow the gateway reuses is refused on the very next request after its revocation (and a rotated-in one works at once)', async () => {
    const admin = { ...bearer(state.adminToken ?? ''), 'Content-Type': 'application/json' };
    const appUrl = `${state.apiUrl}/admin/apps/${state.apps[0].id}`;
    const created = await fetch(`${appUrl}/tokens`, { method: 'POST', headers: admin, body: '{}' });
    expect(created.status).toBe(201);
    const { secretToken, tokenId } = (await created.json()) as { secretToken: string; tokenId: string };
    const lookUp = () => fetch(`${tenantUrl}/Users?filter=userName%20eq%20%22x%22`, { headers: bearer(secretToken) });
    // Several requests within the authorizer cache's lifetime: the later ones reuse the first one's Allow.
    for (let i = 0; i < 3; i++) expect((await lookUp()).status).toBe(200);

    expect((await fetch(`${appUrl}/tokens/${tokenId}`, { method: 'DELETE', headers: admin })).status).toBe(204);

    await expectScimError(await lookUp(), 401);
    expect((await fetch(`${tenantUrl}/Users?filter=userName%20eq%20%22x%22`, { headers: bearer(state.apps[0].secretToken) })).status).toBe(200);
  });

  it('SIGTERM → the process exits and leaves no Java process or open DynamoDB port behind', async () => {
    const javaPid = javaPidOf(gateway);
    const dynamoPort = dynamoPortOf(gateway);
    const java = descendantsOf(gateway.child.pid ?? -1).filter((p) => p.command === 'java');
    expect(java.map((p) => p.pid)).toEqual([javaPid]);
    expect(await portAccepts(dynamoPort)).toBe(true);

    expect(await gateway.stop()).toBe(0);

    expect(isRunning(javaPid)).toBe(false);
    expect(await portAccepts(dynamoPort)).toBe(false);
  });
});

describe('scim-gateway local on a data directory', () => {
  let dataDir: string;
  let gateway: GatewayProcess | undefined;

  beforeAll(() => {
    dataDir = tempDir('disk');
  });
  afterAll(async () => {
    await gateway?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a second start on the same data directory reuses local.json and finds the data', async () => {
    // Prepare: first start, one user written.
    gateway = spawnGateway(['--port', String(await freePort()), '--data-dir', dataDir, '--quiet']);
    await gateway.waitFor(/Press Ctrl-C to stop/);
    const first = readLocalJson(dataDir);
    const app = first.apps[0];
    const created = await fetch(`${app.tenantUrl}/Users`, {
      method: 'POST',
      headers: { ...bearer(app.secretToken), 'Content-Type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'persisted@example.com', active: true }),
    });
    expect(created.status).toBe(201);
    expect(await gateway.stop()).toBe(0);

    // Act: start again on another port.
    gateway = spawnGateway(['--port', String(await freePort()), '--data-dir', dataDir, '--quiet']);
    await gateway.waitFor(/Press Ctrl-C to stop/);
    const second = readLocalJson(dataDir);

    // Assess: same application and tokens, URLs follow the new port, the user is still there.
    expect(second.apiUrl).not.toBe(first.apiUrl);
    expect(second.adminToken).toBe(first.adminToken);
    expect(second.apps.map(({ id, name, secretToken }) => ({ id, name, secretToken }))).toEqual([
      { id: app.id, name: app.name, secretToken: app.secretToken },
    ]);
    const tenantUrl = second.apps[0].tenantUrl;
    expect(gateway.output()).toContain(`Tenant URL:    ${tenantUrl}`);
    const found = await fetch(`${tenantUrl}/Users?filter=userName%20eq%20%22persisted@example.com%22`, { headers: bearer(app.secretToken) });
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({ totalResults: 1, Resources: [{ userName: 'persisted@example.com' }] });
  }, 180_000);
});

describe('scim-gateway local start-up errors', () => {
  let blocker: Server;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  it('a port in use → exit code 1 and one clear message, no stack trace', async () => {
    const gateway = spawnGateway(['--in-memory', '--port', String(port)]);
    expect(await gateway.exited).toBe(1);
    expect(gateway.errors()).toContain(`Port ${port} is already in use`);
    expect(gateway.errors()).toContain('--port');
    expect(gateway.errors()).not.toMatch(/^\s+at /m);
  });

  it('--in-memory on a data directory holding a persistent database → exit code 1, nothing touched', async () => {
    const dir = tempDir('mixed');
    mkdirSync(path.join(dir, 'dynamodb'));
    writeFileSync(path.join(dir, 'local.json'), '{"keep":true}');
    try {
      const gateway = spawnGateway(['--in-memory', '--port', '0', '--data-dir', dir]);
      expect(await gateway.exited).toBe(1);
      expect(gateway.errors()).toContain('holds a persistent database');
      expect(readFileSync(path.join(dir, 'local.json'), 'utf8')).toBe('{"keep":true}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a data directory that cannot be written → exit code 1 and one clear message', async () => {
    const dir = tempDir('file');
    const file = path.join(dir, 'not-a-directory');
    writeFileSync(file, '');
    try {
      const gateway = spawnGateway(['--port', '0', '--data-dir', path.join(file, 'data')]);
      expect(await gateway.exited).toBe(1);
      expect(gateway.errors()).toContain('is not writable');
      expect(gateway.errors()).not.toMatch(/^\s+at /m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
