/**
 * REST API TOKEN authorizer. Identity source: the `Authorization` header, `Bearer <token>`.
 *
 * - Unknown, malformed, expired or revoked token → `throw new Error('Unauthorized')`, which API
 *   Gateway (and the local adapter) answer with 401.
 * - Application token → Allow on that application's own path prefix only,
 *   `arn:…:<api>/<stage>/*\/apps/<appId>/*`: API Gateway caches the policy per token, and a policy
 *   naming only the first method ARN would 403 the next path, while `*` would let the cached
 *   decision reach every other application (aws-design.md §4.2). Another app's URL → 403.
 * - Admin token → Allow on `/admin` and below.
 * - Secrets Manager or DynamoDB failing → any other error (AUTHORIZER_FAILURE, answered 503): fail closed.
 *
 * Secrets and application items are cached in memory for SCIM_AUTH_CACHE_SECONDS. Tokens and the
 * header are never logged.
 */
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { logger } from '../shared/logger';
import { bearerToken, parseToken, verifyToken } from '../shared/tokens';
import { authLookups, type AuthLookups } from '../store/auth-lookups';

export interface AuthorizerDeps {
  lookups: AuthLookups;
  now?: () => Date;
}

export type Authorizer = (event: APIGatewayTokenAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

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

export const createAuthorizer = ({ lookups, now = () => new Date() }: AuthorizerDeps): Authorizer =>
  async (event) => {
    const token = bearerToken(event.authorizationToken);
    if (!token) return refuse('no bearer token');
    const claimed = parseToken(token);
    if (!claimed) return refuse('not a gateway token');
    const prefix = stagePrefixOf(event.methodArn);
    const at = now();

    if (claimed.kind === 'admin') {
      const stored = (await dependency('admin token hashes', () => lookups.adminTokens())) ?? [];
      const result = verifyToken(token, stored, at);
      if (!result.ok) return refuse(result.reason, { kind: 'admin', tokenId: claimed.tokenId });
      return allow(`admin:${result.token.id}`, [`${prefix}/*/admin`, `${prefix}/*/admin/*`], {
        kind: 'admin',
        tokenId: result.token.id,
      });
    }

    const { appId } = claimed;
    const stored = await dependency('application token hashes', () => lookups.appTokens(appId));
    if (!stored) return refuse('unknown application', { appId });
    const result = verifyToken(token, stored, at);
    if (!result.ok) return refuse(result.reason, { appId, tokenId: claimed.tokenId });
    const app = await dependency('application settings', () => lookups.app(appId));
    if (!app) return refuse('application deleted', { appId });
    const tokenId = result.token.id;
    logger.debug('token accepted', { appId, tokenId });
    return allow(`app:${appId}:${tokenId}`, [`${prefix}/*/apps/${appId}/*`], {
      kind: 'app',
      appId,
      appName: app.name,
      tokenId,
      // Context values must be scalars: the list travels as JSON (read back in shared/http.ts).
      requiredAttributes: JSON.stringify(app.requiredAttributes),
    });
  };

let authorizer: Authorizer | undefined;

/** The Lambda entry point; the stores and their caches are built on the first call of a container. */
export const handler: Authorizer = (event) => {
  authorizer ??= createAuthorizer({ lookups: authLookups() });
  return authorizer(event);
};
