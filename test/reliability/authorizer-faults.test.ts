/**
 * The authorizer when its dependencies fail: Secrets Manager (mocked with aws-sdk-client-mock)
 * throttling, erroring, unreachable, timing out or holding a malformed secret, and DynamoDB
 * failing on the application lookup. It must fail closed — throw something other than
 * "Unauthorized", which API Gateway (and the local adapter) answer with 503 — and never Allow;
 * once the dependency recovers, the same token works again (a failure is not cached).
 * The whole HTTP path is exercised through the local adapter with the real handlers.
 */
import { runtimeLoader } from '../helpers/handlers';
import { testRuntime } from '../helpers/runtime';
import { GetSecretValueCommand, InternalServiceError, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createHttpAdapter, type HttpAdapter } from '../../lib/local/http-adapter';
import { issueAdminToken, issueAppToken } from '../../lambdas/domain/secret-tokens';
import { createAppStore } from '../../lambdas/store/application-items';
import { createTestTables, type TestTables } from '../helpers/tables';
import { failFrom, installFaults, type Faults } from './support/faults';
import { recordFigures } from './support/figures';
import { httpCall } from './support/gateway';
import { answerViolations, describeViolations } from './support/invariants';
import { testTimeout } from './support/scale';

jest.setTimeout(testTimeout());

const APP_ID = 'authfault001';
const PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod';
const sm = mockClient(SecretsManagerClient);

let tables: TestTables;
let faults: Faults;
let authorize: (event: APIGatewayTokenAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;
let adapter: HttpAdapter;
let port: number;
const now = new Date();
const appToken = issueAppToken(APP_ID, now);
const adminToken = issueAdminToken(now);
const figures: Record<string, string> = {};

// The authorizer caches secrets for SCIM_AUTH_CACHE_SECONDS (60 s here): each case starts a minute
// later on the cache's clock, so it meets a cold cache, and the recovery right after it proves a
// failure is not what the cache keeps.
const realNow = Date.now.bind(Date);
let clockOffset = 0;
const coldCache = () => {
  clockOffset += 61_000;
};

const healthySecrets = () => {
  sm.reset();
  sm.on(GetSecretValueCommand, { SecretId: `scim-gateway/apps/${APP_ID}` }).resolves({ SecretString: JSON.stringify({ tokens: [appToken.stored] }) });
  sm.on(GetSecretValueCommand, { SecretId: 'scim-gateway/admin' }).resolves({ SecretString: JSON.stringify({ tokens: [adminToken.stored] }) });
};

const named = (name: string, message = name) => Object.assign(new Error(message), { name, $metadata: { attempts: 3 } });

const FAILURES: Array<[string, () => void]> = [
  ['InternalServiceError', () => sm.on(GetSecretValueCommand).rejects(new InternalServiceError({ message: 'injected', $metadata: {} }))],
  ['ThrottlingException', () => sm.on(GetSecretValueCommand).rejects(named('ThrottlingException', 'Rate exceeded'))],
  ['unreachable (ECONNREFUSED)', () => sm.on(GetSecretValueCommand).rejects(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED', $metadata: { attempts: 3 } }))],
  ['TimeoutError', () => sm.on(GetSecretValueCommand).rejects(named('TimeoutError', 'Connection timed out after 1000 ms'))],
  ['AccessDeniedException', () => sm.on(GetSecretValueCommand).rejects(named('AccessDeniedException', 'not authorized to perform secretsmanager:GetSecretValue'))],
  ['DecryptionFailure', () => sm.on(GetSecretValueCommand).rejects(named('DecryptionFailure', 'KMS key disabled'))],
  ['secret is not JSON', () => sm.on(GetSecretValueCommand).resolves({ SecretString: 'not json' })],
  ['secret has the wrong shape', () => sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ tokens: [{ id: 'x', hash: 'nothex' }] }) })],
];

const event = (token: string, path: string): APIGatewayTokenAuthorizerEvent => ({ type: 'TOKEN', authorizationToken: `Bearer ${token}`, methodArn: `${PREFIX}/GET/${path}` });

/** What the authorizer decided: 'allow', 'deny', 'unauthorized' (→ 401) or 'failure' (→ 503). */
const decision = async (token: string, path: string): Promise<string> => {
  try {
    const result = await authorize(event(token, path));
    return result.policyDocument.Statement.some((s) => (s as { Effect: string }).Effect === 'Allow') ? 'allow' : 'deny';
  } catch (error) {
    return (error as Error).message === 'Unauthorized' ? 'unauthorized' : 'failure';
  }
};

beforeAll(async () => {
  jest.spyOn(Date, 'now').mockImplementation(() => realNow() + clockOffset);
  tables = await createTestTables('rel-authz');
  const rt = testRuntime(tables, { SCIM_SECRET_STORE: 'secrets-manager', SCIM_SECRET_PREFIX: 'scim-gateway', SCIM_AUTH_CACHE_SECONDS: '60' });
  const at = now.toISOString();
  await createAppStore(rt.dynamo, tables.tableName).create({
    id: APP_ID,
    name: 'Authorizer faults',
    requiredAttributes: ['userName'],
    created: at,
    lastModified: at,
    tokens: [{ id: appToken.stored.id, created: at }],
    extensionAttributes: [],
    version: 1,
  });
  faults = await installFaults(rt.dynamo);
  const loadHandler = runtimeLoader(rt);
  authorize = (await loadHandler('authorizer')) as unknown as typeof authorize;
  adapter = createHttpAdapter({ loadHandler, region: 'eu-west-1' });
  port = await adapter.listen(0);
});

afterAll(async () => {
  recordFigures('authorizer-faults', figures);
  await adapter?.close();
  sm.restore();
  await tables.drop();
});

describe('authorizer with failing dependencies', () => {
  it('healthy: the application token is allowed on its own path, refused elsewhere', async () => {
    healthySecrets();
    expect(await decision(appToken.token, `apps/${APP_ID}/scim/v2/Users`)).toBe('allow');
    expect(await decision(adminToken.token, 'admin/apps')).toBe('allow');
    expect(await decision(`${appToken.token}x`, `apps/${APP_ID}/scim/v2/Users`)).toBe('unauthorized');
  });

  it.each(FAILURES)('Secrets Manager: %s → fails closed (never Allow), HTTP 503 with a SCIM Error; recovers at once', async (name, fail) => {
    coldCache();
    sm.reset();
    fail();
    const app = await decision(appToken.token, `apps/${APP_ID}/scim/v2/Users`);
    const admin = await decision(adminToken.token, 'admin/apps');
    expect([name, app, admin]).toEqual([name, 'failure', 'failure']);
    const res = await httpCall(port, 'GET', `/apps/${APP_ID}/scim/v2/Users`, { headers: { Authorization: `Bearer ${appToken.token}` } });
    expect(res.status).toBe(503);
    expect(describeViolations(name, answerViolations(res, { allowed5xx: [503], secrets: [appToken.token] }))).toBe('');
    figures[`Secrets Manager ${name}`] = `authorizer ${app}, HTTP ${res.status}`;

    healthySecrets();
    expect(await decision(appToken.token, `apps/${APP_ID}/scim/v2/Users`)).toBe('allow');
  });

  it.each([
    ['no secret (ResourceNotFoundException)', () => sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }))],
    ['a binary secret (no SecretString)', () => sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2, 3]) })],
  ])('Secrets Manager: %s → treated as no token: 401, never Allow', async (name, fail) => {
    coldCache();
    sm.reset();
    fail();
    expect(await decision(appToken.token, `apps/${APP_ID}/scim/v2/Users`)).toBe('unauthorized');
    const res = await httpCall(port, 'GET', `/apps/${APP_ID}/scim/v2/Users`, { headers: { Authorization: `Bearer ${appToken.token}` } });
    expect(res.status).toBe(401);
    expect(describeViolations(name, answerViolations(res, { secrets: [appToken.token] }))).toBe('');
    figures[`Secrets Manager ${name}`] = `authorizer unauthorized, HTTP ${res.status}`;
    healthySecrets();
  });

  it('DynamoDB unreachable on the application lookup → fails closed (503); recovers at once', async () => {
    coldCache();
    healthySecrets();
    faults.reset();
    faults.plan(failFrom(1, 'unreachable'));
    const result = await decision(appToken.token, `apps/${APP_ID}/scim/v2/Users`);
    const res = await httpCall(port, 'GET', `/apps/${APP_ID}/scim/v2/Users`, { headers: { Authorization: `Bearer ${appToken.token}` } });
    faults.plan(undefined);
    expect(result).toBe('failure');
    expect(res.status).toBe(503);
    expect(describeViolations('ddb down', answerViolations(res, { allowed5xx: [503] }))).toBe('');
    figures['DynamoDB unreachable (application lookup)'] = `authorizer ${result}, HTTP ${res.status}`;
    expect(await decision(appToken.token, `apps/${APP_ID}/scim/v2/Users`)).toBe('allow');
  });

  it('DynamoDB throttling on the application lookup → fails closed, never Allow', async () => {
    coldCache();
    healthySecrets();
    faults.reset();
    faults.plan(failFrom(1, 'ProvisionedThroughputExceededException'));
    const result = await decision(appToken.token, `apps/${APP_ID}/scim/v2/Groups`);
    faults.plan(undefined);
    expect(result).toBe('failure');
    figures['DynamoDB throttling (application lookup)'] = `authorizer ${result}`;
  });
});
