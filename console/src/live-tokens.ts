/** Which of an application's Secret Tokens still open its Tenant URL (the store's rule: revoked tokens are not listed). */
import type { AppJson, TokenJson } from '../../lambdas/admin/api-json';

/** A token is live until it expires. */
export const liveTokens = (app: AppJson, now = Date.now()): TokenJson[] =>
  app.tokens.filter((t) => !t.expiresAt || Date.parse(t.expiresAt) > now);
