/**
 * A user's profile from its SCIM resource, its groups and the application's mapping. Runs inside
 * every user write (the profile is written in the same DynamoDB write as the resource), so it is
 * total and cheap: any JSON in gives a profile or typed problems, never an exception, and the
 * mapping's paths are parsed once per mapping (compile-mapping.ts), not once per write.
 *
 * Problems are collected for every attribute, not only the first, so one refusal (400) tells the
 * client's admin everything that is wrong with the user. A value that cannot become its type is a
 * problem, never dropped: consumers must be able to trust that an absent attribute means "no value".
 *
 * `active` follows the store: absent means active; Entra's "True"/"False" strings are read.
 */
import { describe, isAbsent } from '../scim/attribute-values';
import { ScimError } from '../scim/errors';
import { getCaseInsensitive, isPlainObject } from '../scim/json';
import { compileMapping, type CompiledMapping } from './compile-mapping';
import { toProfileValue } from './conversions';
import type { CompiledEntry } from './mapping-entry';
import { readSource } from './source-values';
import { applyTransform, readBoolean, type Step, type Working } from './transforms';
import type { GroupRef, Profile, ProblemValue, ProfileProblem, ProfileResult, ProfileStamp, ProfileValue } from './types';

/** Longest text a problem quotes (characters); the detail stays readable and the report row small. */
export const MAX_PROBLEM_VALUE_CHARS = 100;

const cut = (text: string): string => (text.length > MAX_PROBLEM_VALUE_CHARS ? `${Array.from(text).slice(0, MAX_PROBLEM_VALUE_CHARS - 1).join('')}…` : text);

/** A value as a problem quotes it: scalars as they are, anything else as (short) JSON text. */
export const problemValue = (value: unknown): ProblemValue => {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return cut(value);
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  return cut(json ?? String(value));
};

const problem = (profileAttribute: string, scimPath: string, value: unknown, why: string): ProfileProblem => ({
  profileAttribute,
  scimPath,
  value: problemValue(value),
  problem: why,
});

/** One mapping entry: the value, absent (undefined), or a problem. */
const computeEntry = (data: Record<string, unknown>, entry: CompiledEntry): Step<ProfileValue | undefined> & { raw?: unknown } => {
  const source = readSource(data, entry.path, entry.asList);
  if (!source.ok) return source;
  let value: Working = source.value;
  for (const t of entry.transform) {
    const next = applyTransform(t, value);
    if (!next.ok) return { ...next, raw: source.value };
    value = next.value;
  }
  const converted = toProfileValue(entry.type, value);
  if (!converted.ok) return { ...converted, raw: source.value };
  const empty = converted.value === undefined || (Array.isArray(converted.value) && converted.value.length === 0);
  return { ok: true, value: empty ? (entry.default ?? undefined) : converted.value };
};

const readGroups = (groups: unknown, problems: ProfileProblem[]): GroupRef[] => {
  if (groups === undefined || groups === null) return [];
  if (!Array.isArray(groups)) {
    problems.push(problem('groups', 'groups', groups, `${describe(groups)} is not a list of groups`));
    return [];
  }
  const byId = new Map<string, GroupRef>();
  for (const group of groups) {
    if (!isPlainObject(group) || typeof group.id !== 'string' || group.id === '' || typeof group.displayName !== 'string') {
      problems.push(problem('groups', 'groups', group, `${describe(group)} is not a group ({"id": "…", "displayName": "…"})`));
      continue;
    }
    byId.set(group.id, { id: group.id, displayName: group.displayName });
  }
  // One order for one membership, so equal group lists compare equal in diffs.
  return [...byId.values()].sort((a, b) =>
    a.displayName < b.displayName ? -1 : a.displayName > b.displayName ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
};

const readStamp = (stamp: unknown, problems: ProfileProblem[]): ProfileStamp => {
  const s = isPlainObject(stamp) ? stamp : {};
  const id = typeof s.id === 'string' && s.id !== '' ? s.id : '';
  const version = typeof s.version === 'number' && Number.isFinite(s.version) ? s.version : 0;
  const updatedAt = typeof s.updatedAt === 'string' ? s.updatedAt : '';
  if (!id) problems.push(problem('id', 'id', s.id, `${describe(s.id)} is not a user id`));
  if (version === 0 && s.version !== 0) problems.push(problem('version', 'meta.version', s.version, `${describe(s.version)} is not a version number`));
  if (!updatedAt) problems.push(problem('updatedAt', 'meta.lastModified', s.updatedAt, `${describe(s.updatedAt)} is not a time`));
  return { id, version, updatedAt };
};

/** The profile fields every user has, from the resource itself. */
const readIdentity = (data: Record<string, unknown>, problems: ProfileProblem[]) => {
  const userName = getCaseInsensitive(data, 'userName');
  if (typeof userName !== 'string' || userName === '') problems.push(problem('userName', 'userName', userName, isAbsent(userName) ? 'a user needs a userName' : `${describe(userName)} is not a userName`));
  const externalId = getCaseInsensitive(data, 'externalId');
  if (!isAbsent(externalId) && typeof externalId !== 'string') problems.push(problem('externalId', 'externalId', externalId, `${describe(externalId)} is not an externalId`));
  const activeValue = getCaseInsensitive(data, 'active');
  const active = isAbsent(activeValue) ? { ok: true as const, value: true } : readBoolean(activeValue as Working, 'strict');
  if (!active.ok) problems.push(problem('active', 'active', activeValue, active.problem));
  return {
    userName: typeof userName === 'string' ? userName : '',
    externalId: typeof externalId === 'string' && externalId !== '' ? externalId : undefined,
    active: active.ok ? active.value !== false : true,
  };
};

/**
 * The profile of `resource` (the stored SCIM user, or its representation) under `mapping` (stored
 * or compiled). `groups` are the user's direct groups; `stamp` the stored version's id, version and time.
 */
export const computeProfile = (resource: unknown, groups: unknown, mapping: unknown, stamp: ProfileStamp): ProfileResult => {
  const problems: ProfileProblem[] = [];
  const { id, version, updatedAt } = readStamp(stamp, problems);
  if (!isPlainObject(resource)) {
    problems.push(problem('userName', 'userName', resource, `${describe(resource)} is not a SCIM user (a JSON object)`));
    return { ok: false, problems };
  }
  const identity = readIdentity(resource, problems);
  const compiled: CompiledMapping = isCompiled(mapping) ? mapping : compileMapping(mapping);
  const attributes: Record<string, ProfileValue> = {};
  for (const entry of compiled.entries) {
    const result = computeEntry(resource, entry);
    if (!result.ok) problems.push(problem(entry.profile, entry.scim, result.raw, result.problem));
    else if (result.value !== undefined) attributes[entry.profile] = result.value;
  }
  const groupRefs = readGroups(groups, problems);
  if (problems.length) return { ok: false, problems };
  const profile: Profile = { id, userName: identity.userName, active: identity.active, attributes, groups: groupRefs, version, updatedAt };
  if (identity.externalId !== undefined) profile.externalId = identity.externalId;
  return { ok: true, profile: orderedProfile(profile) };
};

/** Keys in the documented order, so stored and delivered JSON reads the same everywhere. */
const orderedProfile = (p: Profile): Profile => {
  const { id, userName, externalId, active, attributes, groups, version, updatedAt } = p;
  return externalId === undefined
    ? { id, userName, active, attributes, groups, version, updatedAt }
    : { id, userName, externalId, active, attributes, groups, version, updatedAt };
};

const isCompiled = (mapping: unknown): mapping is CompiledMapping =>
  isPlainObject(mapping) && Array.isArray(mapping.entries) && mapping.custom instanceof Map && Array.isArray(mapping.ignored);

/**
 * The 400 a user write answers when its profile cannot be computed: each problem names the SCIM
 * path, the profile attribute and what is wrong with the value (the report row quotes the same).
 */
export const profileProblemsError = (problems: readonly ProfileProblem[]): ScimError =>
  ScimError.invalidValue(
    problems.map((p) => `Attribute "${p.scimPath}" cannot fill the profile attribute "${p.profileAttribute}": ${p.problem.replace(/\.$/, '')}.`).join(' '),
  );
