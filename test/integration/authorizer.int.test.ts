/**
 * The authorizer over the real stores: DynamoDB Local for application items, the file secret
 * store for token hashes (what the local gateway runs), driven through the application use cases.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { bootstrapToken } from '../../lambdas/domain/secret-tokens';
import { createAuthorizer } from '../../lambdas/handlers/authorizer';
import { appStoreDeps } from '../../lambdas/shared/app-stores';
import type { Runtime } from '../../lambdas/shared/runtime';
import { createAppStore } from '../../lambdas/store/application-items';
import { createAuthLookups } from '../../lambdas/store/auth-lookups';
import { createFileSecretStore } from '../../lambdas/store/secret-stores';
import { createTokenVault } from '../../lambdas/store/token-vault';
import { createApplications, type Applications } from '../../lambdas/use-cases/applications';
import { testRuntime } from '../helpers/runtime';
import { createTestTables, type TestTables } from '../helpers/tables';

const PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod';
const API_URL = 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod';
const BOOTSTRAP = 'Q2hhbmdlTWVBZnRlckZpcnN0VXNlMDEyMzQ1Njc4OQ';

let tables: TestTables;
let dir: string;
let config: Runtime;
let applications: Applications;

const event = (token: string, path: string, method = 'GET'): APIGatewayTokenAuthorizerEvent => ({
  type: 'TOKEN',
  authorizationToken: `Bearer ${token}`,
  methodArn: `${PREFIX}/${method}/${path}`,
});
const scimPath = (appId: string) => `apps/${appId}/scim/v2/Users`;

const authorizer = (ttlSeconds = 0, now?: () => Date) =>
  createAuthorizer({ lookups: createAuthLookups(appStoreDeps(config), ttlSeconds), now });

const covers = (result: APIGatewayAuthorizerResult, arn: string) =>
  result.policyDocument.Statement.some((s) =>
    ((s as { Resource: string[] }).Resource ?? []).some((r) =>
      new RegExp(`^${r.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(arn),
    ),
  );

/** true: allowed on the app's Users; false: refused with exactly "Unauthorized". */
const works = async (authorize: ReturnType<typeof authorizer>, token: string, appId: string): Promise<boolean> => {
  try {
    return covers(await authorize(event(token, scimPath(appId))), `${PREFIX}/GET/${scimPath(appId)}`);
  } catch (error) {
    if ((error as Error).message === 'Unauthorized') return false;
    throw error;
  }
};

const name = (base: string) => `${base} ${Math.random().toString(36).slice(2, 8)}`;

const configFor = (file: string): Runtime =>
  testRuntime(tables, { SCIM_SECRET_STORE: 'file', SCIM_SECRET_FILE: file, SCIM_SECRET_PREFIX: 'scgw-test', SCIM_AUTH_CACHE_SECONDS: '0' });

beforeAll(async () => {
  tables = await createTestTables('authz');
  dir = await mkdtemp(join(tmpdir(), 'scgw-authz-'));
  const file = join(dir, 'secrets.json');
  await writeFile(file, JSON.stringify({ 'scgw-test/admin': JSON.stringify({ bootstrap: BOOTSTRAP }) }));
  config = configFor(file);
  applications = createApplications(appStoreDeps(config));
});

afterAll(async () => {
  jest.useRealTimers();
  await tables.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('authorizer over DynamoDB Local and the file secret store', () => {
  it("scopes an application token to its own application's paths", async () => {
    const a = await applications.create({ name: name('A') }, API_URL);
    const b = await applications.create({ name: name('B') }, API_URL);
    const result = await authorizer()(event(a.secretToken, scimPath(a.app.id)));
    expect(result.policyDocument.Statement[0]).toEqual({
      Action: 'execute-api:Invoke',
      Effect: 'Allow',
      Resource: [`${PREFIX}/*/apps/${a.app.id}/scim/*`],
    });
    expect(covers(result, `${PREFIX}/DELETE/apps/${a.app.id}/scim/v2/Groups/g1`)).toBe(true);
    expect(covers(result, `${PREFIX}/GET/${scimPath(b.app.id)}`)).toBe(false);
    expect(covers(result, `${PREFIX}/GET/admin/apps`)).toBe(false);
    expect(result.context).toMatchObject({ kind: 'app', appId: a.app.id, appName: a.app.name, requiredAttributes: '["userName"]' });
  });

  it('accepts the bootstrap admin token and scopes admin tokens to /admin', async () => {
    const result = await authorizer()(event(bootstrapToken(BOOTSTRAP), 'admin/apps'));
    expect(result).toMatchObject({ principalId: 'admin:boot', context: { kind: 'admin', tokenId: 'boot' } });
    expect(covers(result, `${PREFIX}/POST/admin/apps/x/tokens`)).toBe(true);
    expect(covers(result, `${PREFIX}/GET/admin`)).toBe(true);
    expect(covers(result, `${PREFIX}/GET/apps/abcdefghij12/scim/v2/Users`)).toBe(false);
    await expect(authorizer()(event(bootstrapToken(BOOTSTRAP.slice(1) + 'x'), 'admin/apps'))).rejects.toThrow(/^Unauthorized$/);
  });

  it('ensureAdminToken does nothing while a live admin token (here the bootstrap one) exists', async () => {
    await expect(applications.ensureAdminToken()).resolves.toEqual({ tokenId: 'boot', created: false });
  });

  it('ensureAdminToken creates one admin token on a fresh store, shows it once, and the authorizer accepts it', async () => {
    const fresh = createApplications(appStoreDeps(configFor(join(dir, 'fresh.json'))));
    const first = await fresh.ensureAdminToken();
    expect(first).toEqual({ token: expect.stringMatching(/^scgw_admin_[a-z0-9]{8}_/), tokenId: expect.any(String), created: true });
    await expect(fresh.ensureAdminToken()).resolves.toEqual({ tokenId: first.tokenId, created: false });
    const authorize = createAuthorizer({ lookups: createAuthLookups(appStoreDeps(configFor(join(dir, 'fresh.json'))), 0) });
    await expect(authorize(event(first.token!, 'admin/apps'))).resolves.toMatchObject({ principalId: `admin:${first.tokenId}` });
  });

  it('refuses a revoked token on the very next call when the cache is off', async () => {
    const app = await applications.create({ name: name('Revoked') }, API_URL);
    const authorize = authorizer(0);
    expect(await works(authorize, app.secretToken, app.app.id)).toBe(true);
    await applications.revokeToken(app.app.id, app.tokenId);
    expect(await works(authorize, app.secretToken, app.app.id)).toBe(false);
  });

  it('rotation leaves no moment in which neither token works', async () => {
    const app = await applications.create({ name: name('Rotation') }, API_URL);
    const authorize = authorizer(0);
    const old = app.secretToken;
    const workingAfterEachStep: boolean[][] = [];
    const record = async (tokens: string[]) => workingAfterEachStep.push(await Promise.all(tokens.map((t) => works(authorize, t, app.app.id))));

    await record([old]);
    const next = await applications.createToken(app.app.id);
    await record([old, next.secretToken]);
    await applications.revokeToken(app.app.id, app.tokenId);
    await record([old, next.secretToken]);

    expect(workingAfterEachStep).toEqual([[true], [true, true], [false, true]]);
    expect(workingAfterEachStep.every((step) => step.includes(true))).toBe(true);
  });

  it('refuses a token revoked by this process on the very next request, with the cache on (the local gateway)', async () => {
    const app = await applications.create({ name: name('Same process') }, API_URL);
    const authorize = authorizer(60);
    expect(await works(authorize, app.secretToken, app.app.id)).toBe(true);
    await applications.revokeToken(app.app.id, app.tokenId);
    expect(await works(authorize, app.secretToken, app.app.id)).toBe(false);
  });

  it('keeps accepting a token revoked by another container only until the cache TTL has passed (deployed)', async () => {
    // The admin API's own container: its writes do not reach this process's cache.
    const elsewhere = createApplications({
      apps: createAppStore(config.dynamo, config.config.SCIM_TABLE_NAME),
      vault: createTokenVault(createFileSecretStore(config.config.SCIM_SECRET_FILE!), config.config.SCIM_SECRET_PREFIX),
    });
    const app = await elsewhere.create({ name: name('Cached') }, API_URL);
    jest.useFakeTimers({ doNotFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'] });
    try {
      jest.setSystemTime(new Date('2026-06-01T12:00:00Z'));
      const authorize = authorizer(60);
      expect(await works(authorize, app.secretToken, app.app.id)).toBe(true);
      await elsewhere.revokeToken(app.app.id, app.tokenId);
      jest.setSystemTime(new Date('2026-06-01T12:00:59Z'));
      expect(await works(authorize, app.secretToken, app.app.id)).toBe(true);
      jest.setSystemTime(new Date('2026-06-01T12:01:01Z'));
      expect(await works(authorize, app.secretToken, app.app.id)).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses a token after its expiry', async () => {
    const app = await applications.create({ name: name('Expiring') }, API_URL);
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const token = await applications.createToken(app.app.id, { expiresAt });
    expect(await works(authorizer(0), token.secretToken, app.app.id)).toBe(true);
    const later = authorizer(0, () => new Date(Date.parse(expiresAt) + 1000));
    expect(await works(later, token.secretToken, app.app.id)).toBe(false);
    // The token without expiry still works at that time.
    expect(await works(later, app.secretToken, app.app.id)).toBe(true);
  });

  it('does not count an expired token as live: a new one can be created in its place', async () => {
    let clock = new Date();
    const timed = createApplications({ ...appStoreDeps(config), now: () => clock });
    const app = await timed.create({ name: name('Slots') }, API_URL);
    await timed.createToken(app.app.id, { expiresAt: new Date(clock.getTime() + 60_000).toISOString() });
    await expect(timed.createToken(app.app.id)).rejects.toMatchObject({ status: 409 });
    clock = new Date(clock.getTime() + 120_000);
    await expect(timed.createToken(app.app.id)).resolves.toHaveProperty('secretToken');
    expect((await timed.get(app.app.id)).tokens).toHaveLength(2);
  });

  it('refuses the token of a deleted application', async () => {
    const app = await applications.create({ name: name('Deleted') }, API_URL);
    await applications.remove(app.app.id);
    expect(await works(authorizer(0), app.secretToken, app.app.id)).toBe(false);
  });

  it('fails closed, with a non-Unauthorized error, when the secret file is corrupt', async () => {
    const app = await applications.create({ name: name('Corrupt') }, API_URL);
    await writeFile(join(dir, 'broken.json'), '{"scgw-test/apps/');
    const authorize = createAuthorizer({ lookups: createAuthLookups(appStoreDeps(configFor(join(dir, 'broken.json'))), 0) });
    const outcome = authorize(event(app.secretToken, scimPath(app.app.id)));
    await expect(outcome).rejects.toThrow(/^Could not read application token hashes/);
  });
});
