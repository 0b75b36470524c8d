/**
 * /Users: create, read, list and search, replace, patch (both Entra dialects) and delete.
 * Each operation reads like a paragraph: parse → authorize → core → store → respond.
 */
import { randomUUID } from 'node:crypto';
import { projectAttributes } from '../scim/attributes';
import { ScimError } from '../scim/errors';
import { assertIfMatch, etagOf, isNotModified } from '../scim/etag';
import { applyPatch } from '../scim/patch';
import { checkRequiredAttributes } from '../scim/required';
import { compileRequiredPolicy, type RequiredPath } from '../scim/required-policy';
import { parseUserInput, userRepresentation, type ScimData } from '../scim/resource';
import { loadConfig } from '../shared/config';
import { failureRecorder } from '../shared/failures';
import { httpHandler } from '../shared/handler';
import { created, noContent, ok, type AppContext, type HttpResponse, type ScimRequest } from '../shared/http';
import { logger } from '../shared/logger';
import { documentClient } from '../store/client';
import { createGroupStore } from '../store/groups';
import { createSearch } from '../store/search';
import { createUserStore, type StoredUser } from '../store/users';
import { appOf, listParametersOf, listResponseOf, projectionOf, stampOf, tenantUrlOf } from './scim-request';
import { asksForGroups, groupRefsOf as groupRefs, userSearchSource } from './user-lookups';

const config = loadConfig();
const users = createUserStore(documentClient(), config.SCIM_TABLE_NAME);
const groups = createGroupStore(documentClient(), config.SCIM_TABLE_NAME);
const search = createSearch(documentClient(), config.SCIM_TABLE_NAME);

const locationOf = (request: ScimRequest, appId: string, id: string) => `${tenantUrlOf(request, appId)}/Users/${id}`;

/** The user as SCIM JSON; `groups` only when the caller fetched them. */
const represent = (request: ScimRequest, appId: string, user: StoredUser, groupRefs?: { value: string; display?: string; $ref: string }[]) =>
  userRepresentation(user, { location: locationOf(request, appId, user.id), groups: groupRefs });

/** Resolves group ids to `{value, display, $ref}`; deleted groups (memberships not yet swept) drop out. */
const groupRefsOf = (request: ScimRequest, appId: string, groupIds: string[]) => groupRefs(groups, tenantUrlOf(request, appId), appId, groupIds);

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

export const createUser = async (request: ScimRequest): Promise<HttpResponse> => {
  const app = appOf(request);
  const data = validated(request.body, requiredPathsOf(app));
  const now = new Date().toISOString();
  const user: StoredUser = { id: randomUUID(), data, version: 1, created: now, lastModified: now };
  await users.create(app.id, user, stampOf(request, app));
  const location = locationOf(request, app.id, user.id);
  return withEtag(created(projectAttributes(represent(request, app.id, user, []), projectionOf(request), 'User')), user.version, location);
};

export const getUser = async (request: ScimRequest): Promise<HttpResponse> => {
  const app = appOf(request);
  const found = await users.get(app.id, request.pathParams.id);
  if (!found) throw ScimError.resourceNotFound('User', request.pathParams.id);
  if (isNotModified(request.headers['if-none-match'], found.user.version)) return { status: 304, headers: { ETag: etagOf(found.user.version) } };
  const groupRefs = await groupRefsOf(request, app.id, found.groupIds);
  return withEtag(ok(projectAttributes(represent(request, app.id, found.user, groupRefs), projectionOf(request), 'User')), found.user.version);
};

export const replaceUser = async (request: ScimRequest): Promise<HttpResponse> => {
  const app = appOf(request);
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
    stampOf(request, app),
  );
  return withEtag(ok(projectAttributes(represent(request, app.id, after), projectionOf(request), 'User')), after.version);
};

export const patchUser = async (request: ScimRequest): Promise<HttpResponse> => {
  const app = appOf(request);
  const required = requiredPathsOf(app);
  const { after } = await users.update(
    app.id,
    request.pathParams.id,
    (current) => {
      assertIfMatch(request.headers['if-match'], current.version);
      return validated(applyPatch('User', current.data, request.body).data, required, current.data);
    },
    stampOf(request, app),
  );
  return withEtag(ok(projectAttributes(represent(request, app.id, after), projectionOf(request), 'User')), after.version);
};

export const deleteUser = async (request: ScimRequest): Promise<HttpResponse> => {
  const app = appOf(request);
  await users.remove(app.id, request.pathParams.id, stampOf(request, app), (version) => assertIfMatch(request.headers['if-match'], version));
  return noContent();
};

export const listUsers = async (request: ScimRequest): Promise<HttpResponse> => {
  const app = appOf(request);
  const params = listParametersOf(request);
  const source = userSearchSource(users, groups, app.id, (user) => represent(request, app.id, user));
  const result = await search(source, params);
  const wantsGroups = asksForGroups(params);
  const resources = await Promise.all(
    result.items.map(async (user) => {
      const groupRefs = wantsGroups ? await groupRefsOf(request, app.id, (await users.get(app.id, user.id))?.groupIds ?? []) : undefined;
      return projectAttributes(represent(request, app.id, user, groupRefs), params, 'User');
    }),
  );
  return ok(listResponseOf(params, result, resources));
};

export const handler = httpHandler(
  { createUser, getUser, replaceUser, patchUser, deleteUser, listUsers, searchUsers: listUsers },
  { onFailure: failureRecorder() },
);
