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
import { onFirstInvocation, runtime, type Runtime } from '../shared/runtime';
import type { Application } from '../store/application-items';
import { createAuthLookups, type AuthLookups } from '../store/auth-lookups';
import { createRefusalRecorder, type RefusalRecorder } from '../store/auth-refusals';

export interface AuthorizerDeps {
  lookups: AuthLookups;
  /** Counts refusals for the report; none: refusals are only logged. */
  refusals?: RefusalRecorder;
  /** Emits a metric (default: an EMF line through Powertools Metrics). */
  count?: (name: MetricName) => void;
  now?: () => Date;
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

export const createAuthorizer = ({ lookups, refusals, count = countNow, now = () => new Date() }: AuthorizerDeps): Authorizer => {
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
    return allow(`app:${appId}:${tokenId}`, [`${prefix}/*/apps/${appId}/*`], {
      kind: 'app',
      appId,
      appName: app.name,
      tokenId,
      // Context values must be scalars: the list travels as JSON (read back in shared/http.ts).
      requiredAttributes: JSON.stringify(app.requiredAttributes),
      // What API Gateway's 403 says when this token calls outside its prefix (lib/gateway-responses.ts).
      [ACCESS_DENIED_CONTEXT_KEY]: OTHER_APPLICATION_DETAIL,
    });
  };
};

/** The authorizer over the runtime's stores, with its cached lookups (one set per container). */
export const createAuthorizerHandler = (rt: Runtime): Authorizer =>
  createAuthorizer({
    lookups: createAuthLookups(appStoreDeps(rt), rt.config.SCIM_AUTH_CACHE_SECONDS),
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
