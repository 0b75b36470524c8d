/**
 * The token endpoint of the client credentials grant (RFC 6749 §4.4), without HTTP: a request's
 * method, headers, raw body and source in, the exact response out (token-response.ts). Every
 * refusal is an OAuth error (never a SCIM Error, never a 500 for the client's mistake), and a
 * refused client authentication on a known application is counted for its provisioning report like
 * a refused Secret Token.
 *
 * Rate limits (rate-limit.ts), per container: every request counts against its source IP, and
 * every failed client authentication against the client id it named, which then answers 429
 * instead of checking more guesses. The WAF rule at the edge caps the whole API.
 */
import { isAppId } from '../domain/secret-tokens';
import { RefusalReason } from '../domain/refusal-reasons';
import { authenticateClient, ClientRefusal } from '../oauth/clients';
import { parseClientId } from '../oauth/client-secrets';
import { createTokenBuckets, TOKEN_ENDPOINT_LIMITS } from '../oauth/rate-limit';
import { parseTokenRequest } from '../oauth/token-request';
import { oauthError, tokenErrorResponse, tokenSuccessResponse, type TokenHttpResponse } from '../oauth/token-response';
import { issuerOf } from '../oauth/urls';
import { logger } from '../shared/logger';
import { tenantUrlOf } from '../shared/routes';
import type { AppStore } from '../store/application-items';
import type { RefusalRecorder } from '../store/auth-refusals';
import type { OAuthClientStore } from '../store/oauth-clients';
import type { SigningKeyring } from './signing-keyring';

export interface TokenEndpointDeps {
  apps: Pick<AppStore, 'get'>;
  clients: Pick<OAuthClientStore, 'get' | 'noteUse'>;
  keyring: Pick<SigningKeyring, 'signer'>;
  refusals?: RefusalRecorder;
  now?: () => Date;
}

export interface TokenEndpointRequest {
  appId: string;
  method: string;
  /** Lower-case names. */
  headers: Readonly<Record<string, string | undefined>>;
  body: string | null | undefined;
  sourceIp?: string;
  /** The API's public root: the token's `iss`, and the base of its audience (the Tenant URL). */
  apiUrl: string;
}

/** The report's words for the OAuth core's client refusals. */
export const CLIENT_REFUSAL_REASONS: Readonly<Record<ClientRefusal, RefusalReason>> = {
  [ClientRefusal.unknownClient]: RefusalReason.oauthUnknownClient,
  [ClientRefusal.clientRevoked]: RefusalReason.oauthClientRevoked,
  [ClientRefusal.otherApplication]: RefusalReason.otherApplication,
  [ClientRefusal.wrongSecret]: RefusalReason.oauthWrongSecret,
  [ClientRefusal.secretRevoked]: RefusalReason.oauthSecretRevoked,
  [ClientRefusal.secretExpired]: RefusalReason.oauthSecretExpired,
};

export const createTokenEndpoint = ({ apps, clients, keyring, refusals, now = () => new Date() }: TokenEndpointDeps) => {
  const perSource = createTokenBuckets(TOKEN_ENDPOINT_LIMITS.perSource);
  const failuresPerClient = createTokenBuckets(TOKEN_ENDPOINT_LIMITS.failuresPerClient);

  return async (request: TokenEndpointRequest): Promise<TokenHttpResponse> => {
    const at = now();
    const source = perSource.take(request.sourceIp ?? 'unknown', at);
    if (!source.allowed) return tokenErrorResponse(oauthError.tooManyRequests(source.retryAfterSeconds));

    const parsed = parseTokenRequest({ method: request.method, headers: request.headers, body: request.body });
    if (!parsed.ok) return tokenErrorResponse(parsed);

    const { appId } = request;
    const app = isAppId(appId) ? await apps.get(appId) : undefined;
    const named = parseClientId(parsed.clientId);
    const stored = app && named?.appId === appId ? await clients.get(appId, parsed.clientId) : undefined;
    const auth = authenticateClient(parsed, stored, { appId, now: at });
    if (!auth.ok) {
      logger.info('token request refused', { appId, reason: auth.reason });
      if (app) {
        await refusals?.record({ appId, appName: app.name, reason: CLIENT_REFUSAL_REASONS[auth.reason], httpStatus: 401, request: 'POST /oauth/token', at });
      }
      const budget = failuresPerClient.take(parsed.clientId, at);
      return tokenErrorResponse(budget.allowed ? auth.error : oauthError.tooManyRequests(budget.retryAfterSeconds));
    }

    const signer = await keyring.signer(at);
    const issuer = issuerOf(request.apiUrl);
    const grant = await signer.issue({
      issuer,
      audience: tenantUrlOf(issuer, appId),
      clientId: auth.client.clientId,
      secretId: auth.secretId,
      lifetimeMinutes: auth.client.tokenLifetimeMinutes,
      now: at,
    });
    await clients
      .noteUse(appId, auth.client.clientId, request.sourceIp ? { at: at.toISOString(), sourceIp: request.sourceIp } : { at: at.toISOString() })
      .catch((error: unknown) => logger.warn('could not note a client use', { appId, error: error as Error }));
    logger.info('access token issued', { appId, clientId: auth.client.clientId, secretId: auth.secretId, jti: grant.jti, method: parsed.method });
    return tokenSuccessResponse(grant);
  };
};

