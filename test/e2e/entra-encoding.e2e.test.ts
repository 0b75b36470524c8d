/**
 * Issue 21 over HTTP: Entra's form-encoded queries (`+` for a space, also inside the quoted
 * value) against `npm start`, whose adapter decodes query strings as API Gateway REST does.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../lib/local/dynamodb-local';
import { readLocalJson, spawnGateway, type GatewayProcess } from '../helpers/gateway-process';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/** How Entra writes a value in a query: form-encoded, `+` for each space. */
const entraEncoded = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
const spaced = (prefix: string) => `${prefix} ${randomUUID().slice(0, 8)}`;

describe("Entra's form-encoded filters against the local gateway", () => {
  let dataDir: string;
  let gateway: GatewayProcess;
  let tenantUrl: string;
  let token: string;

  const scim = async (method: string, pathAndQuery: string, body?: unknown) => {
    const response = await fetch(`${tenantUrl}${pathAndQuery}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/scim+json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  };
  const created = async (resource: 'Users' | 'Groups', body: Record<string, unknown>) => {
    const res = await scim('POST', `/${resource}`, body);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const found = async (pathAndQuery: string) => {
    const res = await scim('GET', pathAndQuery);
    expect(res.status).toBe(200);
    return (res.body.Resources as { id: string }[]).map((r) => r.id);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'scim-e2e-entra-encoding-'));
    gateway = spawnGateway(['--in-memory', '--port', String(await freePort()), '--data-dir', dataDir, '--quiet']);
    await gateway.waitFor(/Press Ctrl-C to stop/);
    const state = readLocalJson(dataDir);
    tenantUrl = state.apps[0].tenantUrl;
    token = state.apps[0].secretToken;
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('GET /Groups?excludedAttributes=members&filter=displayName+eq+%22Sales+Team%22 → the group "Sales Team", as %20 finds it', async () => {
    const displayName = spaced('Sales Team');
    const id = await created('Groups', { displayName });
    expect(await found(`/Groups?excludedAttributes=members&filter=displayName+eq+%22${entraEncoded(displayName)}%22`)).toEqual([id]);
    expect(await found(`/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${displayName}"`)}`)).toEqual([id]);
  });

  it('GET /Users?filter=userName+eq+%22Ann+Lee%22 → the user "Ann Lee"', async () => {
    const userName = spaced('Ann Lee');
    const id = await created('Users', { userName });
    expect(await found(`/Users?filter=userName+eq+%22${entraEncoded(userName)}%22`)).toEqual([id]);
  });

  it('GET /Users?filter=externalId+eq+… and emails[type+eq+%22work%22].value+eq+… with spaces → the user', async () => {
    const externalId = spaced('EDU All personal');
    const email = `${spaced('ann lee')}@contoso.com`;
    const id = await created('Users', { userName: `${randomUUID()}@contoso.com`, externalId, emails: [{ type: 'work', value: email, primary: true }] });
    expect(await found(`/Users?filter=externalId+eq+%22${entraEncoded(externalId)}%22`)).toEqual([id]);
    expect(await found(`/Users?filter=emails%5Btype+eq+%22work%22%5D.value+eq+%22${entraEncoded(email)}%22`)).toEqual([id]);
  });

  it('GET /Users?filter=userName+eq+%22ann%2B…%22 → the user whose userName really contains +', async () => {
    const tag = randomUUID().slice(0, 8);
    const plus = await created('Users', { userName: `ann+${tag}@contoso.com` });
    await created('Users', { userName: `ann ${tag}@contoso.com` });
    expect(await found(`/Users?filter=userName+eq+%22ann%2B${tag}%40contoso.com%22`)).toEqual([plus]);
  });

  it('POST /Users/.search: a + in the JSON filter is a +', async () => {
    const tag = randomUUID().slice(0, 8);
    const plus = await created('Users', { userName: `bob+${tag}@contoso.com` });
    await created('Users', { userName: `bob lee ${tag}` });
    const hit = await scim('POST', '/Users/.search', { schemas: [SEARCH], filter: `userName eq "bob+${tag}@contoso.com"` });
    expect((hit.body.Resources as { id: string }[]).map((r) => r.id)).toEqual([plus]);
    const miss = await scim('POST', '/Users/.search', { schemas: [SEARCH], filter: `userName eq "bob+lee+${tag}"` });
    expect(miss.body.totalResults).toBe(0);
  });
});
