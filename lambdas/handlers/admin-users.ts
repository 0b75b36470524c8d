/**
 * Admin read access to one application's users and groups, for the console: a search (SCIM filter
 * syntax, planned exactly like `GET /Users` and `GET /Groups`), one user with its groups, and one
 * group with its member count (its members page through the user search's `groups.value eq` filter,
 * answered from keys). The SCIM routes stay scoped to application tokens; these answer only an admin token.
 *
 * IAM this function needs: on the main table dynamodb:GetItem, dynamodb:Query and
 * dynamodb:BatchGetItem (a group's members, a user's groups); dynamodb:Query on its indexes
 * (the application's user list, the work e-mail index). Nothing else: no writes, no secrets.
 */
import type { AppGroupJson, AppUserJson, GroupsPageJson, GroupSummaryJson, ScimUserJson, UserSummaryJson, UsersPageJson } from '../admin/api-json';
import { isAppId } from '../domain/secret-tokens';
import { ScimError } from '../scim/errors';
import { groupRepresentation, userRepresentation } from '../scim/resource';
import { httpHandler, type HttpHandler } from '../shared/handler';
import { ok, type HttpResponse, type ScimRequest } from '../shared/http';
import { tenantUrlOf } from '../shared/routes';
import { onFirstInvocation, runtime, type Runtime } from '../shared/runtime';
import { listParametersOf } from '../shared/scim-request';
import { createAppStore, type Application } from '../store/application-items';
import { externalIdOf } from '../store/external-ids';
import { createGroupStore, displayNameOf, type StoredGroup } from '../store/groups';
import { createSearch } from '../store/search';
import { createProfileAdmin } from '../use-cases/profile-admin';
import { createUserStore, userNameOf, workEmailOf, type StoredUser } from '../store/users';
import { groupSearchSource } from '../use-cases/group-lookups';
import { groupRefsOf, userSearchSource } from '../use-cases/user-lookups';

/** The console lists at most this many users a page unless it asks for fewer. */
const DEFAULT_COUNT = 50;

const representOf = (tenantUrl: string) => (user: StoredUser) => userRepresentation(user, { location: `${tenantUrl}/Users/${user.id}` });

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The e-mail an admin recognises a user by: the work one, else the primary, else the first. */
const emailOf = (user: StoredUser): string | undefined => {
  const work = workEmailOf(user.data);
  if (work) return work;
  const emails = Array.isArray(user.data.emails) ? (user.data.emails as Record<string, unknown>[]) : [];
  return text((emails.find((e) => e?.primary === true) ?? emails[0])?.value);
};

/** Members are counted up to this many (a read of one key page each 1 MB); beyond, the count says "1,000+". */
const MAX_COUNTED_MEMBERS = 1_000;

/** One row of the console's user list. */
const summaryOf = (user: StoredUser): UserSummaryJson => ({
  id: user.id,
  userName: userNameOf(user.data),
  externalId: externalIdOf(user.data),
  displayName: text(user.data.displayName),
  email: emailOf(user),
  active: user.data.active !== false,
  created: user.created,
  lastModified: user.lastModified,
});

export const createAdminUsersHandler = (rt: Runtime): HttpHandler => {
  const { dynamo, config } = rt;
  const users = createUserStore(dynamo, config.SCIM_TABLE_NAME);
  const groups = createGroupStore(dynamo, config.SCIM_TABLE_NAME);
  const apps = createAppStore(dynamo, config.SCIM_TABLE_NAME);
  const search = createSearch(dynamo, config.SCIM_TABLE_NAME);
  const profiles = createProfileAdmin(dynamo, config.SCIM_TABLE_NAME, config.SCIM_AUTH_CACHE_SECONDS);

  const applicationOf = async (request: ScimRequest): Promise<Application> => {
    const appId = request.pathParams.appId ?? '';
    const app = isAppId(appId) ? await apps.get(appId) : undefined;
    if (!app) throw ScimError.notFound(`Application ${appId} not found.`);
    return app;
  };

  /** `GET /admin/apps/{appId}/users?filter=&count=&cursor=`: cursor paging unless `startIndex` is given. */
  const listAppUsers = async (request: ScimRequest): Promise<HttpResponse> => {
    const app = await applicationOf(request);
    const params = listParametersOf(request);
    const query = { ...params, count: request.query.count === undefined ? DEFAULT_COUNT : params.count };
    if (query.cursor === undefined && request.query.startIndex === undefined) query.cursor = '';
    const tenantUrl = tenantUrlOf(request.apiUrl, app.id);
    const result = await search(userSearchSource(users, groups, app.id, representOf(tenantUrl)), query);
    const body: UsersPageJson = {
      users: result.items.map(summaryOf),
      totalResults: result.totalResults,
      startIndex: result.startIndex,
    };
    if (result.nextCursor) body.nextCursor = result.nextCursor;
    return ok(body);
  };

  const groupSummaryOf = async (appId: string, group: StoredGroup): Promise<GroupSummaryJson> => {
    let memberCount = 0;
    for await (const page of groups.memberships.members(appId, group.id)) {
      memberCount += page.length;
      if (memberCount > MAX_COUNTED_MEMBERS) break;
    }
    return {
      id: group.id,
      displayName: displayNameOf(group.data),
      externalId: externalIdOf(group.data),
      memberCount: Math.min(memberCount, MAX_COUNTED_MEMBERS),
      ...(memberCount > MAX_COUNTED_MEMBERS ? { memberCountCapped: true } : {}),
      created: group.created,
      lastModified: group.lastModified,
    };
  };

  /** `GET /admin/apps/{appId}/groups?filter=&count=&cursor=`: like the users list, each group with its member count. */
  const listAppGroups = async (request: ScimRequest): Promise<HttpResponse> => {
    const app = await applicationOf(request);
    const params = listParametersOf(request);
    const query = { ...params, count: request.query.count === undefined ? DEFAULT_COUNT : params.count };
    if (query.cursor === undefined && request.query.startIndex === undefined) query.cursor = '';
    const tenantUrl = tenantUrlOf(request.apiUrl, app.id);
    const represent = (group: StoredGroup) => groupRepresentation(group, { location: `${tenantUrl}/Groups/${group.id}` });
    const result = await search(groupSearchSource(groups, users, app.id, represent), query);
    const body: GroupsPageJson = {
      groups: await Promise.all(result.items.map((group) => groupSummaryOf(app.id, group))),
      totalResults: result.totalResults,
      startIndex: result.startIndex,
    };
    if (result.nextCursor) body.nextCursor = result.nextCursor;
    return ok(body);
  };

  /** `GET /admin/apps/{appId}/groups/{id}`: the group and its member count. */
  const getAppGroup = async (request: ScimRequest): Promise<HttpResponse> => {
    const app = await applicationOf(request);
    const id = request.pathParams.id ?? '';
    const group = await groups.get(app.id, id);
    if (!group) throw ScimError.resourceNotFound('Group', id);
    return ok({ app: { id: app.id, name: app.name }, group: await groupSummaryOf(app.id, group) } satisfies AppGroupJson);
  };

  /** `GET /admin/apps/{appId}/users/{id}`: the stored SCIM resource with its groups, as the application's client would read it. */
  const getAppUser = async (request: ScimRequest): Promise<HttpResponse> => {
    const app = await applicationOf(request);
    const id = request.pathParams.id ?? '';
    const found = await users.get(app.id, id);
    if (!found) throw ScimError.resourceNotFound('User', id);
    const tenantUrl = tenantUrlOf(request.apiUrl, app.id);
    const groupRefs = await groupRefsOf(groups, tenantUrl, app.id, found.groupIds);
    // A profile the current mapping cannot compute (an old user) leaves the page with the SCIM resource alone.
    const view = await profiles.profileView(app.id, found.user.id).catch((error: unknown) => {
      if (error instanceof ScimError) return undefined;
      throw error;
    });
    return ok({
      app: { id: app.id, name: app.name },
      ...(view ? { profile: view.profile, profileProperties: view.properties } : {}),
      // A stored User always has its userName (the store refuses one without).
      user: userRepresentation(found.user, { location: `${tenantUrl}/Users/${found.user.id}`, groups: groupRefs }) as ScimUserJson,
    } satisfies AppUserJson);
  };

  return httpHandler(rt, 'admin-users', { listAppUsers, getAppUser, listAppGroups, getAppGroup }, { contentType: 'application/json' });
};

/** The Lambda entry point. */
export const handler = onFirstInvocation(() => createAdminUsersHandler(runtime()));
