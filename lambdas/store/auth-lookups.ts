/**
 * What the authorizer (and handlers needing an application's settings) read per request: the
 * application item and token hashes, cached in memory for SCIM_AUTH_CACHE_SECONDS so Secrets
 * Manager is not called per request. Kept apart from the admin use cases (use-cases/applications.ts).
 * Built from the configuration by shared/app-stores.ts.
 */
import type { StoredToken } from '../domain/secret-tokens';
import type { Application, AppStore } from './application-items';
import type { TokenVault } from './token-vault';

/** The two stores behind applications: items in DynamoDB, token hashes in the secret store. */
export interface StoreDeps {
  apps: AppStore;
  vault: TokenVault;
}

/**
 * A time-bounded in-memory cache of loads (TTL 0 = load every time). Concurrent callers share one
 * load; a failed load is not kept, so a transient outage is retried rather than remembered.
 */
export const ttlCache = <T>(ttlSeconds: number, load: (key: string) => Promise<T>, maxEntries = 1000) => {
  const entries = new Map<string, { expires: number; value: Promise<T> }>();
  return (key: string): Promise<T> => {
    if (ttlSeconds <= 0) return load(key);
    const at = Date.now();
    const hit = entries.get(key);
    if (hit && hit.expires > at) return hit.value;
    entries.delete(key);
    const value = load(key);
    entries.set(key, { expires: at + ttlSeconds * 1000, value });
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    // Unknown app ids are cached too (as undefined); bound memory against callers inventing them.
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    return value;
  };
};

export interface AuthLookups {
  app(appId: string): Promise<Application | undefined>;
  appTokens(appId: string): Promise<StoredToken[] | undefined>;
  adminTokens(): Promise<StoredToken[] | undefined>;
  /** Directory token hashes of an application; absent: directory tokens are refused. */
  directoryTokens?(appId: string): Promise<StoredToken[] | undefined>;
}

/** What the authorizer reads per request, cached for `ttlSeconds` so Secrets Manager is not called per request. */
export const createAuthLookups = ({ apps, vault }: StoreDeps, ttlSeconds: number): AuthLookups => {
  const app = ttlCache(ttlSeconds, (appId) => apps.get(appId));
  const appTokens = ttlCache(ttlSeconds, (appId) => vault.appTokens(appId));
  const adminTokens = ttlCache(ttlSeconds, () => vault.adminTokens());
  const directoryTokens = ttlCache(ttlSeconds, (appId) => vault.directoryTokens(appId));
  return { app, appTokens, adminTokens: () => adminTokens('admin'), directoryTokens };
};
