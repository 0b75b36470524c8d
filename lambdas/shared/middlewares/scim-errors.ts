/**
 * The only code that turns an error into an HTTP response. A ScimError is answered as itself;
 * an infrastructure failure as 429/503; anything else is logged with its cause and answered with
 * a generic 500 that leaks nothing. `.use()` it last so it handles the error first (middy's onion).
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { isScimError, ScimError } from '../../scim/errors';
import { infrastructureError } from '../../store/errors';
import { SCIM_CONTENT_TYPE, toProxyResult, type ScimRequest } from '../http';
import { logger } from '../logger';

/** Told about every refused or failed request; must never throw (see reports). */
export type FailureListener = (request: ScimRequest, error: ScimError) => Promise<void>;

export interface ScimErrorsOptions {
  onFailure?: FailureListener;
}

export type ScimInternal = Record<string, unknown>;

/** The normalised request of an event, so the error path can report who failed and how. */
export const requestsByEvent = new WeakMap<APIGatewayProxyEvent, ScimRequest>();

export const toScimError = (error: unknown): ScimError => {
  if (isScimError(error)) return error;
  const infrastructure = infrastructureError(error);
  if (infrastructure) {
    logger.warn('data store failure', { error: error as Error });
    return infrastructure;
  }
  logger.error('unexpected error', { error: error as Error });
  return new ScimError(500, 'An internal error occurred. The request was not completed.', undefined, { cause: error });
};

export const scimErrors = (
  options: ScimErrorsOptions = {},
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context, ScimInternal> => ({
  onError: async function scimErrorsOnError(request) {
    const error = toScimError(request.error);
    const scimRequest = requestsByEvent.get(request.event);
    if (options.onFailure && scimRequest) {
      try {
        await options.onFailure(scimRequest, error);
      } catch (recordError) {
        // A failure to record must never change what the client is told.
        logger.error('could not record a failed request', { error: recordError as Error });
      }
    }
    request.response = toProxyResult(
      { status: error.status, body: error.toBody(), headers: error.headers },
      SCIM_CONTENT_TYPE,
    );
  },
});
