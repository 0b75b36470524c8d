/**
 * Answers API Gateway gives by itself (no token, denied, throttled, unknown route, …) in the same
 * SCIM Error shape the handlers use, built from the same `ScimError` factories. API Gateway's own
 * "Missing Authentication Token" 403 for an unknown route becomes the 404 a SCIM client expects.
 * A 403 for a token used outside its scope says what to check: the authorizer puts that sentence in
 * its context, and the ACCESS_DENIED template substitutes it (templates allow `$context` variables,
 * nothing more).
 */
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { ACCESS_DENIED_CONTEXT_KEY } from '../../lambdas/reports/refusals';
import { ScimError } from '../../lambdas/scim/errors';

const SCIM_CONTENT_TYPE = 'application/scim+json';

export interface GatewayResponseSpec {
  readonly type: apigateway.ResponseType;
  readonly error: ScimError;
  /** A `$context` variable the body's detail is read from, instead of the error's own. */
  readonly detailVariable?: string;
}

/** The authorizer's sentence for a token used outside its scope (another application's, or an admin token). */
export const ACCESS_DENIED_DETAIL = `$context.authorizer.${ACCESS_DENIED_CONTEXT_KEY}`;

/**
 * Every gateway response the API overrides. The DEFAULT_* entries fix their status too: the body
 * must name the status, and a gateway response template cannot read it.
 */
export const GATEWAY_RESPONSES: readonly GatewayResponseSpec[] = [
  { type: apigateway.ResponseType.UNAUTHORIZED, error: ScimError.unauthorized() },
  { type: apigateway.ResponseType.ACCESS_DENIED, error: ScimError.forbidden(), detailVariable: ACCESS_DENIED_DETAIL },
  { type: apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN, error: ScimError.notFound('No such endpoint.') },
  { type: apigateway.ResponseType.RESOURCE_NOT_FOUND, error: ScimError.notFound('No such endpoint.') },
  { type: apigateway.ResponseType.THROTTLED, error: ScimError.throttled() },
  { type: apigateway.ResponseType.QUOTA_EXCEEDED, error: ScimError.throttled() },
  {
    type: apigateway.ResponseType.REQUEST_TOO_LARGE,
    error: ScimError.payloadTooLarge('The request body is larger than the gateway accepts.'),
  },
  {
    type: apigateway.ResponseType.UNSUPPORTED_MEDIA_TYPE,
    error: ScimError.unsupportedMediaType('Send application/scim+json or application/json.'),
  },
  { type: apigateway.ResponseType.BAD_REQUEST_PARAMETERS, error: ScimError.invalidValue('A required request parameter is missing.') },
  { type: apigateway.ResponseType.BAD_REQUEST_BODY, error: ScimError.invalidSyntax('The request body is not valid.') },
  { type: apigateway.ResponseType.WAF_FILTERED, error: ScimError.forbidden('The request was blocked by the web application firewall.') },
  { type: apigateway.ResponseType.AUTHORIZER_FAILURE, error: ScimError.unavailable('The token could not be checked; retry later.') },
  {
    type: apigateway.ResponseType.AUTHORIZER_CONFIGURATION_ERROR,
    error: ScimError.unavailable('The token could not be checked; retry later.'),
  },
  { type: apigateway.ResponseType.INTEGRATION_FAILURE, error: ScimError.unavailable() },
  { type: apigateway.ResponseType.INTEGRATION_TIMEOUT, error: ScimError.unavailable('The request timed out; retry later.') },
  { type: apigateway.ResponseType.DEFAULT_4XX, error: new ScimError(400, 'The request could not be processed.') },
  { type: apigateway.ResponseType.DEFAULT_5XX, error: new ScimError(500, 'The service failed to process the request.') },
];

/** Gateway response header values are mapping expressions: static strings are single-quoted. */
const quoted = (value: string) => `'${value.replace(/'/g, '')}'`;

export const addScimGatewayResponses = (api: apigateway.RestApi): void => {
  for (const { type, error, detailVariable } of GATEWAY_RESPONSES) {
    const body = JSON.stringify(detailVariable ? { ...error.toBody(), detail: detailVariable } : error.toBody());
    api.addGatewayResponse(`GatewayResponse${type.responseType}`, {
      type,
      statusCode: String(error.status),
      responseHeaders: Object.fromEntries(
        Object.entries({ 'Content-Type': SCIM_CONTENT_TYPE, ...error.headers }).map(([name, value]) => [name, quoted(value)]),
      ),
      templates: { 'application/json': body, [SCIM_CONTENT_TYPE]: body },
    });
  }
};
