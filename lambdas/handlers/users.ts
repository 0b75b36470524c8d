/**
 * /Users: create, read, list and search, replace, patch (both Entra dialects) and delete.
 * Each operation reads like a paragraph: parse → core → store → respond (the route's auth is
 * checked by `httpHandler`, which hands over the caller's application as `request.app`).
 */
import { randomUUID } from 'node:crypto';
import { projectAttributes } from '../scim/attributes';
import { ScimError } from '../scim/errors';
import { assertIfMatch, etagOf, isNotModified } from '../scim/etag';
import { applyPatch } from '../scim/patch';
import type { ReferenceOut } from '../scim/representation';
import { checkRequiredAttributes } from '../scim/required';
import { compileRequiredPolicy, type RequiredPath } from '../scim/required-policy';
import { parseUserInput, userRepresentation, type ScimData } from '../scim/resource';
import { failureRecorder } from '../shared/failures';
import { httpHandler, type HttpHandler } from '../shared/handler';
import { created, noContent, ok, type AppContext, type AppRequest, type HttpResponse } from '../shared/http';
import { logger } from '../shared/logger';
import { tenantUrlOf } from '../shared/routes';
import { onFirstInvocation, runtime, type Runtime } from '../shared/runtime';
import { listParametersOf, listResponseOf, projectionOf, stampOf } from '../shared/scim-request';
import { createGroupStore } from '../store/groups';
import { createSearch } from '../store/search';
import { createUserStore, type StoredUser } from '../store/users';
import { asksForGroups, groupRefsOf, userSearchSource } from '../use-cases/user-lookups';

const withEtag = (response: HttpResponse, version: number, location?: string): HttpResponse => ({
  ...response,
  headers: { ...response.headers, ETag: etagOf(version), ...(location ? { Location: location } : {}) },
});

/** Policy entries already warned about in this container (bounded: ids and entries come from storage). */
const warned = new Set<string>();

/**
 * The application's required paths. A stored entry this version cannot use (saved by an older
 * version, or edited by hand) is skipped with a warning: a setting must never turn into a 500.
 */
const requiredPathsOf = (app: AppContext): readonly RequiredPath[] => {
  const { paths, ignored } = compileRequiredPolicy(app.requiredAttributes);
  for (const { entry, problem } of ignored) {
    const key = `${app.id} ${entry}`;
    if (warned.has(key)) continue;
    if (warned.size < 1000) warned.add(key);
    logger.warn('required-attribute policy entry ignored', { appId: app.id, entry, problem });
  }
  return paths;
};

/** A create's or update's resulting user; `before` (updates) relaxes the policy to "no less compliant". */
const validated = (data: unknown, required: readonly RequiredPath[], before?: ScimData): ScimData => {
  const parsed = parseUserInput(data);
  checkRequiredAttributes(parsed, required, before);
  return parsed;
};

const locationOf = (request: AppRequest, id: string) => `${tenantUrlOf(request.apiUrl, request.app.id)}/Users/${id}`;

/** The user as SCIM JSON; `groups` only when the caller fetched them. */
const represent = (request: AppRequest, user: StoredUser, groupRefs?: ReferenceOut[]) =>
  userRepresentation(user, { location: locationOf(request, user.id), groups: groupRefs });

export const createUsersHandler = (rt: Runtime): HttpHandler => {
  const { dynamo, config } = rt;
  const users = createUserStore(dynamo, config.SCIM_TABLE_NAME);
  const groups = createGroupStore(dynamo, config.SCIM_TABLE_NAME);
  const search = createSearch(dynamo, config.SCIM_TABLE_NAME);

  /** Resolves group ids to `{value, display, $ref}`; deleted groups (memberships not yet swept) drop out. */
  const groupsOf = (request: AppRequest, groupIds: readonly string[]) => groupRefsOf(groups, tenantUrlOf(request.apiUrl, request.app.id), request.app.id, groupIds);

  const createUser = async (request: AppRequest): Promise<HttpResponse> => {
    const { app } = request;
    const data = validated(request.body, requiredPathsOf(app));
    const now = new Date().toISOString();
    const user: StoredUser = { id: randomUUID(), data, version: 1, created: now, lastModified: now };
    await users.create(app.id, user, stampOf(request));
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
    const { app } = request;
    const required = requiredPathsOf(app);
    // Parsed before the read, so a malformed body costs no round trip; the policy needs the current user.
    const data = parseUserInput(request.body);
    const { after } = await users.update(
      app.id,
      request.pathParams.id,
      (current) => {
        assertIfMatch(request.headers['if-match'], current.version);
        checkRequiredAttributes(data, required, current.data);
        return data;
      },
      stampOf(request),
    );
    return withEtag(ok(projectAttributes(represent(request, after), projectionOf(request), 'User')), after.version);
  };

  const patchUser = async (request: AppRequest): Promise<HttpResponse> => {
    const { app } = request;
    const required = requiredPathsOf(app);
    const { after } = await users.update(
      app.id,
      request.pathParams.id,
      (current) => {
        assertIfMatch(request.headers['if-match'], current.version);
        return validated(applyPatch('User', current.data, request.body).data, required, current.data);
      },
      stampOf(request),
    );
    return withEtag(ok(projectAttributes(represent(request, after), projectionOf(request), 'User')), after.version);
  };

  const deleteUser = async (request: AppRequest): Promise<HttpResponse> => {
    const { app } = request;
    await users.remove(app.id, request.pathParams.id, stampOf(request), (version) => assertIfMatch(request.headers['if-match'], version));
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
