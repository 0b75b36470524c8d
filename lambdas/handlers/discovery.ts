/**
 * Discovery (RFC 7644 §4): what this server supports, per application. The schemas include the
 * custom User extensions the application has used (recorded by the stream consumer on the app item).
 */
import { findResourceType, findSchema, resourceTypeDocuments, schemaDocuments, serviceProviderConfig } from '../scim/discovery';
import { listResponse } from '../scim/list-response';
import { httpHandler, type HttpHandler } from '../shared/handler';
import { ok, type AppRequest, type HttpResponse } from '../shared/http';
import { tenantUrlOf } from '../shared/routes';
import { onFirstInvocation, runtime, type Runtime } from '../shared/runtime';
import { authenticationSchemesOf } from '../oauth/authentication-schemes';
import { tokenEndpointOf } from '../oauth/urls';
import { createAppStore } from '../store/application-items';
import { createEntraAcceptanceStore } from '../store/entra-acceptance';
import { createOAuthClientRecords } from '../store/oauth-clients';

const asList = <T>(resources: T[]) =>
  listResponse({ resources, totalResults: resources.length, startIndex: 1, itemsPerPage: resources.length });

export const createDiscoveryHandler = (rt: Runtime): HttpHandler => {
  const apps = createAppStore(rt.dynamo, rt.config.SCIM_TABLE_NAME);
  // Client records and the Entra setting, never a secret: see authenticationSchemes.
  const oauth = { clients: createOAuthClientRecords(rt.dynamo, rt.config.SCIM_TABLE_NAME), entra: createEntraAcceptanceStore(rt.dynamo, rt.config.SCIM_TABLE_NAME) };

  /** The Tenant URL and the custom extension attributes in use (one GetItem). */
  const contextOf = async (request: AppRequest) => {
    const stored = await apps.get(request.app.id);
    return { baseUrl: tenantUrlOf(request.apiUrl, request.app.id), extensionAttributes: stored?.extensionAttributes ?? [] };
  };

  /** What this application accepts: Secret Tokens always, OAuth while it has a live client, Entra when it names a tenant. */
  const authenticationSchemes = async (request: AppRequest) => {
    const appId = request.app.id;
    const now = Date.now();
    const [clients, entra] = await Promise.all([oauth.clients.list(appId), oauth.entra.get(appId)]);
    const oauthClients = clients.some((c) => !c.revokedAt && c.secrets.some((s) => Date.parse(s.expiresAt) > now));
    return authenticationSchemesOf(
      { secretTokens: true, oauthClients, entraTokens: (entra?.tenantIds.length ?? 0) > 0 },
      { tokenEndpoint: tokenEndpointOf(request.apiUrl, appId) },
    );
  };

  const getServiceProviderConfig = async (request: AppRequest): Promise<HttpResponse> =>
    ok(serviceProviderConfig(tenantUrlOf(request.apiUrl, request.app.id), { authenticationSchemes: await authenticationSchemes(request) }));

  const listSchemas = async (request: AppRequest): Promise<HttpResponse> => {
    const { baseUrl, extensionAttributes } = await contextOf(request);
    return ok(asList(schemaDocuments(baseUrl, extensionAttributes)));
  };

  const getSchema = async (request: AppRequest): Promise<HttpResponse> => {
    const { baseUrl, extensionAttributes } = await contextOf(request);
    return ok(findSchema(request.pathParams.id, baseUrl, extensionAttributes));
  };

  const listResourceTypes = async (request: AppRequest): Promise<HttpResponse> => {
    const { baseUrl, extensionAttributes } = await contextOf(request);
    return ok(asList(resourceTypeDocuments(baseUrl, extensionAttributes)));
  };

  const getResourceType = async (request: AppRequest): Promise<HttpResponse> => {
    const { baseUrl, extensionAttributes } = await contextOf(request);
    return ok(findResourceType(request.pathParams.id, baseUrl, extensionAttributes));
  };

  return httpHandler(rt, 'discovery', { getServiceProviderConfig, listSchemas, getSchema, listResourceTypes, getResourceType });
};

/** The Lambda entry point. */
export const handler = onFirstInvocation(() => createDiscoveryHandler(runtime()));
