/**
 * API Gateway REST proxy events for calling a real handler in process, as AWS would: the route
 * (and so `requestContext.operationName`) comes from lib/routes.ts, and the authorizer context is
 * what our authorizer returns for an application token. Events are built once and reused, so a
 * CPU measurement times the handler, not the event builder.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { ROUTES, type Route } from '../../lib/routes';

export type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface BenchApp {
  id: string;
  name: string;
}

export interface CallResult {
  status: number;
  body: unknown;
}

const compiled = ROUTES.map((route) => ({
  route,
  regex: new RegExp(`^${route.path.replace(/\{(\w+)\}/g, (_m, name: string) => `(?<${name}>[^/]+)`)}$`),
}));

const routeOf = (method: string, path: string): { route: Route; params: Record<string, string> } => {
  for (const { route, regex } of compiled) {
    if (route.method !== method) continue;
    const match = regex.exec(path);
    if (match) {
      const params = Object.fromEntries(Object.entries(match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
      return { route, params };
    }
  }
  throw new Error(`no route for ${method} ${path}`);
};

/** The context our authorizer hands API Gateway for an application token. */
export const appAuthorizerContext = (app: BenchApp): Record<string, string> => ({
  principalId: `app:${app.id}:bench`,
  kind: 'app',
  appId: app.id,
  appName: app.name,
  tokenId: 'bench',
  requiredAttributes: JSON.stringify(['userName']),
});

/** The context our authorizer hands API Gateway for an admin token. */
export const adminAuthorizerContext = (): Record<string, string> => ({ principalId: 'admin:bench', kind: 'admin', tokenId: 'bench' });

let requestSeq = 0;

/** A REST proxy event for any route of the table, e.g. `apiEvent('GET', '/admin/apps', adminAuthorizerContext())`. */
export const apiEvent = (method: string, pathAndQuery: string, authorizer: Record<string, string> | null, body?: unknown): APIGatewayProxyEvent => {
  const [path, query] = pathAndQuery.split('?');
  const { route, params } = routeOf(method, path);
  const multi: Record<string, string[]> = {};
  for (const pair of (query ?? '').split('&').filter(Boolean)) {
    const [k, v = ''] = pair.split('=');
    (multi[decodeURIComponent(k)] ??= []).push(decodeURIComponent(v));
  }
  const single = Object.fromEntries(Object.entries(multi).map(([k, v]) => [k, v[v.length - 1]]));
  const rawBody = body === undefined ? null : JSON.stringify(body);
  const headers: Record<string, string> = { Host: 'scim.bench', 'X-Forwarded-Proto': 'https', 'User-Agent': 'bench' };
  if (rawBody !== null) headers['Content-Type'] = 'application/scim+json';
  return {
    resource: route.path,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: query ? single : null,
    multiValueQueryStringParameters: query ? multi : null,
    pathParameters: Object.keys(params).length ? params : null,
    stageVariables: null,
    body: rawBody,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      resourceId: 'r',
      resourcePath: route.path,
      path: `/v1${path}`,
      httpMethod: method,
      stage: 'v1',
      requestId: `bench-${++requestSeq}`,
      requestTimeEpoch: Date.now(),
      domainName: 'scim.bench',
      protocol: 'HTTP/1.1',
      operationName: route.operation,
      identity: { sourceIp: '203.0.113.7', userAgent: 'bench' },
      authorizer,
    },
  } as unknown as APIGatewayProxyEvent;
};

/** An event for `<method> /apps/<appId>/scim/v2<pathAndQuery>` with the app's token context. */
export const scimEvent = (app: BenchApp, method: string, pathAndQuery: string, body?: unknown): APIGatewayProxyEvent =>
  apiEvent(method, `/apps/${app.id}/scim/v2${pathAndQuery}`, appAuthorizerContext(app), body);

export const lambdaContext = (): Context =>
  ({
    awsRequestId: 'bench',
    functionName: 'bench',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench',
    memoryLimitInMB: '512',
    logGroupName: '/aws/lambda/bench',
    logStreamName: 'bench',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 29_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }) as Context;

const sharedContext = lambdaContext();

/** Invokes a handler and parses its JSON body. */
export const callHandler = async (handler: LambdaHandler, event: APIGatewayProxyEvent): Promise<CallResult> => {
  const result = await handler(event, sharedContext);
  return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : undefined };
};

/** Like callHandler, but a status outside `expected` is an error that names the request. */
export const expectStatus = async (handler: LambdaHandler, event: APIGatewayProxyEvent, expected: number[]): Promise<CallResult> => {
  const result = await callHandler(handler, event);
  if (!expected.includes(result.status)) {
    throw new Error(`${event.httpMethod} ${event.path}${event.queryStringParameters ? '?…' : ''} answered ${result.status}: ${JSON.stringify(result.body)}`);
  }
  return result;
};
