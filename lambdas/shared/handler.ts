/**
 * Builds a Lambda handler for one resource from its operations. The route table
 * (routes.ts) names an operation per route; API Gateway hands it over as
 * `requestContext.operationName`, and this factory dispatches on it. It also enforces the route's
 * `auth` (the authorizer's policy already does; this is defence in depth, in one place): an admin
 * route needs an admin token, a SCIM route an application token of the application in its path,
 * which the operation then receives as `request.app`.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { ScimError } from '../scim/errors';
import { readBody, SCIM_CONTENT_TYPE, toProxyResult, toScimRequest, type AppContext, type AppRequest, type HttpResponse, type ScimRequest, type TooLarge } from './http';
import { logger } from './logger';
import { requestsByEvent, scimErrors, type FailureListener, type ScimInternal } from './middlewares/scim-errors';
import { routesOf, type AuthScope, type HandlerName } from './routes';
import { createTokenUsageRecorder } from '../store/token-usage';
import type { Runtime } from './runtime';

/**
 * An operation of an admin route takes a `ScimRequest`; one of a SCIM route an `AppRequest`. The
 * Lambda context is there for an operation that must finish before the function's time is up (Bulk).
 */
export type Operation = (request: AppRequest, context: Context) => Promise<HttpResponse>;
export type Operations = Record<string, Operation>;

export interface HttpHandlerOptions {
  /** Content type of successful responses. @default application/scim+json */
  contentType?: string;
  /** Told about every request that ends in an error response. */
  onFailure?: FailureListener;
  /** The body limit of this handler's routes and its 413. @default SCIM_MAX_BODY_BYTES, the generic 413 */
  body?: { maxBytes: number; tooLarge: TooLarge };
}

export type HttpHandler = middy.MiddyfiedHandler<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context, ScimInternal> & {
  /** The operations this handler serves; a test checks them against the route table. */
  readonly operations: readonly string[];
};

/** The caller the route's `auth` asks for, or a 403; a SCIM route's application. */
export const authorizeRoute = (auth: AuthScope, request: ScimRequest): AppContext | undefined => {
  const caller = request.caller;
  if (auth === 'admin' && caller?.kind !== 'admin') throw ScimError.forbidden('This endpoint needs an admin token.');
  if (auth === 'directory') {
    // The directory read API: a directory token of the application in the path, and nothing else.
    if (caller?.kind !== 'directory' || !caller.app || caller.app.id !== request.pathParams.appId) throw ScimError.forbidden('This endpoint needs a directory token of this application.');
    return caller.app;
  }
  if (auth !== 'scim') return undefined;
  // The authorizer scopes application tokens to their own path; a mis-wired route must not leak.
  if (caller?.kind !== 'app' || !caller.app || caller.app.id !== request.pathParams.appId) throw ScimError.forbidden();
  return caller.app;
};

/**
 * The handlers whose SCIM requests note their token's last use (store/token-usage.ts): the two
 * that serve nearly every request Entra sends, Test Connection included, and whose functions may
 * update the table (lib/gateway/permissions.ts). Discovery and root search only read.
 */
const USAGE_NOTING_HANDLERS: ReadonlySet<HandlerName> = new Set(['users', 'groups']);

/** Entra's Test Connection: a user looked up by a random GUID (entra-scim.md §3.16); '+' may stand for a space. */
const TEST_CONNECTION_FILTER = /^userName[ +]eq[ +]"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"$/i;

export const httpHandler = (rt: Runtime, name: HandlerName, operations: Operations, options: HttpHandlerOptions = {}): HttpHandler => {
  const { config } = rt;
  const auth = new Map(routesOf(name).map((route) => [route.operation, route.auth]));
  const unrouted = Object.keys(operations).filter((operation) => !auth.has(operation));
  if (unrouted.length) throw new Error(`No route of the ${name} handler names ${unrouted.join(', ')} (routes.ts).`);
  const contentType = options.contentType ?? SCIM_CONTENT_TYPE;
  const usage = USAGE_NOTING_HANDLERS.has(name)
    ? createTokenUsageRecorder(rt.dynamo, config.SCIM_TABLE_NAME, {
        onError: (error, use) => logger.warn('could not note a token use', { error: error as Error, appId: use.appId, tokenId: use.tokenId }),
      })
    : undefined;
  const noteUse = (request: ScimRequest, app: AppContext | undefined, status: number) =>
    app && request.caller?.tokenId
      ? usage?.record({
          appId: app.id,
          tokenId: request.caller.tokenId,
          at: new Date(),
          sourceIp: request.sourceIp,
          userAgent: request.userAgent,
          status,
          testConnection: request.operation === 'listUsers' && TEST_CONNECTION_FILTER.test(request.query.filter?.trim() ?? ''),
        })
      : undefined;
  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context, ScimInternal>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(scimErrors({ onFailure: options.onFailure }))
    .handler(async (event, context) => {
      const request = toScimRequest(event, { apiUrl: config.SCIM_API_URL });
      requestsByEvent.set(event, request);
      const scope = auth.get(request.operation);
      const operation = scope && Object.hasOwn(operations, request.operation) ? operations[request.operation] : undefined;
      if (!scope || !operation) throw ScimError.notFound(`No such endpoint: ${event.httpMethod} ${event.path}`);
      const app = authorizeRoute(scope, request);
      try {
        request.body = options.body
          ? readBody(event, request.headers, options.body.maxBytes, options.body.tooLarge)
          : readBody(event, request.headers, config.SCIM_MAX_BODY_BYTES);
        const result = toProxyResult(await operation({ ...request, app: app as AppContext }, context), contentType);
        await noteUse(request, app, result.statusCode);
        return result;
      } catch (error) {
        await noteUse(request, app, error instanceof ScimError ? Number(error.status) : 500);
        throw error;
      }
    });
  return Object.assign(handler, { operations: Object.keys(operations) });
};
