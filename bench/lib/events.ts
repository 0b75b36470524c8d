/**
 * API Gateway REST proxy events for calling a real handler in process, as AWS would, built by the
 * local gateway's own matcher and builder (lib/local/api-event.ts): the route (and so
 * `requestContext.operationName`) comes from lambdas/shared/routes.ts, and the authorizer context is what our
 * authorizer returns for an application token. Events are built once and reused, so a CPU
 * measurement times the handler, not the event builder.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { apiEvent as buildApiEvent, type FrontDoor } from '../../lib/local/api-event';
import { INTEGRATION_TIMEOUT_MS } from '../../lib/local/http-adapter';
import { createLambdaContext } from '../../lib/local/lambda-context';
import { SCIM_CONTENT_TYPE } from '../../lambdas/shared/http';

export type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface BenchApp {
  id: string;
  name: string;
}

export interface CallResult {
  status: number;
  body: unknown;
}

/** The stage `v1` on an execute-api URL; queries only percent-decoded, as the benchmark has always sent them. */
const BENCH_DOOR: FrontDoor = {
  host: 'scim.bench',
  stage: 'v1',
  basePath: '/v1',
  sourceIp: '203.0.113.7',
  apiId: 'bench',
  headers: { 'X-Forwarded-Proto': 'https', 'User-Agent': 'bench' },
  queryDecoding: 'percent',
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
export const apiEvent = (method: string, pathAndQuery: string, authorizer: Record<string, string> | null, body?: unknown): APIGatewayProxyEvent =>
  buildApiEvent(
    {
      method,
      url: pathAndQuery,
      headers: body === undefined ? {} : { 'Content-Type': SCIM_CONTENT_TYPE },
      body: body === undefined ? undefined : JSON.stringify(body),
      authorizer,
      requestId: `bench-${++requestSeq}`,
    },
    BENCH_DOOR,
  );

/** An event for `<method> /apps/<appId>/scim/v2<pathAndQuery>` with the app's token context. */
export const scimEvent = (app: BenchApp, method: string, pathAndQuery: string, body?: unknown): APIGatewayProxyEvent =>
  apiEvent(method, `/apps/${app.id}/scim/v2${pathAndQuery}`, appAuthorizerContext(app), body);

/**
 * The Lambda context the local gateway gives a handler. A measurement reuses one for its whole run:
 * handlers behind API Gateway never read the remaining time (middy runs with timeoutEarlyInMillis 0).
 */
export const lambdaContext = (): Context =>
  createLambdaContext({ functionName: 'bench', requestId: 'bench', timeoutMs: INTEGRATION_TIMEOUT_MS, region: 'us-east-1' });

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
