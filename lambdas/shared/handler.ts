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
import { readBody, SCIM_CONTENT_TYPE, toProxyResult, toScimRequest, type AppContext, type AppRequest, type HttpResponse, type ScimRequest } from './http';
import { logger } from './logger';
import { requestsByEvent, scimErrors, type FailureListener, type ScimInternal } from './middlewares/scim-errors';
import { routesOf, type AuthScope, type HandlerName } from './routes';
import type { Runtime } from './runtime';

/** An operation of an admin route takes a `ScimRequest`; one of a SCIM route an `AppRequest`. */
export type Operation = (request: AppRequest) => Promise<HttpResponse>;
export type Operations = Record<string, Operation>;

export interface HttpHandlerOptions {
  /** Content type of successful responses. @default application/scim+json */
  contentType?: string;
  /** Told about every request that ends in an error response. */
  onFailure?: FailureListener;
}

export type HttpHandler = middy.MiddyfiedHandler<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context, ScimInternal> & {
  /** The operations this handler serves; a test checks them against the route table. */
  readonly operations: readonly string[];
};

/** The caller the route's `auth` asks for, or a 403; a SCIM route's application. */
export const authorizeRoute = (auth: AuthScope, request: ScimRequest): AppContext | undefined => {
  const caller = request.caller;
  if (auth === 'admin' && caller?.kind !== 'admin') throw ScimError.forbidden('This endpoint needs an admin token.');
  if (auth !== 'scim') return undefined;
  // The authorizer scopes application tokens to their own path; a mis-wired route must not leak.
  if (caller?.kind !== 'app' || !caller.app || caller.app.id !== request.pathParams.appId) throw ScimError.forbidden();
  return caller.app;
};

export const httpHandler = (rt: Runtime, name: HandlerName, operations: Operations, options: HttpHandlerOptions = {}): HttpHandler => {
  const { config } = rt;
  const auth = new Map(routesOf(name).map((route) => [route.operation, route.auth]));
  const unrouted = Object.keys(operations).filter((operation) => !auth.has(operation));
  if (unrouted.length) throw new Error(`No route of the ${name} handler names ${unrouted.join(', ')} (routes.ts).`);
  const contentType = options.contentType ?? SCIM_CONTENT_TYPE;
  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context, ScimInternal>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(scimErrors({ onFailure: options.onFailure }))
    .handler(async (event) => {
      const request = toScimRequest(event, { apiUrl: config.SCIM_API_URL });
      requestsByEvent.set(event, request);
      const scope = auth.get(request.operation);
      const operation = scope && Object.hasOwn(operations, request.operation) ? operations[request.operation] : undefined;
      if (!scope || !operation) throw ScimError.notFound(`No such endpoint: ${event.httpMethod} ${event.path}`);
      const app = authorizeRoute(scope, request);
      request.body = readBody(event, request.headers, config.SCIM_MAX_BODY_BYTES);
      return toProxyResult(await operation({ ...request, app: app as AppContext }), contentType);
    });
  return Object.assign(handler, { operations: Object.keys(operations) });
};
