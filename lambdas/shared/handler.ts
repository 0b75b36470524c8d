/**
 * Builds a Lambda handler for one resource from its operations. The route table
 * (lib/routes.ts) names an operation per route; API Gateway hands it over as
 * `requestContext.operationName`, and this factory dispatches on it. Set-up runs once per container.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { ScimError } from '../scim/errors';
import { loadConfig } from './config';
import { readBody, SCIM_CONTENT_TYPE, toProxyResult, toScimRequest, type HttpResponse, type ScimRequest } from './http';
import { logger } from './logger';
import { requestsByEvent, scimErrors, type FailureListener, type ScimInternal } from './middlewares/scim-errors';

export type Operation = (request: ScimRequest) => Promise<HttpResponse>;
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

export const httpHandler = (operations: Operations, options: HttpHandlerOptions = {}): HttpHandler => {
  const config = loadConfig();
  const contentType = options.contentType ?? SCIM_CONTENT_TYPE;
  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context, ScimInternal>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(scimErrors({ onFailure: options.onFailure }))
    .handler(async (event) => {
      const request = toScimRequest(event, { apiUrl: config.SCIM_API_URL });
      requestsByEvent.set(event, request);
      const operation = Object.hasOwn(operations, request.operation) ? operations[request.operation] : undefined;
      if (!operation) throw ScimError.notFound(`No such endpoint: ${event.httpMethod} ${event.path}`);
      request.body = readBody(event, request.headers, config.SCIM_MAX_BODY_BYTES);
      return toProxyResult(await operation(request), contentType);
    });
  return Object.assign(handler, { operations: Object.keys(operations) });
};
