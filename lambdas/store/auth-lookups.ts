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
 * How many writes to applications or tokens this process has made. A cached lookup is valid only
 * for the count it was loaded at, so in the local gateway (admin API and authorizer in one
 * process) a revoked or rotated token is refused on the very next request while nothing is
 * re-read per request. Deployed, the admin API runs in other containers: there the TTL bounds it.
 */
let applicationWrites = 0;

/** This process's count of such writes: anything cached from reads made at another count is stale (the local gateway's authorizer cache). */
export const applicationWriteCount = (): number => applicationWrites;

/** Counts a write to applications or their settings (stores outside `invalidatingStores` call it themselves). */
export const noteApplicationWrite = (): void => {
  applicationWrites += 1;
};

/** Wraps a store so that every call other than the named reads counts as a write (methods added later count too). */
export const invalidatingWrites = <T extends object>(store: T, reads: ReadonlySet<string>): T =>
  Object.fromEntries(
    Object.entries(store).map(([name, member]) =>
      typeof member !== 'function' || reads.has(name)
        ? [name, member]
        : [
            name,
            async (...args: unknown[]) => {
              try {
                return await (member as (...a: unknown[]) => Promise<unknown>).apply(store, args);
              } finally {
                noteApplicationWrite();
              }
            },
          ],
    ),
  ) as T;

const APP_READS: ReadonlySet<string> = new Set(['get', 'list', 'hasResources']);
const VAULT_READS: ReadonlySet<string> = new Set(['appTokens', 'adminTokens', 'directoryTokens']);

/** The stores, with their writes invalidating this process's cached lookups. */
export const invalidatingStores = ({ apps, vault }: StoreDeps): StoreDeps => ({
  apps: invalidatingWrites(apps, APP_READS),
  vault: invalidatingWrites(vault, VAULT_READS),
});

/**
 * A time-bounded in-memory cache of loads (TTL 0 = load every time), dropped by any write through
 * `invalidatingStores`. Concurrent callers share one load; a failed load is not kept, so a
 * transient outage is retried rather than remembered.
 */
export const ttlCache = <T>(ttlSeconds: number, load: (key: string) => Promise<T>, maxEntries = 1000) => {
  const entries = new Map<string, { expires: number; writes: number; value: Promise<T> }>();
  return (key: string): Promise<T> => {
    if (ttlSeconds <= 0) return load(key);
    const at = Date.now();
    const hit = entries.get(key);
    if (hit && hit.expires > at && hit.writes === applicationWrites) return hit.value;
    entries.delete(key);
    const value = load(key);
    entries.set(key, { expires: at + ttlSeconds * 1000, writes: applicationWrites, value });
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
