/**
 * The admin API's profile settings and profiles: read and replace an application's attribute
 * mapping (validated by the profiles core; saving starts the background recompute), read and
 * replace its provisioning features, and read its users' profiles. A user item written before
 * profiles existed has none stored: its profile is computed on read with the current mapping.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { FeaturesJson, MappingJson, MappingPreviewJson, ProfileJson, ProfilePropertyJson, ProfilesPageJson, RecomputeJson } from '../admin/profile-json';
import { decodeCursor, encodeCursor } from '../domain/cursor';
import type { UserItem } from '../domain/items';
import {
  compileMapping,
  computeProfile,
  DEFAULT_ATTRIBUTES,
  mappingError,
  parseMapping,
  profileOfItem,
  profileProperties,
  receivedPaths,
  type Profile,
  type ProfileMapping,
} from '../profiles';
import { featuresError, parseFeatures } from '../provisioning-features';
import { ScimError } from '../scim/errors';
import { isPlainObject } from '../scim/json';
import { profileSettingsOf, profileWriterOf, type ProfileSettings } from '../shared/profile-settings';
import { createProfileRecomputeStore } from '../store/profile-recompute';
import { createProfileSettingsStore, type RecomputeJob } from '../store/profile-settings';
import { membershipGroups, storedProfileGroups } from '../store/profile-writes';
import { createUserStore } from '../store/users';

/** Profiles per page of `GET /profiles`. */
const PROFILES_PAGE = 100;
/** How long after a mapping save a SCIM handler may still use the previous one (its settings cache), plus a margin. */
const settleMs = (cacheSeconds: number) => cacheSeconds * 1000 + 2000;

const CursorSchema = z.object({ k: z.record(z.string(), z.string()) });

const recomputeJson = (job: RecomputeJob | undefined): RecomputeJson | undefined => {
  if (!job) return undefined;
  const { state, mappingVersion, pass, processed, updated, failed, failures, startedAt, finishedAt } = job;
  return { state, mappingVersion, pass, processed, updated, failed, failures, startedAt, ...(finishedAt ? { finishedAt } : {}) };
};

export const createProfileAdmin = (client: DynamoDBDocumentClient, tableName: string, cacheSeconds: number, now: () => Date = () => new Date()) => {
  const settings = createProfileSettingsStore(client, tableName);
  const recompute = createProfileRecomputeStore(client, tableName);
  const users = createUserStore(client, tableName);

  const settingsOf = async (appId: string): Promise<ProfileSettings> => {
    const stored = await settings.read(appId);
    if (!stored) throw ScimError.notFound(`No application with id "${appId}".`);
    return profileSettingsOf(stored);
  };

  const mappingJson = async (appId: string, current: ProfileSettings): Promise<MappingJson> => {
    const mapping = current.mapping as ProfileMapping;
    const job = recomputeJson(await settings.job(appId));
    return { attributes: mapping.attributes, custom: mapping.custom ?? [], version: current.mappingVersion, ...(job ? { recompute: job } : {}) };
  };

  /** The stored profile (with the item's own fields), or (an item from before profiles) one computed now. */
  const profileOf = async (appId: string, item: UserItem, current: ProfileSettings): Promise<ProfileJson> => {
    const stored = profileOfItem(item);
    if (stored) return stored as unknown as ProfileJson;
    const groups = storedProfileGroups(item) ?? (await membershipGroups(client, tableName, appId, item.id));
    const writer = profileWriterOf(current);
    const computed = writer.compute({ id: item.id, data: item.resource, version: item.version, lastModified: item.lastModified }, groups);
    return profileOfItem({ ...item, profile: computed }) as unknown as ProfileJson;
  };

  const userItemOf = async (appId: string, idOrUserName: string): Promise<UserItem> => {
    let item = await recompute.user(appId, idOrUserName);
    if (!item) {
      const found = await users.findByUserName(appId, idOrUserName);
      item = found ? await recompute.user(appId, found.id) : undefined;
    }
    if (!item) throw ScimError.resourceNotFound('User', idOrUserName);
    return item;
  };

  return {
    getMapping: async (appId: string): Promise<MappingJson> => mappingJson(appId, await settingsOf(appId)),

    /** Validates and saves; the response shows the recompute it started. `version` (optional) guards against a concurrent edit. */
    async putMapping(appId: string, body: unknown): Promise<MappingJson> {
      const current = await settingsOf(appId);
      const { version, recompute: _shown, ...mapping } = isPlainObject(body) ? body : ({ attributes: body } as Record<string, unknown>);
      if (version !== undefined && version !== current.mappingVersion) {
        throw ScimError.conflict(`The mapping is at version ${current.mappingVersion}, not ${String(version)}: it was changed meanwhile; read it again.`);
      }
      const parsed = parseMapping(isPlainObject(body) ? mapping : body);
      if (!parsed.ok) throw mappingError(parsed.problems);
      const at = now();
      await settings.saveMapping(appId, parsed.mapping, current.mappingVersion, at, new Date(at.getTime() + settleMs(cacheSeconds)));
      return mappingJson(appId, await settingsOf(appId));
    },

    getFeatures: async (appId: string): Promise<FeaturesJson> => (await settingsOf(appId)).features,

    /** Replaces the features: a field left out is on (its default). */
    async putFeatures(appId: string, body: unknown): Promise<FeaturesJson> {
      await settingsOf(appId);
      const parsed = parseFeatures(body);
      if (!parsed.ok) throw featuresError(parsed.problems);
      await settings.saveFeatures(appId, parsed.features, now());
      return parsed.features;
    },

    /** A page of profiles in user-id order; `updatedAfter` keeps those whose resource changed after that time. */
    async listProfiles(appId: string, query: { cursor?: string; updatedAfter?: string }): Promise<ProfilesPageJson> {
      const current = await settingsOf(appId);
      let after: string | undefined;
      if (query.updatedAfter !== undefined) {
        const time = new Date(query.updatedAfter);
        if (Number.isNaN(time.getTime())) throw ScimError.invalidValue(`updatedAfter must be an ISO 8601 time such as 2025-01-31T12:00:00Z, not "${query.updatedAfter}".`);
        after = time.toISOString();
      }
      let start: Record<string, string> | undefined;
      if (query.cursor !== undefined) {
        start = decodeCursor(query.cursor, CursorSchema)?.k;
        if (!start) throw ScimError.invalidValue('The cursor is invalid; start again without a cursor.');
      }
      const page = await recompute.usersPage(appId, start, PROFILES_PAGE);
      const profiles: ProfileJson[] = [];
      for (const item of page.items) {
        const profile = await profileOf(appId, item, current).catch((error: unknown) => {
          if (error instanceof ScimError) return undefined; // an old item the mapping cannot read: shown by GET /profiles/{id}
          throw error;
        });
        if (profile && (!after || profile.updatedAt > after)) profiles.push(profile);
      }
      const job = await settings.job(appId);
      return {
        profiles,
        ...(page.lastKey ? { nextCursor: encodeCursor({ k: page.lastKey }) } : {}),
        ...(job?.state === 'running' ? { recompute: recomputeJson(job) } : {}),
      };
    },

    /** One profile by user id, or by userName (any letter case). */
    async getProfile(appId: string, idOrUserName: string): Promise<ProfileJson> {
      const current = await settingsOf(appId);
      return profileOf(appId, await userItemOf(appId, idOrUserName), current);
    },

    /** The profile with its properties as people read them (labels, values as text), for the console's user page. */
    async profileView(appId: string, id: string): Promise<{ profile: ProfileJson; properties: ProfilePropertyJson[] }> {
      const current = await settingsOf(appId);
      const profile = await profileOf(appId, await userItemOf(appId, id), current);
      return { profile, properties: profileProperties(profile as Profile, current.mapping as ProfileMapping) };
    },

    /** A draft mapping on a real user (`user`: id or userName; optional), nothing saved: the console's live preview. */
    async previewMapping(appId: string, body: unknown): Promise<MappingPreviewJson> {
      await settingsOf(appId);
      const input = isPlainObject(body) ? body : {};
      const defaults = DEFAULT_ATTRIBUTES.map(({ name, label, type, scim }) => ({ name, label, type, scim }));
      const parsed = parseMapping(input.mapping);
      const preview: MappingPreviewJson = { defaults, mappingProblems: parsed.ok ? [] : parsed.problems.map(({ at, problem }) => ({ at, problem })), receivedPaths: [] };
      if (typeof input.user !== 'string' || input.user === '') return preview;
      const item = await userItemOf(appId, input.user);
      preview.receivedPaths = receivedPaths(item.resource);
      if (!parsed.ok) return preview;
      const groups = storedProfileGroups(item) ?? (await membershipGroups(client, tableName, appId, item.id));
      const result = computeProfile(item.resource, groups, compileMapping(parsed.mapping), { id: item.id, version: item.version, updatedAt: item.lastModified });
      if (!result.ok) preview.problems = result.problems.map(({ profileAttribute, scimPath, problem }) => ({ profileAttribute, scimPath, problem }));
      else Object.assign(preview, { profile: result.profile, properties: profileProperties(result.profile, parsed.mapping) });
      return preview;
    },
  };
};
