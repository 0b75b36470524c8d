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
import { createAppStore } from '../store/application-items';

const asList = <T>(resources: T[]) =>
  listResponse({ resources, totalResults: resources.length, startIndex: 1, itemsPerPage: resources.length });

export const createDiscoveryHandler = (rt: Runtime): HttpHandler => {
  const apps = createAppStore(rt.dynamo, rt.config.SCIM_TABLE_NAME);

  /** The Tenant URL and the custom extension attributes in use (one GetItem). */
  const contextOf = async (request: AppRequest) => {
    const stored = await apps.get(request.app.id);
    return { baseUrl: tenantUrlOf(request.apiUrl, request.app.id), extensionAttributes: stored?.extensionAttributes ?? [] };
  };

  const getServiceProviderConfig = async (request: AppRequest): Promise<HttpResponse> =>
    ok(serviceProviderConfig(tenantUrlOf(request.apiUrl, request.app.id)));

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
