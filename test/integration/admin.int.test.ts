/**
 * The admin API end to end on DynamoDB Local and the file secret store: the real admin handler
 * invoked with API Gateway REST proxy events, its tokens checked by the real authorizer (cache off,
 * as in the local gateway).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayTokenAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { createAdminHandler } from '../../lambdas/handlers/admin';
import { createAuthorizerHandler } from '../../lambdas/handlers/authorizer';
import { appStoreDeps } from '../../lambdas/shared/app-stores';
import { ROUTES } from '../../lambdas/shared/routes';
import type { Runtime } from '../../lambdas/shared/runtime';
import { createApplications } from '../../lambdas/use-cases/applications';
import { keys, UniqueKind } from '../../lambdas/store/keys';
import { testEvent } from '../helpers/invoke';
import { testRuntime } from '../helpers/runtime';
import { createTestTables, type TestTables } from '../helpers/tables';

const HOST = 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com';
const API_URL = `https://${HOST}/prod`;
const PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod';

type AdminHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type Authorize = (event: APIGatewayTokenAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

let tables: TestTables;
let dir: string;
let adminHandler: AdminHandler;
let authorize: Authorize;
let adminToken: string;
let adminContext: Record<string, unknown>;
const doc = () => DynamoDBDocumentClient.from(tables.client);

const lambdaContext = (): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'scim-gateway-admin',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:scim-gateway-admin',
  memoryLimitInMB: '512',
  awsRequestId: `req-${Math.random().toString(36).slice(2)}`,
  logGroupName: '/aws/lambda/scim-gateway-admin',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 29_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** What API Gateway hands the integration after a Lambda authorizer allowed the call. */
const authorizerContextOf = (result: APIGatewayAuthorizerResult) => ({
  ...Object.fromEntries(Object.entries(result.context ?? {}).map(([k, v]) => [k, String(v)])),
  principalId: result.principalId,
  integrationLatency: 3,
});

const methodArn = (method: string, path: string) => `${PREFIX}/${method}/${path.replace(/^\//, '')}`;
const tokenEvent = (token: string, method: string, path: string): APIGatewayTokenAuthorizerEvent => ({
  type: 'TOKEN',
  authorizationToken: `Bearer ${token}`,
  methodArn: methodArn(method, path),
});

/** IAM's wildcard matching of a method ARN against a policy's resources, as API Gateway applies it. */
const allows = (result: APIGatewayAuthorizerResult, arn: string): boolean =>
  result.policyDocument.Statement.some((s) => {
    const statement = s as { Effect: string; Resource: string | string[] };
    const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
    return (
      statement.Effect === 'Allow' &&
      resources.some((r) => new RegExp(`^${r.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(arn))
    );
  });

/** Whether `token` would get through API Gateway to GET /apps/<appId>/scim/v2/Users. */
const reaches = async (token: string, appId: string): Promise<boolean> => {
  const path = `/apps/${appId}/scim/v2/Users`;
  try {
    return allows(await authorize(tokenEvent(token, 'GET', path)), methodArn('GET', path));
  } catch (error) {
    if ((error as Error).message === 'Unauthorized') return false;
    throw error;
  }
};

interface CallOptions {
  params?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  query?: Record<string, string>;
  authorizer?: Record<string, unknown> | null;
}

/** Invokes the admin handler the way API Gateway does for the route that serves `operation`. */
const call = async (operation: string, options: CallOptions = {}) => {
  const route = ROUTES.find((r) => r.operation === operation && r.handler === 'admin')!;
  const params = options.params ?? {};
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]));
  const query = options.query
    ? `?${Object.entries(options.query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`
    : '';
  const event = testEvent(route.method, `${path}${query}`, options.body, {
    rawBody: options.rawBody,
    headers: {
      Host: HOST,
      Authorization: `Bearer ${adminToken}`,
      'User-Agent': 'scim-gateway-cli/0.1',
      ...(options.rawBody === undefined && options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    authorizer: (options.authorizer === undefined ? adminContext : options.authorizer) as Record<string, string> | null,
    requestId: `r-${Math.random().toString(36).slice(2)}`,
  });
  const result = await adminHandler(event, lambdaContext());
  return {
    status: result.statusCode,
    headers: result.headers ?? {},
    body: result.body ? JSON.parse(result.body) : undefined,
  };
};

/** The admin API and the authorizer over this suite's tables and a secret file, logging at `logLevel`. */
const runtimeAt = (logLevel = 'SILENT'): Runtime =>
  testRuntime(tables, { SCIM_SECRET_STORE: 'file', SCIM_SECRET_FILE: join(dir, 'secrets.json'), SCIM_AUTH_CACHE_SECONDS: '0', SCIM_LOG_LEVEL: logLevel });
const buildHandlers = (rt: Runtime) => ({ adminHandler: createAdminHandler(rt) as AdminHandler, authorize: createAuthorizerHandler(rt) as Authorize });

const createApp = async (name: string, extra: Record<string, unknown> = {}) => {
  const res = await call('createApp', { body: { name, ...extra } });
  expect(res.status).toBe(201);
  return res.body as { id: string; name: string; tenantUrl: string; secretToken: string; tokenId: string; requiredAttributes: string[] };
};

const uniqueName = (base: string) => `${base} ${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  tables = await createTestTables('admin');
  dir = await mkdtemp(join(tmpdir(), 'scgw-admin-'));
  const rt = runtimeAt();
  ({ adminHandler, authorize } = buildHandlers(rt));
  const ensured = await createApplications(appStoreDeps(rt)).ensureAdminToken();
  adminToken = ensured.token!;
  adminContext = authorizerContextOf(await authorize(tokenEvent(adminToken, 'GET', '/admin/apps')));
});

afterAll(async () => {
  await tables.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('admin API', () => {
  describe('applications', () => {
    it('POST /admin/apps → 201 with the Tenant URL and a Secret Token the authorizer accepts for that app', async () => {
      const res = await call('createApp', { body: { name: 'Entra ID – Contoso', requiredAttributes: ['name.givenName'] } });
      expect(res.status).toBe(201);
      expect(res.headers['Content-Type']).toBe('application/json');
      expect(res.headers['Cache-Control']).toBe('no-store');
      const app = res.body;
      expect(app).toEqual({
        id: expect.stringMatching(/^[a-z0-9]{12}$/),
        name: 'Entra ID – Contoso',
        tenantUrl: `${API_URL}/apps/${app.id}/scim/v2`,
        secretToken: expect.stringMatching(new RegExp(`^scgw_${app.id}_${app.tokenId}_[A-Za-z0-9_-]{43}$`)),
        tokenId: expect.stringMatching(/^[a-z0-9]{8}$/),
        requiredAttributes: ['userName', 'name.givenName'],
        created: expect.any(String),
      });

      const result = await authorize(tokenEvent(app.secretToken, 'GET', `/apps/${app.id}/scim/v2/Users`));
      expect(result.principalId).toBe(`app:${app.id}:${app.tokenId}`);
      expect(result.policyDocument.Statement).toEqual([
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${PREFIX}/*/apps/${app.id}/scim/*`] },
      ]);
      expect(result.context).toEqual({
        kind: 'app',
        appId: app.id,
        appName: 'Entra ID – Contoso',
        authMethod: 'secret-token',
        tokenId: app.tokenId,
        requiredAttributes: '["userName","name.givenName"]',
        accessDenied: 'the Secret Token belongs to another application: use the Tenant URL and Secret Token of the same application',
      });
    });

    it("a token of app A is allowed on A's paths and not on app B's, nor on /admin", async () => {
      const a = await createApp(uniqueName('A'));
      const b = await createApp(uniqueName('B'));
      // The policy is cached per token by API Gateway: it must cover A's other paths and nothing of B.
      const policy = await authorize(tokenEvent(a.secretToken, 'GET', `/apps/${a.id}/scim/v2/Users`));
      expect(allows(policy, methodArn('POST', `/apps/${a.id}/scim/v2/Groups`))).toBe(true);
      expect(allows(policy, methodArn('GET', `/apps/${b.id}/scim/v2/Users`))).toBe(false);
      expect(allows(policy, methodArn('GET', `/apps/${b.id}/scim/v2/Users/123`))).toBe(false);
      expect(allows(policy, methodArn('GET', '/admin/apps'))).toBe(false);
      // Asked directly for B's URL, the authorizer still answers with A's scope only (→ 403 at the gateway).
      const onB = await authorize(tokenEvent(a.secretToken, 'GET', `/apps/${b.id}/scim/v2/Users`));
      expect(allows(onB, methodArn('GET', `/apps/${b.id}/scim/v2/Users`))).toBe(false);
      expect(await reaches(b.secretToken, b.id)).toBe(true);
    });

    it('GET /admin/apps lists applications with token metadata and never a secret', async () => {
      const app = await createApp(uniqueName('Listed'));
      const res = await call('listApps');
      expect(res.status).toBe(200);
      const listed = res.body.apps.find((a: { id: string }) => a.id === app.id);
      expect(listed).toEqual({
        id: app.id,
        name: app.name,
        tenantUrl: app.tenantUrl,
        requiredAttributes: ['userName'],
        created: expect.any(String),
        lastModified: expect.any(String),
        tokens: [{ id: app.tokenId, created: expect.any(String) }],
      });
      expect(JSON.stringify(res.body)).not.toContain('scgw_');
      expect(JSON.stringify(res.body)).not.toContain('hash');
    });

    it('GET /admin/apps/{appId} → 200, and 404 for an unknown or malformed id', async () => {
      const app = await createApp(uniqueName('Get'));
      expect((await call('getApp', { params: { appId: app.id } })).body).toMatchObject({ id: app.id, name: app.name });
      expect((await call('getApp', { params: { appId: 'zzzzzzzzzzzz' } })).status).toBe(404);
      expect((await call('getApp', { params: { appId: '../admin' } })).status).toBe(404);
    });

    it('PATCH /admin/apps/{appId} changes name and required attributes, and the authorizer context follows', async () => {
      const app = await createApp(uniqueName('Old'));
      const name = uniqueName('New');
      const res = await call('updateApp', {
        params: { appId: app.id },
        body: { name, requiredAttributes: ['emails[type eq "work"].value', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber'] },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        name,
        requiredAttributes: ['userName', 'emails[type eq "work"].value', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber'],
      });
      const result = await authorize(tokenEvent(app.secretToken, 'GET', `/apps/${app.id}/scim/v2/Users`));
      expect(result.context).toMatchObject({ appName: name });
      // The old name is free again.
      await createApp(app.name);
    });

    it('PATCH keeps fields it does not own (extensionAttributes)', async () => {
      const app = await createApp(uniqueName('Ext'));
      await doc().send(
        new PutCommand({
          TableName: tables.tableName,
          Item: {
            ...(await doc().send(new ScanCommand({ TableName: tables.tableName, FilterExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.app(app.id).pk } }))).Items![0],
            extensionAttributes: new Set(['urn:x:costCenter']),
          },
        }),
      );
      await call('updateApp', { params: { appId: app.id }, body: { requiredAttributes: ['displayName'] } });
      const items = await doc().send(
        new ScanCommand({ TableName: tables.tableName, FilterExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.app(app.id).pk } }),
      );
      expect(items.Items![0].extensionAttributes).toEqual(new Set(['urn:x:costCenter']));
    });

    it('POST /admin/apps with a taken name, in any case → 409 uniqueness; PATCH to a taken name → 409', async () => {
      const name = uniqueName('Taken');
      await createApp(name);
      const again = await call('createApp', { body: { name: name.toUpperCase() } });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ scimType: 'uniqueness', detail: expect.stringContaining('already exists') });
      const other = await createApp(uniqueName('Other'));
      expect((await call('updateApp', { params: { appId: other.id }, body: { name: ` ${name} ` } })).status).toBe(409);
    });

    it.each([
      ['no body', undefined, /must be a JSON object/],
      ['an array', [], /must be a JSON object/],
      ['no name', {}, /name: /],
      ['an empty name', { name: '   ' }, /name: must not be empty/],
      ['an unknown key', { name: 'x', colour: 'red' }, /Unrecognized key.*colour/],
      ['a number for requiredAttributes', { name: 'x', requiredAttributes: 5 }, /requiredAttributes: /],
      ['an empty attribute path', { name: 'x', requiredAttributes: [''] }, /requiredAttributes\[0\]: must not be empty/],
      ['a malformed attribute path', { name: 'x', requiredAttributes: ['name..given'] }, /requiredAttributes\[0\]: "name\.\.given" does not name a User attribute/],
      ['51 attribute paths', { name: 'x', requiredAttributes: Array.from({ length: 51 }, (_, i) => `a${i}`) }, /at most 50/],
    ])('POST /admin/apps with %s → 400 invalidValue with a readable detail', async (_what, body, detail) => {
      const res = await call('createApp', { body });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: '400', scimType: 'invalidValue', detail: expect.stringMatching(detail) });
    });

    it('POST /admin/apps with a body that is not JSON → 400 invalidSyntax', async () => {
      const res = await call('createApp', { rawBody: '{"name":' });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ scimType: 'invalidSyntax' });
    });

    it('PATCH /admin/apps/{appId} with nothing to change → 400', async () => {
      const app = await createApp(uniqueName('Patch'));
      const res = await call('updateApp', { params: { appId: app.id }, body: {} });
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(/give "name" or "requiredAttributes"/);
    });

    it('every operation with an application token as caller → 403', async () => {
      const app = await createApp(uniqueName('Caller'));
      const appCaller = authorizerContextOf(await authorize(tokenEvent(app.secretToken, 'GET', `/apps/${app.id}/scim/v2/Users`)));
      for (const operation of ['listApps', 'createApp', 'getApp', 'updateApp', 'deleteApp', 'createToken', 'revokeToken']) {
        const res = await call(operation, {
          params: { appId: app.id, tokenId: app.tokenId },
          body: operation === 'createApp' ? { name: 'x' } : undefined,
          authorizer: appCaller,
        });
        expect([operation, res.status]).toEqual([operation, 403]);
      }
      expect((await call('listApps', { authorizer: null })).status).toBe(403);
      expect(await reaches(app.secretToken, app.id)).toBe(true);
    });
  });

  describe('tokens', () => {
    it('DELETE /admin/apps/{appId}/tokens/{tokenId} → 204, and the token is refused at once', async () => {
      const app = await createApp(uniqueName('Revoke'));
      expect(await reaches(app.secretToken, app.id)).toBe(true);
      const res = await call('revokeToken', { params: { appId: app.id, tokenId: app.tokenId } });
      expect(res.status).toBe(204);
      await expect(authorize(tokenEvent(app.secretToken, 'GET', `/apps/${app.id}/scim/v2/Users`))).rejects.toThrow(/^Unauthorized$/);
      expect((await call('getApp', { params: { appId: app.id } })).body.tokens).toEqual([]);
    });

    it('rotation: a second token works alongside the first, and revoking the first leaves the second working', async () => {
      const app = await createApp(uniqueName('Rotate'));
      const created = await call('createToken', { params: { appId: app.id } });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        tokenId: expect.stringMatching(/^[a-z0-9]{8}$/),
        secretToken: expect.stringMatching(new RegExp(`^scgw_${app.id}_`)),
      });
      const second = created.body.secretToken as string;
      expect([await reaches(app.secretToken, app.id), await reaches(second, app.id)]).toEqual([true, true]);
      expect((await call('revokeToken', { params: { appId: app.id, tokenId: app.tokenId } })).status).toBe(204);
      expect([await reaches(app.secretToken, app.id), await reaches(second, app.id)]).toEqual([false, true]);
      expect((await call('getApp', { params: { appId: app.id } })).body.tokens).toEqual([
        { id: created.body.tokenId, created: expect.any(String) },
      ]);
    });

    it('POST /admin/apps/{appId}/tokens for a third live token → 409 naming the two live ones', async () => {
      const app = await createApp(uniqueName('Three'));
      const second = await call('createToken', { params: { appId: app.id } });
      const third = await call('createToken', { params: { appId: app.id } });
      expect(third.status).toBe(409);
      expect(third.body.detail).toContain('already has 2 live tokens');
      expect(third.body.detail).toContain(app.tokenId);
      expect(third.body.detail).toContain(second.body.tokenId);
      // The refused attempt released its lease: a revoke followed by a create still works.
      expect((await call('revokeToken', { params: { appId: app.id, tokenId: app.tokenId } })).status).toBe(204);
      expect((await call('createToken', { params: { appId: app.id } })).status).toBe(201);
    });

    it('POST /admin/apps/{appId}/tokens with an expiry keeps it; a past or malformed expiry → 400', async () => {
      const app = await createApp(uniqueName('Expiry'));
      const later = new Date(Date.now() + 86_400_000).toISOString();
      const res = await call('createToken', { params: { appId: app.id }, body: { expiresAt: later } });
      expect(res.status).toBe(201);
      expect(res.body.expiresAt).toBe(later);
      expect((await call('getApp', { params: { appId: app.id } })).body.tokens).toContainEqual({
        id: res.body.tokenId,
        created: expect.any(String),
        expiresAt: later,
      });
      expect(await reaches(res.body.secretToken, app.id)).toBe(true);
      const past = await call('createToken', { params: { appId: app.id }, body: { expiresAt: '2020-01-01T00:00:00Z' } });
      expect(past.status).toBe(400);
      expect(past.body.detail).toMatch(/expiresAt: must be in the future/);
      const malformed = await call('createToken', { params: { appId: app.id }, body: { expiresAt: 'tomorrow' } });
      expect(malformed.body.detail).toMatch(/expiresAt: must be an ISO 8601 date-time/);
    });

    it('DELETE of an unknown token → 404; tokens of an unknown application → 404', async () => {
      const app = await createApp(uniqueName('Unknown'));
      expect((await call('revokeToken', { params: { appId: app.id, tokenId: 'zzzzzzzz' } })).status).toBe(404);
      expect((await call('revokeToken', { params: { appId: app.id, tokenId: 'nonsense!' } })).status).toBe(404);
      expect((await call('createToken', { params: { appId: 'zzzzzzzzzzzz' } })).status).toBe(404);
      expect(await reaches(app.secretToken, app.id)).toBe(true);
    });
  });

  describe('deleting applications', () => {
    const seed = async (appId: string) => {
      const stamp = { requestId: 'seed', appName: 'seed' };
      const put = (Item: Record<string, unknown>) => doc().send(new PutCommand({ TableName: tables.tableName, Item }));
      await put({ ...keys.user(appId, 'u1'), ...keys.userListEntry(appId, 'u1'), type: 'User', appId, id: 'u1', userName: 'alice', externalId: 'ext-1', active: true, resource: {}, version: 1, created: 'x', lastModified: 'x', lastRequest: stamp });
      await put({ ...keys.unique(appId, UniqueKind.userName, 'alice'), type: 'Unique', appId, ownerId: 'u1' });
      await put({ ...keys.unique(appId, UniqueKind.externalId, 'ext-1'), type: 'Unique', appId, ownerId: 'u1' });
      // A second holder of ext-1, written the way externalIds are kept now (one entry per holder).
      await put({ ...keys.user(appId, 'u2'), ...keys.userListEntry(appId, 'u2'), type: 'User', appId, id: 'u2', userName: 'bob', externalId: 'ext-1', externalIdIndexed: true, active: true, resource: {}, version: 1, created: 'x', lastModified: 'x', lastRequest: stamp });
      await put({ ...keys.unique(appId, UniqueKind.userName, 'bob'), type: 'Unique', appId, ownerId: 'u2' });
      await put({ ...keys.externalIdEntry(appId, 'User', 'ext-1', 'u2'), type: 'ExternalId', appId, holder: 'User', id: 'u2' });
      await put({ ...keys.group(appId, 'g1'), ...keys.groupListEntry(appId, 'g1'), type: 'Group', appId, id: 'g1', displayName: 'Admins', externalId: 'gext-1', externalIdIndexed: true, resource: {}, version: 1, created: 'x', lastModified: 'x', lastRequest: stamp });
      await put({ ...keys.externalIdEntry(appId, 'Group', 'gext-1', 'g1'), type: 'ExternalId', appId, holder: 'Group', id: 'g1' });
      await put({ ...keys.unique(appId, UniqueKind.groupName, 'Admins'), type: 'Unique', appId, ownerId: 'g1' });
      await put({ ...keys.membership(appId, 'g1', 'u1'), type: 'Membership', appId, groupId: 'g1', userId: 'u1', added: 'x', lastRequest: stamp });
    };
    const itemsOf = async (appId: string) =>
      ((await doc().send(new ScanCommand({ TableName: tables.tableName }))).Items ?? []).filter(
        (item) => String(item.pk).startsWith(`APP#${appId}`) || item.appId === appId,
      );

    it('DELETE /admin/apps/{appId} with users → 409 unless ?force=true, which deletes every item of the app', async () => {
      const app = await createApp(uniqueName('Doomed'));
      const bystander = await createApp(uniqueName('Bystander'));
      await seed(app.id);
      await seed(bystander.id);

      const refused = await call('deleteApp', { params: { appId: app.id } });
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toMatch(/still has users or groups/);
      expect(await reaches(app.secretToken, app.id)).toBe(true);

      const forced = await call('deleteApp', { params: { appId: app.id }, query: { force: 'true' } });
      expect(forced.status).toBe(204);
      expect(await itemsOf(app.id)).toEqual([]);
      expect(await reaches(app.secretToken, app.id)).toBe(false);
      expect((await call('getApp', { params: { appId: app.id } })).status).toBe(404);
      const secrets = JSON.parse(await readFile(join(dir, 'secrets.json'), 'utf8'));
      expect(Object.keys(secrets)).not.toContain(`scim-gateway/apps/${app.id}`);
      // Its name is free again, and the other application is untouched.
      await createApp(app.name);
      // Ten seeded items, the application item and its name sentinel.
      expect(await itemsOf(bystander.id)).toHaveLength(12);
      expect(await reaches(bystander.secretToken, bystander.id)).toBe(true);
    });

    it('DELETE /admin/apps/{appId} without users or groups → 204', async () => {
      const app = await createApp(uniqueName('Empty'));
      expect((await call('deleteApp', { params: { appId: app.id } })).status).toBe(204);
      expect(await itemsOf(app.id)).toEqual([]);
      expect((await call('deleteApp', { params: { appId: app.id } })).status).toBe(404);
    });

    it('DELETE /admin/apps/{appId}?force=maybe → 400', async () => {
      const app = await createApp(uniqueName('Maybe'));
      expect((await call('deleteApp', { params: { appId: app.id }, query: { force: 'maybe' } })).status).toBe(400);
    });
  });

  describe('logs', () => {
    it('never contain a token, while tokens are created, used, refused, rotated and revoked', async () => {
      // Handlers of a runtime that logs at DEBUG (the level every invocation starts at).
      const quiet = { adminHandler, authorize };
      ({ adminHandler, authorize } = buildHandlers(runtimeAt('DEBUG')));
      const captured: string[] = [];
      const capture = (stream: NodeJS.WriteStream) =>
        jest.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
          captured.push(String(chunk));
          return true;
        });
      const spies = [capture(process.stdout), capture(process.stderr)];
      const tokens: string[] = [adminToken];
      try {
        const app = await createApp(uniqueName('Logged'));
        tokens.push(app.secretToken);
        expect(await reaches(app.secretToken, app.id)).toBe(true);
        const forged = `${app.secretToken.slice(0, -2)}zz`;
        tokens.push(forged);
        expect(await reaches(forged, app.id)).toBe(false);
        const second = await call('createToken', { params: { appId: app.id } });
        tokens.push(second.body.secretToken);
        expect((await call('createToken', { params: { appId: app.id } })).status).toBe(409);
        expect((await call('revokeToken', { params: { appId: app.id, tokenId: app.tokenId } })).status).toBe(204);
        expect(await reaches(app.secretToken, app.id)).toBe(false);
        expect(await reaches(second.body.secretToken, app.id)).toBe(true);
        await expect(authorize({ type: 'TOKEN', authorizationToken: 'Bearer garbage', methodArn: methodArn('GET', '/admin/apps') })).rejects.toThrow();
      } finally {
        spies.forEach((spy) => spy.mockRestore());
        ({ adminHandler, authorize } = quiet);
        runtimeAt('SILENT'); // building a runtime sets the container's log level: quiet again
      }
      const output = captured.join('');
      // The capture works: the operations above did log.
      expect(output).toContain('token created');
      expect(output).toContain('token refused');
      expect(output).toContain('token revoked');
      for (const token of tokens) {
        expect(output).not.toContain(token);
        expect(output).not.toContain(token.slice(-43));
      }
      expect(output).not.toMatch(/scgw_/);
      expect(output).not.toMatch(/bearer/i);
    });
  });
});
