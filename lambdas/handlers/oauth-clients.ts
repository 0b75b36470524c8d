/**
 * Admin API for OAuth 2.0 client credentials (issue 17): an application's OAuth clients and their
 * secrets, its Entra-issued-JWT setting, and the rotation of the gateway's signing keys (routes in
 * lambdas/shared/routes.ts, admin token only). Parse → call the use case → respond; errors are the
 * admin API's (ScimError, mapped once by httpHandler).
 *
 * IAM (lib/gateway/permissions.ts): the main table's items, the application secrets under
 * `<prefix>/apps/*` (client secret hashes) and the signing key secret.
 */
import type {
  CreatedClientSecretJson,
  CreatedOAuthClientJson,
  EntraAcceptanceJson,
  OAuthClientJson,
  OAuthClientListJson,
  SigningKeysJson,
} from '../admin/api-json';
import type { ClientSecretCreateInput, OAuthClientCreateInput } from '../oauth/client-input';
import { KeyRotationError } from '../oauth/signing-keys';
import { tokenEndpointOf } from '../oauth/urls';
import { ScimError } from '../scim/errors';
import { appStoreDeps } from '../shared/app-stores';
import { httpHandler, type HttpHandler } from '../shared/handler';
import { created, noContent, ok, type HttpResponse, type ScimRequest } from '../shared/http';
import { oauthStoresOf } from '../shared/oauth-stores';
import { tenantUrlOf } from '../shared/routes';
import { onFirstInvocation, runtime, type Runtime } from '../shared/runtime';
import type { OAuthClientRecord } from '../store/oauth-clients';
import { createOAuthAdmin } from '../use-cases/oauth-clients';
import { createSigningKeyring } from '../use-cases/signing-keyring';

const param = (request: ScimRequest, name: string): string => request.pathParams[name] ?? '';

const NO_STORE = { 'Cache-Control': 'no-store' };

export const clientJson = (record: OAuthClientRecord, apiUrl: string, now: Date): OAuthClientJson => {
  const json: OAuthClientJson = {
    clientId: record.clientId,
    tokenLifetimeMinutes: record.tokenLifetimeMinutes,
    created: record.created,
    secrets: record.secrets.filter((s) => Date.parse(s.expiresAt) > now.getTime()),
    tokenEndpoint: tokenEndpointOf(apiUrl, record.appId),
    tenantUrl: tenantUrlOf(apiUrl, record.appId),
  };
  if (record.description) json.description = record.description;
  if (record.revokedAt) json.revokedAt = record.revokedAt;
  if (record.lastUsed) json.lastUsed = record.lastUsed;
  return json;
};

export const createOAuthClientsHandler = (rt: Runtime): HttpHandler => {
  const { apps } = appStoreDeps(rt);
  const stores = oauthStoresOf(rt);
  const admin = createOAuthAdmin({ apps, clients: stores.clients, entra: stores.entra });
  const keyring = createSigningKeyring(stores.signingKeys, rt.config.SCIM_AUTH_CACHE_SECONDS);

  const listOAuthClients = async (request: ScimRequest): Promise<HttpResponse> => {
    const records = await admin.list(param(request, 'appId'));
    const now = new Date();
    return ok({ clients: records.map((r) => clientJson(r, request.apiUrl, now)) } satisfies OAuthClientListJson);
  };

  const createOAuthClient = async (request: ScimRequest): Promise<HttpResponse> => {
    const appId = param(request, 'appId');
    const made = await admin.create(appId, (request.body ?? {}) as OAuthClientCreateInput, request.apiUrl);
    return created({ ...made, tenantUrl: tenantUrlOf(request.apiUrl, appId) } satisfies CreatedOAuthClientJson, {
      ...NO_STORE,
      Location: `${request.apiUrl}/admin/apps/${appId}/oauth-clients/${made.clientId}`,
    });
  };

  const getOAuthClient = async (request: ScimRequest): Promise<HttpResponse> =>
    ok(clientJson(await admin.get(param(request, 'appId'), param(request, 'clientId')), request.apiUrl, new Date()));

  const revokeOAuthClient = async (request: ScimRequest): Promise<HttpResponse> => {
    await admin.revoke(param(request, 'appId'), param(request, 'clientId'));
    return noContent();
  };

  const createClientSecret = async (request: ScimRequest): Promise<HttpResponse> => {
    const issued = await admin.addSecret(param(request, 'appId'), param(request, 'clientId'), (request.body ?? {}) as ClientSecretCreateInput);
    return created(issued satisfies CreatedClientSecretJson, NO_STORE);
  };

  const revokeClientSecret = async (request: ScimRequest): Promise<HttpResponse> => {
    await admin.revokeSecret(param(request, 'appId'), param(request, 'clientId'), param(request, 'secretId'));
    return noContent();
  };

  const getEntraAcceptance = async (request: ScimRequest): Promise<HttpResponse> =>
    ok((await admin.entraAcceptance(param(request, 'appId'))) as EntraAcceptanceJson);

  const setEntraAcceptance = async (request: ScimRequest): Promise<HttpResponse> =>
    ok((await admin.setEntraAcceptance(param(request, 'appId'), request.body)) as EntraAcceptanceJson);

  const rotateSigningKeys = async (): Promise<HttpResponse> => {
    try {
      return ok((await keyring.rotate(new Date())) satisfies SigningKeysJson);
    } catch (error) {
      // An operator rotating too soon would refuse live tokens: say so, change nothing.
      if (error instanceof KeyRotationError) throw ScimError.conflict(`Not rotated: ${error.message}.`);
      throw error;
    }
  };

  return httpHandler(
    rt,
    'oauth-clients',
    { listOAuthClients, createOAuthClient, getOAuthClient, revokeOAuthClient, createClientSecret, revokeClientSecret, getEntraAcceptance, setEntraAcceptance, rotateSigningKeys },
    { contentType: 'application/json' },
  );
};

/** The Lambda entry point. */
export const handler = onFirstInvocation(() => createOAuthClientsHandler(runtime()));
