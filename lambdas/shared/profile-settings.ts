/**
 * What the Users and Groups handlers need of an application's profile settings, per request:
 * the compiled mapping and its version, and the provisioning features. Cached per container for
 * SCIM_AUTH_CACHE_SECONDS like the authorizer's copy of the application (so a user write stays one
 * DynamoDB round trip; the local gateway drops the copy when its admin API writes the settings); a
 * mapping change's recompute job waits out that time before it calls itself done
 * (use-cases/profile-recompute.ts). Absent settings: the default mapping (fitted to
 * what Entra sends) and every feature on.
 */
import { compileMapping, computeProfile, defaultMapping, profileProblemsError, storedProfileOf, type CompiledMapping } from '../profiles';
import { readFeatures, type ProvisioningFeatures } from '../provisioning-features';
import { ttlCache } from '../store/auth-lookups';
import { createProfileSettingsStore, type StoredProfileSettings } from '../store/profile-settings';
import type { ProfileWriter } from '../store/profile-writes';
import type { Runtime } from './runtime';

export interface ProfileSettings {
  /** The mapping as stored (or the default one): what the admin API shows. */
  readonly mapping: unknown;
  readonly compiled: CompiledMapping;
  readonly mappingVersion: number;
  readonly features: ProvisioningFeatures;
}

/** The default mapping, compiled once per container. */
let defaults: { mapping: unknown; compiled: CompiledMapping } | undefined;

export const profileSettingsOf = (stored: StoredProfileSettings | undefined): ProfileSettings => {
  const features = readFeatures(stored?.features);
  if (stored?.mapping !== undefined) return { mapping: stored.mapping, compiled: compileMapping(stored.mapping), mappingVersion: stored.mappingVersion, features };
  if (!defaults) {
    const mapping = defaultMapping();
    defaults = { mapping, compiled: compileMapping(mapping) };
  }
  return { ...defaults, mappingVersion: stored?.mappingVersion ?? 0, features };
};

/**
 * The store's profile writer for these settings: computes, or throws the 400 naming every problem.
 * It hands the store what a user item keeps of the profile (profiles/stored-profile.ts).
 */
export const profileWriterOf = (settings: ProfileSettings): ProfileWriter => ({
  mappingVersion: settings.mappingVersion,
  compute: (user, groups) => {
    const result = computeProfile(user.data, groups, settings.compiled, { id: user.id, version: user.version, updatedAt: user.lastModified });
    if (!result.ok) throw profileProblemsError(result.problems);
    return storedProfileOf(result.profile) as unknown as Record<string, unknown>;
  },
});

/** The cached loader a handler builds once per container. */
export const profileSettingsLoader = ({ dynamo, config }: Runtime): ((appId: string) => Promise<ProfileSettings>) => {
  const store = createProfileSettingsStore(dynamo, config.SCIM_TABLE_NAME);
  return ttlCache(config.SCIM_AUTH_CACHE_SECONDS, async (appId) => profileSettingsOf(await store.read(appId)));
};
