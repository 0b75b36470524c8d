/**
 * The stores behind applications (the application items and the token vault over the configured
 * secret store), built from the runtime by the handlers that need them: the admin API, the
 * authorizer and the local gateway's first start. Kept out of runtime.ts so the SCIM handlers'
 * bundles carry no Secrets Manager client.
 */
import { createAppStore } from '../store/application-items';
import { invalidatingStores, type StoreDeps } from '../store/auth-lookups';
import { createFileSecretStore, createSecretsManagerStore, type SecretStore } from '../store/secret-stores';
import { createTokenVault } from '../store/token-vault';
import type { Config } from './config';
import type { Runtime } from './runtime';

/** The store the configuration asks for (`SCIM_SECRET_STORE`). */
export const secretStoreOf = (config: Pick<Config, 'SCIM_SECRET_STORE' | 'SCIM_SECRET_FILE' | 'SCIM_SECRET_KMS_KEY_ID'>): SecretStore => {
  if (config.SCIM_SECRET_STORE === 'file') {
    if (!config.SCIM_SECRET_FILE) throw new Error('SCIM_SECRET_STORE=file needs SCIM_SECRET_FILE (the path of the JSON file).');
    return createFileSecretStore(config.SCIM_SECRET_FILE);
  }
  return createSecretsManagerStore(undefined, config.SCIM_SECRET_KMS_KEY_ID);
};

/** The application items and the token vault, as the runtime's configuration describes them; their writes drop this process's cached lookups. */
export const appStoreDeps = ({ config, dynamo }: Runtime): StoreDeps =>
  invalidatingStores({
    apps: createAppStore(dynamo, config.SCIM_TABLE_NAME),
    vault: createTokenVault(secretStoreOf(config), config.SCIM_SECRET_PREFIX),
  });
