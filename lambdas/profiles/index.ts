/**
 * Profiles: the normalized user an application's own software consumes, computed from the SCIM
 * resource by the application's attribute mapping. Pure: no I/O, no AWS; the store writes the
 * profile in the same write as the user, the admin API validates mappings with parseMapping.
 */
export type { GroupRef, ManagerRef, Profile, ProfileProblem, ProfileResult, ProfileStamp, ProfileType, ProfileValue, ProblemValue, CustomType } from './types';
export { CUSTOM_TYPES, PROFILE_FIELDS, PROFILE_TYPES } from './types';
export { DEFAULT_ATTRIBUTES, DEFAULT_ATTRIBUTE_NAMES, defaultAttribute, type DefaultAttribute } from './default-attributes';
export {
  CUSTOM_NAME,
  MAX_CUSTOM_ATTRIBUTES,
  MAX_MAPPED_ATTRIBUTES,
  PLAIN_TRANSFORMS,
  type CustomAttribute,
  type MappingEntry,
  type ProfileMapping,
  type Transform,
} from './mapping';
export { mappingError, parseMapping, type MappingParse, type MappingProblem } from './mapping-schema';
export { compileMapping, defaultMapping, type CompiledMapping } from './compile-mapping';
export { computeProfile, profileProblemsError } from './compute-profile';
export { profileOfItem, storedProfileOf, type StoredProfile } from './stored-profile';
export { diffProfiles, type PreviousValue, type ProfileDiff } from './diff';
export {
  describeMapping,
  formatProfileValue,
  profileAttributeLabel,
  profileChangeLine,
  profileChanges,
  profileProperties,
  type MappingRow,
  type ProfileChange,
  type ProfileProperty,
} from './labels';
export { isCustomExtensionPath, receivedPaths } from './received-paths';
