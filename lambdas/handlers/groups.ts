/**
 * /Groups: create (then PATCH members, Entra's way), read, list and search, replace, patch and
 * delete. Member changes never load the member list, except "replace" and "remove all". The
 * route's auth is checked by `httpHandler`, which hands over the caller's application as `request.app`.
 */
import { projectAttributes } from '../scim/attributes';
import { ScimError } from '../scim/errors';
import { etagOf, isNotModified } from '../scim/etag';
import { groupRepresentation } from '../scim/resource';
import { failureRecorder } from '../shared/failures';
import { httpHandler, type HttpHandler } from '../shared/handler';
import { created, noContent, ok, type AppRequest, type HttpResponse } from '../shared/http';
import { tenantUrlOf } from '../shared/routes';
import { profileSettingsLoader } from '../shared/profile-settings';
import { onFirstInvocation, runtime, type Runtime } from '../shared/runtime';
import { listParametersOf, listResponseOf, projectionOf } from '../shared/scim-request';
import { createGroupStore, type StoredGroup } from '../store/groups';
import { createSearch } from '../store/search';
import { createUserStore } from '../store/users';
import { groupSearchSource, groupWithMembers } from '../use-cases/group-lookups';
import { createGroupWrites } from '../use-cases/group-writes';
import { writeContextOf } from '../use-cases/write-context';

const locationOf = (request: AppRequest, id: string) => `${tenantUrlOf(request.apiUrl, request.app.id)}/Groups/${id}`;

const withEtag = (response: HttpResponse, version: number, location?: string): HttpResponse => ({
  ...response,
  headers: { ...response.headers, ETag: etagOf(version), ...(location ? { Location: location } : {}) },
});

type Projection = { attributes?: string; excludedAttributes?: string };

export const createGroupsHandler = (rt: Runtime): HttpHandler => {
  const { dynamo, config } = rt;
  const groups = createGroupStore(dynamo, config.SCIM_TABLE_NAME);
  const users = createUserStore(dynamo, config.SCIM_TABLE_NAME);
  const search = createSearch(dynamo, config.SCIM_TABLE_NAME);
  const writes = createGroupWrites(groups, profileSettingsLoader(rt));

  const represent = async (request: AppRequest, group: StoredGroup, params: Projection, members?: readonly string[]) =>
    projectAttributes(await groupWithMembers(groups, tenantUrlOf(request.apiUrl, request.app.id), request.app.id, group, params, members), params, 'Group');

  const createGroup = async (request: AppRequest): Promise<HttpResponse> => {
    const { group, memberIds } = await writes.create(writeContextOf(request, 201), request.body);
    const body = await represent(request, group, projectionOf(request), memberIds);
    return withEtag(created(body), group.version, locationOf(request, group.id));
  };

  const getGroup = async (request: AppRequest): Promise<HttpResponse> => {
    const group = await groups.get(request.app.id, request.pathParams.id);
    if (!group) throw ScimError.resourceNotFound('Group', request.pathParams.id);
    if (isNotModified(request.headers['if-none-match'], group.version)) return { status: 304, headers: { ETag: etagOf(group.version) } };
    return withEtag(ok(await represent(request, group, projectionOf(request))), group.version);
  };

  const replaceGroup = async (request: AppRequest): Promise<HttpResponse> => {
    const { group: after, memberIds } = await writes.replace(writeContextOf(request, 200), request.pathParams.id, request.body);
    const body = await represent(request, after, projectionOf(request), memberIds);
    return withEtag(ok(body), after.version);
  };

  const patchGroup = async (request: AppRequest): Promise<HttpResponse> => {
    await writes.patch(writeContextOf(request, 204), request.pathParams.id, request.body);
    // Entra expects 204 from a group PATCH: echoing a large member list helps nobody.
    return noContent();
  };

  const deleteGroup = async (request: AppRequest): Promise<HttpResponse> => {
    await writes.remove(writeContextOf(request, 204), request.pathParams.id);
    return noContent();
  };

  const listGroups = async (request: AppRequest): Promise<HttpResponse> => {
    const params = listParametersOf(request);
    const source = groupSearchSource(groups, users, request.app.id, (group) => groupRepresentation(group, { location: locationOf(request, group.id) }));
    const result = await search(source, params);
    const resources = await Promise.all(result.items.map((group) => represent(request, group, params)));
    return ok(listResponseOf(params, result, resources));
  };

  return httpHandler(
    rt,
    'groups',
    { createGroup, getGroup, replaceGroup, patchGroup, deleteGroup, listGroups, searchGroups: listGroups },
    { onFailure: failureRecorder({ client: dynamo, tableName: config.SCIM_TABLE_NAME }) },
  );
};

/** The Lambda entry point. */
export const handler = onFirstInvocation(() => createGroupsHandler(runtime()));
