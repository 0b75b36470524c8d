/**
 * Directory tokens (issue 16): what the customer's application presents to the directory read API.
 * Read-only, one application's directory only, hashed at rest like Secret Tokens (only the SHA-256
 * of the whole token is kept, in the secret store); the clear token is shown once.
 */
import { isAppId, isTokenId, issueDirectoryToken } from '../domain/secret-tokens';
import { ScimError } from '../scim/errors';
import type { StoreDeps } from '../store/auth-lookups';

/** Live directory tokens per application, at most (rotate by creating one, then revoking the old). */
export const MAX_DIRECTORY_TOKENS = 10;

export const createDirectoryTokens = ({ apps, vault }: StoreDeps, now: () => Date = () => new Date()) => {
  const appOf = async (appId: string) => {
    const app = isAppId(appId) ? await apps.get(appId) : undefined;
    if (!app) throw ScimError.notFound(`Application ${appId} not found.`);
    return app;
  };
  return {
    async create(appId: string): Promise<{ id: string; token: string; created: string }> {
      await appOf(appId);
      const tokens = (await vault.directoryTokens(appId)) ?? [];
      if (tokens.length >= MAX_DIRECTORY_TOKENS) {
        throw ScimError.conflict(`Application ${appId} already has ${MAX_DIRECTORY_TOKENS} directory tokens; revoke one before creating another.`);
      }
      const issued = issueDirectoryToken(appId, now());
      await vault.putDirectoryTokens(appId, [...tokens, issued.stored]);
      return { id: issued.stored.id, token: issued.token, created: issued.stored.created };
    },
    async list(appId: string): Promise<{ id: string; created: string }[]> {
      await appOf(appId);
      return ((await vault.directoryTokens(appId)) ?? []).map(({ id, created }) => ({ id, created }));
    },
    async revoke(appId: string, tokenId: string): Promise<void> {
      await appOf(appId);
      const tokens = (await vault.directoryTokens(appId)) ?? [];
      if (!isTokenId(tokenId) || !tokens.some((t) => t.id === tokenId)) throw ScimError.notFound(`Directory token ${tokenId} not found for application ${appId}.`);
      await vault.putDirectoryTokens(appId, tokens.filter((t) => t.id !== tokenId));
    },
  };
};
