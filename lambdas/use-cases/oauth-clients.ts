/**
 * The admin API's OAuth use cases (issue 17): an application's OAuth clients and their secrets,
 * its Entra-issued-JWT setting, and the rotation of the gateway's signing keys. Every change to a
 * client is made under the application's token lease (application-items.ts lockTokens), the same
 * lease its Secret Tokens use, because both live in the application's secrets.
 */
import { isAppId } from '../domain/secret-tokens';
import { ClientSecretCreateSchema, OAuthClientCreateSchema, type ClientSecretCreateInput, type OAuthClientCreateInput } from '../oauth/client-input';
import { newClientId, parseClientId } from '../oauth/client-secrets';
import { addClientSecret, createOAuthClient, revokeClient, revokeClientSecret, type IssuedClientSecret, type OAuthClient } from '../oauth/clients';
import { EntraAcceptanceSchema, type EntraAcceptance } from '../oauth/entra-tokens';
import { tokenEndpointOf } from '../oauth/urls';
import { ScimError } from '../scim/errors';
import { logger } from '../shared/logger';
import type { AppStore } from '../store/application-items';
import type { EntraAcceptanceStore } from '../store/entra-acceptance';
import type { OAuthClientRecord, OAuthClientStore } from '../store/oauth-clients';
import { parseInput } from './applications';

/** Clients one application may have (live or revoked): enough for one per IdP and environment. */
export const MAX_OAUTH_CLIENTS = 10;

export interface OAuthAdminDeps {
  apps: Pick<AppStore, 'get' | 'lockTokens' | 'unlockTokens'>;
  clients: OAuthClientStore;
  entra: EntraAcceptanceStore;
  now?: () => Date;
}

export interface IssuedSecretView {
  clientId: string;
  /** Shown once. */
  clientSecret: string;
  secretId: string;
  expiresAt: string;
}

export interface CreatedClientView extends IssuedSecretView {
  tokenEndpoint: string;
  tokenLifetimeMinutes: number;
}

const issuedView = (issued: IssuedClientSecret): IssuedSecretView => ({
  clientId: issued.client.clientId,
  clientSecret: issued.clientSecret,
  secretId: issued.secretId,
  expiresAt: issued.expiresAt,
});

export const createOAuthAdmin = ({ apps, clients, entra, now = () => new Date() }: OAuthAdminDeps) => {
  const appOf = async (appId: string) => {
    const app = isAppId(appId) ? await apps.get(appId) : undefined;
    if (!app) throw ScimError.notFound(`Application ${appId} not found.`);
    return app;
  };

  const notFound = (appId: string, clientId: string) => ScimError.notFound(`OAuth client ${clientId} not found for application ${appId}.`);

  /** Runs a change under the application's token lease. */
  const underLease = async <T>(appId: string, change: (at: Date) => Promise<T>): Promise<T> => {
    await appOf(appId);
    const at = now();
    const lease = await apps.lockTokens(appId, at);
    try {
      return await change(at);
    } finally {
      await apps.unlockTokens(appId, lease).catch((e: unknown) => logger.warn('could not release a token lease', { appId, error: e as Error }));
    }
  };

  const clientOf = async (appId: string, clientId: string): Promise<OAuthClient> => {
    if (parseClientId(clientId)?.appId !== appId) throw notFound(appId, clientId);
    const client = await clients.get(appId, clientId);
    if (!client) throw notFound(appId, clientId);
    return client;
  };

  return {
    async list(appId: string): Promise<OAuthClientRecord[]> {
      await appOf(appId);
      return clients.list(appId);
    },

    async get(appId: string, clientId: string): Promise<OAuthClientRecord> {
      await appOf(appId);
      const record = parseClientId(clientId)?.appId === appId ? await clients.record(appId, clientId) : undefined;
      if (!record) throw notFound(appId, clientId);
      return record;
    },

    async create(appId: string, input: OAuthClientCreateInput, apiUrl: string): Promise<CreatedClientView> {
      const parsed = parseInput(OAuthClientCreateSchema, input ?? {}, 'OAuth client');
      const issued = await underLease(appId, async (at) => {
        const existing = await clients.list(appId);
        if (existing.length >= MAX_OAUTH_CLIENTS) {
          throw ScimError.conflict(`Application ${appId} already has ${MAX_OAUTH_CLIENTS} OAuth clients; delete one before creating another.`);
        }
        const created = createOAuthClient(appId, newClientId(appId), parsed, at);
        await clients.save(created.client);
        return created;
      });
      logger.info('OAuth client created', { appId, clientId: issued.client.clientId, secretId: issued.secretId });
      return { ...issuedView(issued), tokenEndpoint: tokenEndpointOf(apiUrl, appId), tokenLifetimeMinutes: issued.client.tokenLifetimeMinutes };
    },

    /** Revokes the client and every secret: its tokens stop within the authorizer's cache lifetime. */
    async revoke(appId: string, clientId: string): Promise<void> {
      await underLease(appId, async (at) => {
        const client = await clientOf(appId, clientId);
        if (client.revokedAt) throw notFound(appId, clientId);
        await clients.save(revokeClient(client, at));
      });
      logger.info('OAuth client revoked', { appId, clientId });
    },

    /** Rotation, step one: a second live secret (two at most). */
    async addSecret(appId: string, clientId: string, input: ClientSecretCreateInput): Promise<IssuedSecretView> {
      const parsed = parseInput(ClientSecretCreateSchema, input ?? {}, 'client secret request');
      const issued = await underLease(appId, async (at) => {
        const next = addClientSecret(await clientOf(appId, clientId), parsed, at);
        await clients.save(next.client);
        return next;
      });
      logger.info('OAuth client secret created', { appId, clientId, secretId: issued.secretId });
      return issuedView(issued);
    },

    async revokeSecret(appId: string, clientId: string, secretId: string): Promise<void> {
      await underLease(appId, async (at) => {
        await clients.save(revokeClientSecret(await clientOf(appId, clientId), secretId, at));
      });
      logger.info('OAuth client secret revoked', { appId, clientId, secretId });
    },

    async entraAcceptance(appId: string): Promise<EntraAcceptance> {
      await appOf(appId);
      return (await entra.get(appId)) ?? { tenantIds: [] };
    },

    async setEntraAcceptance(appId: string, input: unknown): Promise<EntraAcceptance> {
      const parsed = parseInput(EntraAcceptanceSchema, input, 'Entra setting');
      await appOf(appId);
      const acceptance: EntraAcceptance = {
        tenantIds: [...new Set(parsed.tenantIds.map((t) => t.toLowerCase()))],
        ...(parsed.audiences ? { audiences: [...new Set(parsed.audiences.map((a) => a.toLowerCase()))] } : {}),
      };
      await entra.put(appId, acceptance);
      logger.info('Entra setting changed', { appId, tenants: acceptance.tenantIds.length });
      return acceptance;
    },
  };
};

