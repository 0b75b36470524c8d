/**
 * The OAuth stores (clients, Entra settings, signing keys) as the runtime's configuration
 * describes them, for the token endpoint, the admin API's OAuth routes and the authorizer. Apart
 * from app-stores.ts so the SCIM handlers' bundles carry none of it.
 */
import { invalidatingWrites } from '../store/auth-lookups';
import { createEntraAcceptanceStore, type EntraAcceptanceStore } from '../store/entra-acceptance';
import { createOAuthClientStore, type OAuthClientStore } from '../store/oauth-clients';
import { createSigningKeyStore, type SigningKeyStore } from '../store/signing-keys';
import { secretStoreOf } from './app-stores';
import type { Runtime } from './runtime';

export interface OAuthStores {
  clients: OAuthClientStore;
  entra: EntraAcceptanceStore;
  signingKeys: SigningKeyStore;
}

/** Calls that change nothing the authorizer caches (`noteUse`: a last-used stamp). */
const CLIENT_READS: ReadonlySet<string> = new Set(['get', 'record', 'list', 'noteUse']);
const ENTRA_READS: ReadonlySet<string> = new Set(['get']);

export const oauthStoresOf = ({ config, dynamo }: Runtime): OAuthStores => {
  const secrets = secretStoreOf(config);
  return {
    // Their writes drop this process's cached lookups, so the local gateway refuses a revoked client at once.
    clients: invalidatingWrites(createOAuthClientStore(dynamo, config.SCIM_TABLE_NAME, secrets, config.SCIM_SECRET_PREFIX), CLIENT_READS),
    entra: invalidatingWrites(createEntraAcceptanceStore(dynamo, config.SCIM_TABLE_NAME), ENTRA_READS),
    signingKeys: createSigningKeyStore(dynamo, config.SCIM_TABLE_NAME, secrets, config.SCIM_SECRET_PREFIX),
  };
};
