/**
 * THE gateway-response table (lib/gateway-responses.ts) is read by both sides: the stack configures
 * API Gateway's gateway responses from it, and the local gateway answers from it. Here the two are
 * held against each other: what the local gateway answers in each situation API Gateway answers
 * with a gateway response is what the synthesized stack would send (status, headers, SCIM Error
 * body); only the detail may say more about the request.
 */
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { answerBody, answerHeaders, GATEWAY_RESPONSES, LOCAL_ANSWERS, type GatewayResponseType } from '../../lib/gateway-responses';
import type { HandlerLoader, LambdaFunction } from '../../lib/local/handler-loader';
import { createHttpAdapter, type HttpAdapter } from '../../lib/local/http-adapter';
import { resourcesOf, synthGateway } from './gateway-fixture';

type Cfn = Record<string, any>;

const APP_ID = 'a1b2c3d4e5f6';
const USERS = `/apps/${APP_ID}/scim/v2/Users`;
const SCIM_JSON = 'application/scim+json';
const HEADER = 'gatewayresponse.header.';

const { template } = synthGateway();
const deployed = new Map<string, Cfn>(
  Object.values(resourcesOf(template, 'AWS::ApiGateway::GatewayResponse')).map((r) => [r.Properties.ResponseType as string, r.Properties]),
);
const unquote = (value: string) => value.replace(/^'|'$/g, '');

describe('the stack', () => {
  it('configures a gateway response for every entry of the table, and no other', () => {
    expect([...deployed.keys()].sort()).toEqual(Object.keys(GATEWAY_RESPONSES).sort());
  });

  it.each(Object.entries(GATEWAY_RESPONSES))('%s: the status, headers and SCIM Error body of the table', (type, response) => {
    const properties = deployed.get(type)!;
    expect(properties.StatusCode).toBe(String(response.status));
    const headers = Object.fromEntries(
      Object.entries(properties.ResponseParameters as Record<string, string>).map(([name, value]) => [name.slice(HEADER.length), unquote(value)]),
    );
    expect(headers).toEqual(answerHeaders(response));
    const detail = 'detailVariable' in response ? response.detailVariable : response.detail;
    expect(Object.keys(properties.ResponseTemplates).sort()).toEqual(['application/json', SCIM_JSON]);
    for (const body of Object.values(properties.ResponseTemplates as Record<string, string>)) {
      expect(JSON.parse(body)).toEqual(answerBody(response, detail));
    }
  });
});

describe('the local gateway', () => {
  const ACCESS_DENIED = 'the Secret Token belongs to another application: use the Tenant URL and Secret Token of the same application';
  let adapter: HttpAdapter;
  let base: string;
  let authorize: () => Promise<APIGatewayAuthorizerResult>;
  let users: () => Promise<unknown>;
  let ready: Promise<void>;

  const policy = (effect: 'Allow' | 'Deny'): APIGatewayAuthorizerResult => ({
    principalId: `app:${APP_ID}:t1`,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: '*' }] },
    context: { kind: 'app', appId: APP_ID, accessDenied: ACCESS_DENIED },
  });

  beforeAll(async () => {
    const loader: HandlerLoader = async (name) =>
      (name === 'authorizer' ? () => authorize() : () => users()) as unknown as LambdaFunction;
    adapter = createHttpAdapter({
      loadHandler: loader,
      maxPayloadBytes: 1024,
      timeoutMs: 200,
      onError: () => undefined,
      // A getter, so a test can make the gateway itself fail before it answers.
      get whenReady() {
        return ready;
      },
    });
    base = `http://127.0.0.1:${await adapter.listen(0)}`;
  });
  afterAll(() => adapter.close());

  beforeEach(() => {
    ready = Promise.resolve();
    authorize = async () => policy('Allow');
    users = async () => ({ statusCode: 200, body: '{}' });
  });

  const get = (path: string, headers: Record<string, string> = { Authorization: 'Bearer t' }) => fetch(`${base}${path}`, { headers });

  const situations: [string, GatewayResponseType, () => Promise<Response>][] = [
    ['a request without a token', 'UNAUTHORIZED', () => get(USERS, {})],
    [
      'a token the authorizer refuses',
      'UNAUTHORIZED',
      () => {
        authorize = async () => Promise.reject(new Error('Unauthorized'));
        return get(USERS);
      },
    ],
    [
      'an authorizer that fails',
      'AUTHORIZER_FAILURE',
      () => {
        authorize = async () => Promise.reject(new Error('Secrets Manager is down'));
        return get(USERS);
      },
    ],
    [
      "a policy that does not allow the route (the authorizer's sentence as detail)",
      'ACCESS_DENIED',
      () => {
        authorize = async () => policy('Deny');
        return get(USERS);
      },
    ],
    ['a path no route serves', 'MISSING_AUTHENTICATION_TOKEN', () => get(`/apps/${APP_ID}/scim/v2/Nope`)],
    ['a body over the payload limit', 'REQUEST_TOO_LARGE', () => fetch(`${base}${USERS}`, { method: 'POST', headers: { Authorization: 'Bearer t' }, body: 'x'.repeat(2048) })],
    [
      'a handler that throws (API Gateway: 502, answered with the fixed status of DEFAULT_5XX)',
      'DEFAULT_5XX',
      () => {
        users = async () => Promise.reject(new Error('boom'));
        return get(USERS);
      },
    ],
    [
      'a handler that does not answer in time',
      'INTEGRATION_TIMEOUT',
      () => {
        users = () => new Promise(() => undefined);
        return get(USERS);
      },
    ],
    [
      'an authorizer result without a policy',
      'AUTHORIZER_CONFIGURATION_ERROR',
      () => {
        authorize = async () => ({ principalId: 'x' }) as APIGatewayAuthorizerResult;
        return get(USERS);
      },
    ],
    [
      'a failure of the gateway itself',
      'DEFAULT_5XX',
      () => {
        ready = Promise.reject(new Error('gateway broke'));
        ready.catch(() => undefined);
        return get(USERS);
      },
    ],
  ];

  it.each(situations)("%s → the stack's %s response", async (_situation, type, act) => {
    // Act
    const response = await act();

    // Assess: what API Gateway would send with the synthesized gateway response.
    const properties = deployed.get(type)!;
    expect(response.status).toBe(Number(properties.StatusCode));
    for (const [name, value] of Object.entries(properties.ResponseParameters as Record<string, string>)) {
      expect([name, response.headers.get(name.slice(HEADER.length))]).toEqual([name, unquote(value)]);
    }
    const body = (await response.json()) as { detail: string };
    const deployedBody = JSON.parse(properties.ResponseTemplates[SCIM_JSON]) as { detail: string };
    expect({ ...body, detail: '' }).toEqual({ ...deployedBody, detail: '' });
    expect(body.detail).toEqual(type === 'ACCESS_DENIED' ? ACCESS_DENIED : expect.any(String));
  });

  it.each([
    ['a method the resource lacks', LOCAL_ANSWERS.methodNotAllowed, () => get(`${USERS}/.search`)],
  ])('%s → its answer of LOCAL_ANSWERS', async (_situation, answer, act) => {
    const response = await act();
    expect(response.status).toBe(answer.status);
    expect(response.headers.get('content-type')).toBe(SCIM_JSON);
    const body = (await response.json()) as { detail: string };
    expect({ ...body, detail: '' }).toEqual({ ...answerBody(answer), detail: '' });
  });
});
