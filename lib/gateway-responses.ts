/**
 * THE table of answers the gateway gives by itself (no token, denied, throttled, unknown route, …),
 * in the SCIM Error shape the handlers use, built from the same `ScimError` factories. The CDK
 * construct configures API Gateway's gateway responses from it (lib/gateway/rest-api.ts) and the
 * local gateway answers from it (lib/local/gateway-reply.ts), so the two cannot drift. Plain data:
 * no CDK import, so the local gateway loads it without aws-cdk-lib.
 *
 * API Gateway's own "Missing Authentication Token" 403 for an unknown route becomes the 404 a SCIM
 * client expects. A 403 for a token used outside its scope says what to check: the authorizer puts
 * that sentence in its context, and the ACCESS_DENIED template substitutes it (templates allow
 * `$context` variables, nothing more).
 */
import { ACCESS_DENIED_CONTEXT_KEY } from '../lambdas/reports/refusals';
import { ERROR_SCHEMA, ScimError, type ScimErrorBody, type ScimType } from '../lambdas/scim/errors';
import { SCIM_CONTENT_TYPE } from '../lambdas/shared/http';

/** One answer: its status, the parts of its SCIM Error body, and its headers. */
export interface GatewayAnswer {
  readonly status: number;
  readonly scimType?: ScimType;
  readonly detail: string;
  /** Beside Content-Type: `WWW-Authenticate` on 401, `Retry-After` on 429 and 503. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface GatewayResponse extends GatewayAnswer {
  /** A `$context` variable the deployed body's detail is read from, instead of `detail`. */
  readonly detailVariable?: string;
}

/** The authorizer's sentence for a token used outside its scope (another application's, or an admin token). */
const ACCESS_DENIED_DETAIL = `$context.authorizer.${ACCESS_DENIED_CONTEXT_KEY}`;

const answerOf = (error: ScimError): GatewayAnswer => ({
  status: error.status,
  ...(error.scimType ? { scimType: error.scimType } : {}),
  detail: error.detail,
  headers: error.headers,
});

const TOKEN_UNCHECKED = 'The token could not be checked; retry later.';

/**
 * Every gateway response the API overrides, by API Gateway's response type (the names of CDK's
 * `ResponseType`). The DEFAULT_* entries fix their status too: the body must name the status, and
 * a gateway response template cannot read it.
 */
export const GATEWAY_RESPONSES = {
  UNAUTHORIZED: answerOf(ScimError.unauthorized()),
  ACCESS_DENIED: { ...answerOf(ScimError.forbidden()), detailVariable: ACCESS_DENIED_DETAIL },
  MISSING_AUTHENTICATION_TOKEN: answerOf(ScimError.notFound('No such endpoint.')),
  RESOURCE_NOT_FOUND: answerOf(ScimError.notFound('No such endpoint.')),
  THROTTLED: answerOf(ScimError.throttled()),
  QUOTA_EXCEEDED: answerOf(ScimError.throttled()),
  REQUEST_TOO_LARGE: answerOf(ScimError.payloadTooLarge('The request body is larger than the gateway accepts.')),
  UNSUPPORTED_MEDIA_TYPE: answerOf(ScimError.unsupportedMediaType('Send application/scim+json or application/json.')),
  BAD_REQUEST_PARAMETERS: answerOf(ScimError.invalidValue('A required request parameter is missing.')),
  BAD_REQUEST_BODY: answerOf(ScimError.invalidSyntax('The request body is not valid.')),
  WAF_FILTERED: answerOf(ScimError.forbidden('The request was blocked by the web application firewall.')),
  AUTHORIZER_FAILURE: answerOf(ScimError.unavailable(TOKEN_UNCHECKED)),
  AUTHORIZER_CONFIGURATION_ERROR: answerOf(ScimError.unavailable(TOKEN_UNCHECKED)),
  INTEGRATION_FAILURE: answerOf(ScimError.unavailable()),
  INTEGRATION_TIMEOUT: answerOf(ScimError.unavailable('The request timed out; retry later.')),
  DEFAULT_4XX: answerOf(new ScimError(400, 'The request could not be processed.')),
  DEFAULT_5XX: answerOf(new ScimError(500, 'The service failed to process the request.')),
} as const satisfies Record<string, GatewayResponse>;

export type GatewayResponseType = keyof typeof GATEWAY_RESPONSES;

/**
 * Answers only the local gateway gives, each for a reason:
 * - the front door's refusals (414, 431, 408, an unreadable request's 400) happen before API
 *   Gateway's responses apply in AWS (request-limits.ts);
 * - 405 with `Allow`: API Gateway answers a method a resource lacks like an unknown path
 *   (MISSING_AUTHENTICATION_TOKEN, 404); locally the methods it has are worth saying.
 * Everything else is answered as the stack answers it: a handler that throws or returns a malformed
 * result (API Gateway's 502, "Internal server error") is DEFAULT_5XX, whose fixed status 500 the
 * stack sets; a handler too slow is INTEGRATION_TIMEOUT; an authorizer result without a usable
 * policy is AUTHORIZER_CONFIGURATION_ERROR, and one whose context holds a non-scalar (refused when
 * the integration request is built) DEFAULT_5XX. The local gateway's log says what went wrong.
 */
export const LOCAL_ANSWERS = {
  methodNotAllowed: { status: 405, detail: 'This method is not allowed on this resource.', headers: {} },
  uriTooLong: { status: 414, detail: 'The request URI is too long.', headers: {} },
  headersTooLarge: { status: 431, detail: 'The request headers are too large.', headers: {} },
  requestTimeout: { status: 408, detail: 'The request did not arrive in time.', headers: {} },
  unreadableRequest: { status: 400, detail: 'The request could not be parsed as HTTP/1.1.', headers: {} },
} as const satisfies Record<string, GatewayAnswer>;

/** The answer's headers: Content-Type and its own. */
export const answerHeaders = (answer: GatewayAnswer): Record<string, string> => ({ 'Content-Type': SCIM_CONTENT_TYPE, ...answer.headers });

/**
 * The answer's SCIM Error body (RFC 7644 §3.12), keys in `ScimError.toBody()`'s order. `detail`
 * replaces the table's: a `$context` variable in a template, or what the local gateway knows of
 * this request.
 */
export const answerBody = (answer: GatewayAnswer, detail: string = answer.detail): ScimErrorBody => ({
  schemas: [ERROR_SCHEMA],
  status: String(answer.status),
  detail,
  ...(answer.scimType ? { scimType: answer.scimType } : {}),
});
