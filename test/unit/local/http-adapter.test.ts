import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import { createHttpAdapter, type HttpAdapter } from '../../../lib/local/http-adapter';
import { createModuleLoader, type HandlerLoader, type LambdaFunction } from '../../../lib/local/handler-loader';
import type { ProxyEvent } from '../../../lib/local/proxy-event';

const APP_ID = 'a1b2c3d4e5f6';
const STAGE_ARN = 'arn:aws:execute-api:local:000000000000:local/local';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

type AuthorizerDouble = (event: APIGatewayTokenAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;
type HandlerDouble = (event: ProxyEvent, context: Context) => Promise<unknown>;

const appPolicy = (appId: string): APIGatewayAuthorizerResult => ({
  principalId: `app:${appId}:tok1`,
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${STAGE_ARN}/*/apps/${appId}/*`] }] },
  context: { kind: 'app', appId, tokenId: 'tok1', appName: 'Test', requiredAttributes: '["userName"]', retries: 3, active: true },
});

describe('createHttpAdapter', () => {
  let adapter: HttpAdapter;
  let base: string;
  let authorizer: jest.MockedFunction<AuthorizerDouble>;
  let users: jest.MockedFunction<HandlerDouble>;
  const errors: string[] = [];
  const modules: Record<string, unknown> = {};

  const loader: HandlerLoader = async (name) => {
    if (!(name in modules)) throw new Error(`Cannot find module lambdas/handlers/${name}`);
    return modules[name] as LambdaFunction;
  };

  beforeAll(async () => {
    adapter = createHttpAdapter({ loadHandler: loader, maxPayloadBytes: 2048, timeoutMs: 300, onError: (m) => errors.push(m) });
    base = `http://127.0.0.1:${await adapter.listen(0)}`;
  });
  afterAll(() => adapter.close());

  beforeEach(() => {
    errors.length = 0;
    authorizer = jest.fn<ReturnType<AuthorizerDouble>, Parameters<AuthorizerDouble>>(async () => appPolicy(APP_ID));
    users = jest.fn<ReturnType<HandlerDouble>, Parameters<HandlerDouble>>(async () => ({
      statusCode: 200,
      headers: { 'Content-Type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [] }),
    }));
    for (const key of Object.keys(modules)) delete modules[key];
    modules.authorizer = authorizer;
    modules.users = users;
  });

  const get = (urlPath: string, headers: Record<string, string> = { Authorization: 'Bearer good' }) => fetch(`${base}${urlPath}`, { headers });
  const expectScimError = async (response: Response, status: number) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/scim+json');
    const body = (await response.json()) as { detail: unknown };
    expect(body).toMatchObject({ schemas: [ERROR_SCHEMA], status: String(status) });
    expect(typeof body.detail).toBe('string');
    return body as { detail: string };
  };

  it('GET <tenant>/Users with a valid token → the handler gets the proxy event and its reply is returned', async () => {
    const response = await get(`/apps/${APP_ID}/scim/v2/Users?filter=userName%20eq%20%22x%22&aadOptscim062020`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ totalResults: 0 });
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);

    expect(authorizer).toHaveBeenCalledTimes(1);
    expect(authorizer.mock.calls[0][0]).toEqual({
      type: 'TOKEN',
      authorizationToken: 'Bearer good',
      methodArn: `${STAGE_ARN}/GET/apps/${APP_ID}/scim/v2/Users`,
    });
    const [event, context] = users.mock.calls[0];
    expect(event).toMatchObject({
      resource: '/apps/{appId}/scim/v2/Users',
      path: `/apps/${APP_ID}/scim/v2/Users`,
      httpMethod: 'GET',
      pathParameters: { appId: APP_ID },
      queryStringParameters: { filter: 'userName eq "x"', aadOptscim062020: '' },
      body: null,
      requestContext: {
        operationName: 'listUsers',
        resourcePath: '/apps/{appId}/scim/v2/Users',
        stage: 'local',
        authorizer: {
          principalId: `app:${APP_ID}:tok1`,
          kind: 'app',
          appId: APP_ID,
          tokenId: 'tok1',
          // API Gateway hands context values over as strings.
          retries: '3',
          active: 'true',
        },
      },
    });
    expect(event.headers['X-Forwarded-Proto']).toBe('http');
    expect(event.requestContext.requestId).toBe(response.headers.get('x-amzn-requestid'));
    expect(context.awsRequestId).toBe(event.requestContext.requestId);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });

  it('GET <tenant>/Users without Authorization → 401 Bearer challenge, authorizer not called', async () => {
    const response = await get(`/apps/${APP_ID}/scim/v2/Users`, {});
    await expectScimError(response, 401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(authorizer).not.toHaveBeenCalled();
  });

  it("GET <tenant>/Users with a token the authorizer refuses ('Unauthorized') → 401", async () => {
    authorizer.mockRejectedValue(new Error('Unauthorized'));
    const response = await get(`/apps/${APP_ID}/scim/v2/Users`);
    await expectScimError(response, 401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(users).not.toHaveBeenCalled();
  });

  it('GET <tenant>/Users when the authorizer fails otherwise → 503 with Retry-After', async () => {
    authorizer.mockRejectedValue(new Error('Secrets Manager is down'));
    const response = await get(`/apps/${APP_ID}/scim/v2/Users`);
    await expectScimError(response, 503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(errors).toEqual(['authorizer failed']);
  });

  it("GET another application's tenant URL → 403 (the policy does not allow it)", async () => {
    const response = await get('/apps/zzzzzzzzzzzz/scim/v2/Users');
    await expectScimError(response, 403);
    expect(users).not.toHaveBeenCalled();
  });

  it("GET another application's tenant URL → 403 whose detail is the sentence the authorizer's context holds, as API Gateway's ACCESS_DENIED response", async () => {
    const detail = 'the Secret Token belongs to another application: use the Tenant URL and Secret Token of the same application';
    authorizer.mockResolvedValue({ ...appPolicy(APP_ID), context: { ...appPolicy(APP_ID).context, accessDenied: detail } });
    const response = await get('/apps/zzzzzzzzzzzz/scim/v2/Users');
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ schemas: [ERROR_SCHEMA], status: '403', detail });
  });

  it('GET with a policy that explicitly denies → 403', async () => {
    authorizer.mockResolvedValue({
      principalId: 'x',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' },
          { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: `${STAGE_ARN}/GET/*` },
        ],
      },
    });
    await expectScimError(await get(`/apps/${APP_ID}/scim/v2/Users`), 403);
  });

  it('GET with an authorizer context holding an object → 500 (API Gateway refuses such a context)', async () => {
    authorizer.mockResolvedValue({ ...appPolicy(APP_ID), context: { nested: { a: 1 } as unknown as string } });
    await expectScimError(await get(`/apps/${APP_ID}/scim/v2/Users`), 500);
  });

  it('GET an unknown path → 404 SCIM error without calling the authorizer', async () => {
    await expectScimError(await get(`/apps/${APP_ID}/scim/v2/Nope`), 404);
    expect(authorizer).not.toHaveBeenCalled();
  });

  it('GET <tenant>/Users/../Groups → 404', async () => {
    // fetch would normalise "..", so send it encoded as the segment itself.
    await expectScimError(await get(`/apps/${APP_ID}/scim/v2/Users/%2E%2E`), 404);
    await expectScimError(await get(`/apps/${APP_ID}/scim/v2/Users/a%2Fb`), 404);
  });

  it('GET <tenant>/Users/.search → 405 with Allow: POST', async () => {
    const response = await get(`/apps/${APP_ID}/scim/v2/Users/.search`);
    await expectScimError(response, 405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('GET <tenant>/Users/ (trailing slash) → served like /Users', async () => {
    expect((await get(`/apps/${APP_ID}/scim/v2/Users/`)).status).toBe(200);
    expect(users.mock.calls[0][0].requestContext.operationName).toBe('listUsers');
  });

  it('GET <tenant>/Users/{id} → decoded path parameter and a method ARN with the decoded id', async () => {
    await get(`/apps/${APP_ID}/scim/v2/Users/a%20b`);
    expect(users.mock.calls[0][0].pathParameters).toEqual({ appId: APP_ID, id: 'a b' });
    expect(authorizer.mock.calls[0][0].methodArn).toBe(`${STAGE_ARN}/GET/apps/${APP_ID}/scim/v2/Users/a b`);
  });

  it('POST <tenant>/Users with a body over the gateway limit → 413', async () => {
    const response = await fetch(`${base}/apps/${APP_ID}/scim/v2/Users`, {
      method: 'POST',
      headers: { Authorization: 'Bearer good', 'Content-Type': 'application/scim+json' },
      body: 'x'.repeat(4096),
    });
    await expectScimError(response, 413);
    expect(users).not.toHaveBeenCalled();
  });

  it('POST <tenant>/Users passes the body as a string', async () => {
    await fetch(`${base}/apps/${APP_ID}/scim/v2/Users`, {
      method: 'POST',
      headers: { Authorization: 'Bearer good', 'Content-Type': 'application/scim+json' },
      body: '{"userName":"zoë"}',
    });
    const [event] = users.mock.calls[0];
    expect(event).toMatchObject({ httpMethod: 'POST', body: '{"userName":"zoë"}', isBase64Encoded: false });
    expect(event.requestContext.operationName).toBe('createUser');
  });

  it('maps multiValueHeaders, base64 bodies and the status back', async () => {
    users.mockResolvedValue({
      statusCode: 201,
      headers: { 'Content-Type': 'application/octet-stream', 'Set-Cookie': 'ignored=1', 'Content-Length': '999' },
      multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
      body: Buffer.from([1, 2, 3]).toString('base64'),
      isBase64Encoded: true,
    });
    const response = await get(`/apps/${APP_ID}/scim/v2/Users`);
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(response.headers.get('content-length')).toBe('3');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from([1, 2, 3]));
  });

  it('answers a handler that throws as the stack does (DEFAULT_5XX: 500), and reports the failure', async () => {
    users.mockRejectedValue(new Error('boom'));
    const body = await expectScimError(await get(`/apps/${APP_ID}/scim/v2/Users`), 500);
    expect(body.detail).not.toContain('boom');
    expect(errors).toEqual(['the users handler failed (listUsers)']);
  });

  it('answers a handler result that is not a proxy result as the stack does (DEFAULT_5XX: 500)', async () => {
    users.mockResolvedValue({ status: 200 });
    await expectScimError(await get(`/apps/${APP_ID}/scim/v2/Users`), 500);
  });

  it('answers a handler slower than the integration timeout as the stack does (INTEGRATION_TIMEOUT: 503)', async () => {
    users.mockImplementation(() => new Promise(() => undefined));
    const res = await get(`/apps/${APP_ID}/scim/v2/Users`);
    expect(res.headers.get('retry-after')).toBe('1');
    await expectScimError(res, 503);
  });

  it('answers a handler module that fails to load as a failed handler, and says so in the log', async () => {
    await expectScimError(await get(`/apps/${APP_ID}/scim/v2/Groups`), 500);
    expect(errors).toEqual(['the groups handler failed (listGroups)']);
  });

  it('answers an authorizer module that fails to load as a failed authorizer, and calls no handler', async () => {
    delete modules.authorizer;
    await expectScimError(await get(`/apps/${APP_ID}/scim/v2/Users`), 503);
    expect(users).not.toHaveBeenCalled();
  });
});

describe('createHttpAdapter with an authorizer cache', () => {
  let adapter: HttpAdapter;
  let base: string;
  let generation = 0;
  const authorizer = jest.fn<ReturnType<AuthorizerDouble>, Parameters<AuthorizerDouble>>(async () => appPolicy(APP_ID));
  const users = jest.fn<ReturnType<HandlerDouble>, Parameters<HandlerDouble>>(async () => ({ statusCode: 200, body: '{}' }));
  const modules: Record<string, unknown> = { authorizer, users };

  beforeAll(async () => {
    adapter = createHttpAdapter({
      loadHandler: async (name) => modules[name] as LambdaFunction,
      authorizerCache: { maxAgeMs: 60_000, generation: () => generation },
    });
    base = `http://127.0.0.1:${await adapter.listen(0)}`;
  });
  afterAll(() => adapter.close());
  beforeEach(() => {
    authorizer.mockClear();
    users.mockClear();
    generation += 1;
  });

  const get = (urlPath: string, token = 'good') => fetch(`${base}${urlPath}`, { headers: { Authorization: `Bearer ${token}` } });

  it('reuses an Allow for the same token, and hands the handler the same authorizer context', async () => {
    expect((await get(`/apps/${APP_ID}/scim/v2/Users`)).status).toBe(200);
    expect((await get(`/apps/${APP_ID}/scim/v2/Users/u1`)).status).toBe(200);
    expect(authorizer).toHaveBeenCalledTimes(1);
    const [first, second] = users.mock.calls.map(([event]) => event.requestContext.authorizer);
    expect(second).toEqual({ ...first, integrationLatency: 0 });
  });

  it('asks the authorizer again after a write (the generation moved): a revoked token is refused at once', async () => {
    expect((await get(`/apps/${APP_ID}/scim/v2/Users`)).status).toBe(200);
    generation += 1;
    authorizer.mockRejectedValueOnce(new Error('Unauthorized'));
    expect((await get(`/apps/${APP_ID}/scim/v2/Users`)).status).toBe(401);
    expect(authorizer).toHaveBeenCalledTimes(2);
  });

  it("sends a request the cached policy does not allow (another application's URL) to the authorizer, which reports it", async () => {
    expect((await get(`/apps/${APP_ID}/scim/v2/Users`)).status).toBe(200);
    expect((await get('/apps/otherapp0001/scim/v2/Users')).status).toBe(403);
    expect(authorizer).toHaveBeenCalledTimes(2);
    expect(authorizer.mock.calls[1][0].methodArn).toBe(`${STAGE_ARN}/GET/apps/otherapp0001/scim/v2/Users`);
  });

  it('never keeps a refusal: each one reaches the authorizer', async () => {
    authorizer.mockRejectedValue(new Error('Unauthorized'));
    expect((await get(`/apps/${APP_ID}/scim/v2/Users`, 'bad')).status).toBe(401);
    expect((await get(`/apps/${APP_ID}/scim/v2/Users`, 'bad')).status).toBe(401);
    expect(authorizer).toHaveBeenCalledTimes(2);
    authorizer.mockImplementation(async () => appPolicy(APP_ID));
  });
});

describe('createModuleLoader', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'handlers-'));
    // Module scope counts its own evaluations, like a Lambda container's init.
    writeFileSync(
      path.join(dir, 'counter.js'),
      'globalThis.__inits = (globalThis.__inits || 0) + 1;\nexports.handler = async (event) => ({ statusCode: 200, body: String(globalThis.__inits) });\n',
    );
    writeFileSync(path.join(dir, 'nohandler.js'), 'exports.other = 1;\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a module once and returns its handler', async () => {
    const load = createModuleLoader(dir);
    const [a, b] = await Promise.all([load('counter'), load('counter')]);
    expect(a).toBe(b);
    expect(await (a as (e: unknown) => Promise<{ body: string }>)({})).toEqual({ statusCode: 200, body: '1' });
    expect((globalThis as { __inits?: number }).__inits).toBe(1);
  });

  it('rejects a module that does not exist with the import error', async () => {
    await expect(createModuleLoader(dir)('absent')).rejects.toThrow(/Cannot find module .*absent/);
  });

  it('refuses a module without a handler export', async () => {
    await expect(createModuleLoader(dir)('nohandler')).rejects.toThrow(/does not export a "handler"/);
  });

  it('refuses names that could leave the handlers folder', async () => {
    await expect(createModuleLoader(dir)('../counter')).rejects.toThrow(/Invalid handler name/);
  });
});
