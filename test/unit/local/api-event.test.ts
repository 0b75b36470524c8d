/**
 * In-process callers (test/helpers/invoke.ts, bench/lib/events.ts) get their events from the local
 * gateway's own matcher and builder: the same request gives the same event in process as through
 * `npm start`, except for what the front door decides (host, stage in the path, query decoding).
 */
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { apiEvent, routeOfCall, type FrontDoor } from '../../../lib/local/api-event';
import { createHttpAdapter, type HttpAdapter } from '../../../lib/local/http-adapter';
import type { HandlerLoader, LambdaFunction } from '../../../lib/local/handler-loader';
import type { ProxyEvent } from '../../../lib/local/proxy-event';

const APP_ID = 'a1b2c3d4e5f6';
const TENANT = `/apps/${APP_ID}/scim/v2`;

const door = (overrides: Partial<FrontDoor> = {}): FrontDoor => ({
  host: 'scim.test',
  stage: 'prod',
  basePath: '/prod',
  sourceIp: '203.0.113.7',
  ...overrides,
});

describe('apiEvent', () => {
  it('builds the event the local gateway hands the handler for the same request', async () => {
    // Prepare: the local gateway with an authorizer that allows everything and a handler that keeps its event.
    const seen: ProxyEvent[] = [];
    const allowAll: APIGatewayAuthorizerResult = {
      principalId: 'app:x:t',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }] },
      context: { kind: 'app', appId: APP_ID },
    };
    const modules: Record<string, LambdaFunction> = {
      authorizer: (async () => allowAll) as LambdaFunction,
      users: (async (event: ProxyEvent) => {
        seen.push(event);
        return { statusCode: 204, body: '' };
      }) as LambdaFunction,
    };
    const loader: HandlerLoader = async (name) => modules[name];
    const adapter: HttpAdapter = createHttpAdapter({ loadHandler: loader });
    const port = await adapter.listen(0);
    const url = `${TENANT}/Users/a%20b?attributes=userName&filter=userName+eq+%22x%2By%22`;
    const body = '{"userName":"zoë"}';
    try {
      // Act
      await fetch(`http://127.0.0.1:${port}${url}`, { method: 'PUT', headers: { Authorization: 'Bearer t' }, body });
    } finally {
      await adapter.close();
    }
    const viaGateway = seen[0];
    const inProcess = apiEvent(
      { method: 'PUT', url, body, authorizer: viaGateway.requestContext.authorizer, requestId: viaGateway.requestContext.requestId },
      door({ host: `127.0.0.1:${port}`, stage: 'local', basePath: '', sourceIp: '127.0.0.1', apiId: 'local' }),
    );

    // Assess: everything but the headers the HTTP client added and the per-request ids and times.
    const { headers: _h, multiValueHeaders: _m, requestContext: gatewayContext, ...gatewayRest } = viaGateway;
    const { headers: _h2, multiValueHeaders: _m2, requestContext: inProcessContext, ...inProcessRest } = inProcess;
    expect(inProcessRest).toEqual(gatewayRest);
    const comparable = ({ extendedRequestId: _e, requestTime: _t, requestTimeEpoch: _r, identity, ...rest }: ProxyEvent['requestContext']) => ({
      ...rest,
      sourceIp: identity.sourceIp,
    });
    expect(comparable(inProcessContext)).toEqual(comparable(gatewayContext));
    expect(inProcess).toMatchObject({ httpMethod: 'PUT', pathParameters: { appId: APP_ID, id: 'a b' }, body });
  });

  it('puts the stage of an execute-api URL in requestContext.path, not in path', () => {
    const event = apiEvent({ method: 'GET', url: `${TENANT}/Users`, requestId: 'r1' }, door());
    expect(event.path).toBe(`${TENANT}/Users`);
    expect(event.requestContext).toMatchObject({ path: `/prod${TENANT}/Users`, stage: 'prod', domainName: 'scim.test', requestId: 'r1' });
    expect(event.headers).toEqual({ Host: 'scim.test' });
  });

  it("decodes the query as API Gateway REST does (form), or only percent-decodes when the front door says so", () => {
    const url = `${TENANT}/Users?filter=displayName+eq+%22a%2Bb%22`;
    expect(apiEvent({ method: 'GET', url, requestId: 'r' }, door()).queryStringParameters).toEqual({ filter: 'displayName eq "a+b"' });
    expect(apiEvent({ method: 'GET', url, requestId: 'r' }, door({ queryDecoding: 'percent' })).queryStringParameters).toEqual({
      filter: 'displayName+eq+"a+b"',
    });
  });

  it("lets the request's headers win over the front door's", () => {
    const event = apiEvent(
      { method: 'GET', url: `${TENANT}/Users`, headers: { host: 'other.test', 'x-forwarded-proto': 'http' }, requestId: 'r' },
      door({ headers: { 'X-Forwarded-Proto': 'https' } }),
    );
    expect(event.headers).toEqual({ Host: 'other.test', 'X-Forwarded-Proto': 'http' });
    expect(event.requestContext.domainName).toBe('other.test');
  });

  it('passes an authorizer context and a body through, and null / no body when there are none', () => {
    const withBody = apiEvent({ method: 'POST', url: `${TENANT}/Users`, body: '{}', authorizer: { kind: 'admin' }, requestId: 'r' }, door());
    expect(withBody).toMatchObject({ body: '{}', isBase64Encoded: false, requestContext: { authorizer: { kind: 'admin' }, operationName: 'createUser' } });
    const without = apiEvent({ method: 'GET', url: `${TENANT}/Users`, requestId: 'r' }, door());
    expect(without).toMatchObject({ body: null, requestContext: { authorizer: null } });
  });

  it('throws when no route of the table serves the call', () => {
    expect(() => apiEvent({ method: 'GET', url: `${TENANT}/Nope`, requestId: 'r' }, door())).toThrow(`no route for GET ${TENANT}/Nope`);
    expect(() => apiEvent({ method: 'PATCH', url: `${TENANT}/Users`, requestId: 'r' }, door())).toThrow(/no route/);
  });
});

describe('routeOfCall', () => {
  it('hands ids the local front door refuses (.., an encoded /) to the handler, which must answer them itself', () => {
    expect(routeOfCall('GET', `${TENANT}/Users/..`)?.pathParameters).toEqual({ appId: APP_ID, id: '..' });
    expect(routeOfCall('GET', `${TENANT}/Users/a%2Fb`)?.pathParameters).toEqual({ appId: APP_ID, id: 'a/b' });
  });

  it('never matches an empty id: /Users/ is /Users', () => {
    expect(routeOfCall('GET', `${TENANT}/Users/`)?.route.operation).toBe('listUsers');
    expect(routeOfCall('DELETE', `${TENANT}/Users/`)).toBeUndefined();
    expect(routeOfCall('GET', `${TENANT}//Users`)).toBeUndefined();
  });

  it('prefers a static segment over a {param}, as the local gateway does', () => {
    expect(routeOfCall('POST', `${TENANT}/Users/.search`)?.route.operation).toBe('searchUsers');
  });
});
