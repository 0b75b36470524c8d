/**
 * `POST <Tenant URL>/.search` (RFC 7644 §3.4.3): one SearchRequest over the application's Users
 * and Groups. "A query against a server root indicates that all resources within the server SHALL
 * be included, subject to filtering" (§3.4.2.1): Users come first, then Groups, paged as one list.
 *
 * The filter is narrowed per type (scim/resource-type-filter.ts): a term on an attribute the type
 * does not have counts as "no value", so `userName eq "x"` reads no group at all, and
 * `meta.resourceType eq "Group"` or `schemas eq "<Group URN>"` reads no user. Each type is then
 * searched exactly as its own endpoint would (keys where the filter allows, a bounded scan
 * otherwise), and each resource is returned as that endpoint returns it.
 */
import { projectAttributes } from '../scim/attributes';
import { groupRepresentation, userRepresentation } from '../scim/resource';
import { filterForResourceType } from '../scim/resource-type-filter';
import { isCaseExact, type ResourceType } from '../scim/schemas';
import { failureRecorder } from '../shared/failures';
import { httpHandler, type HttpHandler } from '../shared/handler';
import { ok, type AppRequest, type HttpResponse } from '../shared/http';
import { tenantUrlOf } from '../shared/routes';
import { onFirstInvocation, runtime, type Runtime } from '../shared/runtime';
import { listParametersOf, listResponseOf, type ListParameters } from '../shared/scim-request';
import { createGroupStore, type StoredGroup } from '../store/groups';
import { rootSearch, type RootSearchPart } from '../store/root-search';
import { createSearch, type SearchSource } from '../store/search';
import { createUserStore, type StoredUser } from '../store/users';
import { groupSearchSource, groupWithMembers } from '../use-cases/group-lookups';
import { asksForGroups, groupRefsOf, userSearchSource } from '../use-cases/user-lookups';

type Stored = StoredUser | StoredGroup;

export const createSearchHandler = (rt: Runtime): HttpHandler => {
  const { dynamo, config } = rt;
  const users = createUserStore(dynamo, config.SCIM_TABLE_NAME);
  const groups = createGroupStore(dynamo, config.SCIM_TABLE_NAME);
  const search = createSearch(dynamo, config.SCIM_TABLE_NAME);

  /** One resource type of the query, or nothing when the filter can match none of its resources. */
  const partOf = (type: ResourceType, source: SearchSource<Stored>, params: ListParameters): RootSearchPart<Stored> | undefined => {
    const narrowed = filterForResourceType(params.filter, type);
    if (narrowed === false) return undefined;
    const filter = narrowed === true ? undefined : narrowed;
    return {
      resourceType: type,
      run: (query) => search(source, { ...query, filter }),
      represent: (item) => source.represent(item),
      caseExact: (path) => isCaseExact(type, path),
    };
  };

  const searchResources = async (request: AppRequest): Promise<HttpResponse> => {
    const { app } = request;
    const params = listParametersOf(request);
    const tenantUrl = tenantUrlOf(request.apiUrl, app.id);
    const userSource = userSearchSource(users, groups, app.id, (user) => userRepresentation(user, { location: `${tenantUrl}/Users/${user.id}` }));
    const groupSource = groupSearchSource(groups, users, app.id, (group) => groupRepresentation(group, { location: `${tenantUrl}/Groups/${group.id}` }));
    const parts = [partOf('User', userSource as SearchSource<Stored>, params), partOf('Group', groupSource as SearchSource<Stored>, params)].filter(
      (part): part is RootSearchPart<Stored> => part !== undefined,
    );

    const result = await rootSearch(parts, params);
    const withGroups = asksForGroups(params);
    const resources = await Promise.all(
      result.items.map(async ({ resourceType, item }) => {
        if (resourceType === 'Group') return projectAttributes(await groupWithMembers(groups, tenantUrl, app.id, item, params), params, 'Group');
        const groupIds = withGroups ? ((await users.get(app.id, item.id))?.groupIds ?? []) : undefined;
        const refs = groupIds && (await groupRefsOf(groups, tenantUrl, app.id, groupIds));
        return projectAttributes(userRepresentation(item, { location: `${tenantUrl}/Users/${item.id}`, groups: refs }), params, 'User');
      }),
    );
    return ok(listResponseOf(params, result, resources));
  };

  return httpHandler(rt, 'search', { searchResources }, { onFailure: failureRecorder({ client: dynamo, tableName: config.SCIM_TABLE_NAME }) });
};

/** The Lambda entry point. */
export const handler = onFirstInvocation(() => createSearchHandler(runtime()));
