/**
 * REST API TOKEN authorizer. Identity source: the `Authorization` header, `Bearer <token>`.
 *
 * - Unknown, malformed, expired or revoked token → `throw new Error('Unauthorized')`, which API
 *   Gateway (and the local adapter) answer with 401.
 * - Application token → Allow on that application's own path prefix only,
 *   `arn:…:<api>/<stage>/*\/apps/<appId>/*`: API Gateway caches the policy per token, and a policy
 *   naming only the first method ARN would 403 the next path, while `*` would let the cached
 *   decision reach every other application (aws-design.md §4.2). Another app's URL → 403, whose
 *   detail (the context's `accessDenied`, read by the ACCESS_DENIED gateway response) says what to check.
 * - Admin token → Allow on `/admin` and below.
 * - Secrets Manager or DynamoDB failing → any other error (AUTHORIZER_FAILURE, answered 503): fail closed.
 *
 * Refusals on a known application's Tenant URL are counted for its provisioning report (action
 * `authenticate`, one row per reason and minute; store/auth-refusals.ts); refusals on the URL of
 * no known application only as a metric. Recording never changes the answer, never throws and
 * waits at most a few hundred milliseconds.
 *
 * Bearer JWTs (issue 17) on a Tenant URL: the gateway's own access tokens and, when the application
 * names Entra tenants, Entra-issued ones (use-cases/bearer-jwts.ts). They are verified against the
 * application the URL names, so a token of another application is a 401, never an Allow; their
 * verification reads no secret (published keys and client records, cached per container).
 *
 * Secrets and application items are cached in memory for SCIM_AUTH_CACHE_SECONDS. Tokens and the
 * header are never logged.
 */
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { RefusalReason } from '../domain/refusal-reasons';
import { bearerToken, isAppId, parseToken, verifyToken } from '../domain/secret-tokens';
import { ACCESS_DENIED_CONTEXT_KEY, ADMIN_TOKEN_DETAIL, OTHER_APPLICATION_DETAIL } from '../reports/refusals';
import { appStoreDeps } from '../shared/app-stores';
import { logger } from '../shared/logger';
import { countNow, MetricName } from '../shared/metrics';
import { principalContext, type Principal } from '../oauth/principal';
import { ENTRA_JWKS_URL } from '../oauth/entra-tokens';
import { createKeySetCache, KeysUnavailableError, type FetchKeySet } from '../oauth/key-set-cache';
import { oauthStoresOf } from '../shared/oauth-stores';
import { onFirstInvocation, runtime, type Runtime } from '../shared/runtime';
import type { Application } from '../store/application-items';
import { createAuthLookups, ttlCache, type AuthLookups } from '../store/auth-lookups';
import { createRefusalRecorder, type RefusalRecorder } from '../store/auth-refusals';
import { createBearerJwtVerifier, looksLikeJwt, type BearerJwtVerifier } from '../use-cases/bearer-jwts';

export interface AuthorizerDeps {
  lookups: AuthLookups;
  /** Counts refusals for the report; none: refusals are only logged. */
  refusals?: RefusalRecorder;
  /** Emits a metric (default: an EMF line through Powertools Metrics). */
  count?: (name: MetricName) => void;
  now?: () => Date;
  /** Verifies bearer JWTs on Tenant URLs; none: only Secret Tokens are accepted. */
  jwts?: BearerJwtVerifier;
}

export type Authorizer = (event: APIGatewayTokenAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

/** Longest a refusal waits for its recording (a slow table must not turn a 401 into a timeout). */
const RECORD_BUDGET_MS = 500;

/** The only message API Gateway maps to 401; anything else becomes a 5xx. */
const UNAUTHORIZED = 'Unauthorized';

const refuse = (reason: string, ids: Record<string, string> = {}): never => {
  logger.info('token refused', { reason, ...ids });
  throw new Error(UNAUTHORIZED);
};

export class AuthorizerFailureError extends Error {
  override readonly name = 'AuthorizerFailureError';
}

/** `arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>`, from any method ARN of the API. */
export const stagePrefixOf = (methodArn: string): string => {
  const match = /^(arn:[a-z-]+:execute-api:[^:]+:[^:]+:[^/]+\/[^/]+)\//.exec(methodArn);
  if (!match) throw new AuthorizerFailureError('The authorizer received a methodArn it cannot read.');
  return match[1];
};

/** The application whose Tenant URL a method ARN calls, and the request as `GET /Users`; undefined off /apps. */
export const tenantTargetOf = (methodArn: string): { appId: string; request: string } | undefined => {
  const match = /^arn:[^/]+\/[^/]+\/([^/]+)\/apps\/([^/]+)(?:\/scim\/v2)?(\/.*)?$/.exec(methodArn);
  return match ? { appId: match[2], request: `${match[1]} ${match[3] ?? '/'}` } : undefined;
};

const allow = (
  principalId: string,
  resources: string[],
  context: Record<string, string>,
): APIGatewayAuthorizerResult => ({
  principalId,
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: resources }],
  },
  context,
});

/** Runs a store read; a failure is an outage, never a refusal and never an allow. */
const dependency = async <T>(what: string, read: () => Promise<T>): Promise<T> => {
  try {
    return await read();
  } catch (error) {
    logger.error('authorizer dependency failed', { what, error: error as Error });
    throw new AuthorizerFailureError(`Could not read ${what}.`, { cause: error });
  }
};

/** Why a token of the Tenant URL's own application was refused, in the report's words. */
const reasonFor = (verdict: 'unknown' | 'expired', tokenId: string, app: Application): RefusalReason => {
  if (verdict === 'expired') return RefusalReason.expired;
  const retired = app.retiredTokens?.filter((t) => t.id === tokenId).at(-1);
  return retired?.reason === 'revoked' ? RefusalReason.revoked : retired?.reason === 'expired' ? RefusalReason.expired : RefusalReason.unknownToken;
};

/** The Allow of a verified caller of application `app`, scoped to its own path prefix. */
const allowApp = (prefix: string, app: Application, principal: Principal, principalId: string): APIGatewayAuthorizerResult =>
  // The Tenant URL only: a Secret Token or an access token cannot read the directory API (/apps/<appId>/directory/…).
  allow(principalId, [`${prefix}/*/apps/${app.id}/scim/*`], {
    kind: 'app',
    appId: app.id,
    appName: app.name,
    // How the request authenticated (oauth/principal.ts), for the report rows its writes produce.
    ...principalContext(principal),
    // Context values must be scalars: the list travels as JSON (read back in shared/http.ts).
    requiredAttributes: JSON.stringify(app.requiredAttributes),
    // What API Gateway's 403 says when this token calls outside its prefix (lib/gateway-responses.ts).
    [ACCESS_DENIED_CONTEXT_KEY]: OTHER_APPLICATION_DETAIL,
  });

const principalIdOf = (appId: string, principal: Principal): string => {
  switch (principal.method) {
    case 'secret-token':
      return `app:${appId}:${principal.tokenId}`;
    case 'oauth-client':
      return `app:${appId}:oauth:${principal.clientId}`;
    case 'entra':
      return `app:${appId}:entra:${principal.tenantId}`;
  }
};

export const createAuthorizer = ({ lookups, refusals, count = countNow, now = () => new Date(), jwts }: AuthorizerDeps): Authorizer => {
  /**
   * Counts a refusal on the Tenant URL `target` called: for its report when it is a known
   * application, as a metric otherwise. Never throws; `reasonOf` sees the application's settings.
   */
  const noteRefusal = async (
    target: ReturnType<typeof tenantTargetOf>,
    at: Date,
    httpStatus: number,
    reasonOf: (app: Application) => RefusalReason,
  ): Promise<void> => {
    if (!target) return; // admin routes: no application's report to put it in
    const work = (async () => {
      const app = isAppId(target.appId) ? await lookups.app(target.appId) : undefined;
      if (!app) return count(MetricName.refusedUnknownApplication);
      await refusals?.record({ appId: app.id, appName: app.name, reason: reasonOf(app), httpStatus, request: target.request, at });
    })().catch((error: unknown) => logger.warn('could not note a refused connection', { error: error as Error }));
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => (timer = setTimeout(resolve, RECORD_BUDGET_MS)));
    await Promise.race([work, budget]).finally(() => clearTimeout(timer));
  };

  /**
   * A directory token (issue 16): GET on its application's directory read API and nothing else, so
   * it cannot call SCIM or admin routes, and no other token can call the read API.
   */
  const authorizeDirectory = async (
    token: string,
    claimed: { appId: string; tokenId: string },
    prefix: string,
    at: Date,
    refuseFor: (reasonOf: (app: Application) => RefusalReason, reason: string, ids?: Record<string, string>) => Promise<never>,
  ): Promise<APIGatewayAuthorizerResult> => {
    const { appId } = claimed;
    const stored = lookups.directoryTokens ? await dependency('directory token hashes', () => lookups.directoryTokens!(appId)) : undefined;
    if (!stored) return refuseFor(() => RefusalReason.unknownToken, 'unknown directory token', { appId });
    const result = verifyToken(token, stored, at);
    if (!result.ok) return refuseFor(() => RefusalReason.unknownToken, result.reason, { kind: 'directory', appId, tokenId: claimed.tokenId });
    const app = await dependency('application settings', () => lookups.app(appId));
    if (!app) return refuseFor(() => RefusalReason.unknownToken, 'application deleted', { appId });
    return allow(`directory:${appId}:${result.token.id}`, [`${prefix}/GET/apps/${appId}/directory/v1/*`], {
      kind: 'directory',
      appId,
      appName: app.name,
      tokenId: result.token.id,
      [ACCESS_DENIED_CONTEXT_KEY]: 'A directory token reads its own application\'s directory API (GET /apps/<appId>/directory/v1/…) and nothing else.',
    });
  };

  return async (event) => {
    const prefix = stagePrefixOf(event.methodArn);
    const target = tenantTargetOf(event.methodArn);
    const at = now();
    const refuseFor = async (reasonOf: (app: Application) => RefusalReason, reason: string, ids: Record<string, string> = {}): Promise<never> => {
      await noteRefusal(target, at, 401, reasonOf);
      return refuse(reason, ids);
    };

    const token = bearerToken(event.authorizationToken);
    if (!token) return refuseFor(() => RefusalReason.malformedHeader, 'no bearer token');
    const claimed = parseToken(token);
    if (!claimed && jwts && target && looksLikeJwt(token)) {
      // A JWT opens only the application whose Tenant URL it calls: verified against that one.
      const app = isAppId(target.appId) ? await dependency('application settings', () => lookups.app(target.appId)) : undefined;
      if (!app) return refuseFor(() => RefusalReason.otherApplication, 'unknown application', { appId: target.appId });
      let verdict;
      try {
        verdict = await jwts(token, app.id, at);
      } catch (error) {
        // No keys at all, or a store read failing: an outage, answered 503 (fail closed), never a 401.
        logger.error('authorizer dependency failed', { what: 'JWT verification', error: error as Error });
        const message = error instanceof KeysUnavailableError ? 'No verification keys.' : 'Could not verify the JWT.';
        throw new AuthorizerFailureError(message, { cause: error });
      }
      if (!verdict.ok) {
        const reason = verdict.reason;
        return refuseFor(() => reason, reason, { appId: app.id });
      }
      logger.debug('JWT accepted', { appId: app.id, method: verdict.principal.method });
      return allowApp(prefix, app, verdict.principal, principalIdOf(app.id, verdict.principal));
    }
    if (!claimed) return refuseFor(() => RefusalReason.malformedHeader, 'not a gateway token');

    if (claimed.kind === 'admin') {
      const stored = (await dependency('admin token hashes', () => lookups.adminTokens())) ?? [];
      const result = verifyToken(token, stored, at);
      if (!result.ok) return refuseFor(() => RefusalReason.adminToken, result.reason, { kind: 'admin', tokenId: claimed.tokenId });
      // Valid, but it only opens /admin: a Tenant URL answers 403.
      await noteRefusal(target, at, 403, () => RefusalReason.adminToken);
      return allow(`admin:${result.token.id}`, [`${prefix}/*/admin`, `${prefix}/*/admin/*`], {
        kind: 'admin',
        tokenId: result.token.id,
        [ACCESS_DENIED_CONTEXT_KEY]: ADMIN_TOKEN_DETAIL,
      });
    }

    if (claimed.kind === 'directory') return authorizeDirectory(token, claimed, prefix, at, refuseFor);

    const { appId } = claimed;
    // A token of another application on this Tenant URL: whatever else is wrong with it, that is the mistake to fix.
    const ownReason = (verdict: 'unknown' | 'expired') => (app: Application) =>
      app.id === appId ? reasonFor(verdict, claimed.tokenId, app) : RefusalReason.otherApplication;
    const stored = await dependency('application token hashes', () => lookups.appTokens(appId));
    if (!stored) return refuseFor(ownReason('unknown'), 'unknown application', { appId });
    const result = verifyToken(token, stored, at);
    if (!result.ok) return refuseFor(ownReason(result.reason), result.reason, { appId, tokenId: claimed.tokenId });
    const app = await dependency('application settings', () => lookups.app(appId));
    if (!app) return refuseFor(ownReason('unknown'), 'application deleted', { appId });
    const tokenId = result.token.id;
    if (target && target.appId !== appId) await noteRefusal(target, at, 403, () => RefusalReason.otherApplication);
    logger.debug('token accepted', { appId, tokenId });
    const principal: Principal = { method: 'secret-token', tokenId };
    return allowApp(prefix, app, principal, principalIdOf(appId, principal));
  };
};

/** Microsoft's signing keys over HTTPS (the authorizer's only outbound call, cached for a day). */
const fetchEntraKeys: FetchKeySet = async () => {
  const response = await fetch(ENTRA_JWKS_URL, { signal: AbortSignal.timeout(3000) });
  if (!response.ok) throw new Error(`Entra JWKS answered ${response.status}`);
  return response.json();
};

export interface AuthorizerHandlerOptions {
  /** Where Entra's keys come from. @default Microsoft's JWKS over HTTPS (tests inject a fixture key set) */
  fetchEntraKeys?: FetchKeySet;
}

/** The JWT verifier over the runtime's stores, its caches held per container. */
const jwtVerifierOf = (rt: Runtime, options: AuthorizerHandlerOptions): BearerJwtVerifier => {
  const ttl = rt.config.SCIM_AUTH_CACHE_SECONDS;
  const { clients, entra, signingKeys } = oauthStoresOf(rt);
  const clientRecord = ttlCache(ttl, (key) => {
    const [appId, clientId] = key.split('/');
    return clients.record(appId, clientId);
  });
  const entraAcceptance = ttlCache(ttl, (appId) => entra.get(appId));
  return createBearerJwtVerifier({
    // Our published keys live as long as the other cached lookups; an unknown `kid` refreshes at most every 10 s.
    ourKeys: createKeySetCache({
      fetchKeySet: async () => (await signingKeys.publishedKeys()) ?? { keys: [] },
      maxAgeSeconds: ttl,
      minRefreshIntervalSeconds: Math.min(ttl, 10),
    }),
    entraKeys: createKeySetCache({ fetchKeySet: options.fetchEntraKeys ?? fetchEntraKeys }),
    clientRecord: (appId, clientId) => clientRecord(`${appId}/${clientId}`),
    entraAcceptance,
    issuer: rt.config.SCIM_API_URL,
  });
};

/** The authorizer over the runtime's stores, with its cached lookups (one set per container). */
export const createAuthorizerHandler = (rt: Runtime, options: AuthorizerHandlerOptions = {}): Authorizer =>
  createAuthorizer({
    lookups: createAuthLookups(appStoreDeps(rt), rt.config.SCIM_AUTH_CACHE_SECONDS),
    jwts: jwtVerifierOf(rt, options),
    refusals: createRefusalRecorder(rt.dynamo, rt.config.SCIM_TABLE_NAME, {
      onError: (error, refusal) =>
        logger.warn('could not record a refused connection', { error: error as Error, appId: refusal.appId, reason: refusal.reason }),
    }),
  });

/** The Lambda entry point; the stores and their caches are built on the first call of a container. */
export const handler = onFirstInvocation<APIGatewayTokenAuthorizerEvent, unknown, Promise<APIGatewayAuthorizerResult>>(() => {
  const authorize = createAuthorizerHandler(runtime());
  return (event) => authorize(event);
});
