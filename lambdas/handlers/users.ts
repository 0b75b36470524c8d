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
import { decideWrite, refusalError, type FeatureDecision, type ProvisioningFeatures } from '../provisioning-features';
import { failureRecorder } from '../shared/failures';
import { httpHandler, type HttpHandler } from '../shared/handler';
import { created, noContent, ok, type AppContext, type AppRequest, type HttpResponse } from '../shared/http';
import { logger } from '../shared/logger';
import { tenantUrlOf } from '../shared/routes';
import { profileSettingsLoader, profileWriterOf } from '../shared/profile-settings';
import { onFirstInvocation, runtime, type Runtime } from '../shared/runtime';
import { listParametersOf, listResponseOf, projectionOf } from '../shared/scim-request';
import { writeStampOf } from '../shared/write-stamps';
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

/** The features' decision on a user write: a refusal is thrown (403 naming the switch), anything else returned. */
const decided = (features: ProvisioningFeatures, write: Parameters<typeof decideWrite>[1]): FeatureDecision => {
  const decision = decideWrite(features, write);
  if (decision.outcome === 'refused') throw refusalError(decision);
  return decision;
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
  const settingsOf = profileSettingsLoader(rt);

  /** Resolves group ids to `{value, display, $ref}`; deleted groups (memberships not yet swept) drop out. */
  const groupsOf = (request: AppRequest, groupIds: readonly string[]) => groupRefsOf(groups, tenantUrlOf(request.apiUrl, request.app.id), request.app.id, groupIds);

  const createUser = async (request: AppRequest): Promise<HttpResponse> => {
    const { app } = request;
    const data = validated(request.body, requiredPathsOf(app));
    const settings = await settingsOf(app.id);
    const decision = decided(settings.features, { operation: 'createUser' });
    const at = new Date();
    const now = at.toISOString();
    const user: StoredUser = { id: randomUUID(), data, version: 1, created: now, lastModified: now };
    await users.create(app.id, user, writeStampOf(request, 'createUser', decision, at), profileWriterOf(settings));
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
    const settings = await settingsOf(app.id);
    let decision: FeatureDecision | undefined;
    const { after } = await users.update(
      app.id,
      request.pathParams.id,
      (current) => {
        assertIfMatch(request.headers['if-match'], current.version);
        checkRequiredAttributes(data, required, current.data);
        decision = decided(settings.features, { operation: 'updateUser', before: current.data, after: data });
        return decision.outcome === 'converted' && decision.write ? decision.write : data;
      },
      () => writeStampOf(request, 'updateUser', decision!),
      { profile: profileWriterOf(settings) },
    );
    return withEtag(ok(projectAttributes(represent(request, after), projectionOf(request), 'User')), after.version);
  };

  const patchUser = async (request: AppRequest): Promise<HttpResponse> => {
    const { app } = request;
    const required = requiredPathsOf(app);
    const settings = await settingsOf(app.id);
    let decision: FeatureDecision | undefined;
    const { after } = await users.update(
      app.id,
      request.pathParams.id,
      (current) => {
        assertIfMatch(request.headers['if-match'], current.version);
        const data = validated(applyPatch('User', current.data, request.body).data, required, current.data);
        decision = decided(settings.features, { operation: 'updateUser', before: current.data, after: data });
        return decision.outcome === 'converted' && decision.write ? decision.write : data;
      },
      () => writeStampOf(request, 'updateUser', decision!),
      { profile: profileWriterOf(settings) },
    );
    return withEtag(ok(projectAttributes(represent(request, after), projectionOf(request), 'User')), after.version);
  };

  /**
   * DELETE as the `delete` feature says: remove the user; or keep it with `active: false`
   * (`"deactivate"`: the profile follows, in the same write); or change nothing (`"ignore"`).
   * All three answer 204, so Entra forgets the user either way.
   */
  const deleteUser = async (request: AppRequest): Promise<HttpResponse> => {
    const { app } = request;
    const { id } = request.pathParams;
    const settings = await settingsOf(app.id);
    if (settings.features.delete === 'delete') {
      const stamp = writeStampOf(request, 'deleteUser', { requested: ['delete'], applied: ['delete'] });
      await users.remove(app.id, id, stamp, (version) => assertIfMatch(request.headers['if-match'], version));
      return noContent();
    }
    let decision: FeatureDecision | undefined;
    await users.update(
      app.id,
      id,
      (current) => {
        assertIfMatch(request.headers['if-match'], current.version);
        decision = decided(settings.features, { operation: 'deleteUser', before: current.data });
        return decision.outcome === 'converted' && decision.write ? decision.write : current.data;
      },
      () => writeStampOf(request, 'deleteUser', decision!),
      { profile: profileWriterOf(settings) },
    );
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
