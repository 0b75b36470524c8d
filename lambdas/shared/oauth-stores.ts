/**
 * The OAuth stores (clients, Entra settings, signing keys) as the runtime's configuration
 * describes them, for the token endpoint, the admin API's OAuth routes and the authorizer. Apart
 * from app-stores.ts so the SCIM handlers' bundles carry none of it.
 */
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

export const oauthStoresOf = ({ config, dynamo }: Runtime): OAuthStores => {
  const secrets = secretStoreOf(config);
  return {
    clients: createOAuthClientStore(dynamo, config.SCIM_TABLE_NAME, secrets, config.SCIM_SECRET_PREFIX),
    entra: createEntraAcceptanceStore(dynamo, config.SCIM_TABLE_NAME),
    signingKeys: createSigningKeyStore(dynamo, config.SCIM_TABLE_NAME, secrets, config.SCIM_SECRET_PREFIX),
  };
};
