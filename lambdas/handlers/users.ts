/**
 * /Users: create, read, list and search, replace, patch (both Entra dialects) and delete.
 * Each operation reads like a paragraph: parse → core → store → respond (the route's auth is
 * checked by `httpHandler`, which hands over the caller's application as `request.app`).
 */
import { projectAttributes } from '../scim/attributes';
import { ScimError } from '../scim/errors';
import { etagOf, isNotModified } from '../scim/etag';
import type { ReferenceOut } from '../scim/representation';
import { userRepresentation } from '../scim/resource';
import { failureRecorder } from '../shared/failures';
import { httpHandler, type HttpHandler } from '../shared/handler';
import { created, noContent, ok, type AppRequest, type HttpResponse } from '../shared/http';
import { tenantUrlOf } from '../shared/routes';
import { profileSettingsLoader } from '../shared/profile-settings';
import { onFirstInvocation, runtime, type Runtime } from '../shared/runtime';
import { listParametersOf, listResponseOf, projectionOf } from '../shared/scim-request';
import { createGroupStore } from '../store/groups';
import { createSearch } from '../store/search';
import { unappliedRecorder } from '../store/unapplied-requests';
import { createUserStore, type StoredUser } from '../store/users';
import { asksForGroups, groupRefsOf, userSearchSource } from '../use-cases/user-lookups';
import { createUserWrites } from '../use-cases/user-writes';
import { writeContextOf } from '../use-cases/write-context';

const withEtag = (response: HttpResponse, version: number, location?: string): HttpResponse => ({
  ...response,
  headers: { ...response.headers, ETag: etagOf(version), ...(location ? { Location: location } : {}) },
});

const locationOf = (request: AppRequest, id: string) => `${tenantUrlOf(request.apiUrl, request.app.id)}/Users/${id}`;

/** The user as SCIM JSON; `groups` only when the caller fetched them. */
const represent = (request: AppRequest, user: StoredUser, groupRefs?: ReferenceOut[]) =>
  userRepresentation(user, { location: locationOf(request, user.id), groups: groupRefs });

export const createUsersHandler = (rt: Runtime): HttpHandler => {
  const { dynamo, config } = rt;
  const users = createUserStore(dynamo, config.SCIM_TABLE_NAME);
  const groups = createGroupStore(dynamo, config.SCIM_TABLE_NAME);
  const search = createSearch(dynamo, config.SCIM_TABLE_NAME);
  const writes = createUserWrites(users, profileSettingsLoader(rt), unappliedRecorder(dynamo, config.SCIM_TABLE_NAME));

  /** Resolves group ids to `{value, display, $ref}`; deleted groups (memberships not yet swept) drop out. */
  const groupsOf = (request: AppRequest, groupIds: readonly string[]) => groupRefsOf(groups, tenantUrlOf(request.apiUrl, request.app.id), request.app.id, groupIds);

  const createUser = async (request: AppRequest): Promise<HttpResponse> => {
    const user = await writes.create(writeContextOf(request, 201), request.body);
    return withEtag(created(projectAttributes(represent(request, user, []), projectionOf(request), 'User')), user.version, locationOf(request, user.id));
  };

  const getUser = async (request: AppRequest): Promise<HttpResponse> => {
    const found = await users.get(request.app.id, request.pathParams.id);
    if (!found) throw ScimError.resourceNotFound('User', request.pathParams.id);
    if (isNotModified(request.headers['if-none-match'], found.user.version)) return { status: 304, headers: { ETag: etagOf(found.user.version) } };
    const groupRefs = await groupsOf(request, found.groupIds);
    return withEtag(ok(projectAttributes(represent(request, found.user, groupRefs), projectionOf(request), 'User')), found.user.version);
  };

  const replaceUser = async (request: AppRequest): Promise<HttpResponse> => {
    const after = await writes.replace(writeContextOf(request, 200), request.pathParams.id, request.body);
    return withEtag(ok(projectAttributes(represent(request, after), projectionOf(request), 'User')), after.version);
  };

  const patchUser = async (request: AppRequest): Promise<HttpResponse> => {
    const after = await writes.patch(writeContextOf(request, 200), request.pathParams.id, request.body);
    return withEtag(ok(projectAttributes(represent(request, after), projectionOf(request), 'User')), after.version);
  };

  const deleteUser = async (request: AppRequest): Promise<HttpResponse> => {
    await writes.remove(writeContextOf(request, 204), request.pathParams.id);
    return noContent();
  };

  const listUsers = async (request: AppRequest): Promise<HttpResponse> => {
    const { app } = request;
    const params = listParametersOf(request);
    const result = await search(userSearchSource(users, groups, app.id, (user) => represent(request, user)), params);
    const wantsGroups = asksForGroups(params);
    const resources = await Promise.all(
      result.items.map(async (user) => {
        const groupRefs = wantsGroups ? await groupsOf(request, (await users.get(app.id, user.id))?.groupIds ?? []) : undefined;
        return projectAttributes(represent(request, user, groupRefs), params, 'User');
      }),
    );
    return ok(listResponseOf(params, result, resources));
  };

  return httpHandler(
    rt,
    'users',
    { createUser, getUser, replaceUser, patchUser, deleteUser, listUsers, searchUsers: listUsers },
    { onFailure: failureRecorder({ client: dynamo, tableName: config.SCIM_TABLE_NAME }) },
  );
};

/** The Lambda entry point. */
export const handler = onFirstInvocation(() => createUsersHandler(runtime()));
