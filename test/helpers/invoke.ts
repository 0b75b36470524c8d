/**
 * Calls a real Lambda handler in process with the API Gateway REST event it would receive in AWS,
 * built by the local gateway's own matcher and builder (lib/local/api-event.ts): the route (and so
 * `requestContext.operationName`) comes from lambdas/shared/routes.ts, and the authorizer context is the one
 * our authorizer returns for an application or admin token. The front door is an execute-api URL
 * (`https://scim.test/prod`) that only percent-decodes queries (a `+` stays a `+`); API Gateway's
 * own form decoding is tested in test/unit/local/proxy-event.test.ts.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { apiEvent, type FrontDoor } from '../../lib/local/api-event';
import { INTEGRATION_TIMEOUT_MS } from '../../lib/local/http-adapter';
import { createLambdaContext } from '../../lib/local/lambda-context';
import { SCIM_CONTENT_TYPE } from '../../lambdas/shared/http';

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

const TEST_DOOR: FrontDoor = {
  host: 'scim.test',
  stage: 'prod',
  basePath: '/prod',
  sourceIp: '203.0.113.7',
  headers: { 'X-Forwarded-Proto': 'https' },
  queryDecoding: 'percent',
};

export interface RequestOptions {
  headers?: Record<string, string>;
  authorizer?: Record<string, string> | null;
  /** A raw body string (for malformed JSON tests); otherwise `body` is JSON-encoded. */
  rawBody?: string;
  /** API Gateway's request id (default: a fresh UUID). */
  requestId?: string;
}

/** The event API Gateway hands the handler of `method pathAndQuery` (throws when no route serves it). */
export const testEvent = (method: string, pathAndQuery: string, body?: unknown, options: RequestOptions = {}): APIGatewayProxyEvent => {
  const rawBody = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  return apiEvent(
    {
      method,
      url: pathAndQuery,
      headers: { ...(rawBody !== undefined ? { 'Content-Type': SCIM_CONTENT_TYPE } : {}), ...options.headers },
      body: rawBody,
      authorizer: options.authorizer ?? null,
      requestId: options.requestId ?? randomUUID(),
    },
    TEST_DOOR,
  );
};

export const invoke = async (
  handler: LambdaHandler,
  method: string,
  pathAndQuery: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<InvokeResult> => {
  const event = testEvent(method, pathAndQuery, body, options);
  const context = createLambdaContext({ functionName: 'test', requestId: event.requestContext.requestId, timeoutMs: INTEGRATION_TIMEOUT_MS, region: 'eu-west-1' });
  const result = await handler(event, context);
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
