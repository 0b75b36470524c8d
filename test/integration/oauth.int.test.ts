/**
 * OAuth 2.0 client credentials wired end to end over DynamoDB Local and the file secret store: the
 * admin API creates clients, the token endpoint (a real handler, form-encoded bodies as API Gateway
 * passes them) issues JWTs, and the authorizer the stack deploys accepts or refuses them on Tenant
 * URLs; refusals land in the report counters. Entra-issued JWTs are checked against a fixture key set.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { readFile } from 'node:fs/promises';
import { createAdminHandler } from '../../lambdas/handlers/admin';
import { createAuthorizerHandler } from '../../lambdas/handlers/authorizer';
import { createOAuthClientsHandler } from '../../lambdas/handlers/oauth-clients';
import { createTokenHandler } from '../../lambdas/handlers/oauth-token';
import { createUsersHandler } from '../../lambdas/handlers/users';
import { createAccessTokenSigner } from '../../lambdas/oauth/access-tokens';
import { encodeBasicCredentials } from '../../lambdas/oauth/basic-credentials';
import { signingKeyOf } from '../../lambdas/oauth/signing-keys';
import { ENTRA_PROVISIONING_AUDIENCE } from '../../lambdas/oauth/entra-tokens';
import { appStoreDeps } from '../../lambdas/shared/app-stores';
import { oauthStoresOf } from '../../lambdas/shared/oauth-stores';
import type { Runtime } from '../../lambdas/shared/runtime';
import { createApplications } from '../../lambdas/use-cases/applications';
import { createSigningKeyring } from '../../lambdas/use-cases/signing-keyring';
import { hs256WithPublicKey, tamperedCopyOf, unsecuredCopyOf } from '../unit/oauth/fixtures';
import { invoke, testEvent, type InvokeResult } from '../helpers/invoke';
import { testRuntime } from '../helpers/runtime';
import { createTestTables, type TestTables } from '../helpers/tables';

const API_URL = 'https://scim.test/prod';
const PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

let tables: TestTables;
let dir: string;
let rt: Runtime;
let SETTINGS: Record<string, string>;
let entraKey: { privateKey: CryptoKey; jwk: JWK };
const entraKeys = async () => ({ keys: [entraKey.jwk] });

type Handler = Parameters<typeof invoke>[0];
let tokenHandler: Handler;
let adminHandler: Handler;
let usersHandler: Handler;
let authorize: ReturnType<typeof createAuthorizerHandler>;

const ADMIN = { principalId: 'admin:t1', kind: 'admin', tokenId: 't1' };

const admin = (method: string, path: string, body?: unknown): Promise<InvokeResult> =>
  invoke(adminHandler, method, `/admin${path}`, body, { authorizer: ADMIN, headers: { 'Content-Type': 'application/json' } });

const tokenRequest = (appId: string, body: string, headers: Record<string, string> = {}): Promise<InvokeResult> =>
  invoke(tokenHandler, 'POST', `/apps/${appId}/oauth/token`, undefined, { rawBody: body, headers: { ...FORM, ...headers } });

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

const newApp = async (name: string) => createApplications(appStoreDeps(rt)).create({ name: `${name} ${Math.random().toString(36).slice(2, 8)}` }, API_URL);

const newClient = async (appId: string) => {
  const created = await admin('POST', `/apps/${appId}/oauth-clients`, { description: 'Entra ID' });
  expect(created.status).toBe(201);
  return created.body as { clientId: string; clientSecret: string; secretId: string; tokenEndpoint: string; tenantUrl: string };
};

const tokenFor = async (appId: string, clientId: string, clientSecret: string): Promise<string> => {
  const answer = await tokenRequest(appId, form({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }));
  expect(answer.status).toBe(200);
  return answer.body.access_token as string;
};

/** The authorizer's decision on GET /Users of `appId`: its Allow, or the refusal's message. */
const authorizeOn = async (appId: string, bearer: string): Promise<APIGatewayAuthorizerResult | string> => {
  try {
    return await authorize({ type: 'TOKEN', authorizationToken: `Bearer ${bearer}`, methodArn: `${PREFIX}/GET/apps/${appId}/scim/v2/Users` });
  } catch (error) {
    return (error as Error).message;
  }
};

const refusalReasons = async (appId: string): Promise<string[]> => {
  const scan = await rt.dynamo.send(
    new ScanCommand({
      TableName: tables.tableName,
      FilterExpression: '#t = :t AND appId = :a',
      ExpressionAttributeNames: { '#t': 'type' },
      ExpressionAttributeValues: { ':t': 'AuthRefusal', ':a': appId },
    }),
  );
  return (scan.Items ?? []).map((i) => String(i.reason)).sort();
};

beforeAll(async () => {
  tables = await createTestTables('oauth');
  dir = await mkdtemp(join(tmpdir(), 'scgw-oauth-'));
  SETTINGS = { SCIM_SECRET_STORE: 'file', SCIM_SECRET_FILE: join(dir, 'secrets.json'), SCIM_SECRET_PREFIX: 'scgw-test', SCIM_AUTH_CACHE_SECONDS: '0' };
  rt = testRuntime(tables, SETTINGS);
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  entraKey = { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: 'entra-fixture-1', alg: 'RS256', use: 'sig' } };
  tokenHandler = createTokenHandler(rt) as unknown as Handler;
  adminHandler = createOAuthClientsHandler(rt);
  usersHandler = createUsersHandler(rt);
  authorize = createAuthorizerHandler(rt, { fetchEntraKeys: entraKeys });
});

afterAll(async () => {
  await tables.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("Microsoft's validator flow over the real handlers", () => {
  it('form-encoded client_secret_post → token → GET /Users?startIndex=1&count=1 answers 200', async () => {
    const { app } = await newApp('Validator');
    const client = await newClient(app.id);
    expect(client.tokenEndpoint).toBe(`${API_URL}/apps/${app.id}/oauth/token`);
    expect(client.tenantUrl).toBe(`${API_URL}/apps/${app.id}/scim/v2`);

    const answer = await tokenRequest(app.id, form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, scope: 'scim' }));
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope: 'scim' });

    const allowed = await authorizeOn(app.id, answer.body.access_token);
    expect(allowed).toMatchObject({ principalId: `app:${app.id}:oauth:${client.clientId}`, context: { authMethod: 'oauth-client', clientId: client.clientId, appId: app.id } });
    const users = await invoke(usersHandler, 'GET', `/apps/${app.id}/scim/v2/Users?startIndex=1&count=1`, undefined, {
      authorizer: (allowed as APIGatewayAuthorizerResult).context as Record<string, string>,
    });
    expect(users.status).toBe(200);
    expect(users.body).toMatchObject({ totalResults: 0, startIndex: 1 });

    const listed = await admin('GET', `/apps/${app.id}/oauth-clients`);
    expect(listed.body.clients[0]).toMatchObject({ clientId: client.clientId, lastUsed: { at: expect.any(String), sourceIp: '203.0.113.7' } });
    expect(JSON.stringify(listed.body)).not.toContain(client.clientSecret);
  });

  it('client_secret_basic works too, and errors follow RFC 6749 §5.2 (401 invalid_client with WWW-Authenticate)', async () => {
    const { app } = await newApp('Basic');
    const client = await newClient(app.id);
    const basic = await tokenRequest(app.id, 'grant_type=client_credentials', { Authorization: encodeBasicCredentials(client.clientId, client.clientSecret) });
    expect(basic.status).toBe(200);

    // A body API Gateway delivers base64-encoded (isBase64Encoded) is decoded before it is read.
    const event = testEvent('POST', `/apps/${app.id}/oauth/token`, undefined, { rawBody: 'x', headers: FORM });
    const encoded = { ...event, isBase64Encoded: true, body: Buffer.from(form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret })).toString('base64') };
    expect((await (tokenHandler as unknown as (e: typeof event) => Promise<{ statusCode: number }>)(encoded)).statusCode).toBe(200);

    const wrong = await tokenRequest(app.id, form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: `${client.clientSecret.slice(0, -2)}xx` }));
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    expect(wrong.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect((await tokenRequest(app.id, form({ grant_type: 'password' }))).body.error).toBe('unsupported_grant_type');
    expect((await tokenRequest(app.id, form({ client_id: client.clientId }))).body.error).toBe('invalid_request');
    const scope = await tokenRequest(app.id, form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, scope: 'admin' }));
    expect(scope.body.error).toBe('invalid_scope');
    const json = await tokenRequest(app.id, '{}', { 'Content-Type': 'application/json' });
    expect(json.body.error).toBe('invalid_request');
    // The client of another application, at this application's endpoint.
    const other = await newApp('Other');
    const stranger = await tokenRequest(other.app.id, form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }));
    expect(stranger.status).toBe(401);
    expect(await refusalReasons(app.id)).toEqual(['oauth-wrong-secret']);
  });
});

describe('refused tokens: 401 ("Unauthorized"), never a 5xx, never an Allow for another application', () => {
  it('refuses every forged, foreign or stale token', async () => {
    const { app } = await newApp('Refusals');
    const other = await newApp('Refusals other');
    const client = await newClient(app.id);
    const token = await tokenFor(app.id, client.clientId, client.clientSecret);
    const keys = await oauthStoresOf(rt).signingKeys.publishedKeys();
    const kid = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).kid as string;
    const publicJwk = keys!.keys.find((k) => k.kid === kid)!;
    // Tokens our own key signs with the wrong claims: only a verifier that checks them refuses these.
    const set = (await oauthStoresOf(rt).signingKeys.keySet())!;
    const signer = await createAccessTokenSigner(signingKeyOf(set));
    const signedWith = async (over: { audience?: string; issuer?: string }) =>
      (
        await signer.issue({
          issuer: over.issuer ?? API_URL,
          audience: over.audience ?? `${over.issuer ?? API_URL}/apps/${app.id}/scim/v2`,
          clientId: client.clientId,
          secretId: client.secretId,
          lifetimeMinutes: 60,
          now: new Date(),
        })
      ).accessToken;

    const forged = [
      ['another application', await authorizeOn(other.app.id, token)],
      ['tampered signature', await authorizeOn(app.id, tamperedCopyOf(token, { scope: 'scim admin' }))],
      ['alg none', await authorizeOn(app.id, unsecuredCopyOf(token))],
      ['unknown kid', await authorizeOn(app.id, (() => {
        const [h, p, s] = token.split('.');
        const header = { ...JSON.parse(Buffer.from(h, 'base64url').toString()), kid: 'not-a-published-key' };
        return `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${p}.${s}`;
      })())],
      ...(await Promise.all((await hs256WithPublicKey(token, publicJwk)).map(async (t) => ['HS256 with the public key', await authorizeOn(app.id, t)] as const))),
      ['wrong audience (tampered)', await authorizeOn(app.id, tamperedCopyOf(token, { aud: `${API_URL}/apps/${other.app.id}/scim/v2` }))],
      ['wrong audience (validly signed)', await authorizeOn(app.id, await signedWith({ audience: `${API_URL}/apps/${other.app.id}/scim/v2` }))],
    ];
    for (const [what, outcome] of forged) expect([what, outcome]).toEqual([what, 'Unauthorized']);
    expect(await refusalReasons(app.id)).toEqual(expect.arrayContaining(['jwt-algorithm', 'jwt-bad-signature', 'jwt-unknown-key', 'jwt-wrong-audience']));
    expect(await refusalReasons(other.app.id)).toEqual(['other-application']);

    // With the public URL pinned (SCIM_API_URL), even a token our own key signed under another issuer is refused.
    const pinned = createAuthorizerHandler(testRuntime(tables, { ...SETTINGS, SCIM_API_URL: API_URL }), { fetchEntraKeys: entraKeys });
    const onPinned = (bearer: string) =>
      pinned({ type: 'TOKEN', authorizationToken: `Bearer ${bearer}`, methodArn: `${PREFIX}/GET/apps/${app.id}/scim/v2/Users` }).then(
        (r) => r.principalId,
        (e: Error) => e.message,
      );
    expect(await onPinned(token)).toBe(`app:${app.id}:oauth:${client.clientId}`);
    expect(await onPinned(await signedWith({ issuer: 'https://elsewhere.example' }))).toBe('Unauthorized');
    expect(await refusalReasons(app.id)).toContain('jwt-wrong-issuer');
  });

  it('refuses an expired token (and one that is not yet valid) once the skew has passed', async () => {
    const { app } = await newApp('Expiry');
    const client = await newClient(app.id);
    const token = await tokenFor(app.id, client.clientId, client.clientSecret);
    const { createAuthorizer } = await import('../../lambdas/handlers/authorizer');
    const { createAuthLookups } = await import('../../lambdas/store/auth-lookups');
    const { createBearerJwtVerifier } = await import('../../lambdas/use-cases/bearer-jwts');
    const { createKeySetCache } = await import('../../lambdas/oauth/key-set-cache');
    const { createRefusalRecorder } = await import('../../lambdas/store/auth-refusals');
    const stores = oauthStoresOf(rt);
    const at = (ms: number) => () => new Date(Date.now() + ms);
    const authorizerAt = (clock: () => Date) =>
      createAuthorizer({
        lookups: createAuthLookups(appStoreDeps(rt), 0),
        // A generous wait: this test counts the recorded refusals, and a loaded machine can take over 300 ms.
        refusals: createRefusalRecorder(rt.dynamo, tables.tableName, { timeoutMs: 10_000 }),
        now: clock,
        jwts: createBearerJwtVerifier({
          ourKeys: createKeySetCache({ fetchKeySet: async () => (await stores.signingKeys.publishedKeys())!, maxAgeSeconds: 0, minRefreshIntervalSeconds: 0 }),
          clientRecord: (a, c) => stores.clients.record(a, c),
          entraAcceptance: (a) => stores.entra.get(a),
        }),
      });
    const methodArn = `${PREFIX}/GET/apps/${app.id}/scim/v2/Users`;
    const run = (clock: () => Date) => authorizerAt(clock)({ type: 'TOKEN', authorizationToken: `Bearer ${token}`, methodArn }).then(() => 'allowed', (e: Error) => e.message);
    expect(await run(at(59 * 60_000))).toBe('allowed');
    expect(await run(at(62 * 60_000))).toBe('Unauthorized');
    expect(await run(at(-2 * 60_000))).toBe('Unauthorized');
    expect(await refusalReasons(app.id)).toEqual(['jwt-expired', 'jwt-not-yet-valid']);
  });
});

describe('rotation and revocation', () => {
  it('two live secrets both issue tokens; a revoked secret is invalid_client and its tokens stop; a revoked client stops', async () => {
    const { app } = await newApp('Rotation');
    const client = await newClient(app.id);
    const second = await admin('POST', `/apps/${app.id}/oauth-clients/${client.clientId}/secrets`, {});
    expect(second.status).toBe(201);
    const third = await admin('POST', `/apps/${app.id}/oauth-clients/${client.clientId}/secrets`, {});
    expect(third.status).toBe(409);

    const oldToken = await tokenFor(app.id, client.clientId, client.clientSecret);
    const newToken = await tokenFor(app.id, client.clientId, second.body.clientSecret);
    expect(await authorizeOn(app.id, oldToken)).toHaveProperty('principalId');

    expect((await admin('DELETE', `/apps/${app.id}/oauth-clients/${client.clientId}/secrets/${client.secretId}`)).status).toBe(204);
    const refused = await tokenRequest(app.id, form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }));
    expect([refused.status, refused.body.error]).toEqual([401, 'invalid_client']);
    expect(await authorizeOn(app.id, oldToken)).toBe('Unauthorized');
    expect(await authorizeOn(app.id, newToken)).toHaveProperty('principalId');

    expect((await admin('DELETE', `/apps/${app.id}/oauth-clients/${client.clientId}`)).status).toBe(204);
    expect(await authorizeOn(app.id, newToken)).toBe('Unauthorized');
    expect((await admin('GET', `/apps/${app.id}/oauth-clients/${client.clientId}`)).body).toMatchObject({ revokedAt: expect.any(String), secrets: [] });
    expect(await refusalReasons(app.id)).toEqual(['oauth-client-revoked', 'oauth-secret-revoked']);
  });

  it('key rotation refuses no request: tokens of the old key still pass, and new ones are signed with the pre-published key', async () => {
    const { app } = await newApp('Key rotation');
    const client = await newClient(app.id);
    const before = await tokenFor(app.id, client.clientId, client.clientSecret);
    const keyring = createSigningKeyring(oauthStoresOf(rt).signingKeys, 0);
    const published = (await oauthStoresOf(rt).signingKeys.publishedKeys())!.keys.map((k) => k.kid);
    const rotated = await keyring.rotate(new Date(), { publishLeadSeconds: 0, previousRetentionSeconds: 0 });
    // What now signs was published before the rotation.
    expect(published).toContain(rotated.current);
    const after = await tokenFor(app.id, client.clientId, client.clientSecret);
    const kidOf = (t: string) => JSON.parse(Buffer.from(t.split('.')[0], 'base64url').toString()).kid;
    expect(kidOf(after)).toBe(rotated.current);
    expect(kidOf(before)).toBe(rotated.previous);
    expect(await authorizeOn(app.id, before)).toHaveProperty('principalId');
    expect(await authorizeOn(app.id, after)).toHaveProperty('principalId');
  });
});

describe('deleting an application', () => {
  it('deletes its OAuth clients, their secret hashes and its Entra setting, and its tokens stop', async () => {
    const { app } = await newApp('Deleted');
    const client = await newClient(app.id);
    const token = await tokenFor(app.id, client.clientId, client.clientSecret);
    await admin('PUT', `/apps/${app.id}/entra`, { tenantIds: [TENANT] });
    const secretName = `scgw-test/apps/${app.id}/oauth-clients`;
    expect(Object.keys(JSON.parse(await readFile(join(dir, 'secrets.json'), 'utf8')))).toContain(secretName);

    const deleted = await invoke(createAdminHandler(rt), 'DELETE', `/admin/apps/${app.id}`, undefined, { authorizer: ADMIN });
    expect(deleted.status).toBe(204);
    expect(Object.keys(JSON.parse(await readFile(join(dir, 'secrets.json'), 'utf8')))).not.toContain(secretName);
    expect(await oauthStoresOf(rt).clients.record(app.id, client.clientId)).toBeUndefined();
    expect(await oauthStoresOf(rt).entra.get(app.id)).toBeUndefined();
    expect(await authorizeOn(app.id, token)).toBe('Unauthorized');
  });
});

describe('Entra-issued JWTs (the blank-Secret-Token mode)', () => {
  const entraToken = (claims: Record<string, unknown>, kid = 'entra-fixture-1') =>
    new SignJWT({ iss: `https://sts.windows.net/${TENANT}/`, aud: ENTRA_PROVISIONING_AUDIENCE, tid: TENANT, appid: '00000014-0000-0000-c000-000000000000', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(entraKey.privateKey);

  it('accepts them only on an application that names the tenant, and says so in the context', async () => {
    const { app } = await newApp('Entra');
    const token = await entraToken({});
    expect(await authorizeOn(app.id, token)).toBe('Unauthorized');
    const set = await admin('PUT', `/apps/${app.id}/entra`, { tenantIds: [TENANT.toUpperCase()] });
    expect(set.body).toEqual({ tenantIds: [TENANT] });
    expect(await authorizeOn(app.id, token)).toMatchObject({ context: { authMethod: 'entra', tenantId: TENANT, appId: app.id } });
    expect(await authorizeOn(app.id, await entraToken({ aud: 'api://something-else' }))).toBe('Unauthorized');
    expect(await authorizeOn(app.id, await entraToken({}, 'rolled-over-kid'))).toBe('Unauthorized');
    expect((await admin('PUT', `/apps/${app.id}/entra`, { tenantIds: ['not-a-guid'] })).status).toBe(400);
    expect(await refusalReasons(app.id)).toEqual(['entra-not-accepted', 'jwt-unknown-key', 'jwt-wrong-audience']);
  });

  it("a request on an Entra token is stamped with the tenant, which the report row shows", async () => {
    const { app } = await newApp('Entra stamp');
    await admin('PUT', `/apps/${app.id}/entra`, { tenantIds: [TENANT] });
    const allowed = (await authorizeOn(app.id, await entraToken({}))) as APIGatewayAuthorizerResult;
    const created = await invoke(usersHandler, 'POST', `/apps/${app.id}/scim/v2/Users`, { userName: 'entra.stamp@contoso.com' }, {
      authorizer: allowed.context as Record<string, string>,
      headers: { 'Content-Type': 'application/scim+json' },
    });
    expect(created.status).toBe(201);
    // The stamp is what the stream carries to the report row (reports/events.ts storedStampOf).
    const scan = await rt.dynamo.send(
      new ScanCommand({ TableName: tables.tableName, FilterExpression: '#t = :t AND appId = :a', ExpressionAttributeNames: { '#t': 'type' }, ExpressionAttributeValues: { ':t': 'User', ':a': app.id } }),
    );
    expect(scan.Items?.map((item) => item.lastRequest?.authenticatedBy)).toEqual([`Entra tenant ${TENANT}`]);
  });
});
