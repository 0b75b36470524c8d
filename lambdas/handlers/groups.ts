/**
 * /Groups: create (then PATCH members, Entra's way), read, list and search, replace, patch and
 * delete. Member changes never load the member list, except "replace" and "remove all".
 */
import { randomUUID } from 'node:crypto';
import { ScimError } from '../scim/errors';
import { assertIfMatch, etagOf, isNotModified } from '../scim/etag';
import { projectAttributes } from '../scim/attributes';
import { applyPatch } from '../scim/patch';
import { groupRepresentation, parseGroupInput, type ScimData } from '../scim/resource';
import { httpHandler } from '../shared/handler';
import { created, noContent, ok, type HttpResponse, type ScimRequest } from '../shared/http';
import { documentClient } from '../store/client';
import { failureRecorder } from '../store/failures';
import { createGroupStore, type StoredGroup } from '../store/groups';
import { foldMemberChanges } from '../store/memberships';
import { createSearch, type SearchSource } from '../store/search';
import { createUserStore } from '../store/users';
import { appOf, listParametersOf, listResponseOf, projectionOf, stampOf, tenantUrlOf } from './scim-request';

const groups = createGroupStore();
const users = createUserStore();
const search = createSearch(documentClient(), users.tableName);

/**
 * Largest member list a response carries: ~120 bytes a member keeps a response far below
 * Lambda's 6 MB limit. Bigger groups must be read with excludedAttributes=members and their
 * members paged through /Users?filter=groups.value eq "<id>".
 */
export const MAX_MEMBERS_IN_RESPONSE = 10_000;

type MemberRef = { value: string; $ref: string; type: 'User' };

const locationOf = (request: ScimRequest, appId: string, id: string) => `${tenantUrlOf(request, appId)}/Groups/${id}`;
const memberRefs = (request: ScimRequest, appId: string, ids: readonly string[]): MemberRef[] =>
  ids.map((value) => ({ value, $ref: `${tenantUrlOf(request, appId)}/Users/${value}`, type: 'User' }));

const excludesMembers = (params: { attributes?: string; excludedAttributes?: string }): boolean => {
  const names = (list?: string) => (list ?? '').split(',').map((a) => a.trim().toLowerCase());
  if (params.attributes) return !names(params.attributes).some((a) => a === 'members' || a.startsWith('members.') || a.startsWith('members['));
  return names(params.excludedAttributes).includes('members');
};

/** The member ids of a group, refusing groups too large to return in one response. */
const membersForResponse = async (appId: string, group: StoredGroup): Promise<string[]> => {
  const ids: string[] = [];
  for await (const page of groups.memberships.members(appId, group.id)) {
    ids.push(...page);
    if (ids.length > MAX_MEMBERS_IN_RESPONSE) {
      throw ScimError.tooMany(
        `Group ${group.id} has more than ${MAX_MEMBERS_IN_RESPONSE} members, too many to return at once. ` +
          `Request it with excludedAttributes=members and page its members with GET /Users?filter=groups.value eq "${group.id}".`,
      );
    }
  }
  return ids;
};

const represent = async (request: ScimRequest, appId: string, group: StoredGroup, params: { attributes?: string; excludedAttributes?: string }, members?: readonly string[]) => {
  const ids = excludesMembers(params) ? undefined : (members ?? (await membersForResponse(appId, group)));
  const resource = groupRepresentation(group, { location: locationOf(request, appId, group.id), members: ids && memberRefs(request, appId, ids) });
  return projectAttributes(resource, params, 'Group');
};

const withEtag = (response: HttpResponse, version: number, location?: string): HttpResponse => ({
  ...response,
  headers: { ...response.headers, ETag: etagOf(version), ...(location ? { Location: location } : {}) },
});

export const createGroup = async (request: ScimRequest): Promise<HttpResponse> => {
  const app = appOf(request);
  const { data, members } = parseGroupInput(request.body);
  const memberIds = members.map((m) => m.value);
  // Unknown members refuse the whole request before the group exists.
  const userNames = await groups.memberships.assertUsersExist(app.id, memberIds);
  const now = new Date().toISOString();
  const group: StoredGroup = { id: randomUUID(), data, version: 1, created: now, lastModified: now };
  const stamp = stampOf(request, app);
  await groups.create(app.id, group, stamp, userNames);
  const body = await represent(request, app.id, group, projectionOf(request), memberIds);
  return withEtag(created(body), group.version, locationOf(request, app.id, group.id));
};

export const getGroup = async (request: ScimRequest): Promise<HttpResponse> => {
  const app = appOf(request);
  const group = await groups.get(app.id, request.pathParams.id);
  if (!group) throw ScimError.resourceNotFound('Group', request.pathParams.id);
  if (isNotModified(request.headers['if-none-match'], group.version)) return { status: 304, headers: { ETag: etagOf(group.version) } };
  return withEtag(ok(await represent(request, app.id, group, projectionOf(request))), group.version);
};

export const replaceGroup = async (request: ScimRequest): Promise<HttpResponse> => {
  const app = appOf(request);
  const { data, members } = parseGroupInput(request.body);
  const { after } = await groups.update(
    app.id,
    request.pathParams.id,
    async (current) => {
      assertIfMatch(request.headers['if-match'], current.version);
      const delta = await foldMemberChanges([{ op: 'replace', members }], () => groups.memberIds(app.id, current.id));
      return { data, delta };
    },
    stampOf(request, app),
  );
  const body = await represent(request, app.id, after, projectionOf(request), members.map((m) => m.value));
  return withEtag(ok(body), after.version);
};

export const patchGroup = async (request: ScimRequest): Promise<HttpResponse> => {
  const app = appOf(request);
  await groups.update(
    app.id,
    request.pathParams.id,
    async (current) => {
      assertIfMatch(request.headers['if-match'], current.version);
      const patched = applyPatch('Group', current.data, request.body);
      const data: ScimData = parseGroupInput(patched.data).data;
      const delta = await foldMemberChanges(patched.memberChanges, () => groups.memberIds(app.id, current.id));
      // Plain member adds and removes commute: only If-Match or a delta read from the current
      // members (replace, remove all) needs the version it saw (store/groups.ts).
      const pinVersion = (request.headers['if-match'] ?? '').trim() !== '' || patched.memberChanges.some((c) => c.op === 'replace' || c.op === 'removeAll');
      return { data, delta, pinVersion };
    },
    stampOf(request, app),
  );
  // Entra expects 204 from a group PATCH: echoing a large member list helps nobody.
  return noContent();
};

export const deleteGroup = async (request: ScimRequest): Promise<HttpResponse> => {
  const app = appOf(request);
  await groups.remove(app.id, request.pathParams.id, stampOf(request, app), (version) => assertIfMatch(request.headers['if-match'], version));
  return noContent();
};

export const listGroups = async (request: ScimRequest): Promise<HttpResponse> => {
  const app = appOf(request);
  const params = listParametersOf(request);
  const source: SearchSource<StoredGroup> = {
    resourceType: 'Group',
    listPartition: groups.listPartitionKey(app.id),
    represent: (group) => groupRepresentation(group, { location: locationOf(request, app.id, group.id) }),
    fromItem: (item) => groups.toStored(item as never),
    lookup: async (kind, value) => {
      switch (kind) {
        case 'id': {
          const group = await groups.get(app.id, value);
          return group ? [group] : [];
        }
        case 'displayName': {
          const group = await groups.findByDisplayName(app.id, value);
          return group ? [group] : [];
        }
        case 'externalId': {
          // Not unique: every holder, paged like any list, read strongly consistent, never a scan.
          const ids = await groups.externalIdHolders(app.id, value);
          return { ids, load: (window) => groups.getMany(app.id, window, { consistent: true }) };
        }
        case 'member': {
          const user = await users.get(app.id, value);
          return user ? groups.getMany(app.id, user.groupIds) : [];
        }
        default:
          return undefined;
      }
    },
  };
  const result = await search(source, params);
  const resources = await Promise.all(result.items.map((group) => represent(request, app.id, group, params)));
  return ok(listResponseOf(params, result, resources));
};

export const handler = httpHandler(
  { createGroup, getGroup, replaceGroup, patchGroup, deleteGroup, listGroups, searchGroups: listGroups },
  { onFailure: failureRecorder() },
);
