/**
 * Calls a real Lambda handler in process with the API Gateway REST event it would receive in AWS:
 * the route (and so `requestContext.operationName`) is found in lib/routes.ts, and the authorizer
 * context is the one our authorizer returns for an application or admin token. Query values are
 * only percent-decoded (a `+` stays a `+`), as a front door without form decoding hands them over;
 * API Gateway's own decoding is lib/local/proxy-event.ts's.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { ROUTES } from '../../lib/routes';

export interface TestApp {
  id: string;
  name: string;
  requiredAttributes?: string[];
}

export interface InvokeResult {
  status: number;
  headers: Record<string, string>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  raw: string;
}

type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const templateRegex = (template: string) =>
  new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, (_m, name) => `(?<${name}>[^/]+)`)}$`);

export const routeFor = (method: string, path: string) => {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = templateRegex(route.path).exec(path);
    if (match) return { route, params: Object.fromEntries(Object.entries(match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)])) };
  }
  throw new Error(`no route for ${method} ${path}`);
};

const context = (): Context =>
  ({
    awsRequestId: randomUUID(),
    functionName: 'test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:test',
    memoryLimitInMB: '256',
    logGroupName: '/aws/lambda/test',
    logStreamName: 'test',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 29000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }) as Context;

export interface RequestOptions {
  headers?: Record<string, string>;
  authorizer?: Record<string, string> | null;
  /** A raw body string (for malformed JSON tests); otherwise `body` is JSON-encoded. */
  rawBody?: string;
  /** API Gateway's request id (default: a fresh UUID). */
  requestId?: string;
}

export const invoke = async (
  handler: LambdaHandler,
  method: string,
  pathAndQuery: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<InvokeResult> => {
  const [path, query] = pathAndQuery.split('?');
  const { route, params } = routeFor(method, path);
  const multi: Record<string, string[]> = {};
  for (const pair of (query ?? '').split('&').filter(Boolean)) {
    const [k, v = ''] = pair.split('=');
    (multi[decodeURIComponent(k)] ??= []).push(decodeURIComponent(v));
  }
  const single = Object.fromEntries(Object.entries(multi).map(([k, v]) => [k, v[v.length - 1]]));
  const rawBody = options.rawBody ?? (body === undefined ? null : JSON.stringify(body));
  const headers = { Host: 'scim.test', 'X-Forwarded-Proto': 'https', ...(rawBody !== null ? { 'Content-Type': 'application/scim+json' } : {}), ...options.headers };
  const event = {
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
      apiId: 'test',
      resourceId: 'r',
      resourcePath: route.path,
      path: `/prod${path}`,
      httpMethod: method,
      stage: 'prod',
      requestId: options.requestId ?? randomUUID(),
      requestTimeEpoch: Date.now(),
      domainName: 'scim.test',
      protocol: 'HTTP/1.1',
      operationName: route.operation,
      identity: { sourceIp: '203.0.113.7', userAgent: 'test-agent' },
      authorizer: options.authorizer === undefined ? null : options.authorizer,
    },
  } as unknown as APIGatewayProxyEvent;
  const result = await handler(event, context());
  const rawResult = result.body ?? '';
  return {
    status: result.statusCode,
    headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)])),
    body: rawResult ? JSON.parse(rawResult) : undefined,
    raw: rawResult,
  };
};

/** The authorizer context of an application token (what API Gateway passes on). */
export const appAuthorizer = (app: TestApp): Record<string, string> => ({
  principalId: `app:${app.id}:t1`,
  kind: 'app',
  appId: app.id,
  appName: app.name,
  tokenId: 't1',
  requiredAttributes: JSON.stringify(app.requiredAttributes ?? ['userName']),
});

/** A client bound to one application's Tenant URL: `scim.get('/Users?filter=...')`. */
export const scimClient = (handler: LambdaHandler, app: TestApp) => {
  const prefix = `/apps/${app.id}/scim/v2`;
  const call = (method: string, path: string, body?: unknown, options: RequestOptions = {}) =>
    invoke(handler, method, `${prefix}${path}`, body, { authorizer: appAuthorizer(app), ...options });
  return {
    get: (path: string, options?: RequestOptions) => call('GET', path, undefined, options),
    post: (path: string, body: unknown, options?: RequestOptions) => call('POST', path, body, options),
    put: (path: string, body: unknown, options?: RequestOptions) => call('PUT', path, body, options),
    patch: (path: string, body: unknown, options?: RequestOptions) => call('PATCH', path, body, options),
    delete: (path: string, options?: RequestOptions) => call('DELETE', path, undefined, options),
    call,
  };
};
