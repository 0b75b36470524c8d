/**
 * /Groups: create (then PATCH members, Entra's way), read, list and search, replace, patch and
 * delete. Member changes never load the member list, except "replace" and "remove all".
 */
import { randomUUID } from 'node:crypto';
import { projectAttributes } from '../scim/attributes';
import { ScimError } from '../scim/errors';
import { assertIfMatch, etagOf, isNotModified } from '../scim/etag';
import { applyPatch } from '../scim/patch';
import { groupRepresentation, parseGroupInput, type ScimData } from '../scim/resource';
import { loadConfig } from '../shared/config';
import { failureRecorder } from '../shared/failures';
import { httpHandler } from '../shared/handler';
import { created, noContent, ok, type HttpResponse, type ScimRequest } from '../shared/http';
import { documentClient } from '../store/client';
import { createGroupStore, type StoredGroup } from '../store/groups';
import { foldMemberChanges } from '../store/memberships';
import { createSearch } from '../store/search';
import { createUserStore } from '../store/users';
import { groupSearchSource, groupWithMembers } from './group-lookups';
import { appOf, listParametersOf, listResponseOf, projectionOf, stampOf, tenantUrlOf } from './scim-request';

const config = loadConfig();
const groups = createGroupStore(documentClient(), config.SCIM_TABLE_NAME);
const users = createUserStore(documentClient(), config.SCIM_TABLE_NAME);
const search = createSearch(documentClient(), config.SCIM_TABLE_NAME);

const locationOf = (request: ScimRequest, appId: string, id: string) => `${tenantUrlOf(request, appId)}/Groups/${id}`;

const represent = async (request: ScimRequest, appId: string, group: StoredGroup, params: { attributes?: string; excludedAttributes?: string }, members?: readonly string[]) =>
  projectAttributes(await groupWithMembers(groups, tenantUrlOf(request, appId), appId, group, params, members), params, 'Group');

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
  const source = groupSearchSource(groups, users, app.id, (group) => groupRepresentation(group, { location: locationOf(request, app.id, group.id) }));
  const result = await search(source, params);
  const resources = await Promise.all(result.items.map((group) => represent(request, app.id, group, params)));
  return ok(listResponseOf(params, result, resources));
};

export const handler = httpHandler(
  { createGroup, getGroup, replaceGroup, patchGroup, deleteGroup, listGroups, searchGroups: listGroups },
  { onFailure: failureRecorder() },
);
