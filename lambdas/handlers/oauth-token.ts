/**
 * `POST <apiUrl>/apps/{appId}/oauth/token`: the OAuth 2.0 client credentials token endpoint
 * (RFC 6749 §4.4), public in the route table (the client authenticates in the request). The use
 * case (use-cases/token-endpoint.ts) decides the answer; this file reads the proxy event (the
 * form body as API Gateway passes it, base64 when it says so) and writes the response. Its answers
 * are OAuth's JSON, not SCIM Errors, and a fault of ours is a bare 500 `server_error` that carries
 * no internals.
 *
 * IAM (lib/gateway/permissions.ts): reads the application and client items, writes a client's last
 * use and refusal counters, reads the client secret hashes and the signing keys, creates the
 * signing key secret on the deployment's first token and publishes its public half.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { NO_STORE_HEADERS } from '../oauth/token-response';
import { appStoreDeps } from '../shared/app-stores';
import { toScimRequest } from '../shared/http';
import { logger } from '../shared/logger';
import { oauthStoresOf } from '../shared/oauth-stores';
import { onFirstInvocation, runtime, type Runtime } from '../shared/runtime';
import { createRefusalRecorder } from '../store/auth-refusals';
import { createSigningKeyring } from '../use-cases/signing-keyring';
import { createTokenEndpoint, type TokenEndpointDeps } from '../use-cases/token-endpoint';

export type TokenHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

const headersOf = (event: APIGatewayProxyEvent): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (typeof value === 'string') out[name.toLowerCase()] = value;
  return out;
};

const bodyOf = (event: APIGatewayProxyEvent): string | null =>
  event.body === null || event.body === undefined ? null : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;

const SERVER_ERROR: APIGatewayProxyResult = {
  statusCode: 500,
  headers: { 'Content-Type': 'application/json;charset=UTF-8', ...NO_STORE_HEADERS },
  body: JSON.stringify({ error: 'server_error', error_description: 'the token endpoint failed; retry later' }),
};

/** The handler over explicit dependencies (tests inject a clock or a keyring). */
export const createTokenHandlerWith = (rt: Runtime, deps: TokenEndpointDeps): TokenHandler => {
  const endpoint = createTokenEndpoint(deps);
  return async (event) => {
    try {
      const request = toScimRequest(event, { apiUrl: rt.config.SCIM_API_URL });
      const response = await endpoint({
        appId: request.pathParams.appId ?? '',
        method: event.httpMethod,
        headers: headersOf(event),
        body: bodyOf(event),
        sourceIp: request.sourceIp,
        apiUrl: request.apiUrl,
      });
      return { statusCode: response.status, headers: response.headers, body: response.body };
    } catch (error) {
      logger.error('token endpoint failed', { error: error as Error });
      return SERVER_ERROR;
    }
  };
};

export const createTokenHandler = (rt: Runtime): TokenHandler => {
  const { apps } = appStoreDeps(rt);
  const { clients, signingKeys } = oauthStoresOf(rt);
  return createTokenHandlerWith(rt, {
    apps,
    clients,
    keyring: createSigningKeyring(signingKeys, rt.config.SCIM_AUTH_CACHE_SECONDS),
    refusals: createRefusalRecorder(rt.dynamo, rt.config.SCIM_TABLE_NAME, {
      onError: (error, refusal) => logger.warn('could not record a refused token request', { error: error as Error, appId: refusal.appId }),
    }),
  });
};

/** The Lambda entry point. */
export const handler = onFirstInvocation<APIGatewayProxyEvent, unknown, Promise<APIGatewayProxyResult>>(() => {
  const issue = createTokenHandler(runtime());
  return (event) => issue(event);
});
