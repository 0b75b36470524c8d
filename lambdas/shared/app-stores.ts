/**
 * The stores behind applications as the configuration describes them (table, secret store, secret
 * prefix), and the authorizer's cached lookups over them, built once per container. The stores
 * themselves take these as arguments; reading the configuration is the handler layer's part.
 */
import { createAppStore } from '../store/application-items';
import { createAuthLookups, type AuthLookups, type StoreDeps } from '../store/auth-lookups';
import { documentClient } from '../store/client';
import { createFileSecretStore, createSecretsManagerStore, type SecretStore } from '../store/secret-stores';
import { createTokenVault } from '../store/token-vault';
import { loadConfig, type Config } from './config';

/** The store the configuration asks for (`SCIM_SECRET_STORE`). */
export const secretStoreFromConfig = (config: Pick<Config, 'SCIM_SECRET_STORE' | 'SCIM_SECRET_FILE' | 'SCIM_SECRET_KMS_KEY_ID'>): SecretStore => {
  if (config.SCIM_SECRET_STORE === 'file') {
    if (!config.SCIM_SECRET_FILE) throw new Error('SCIM_SECRET_STORE=file needs SCIM_SECRET_FILE (the path of the JSON file).');
    return createFileSecretStore(config.SCIM_SECRET_FILE);
  }
  return createSecretsManagerStore(undefined, config.SCIM_SECRET_KMS_KEY_ID);
};

/** Stores as the configuration describes them (table, secret store, secret prefix). */
export const depsFromConfig = (config: Config = loadConfig()): StoreDeps => ({
  apps: createAppStore(documentClient(), config.SCIM_TABLE_NAME),
  vault: createTokenVault(secretStoreFromConfig(config), config.SCIM_SECRET_PREFIX),
});

let defaultLookups: AuthLookups | undefined;
/** The container's cached lookups, built on first use from the configuration. */
export const authLookups = (): AuthLookups => {
  if (!defaultLookups) {
    const config = loadConfig();
    defaultLookups = createAuthLookups(depsFromConfig(config), config.SCIM_AUTH_CACHE_SECONDS);
  }
  return defaultLookups;
};
