/**
 * Discovery (RFC 7644 §4): what this server supports, per application. The schemas include the
 * custom User extensions the application has used (recorded by the stream consumer on the app item).
 */
import { findResourceType, findSchema, resourceTypeDocuments, schemaDocuments, serviceProviderConfig } from '../scim/discovery';
import { listResponse } from '../scim/list-response';
import { loadConfig } from '../shared/config';
import { httpHandler } from '../shared/handler';
import { ok, type HttpResponse, type ScimRequest } from '../shared/http';
import { createAppStore } from '../store/application-items';
import { documentClient } from '../store/client';
import { appOf, tenantUrlOf } from './scim-request';

const apps = createAppStore(documentClient(), loadConfig().SCIM_TABLE_NAME);

/** The Tenant URL and the custom extension attributes in use (one GetItem). */
const contextOf = async (request: ScimRequest) => {
  const app = appOf(request);
  const stored = await apps.get(app.id);
  return { baseUrl: tenantUrlOf(request, app.id), extensionAttributes: stored?.extensionAttributes ?? [] };
};

const asList = <T>(resources: T[]) =>
  listResponse({ resources, totalResults: resources.length, startIndex: 1, itemsPerPage: resources.length });

export const getServiceProviderConfig = async (request: ScimRequest): Promise<HttpResponse> =>
  ok(serviceProviderConfig(tenantUrlOf(request, appOf(request).id)));

export const listSchemas = async (request: ScimRequest): Promise<HttpResponse> => {
  const { baseUrl, extensionAttributes } = await contextOf(request);
  return ok(asList(schemaDocuments(baseUrl, extensionAttributes)));
};

export const getSchema = async (request: ScimRequest): Promise<HttpResponse> => {
  const { baseUrl, extensionAttributes } = await contextOf(request);
  return ok(findSchema(request.pathParams.id, baseUrl, extensionAttributes));
};

export const listResourceTypes = async (request: ScimRequest): Promise<HttpResponse> => {
  const { baseUrl, extensionAttributes } = await contextOf(request);
  return ok(asList(resourceTypeDocuments(baseUrl, extensionAttributes)));
};

export const getResourceType = async (request: ScimRequest): Promise<HttpResponse> => {
  const { baseUrl, extensionAttributes } = await contextOf(request);
  return ok(findResourceType(request.pathParams.id, baseUrl, extensionAttributes));
};

export const handler = httpHandler({ getServiceProviderConfig, listSchemas, getSchema, listResourceTypes, getResourceType });
