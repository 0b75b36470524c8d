/**
 * The profile contract: the normalized view of a user that the customer's application consumes
 * (reports show it, directory events deliver it). Chosen so a consumer can code against it without
 * knowing SCIM:
 * - every value has one JSON type per attribute (no "string or number"), fixed by the mapping;
 * - a missing value is an **absent key**, never `null`: SCIM treats null and absent alike
 *   (RFC 7643 §2.5), Entra never sends nulls, and absent keys keep the stored item small. So
 *   `"department" in profile.attributes` is the whole "has a department?" test;
 * - dates are ISO 8601 text in one spelling (date-only `2024-05-31`, or UTC date-time
 *   `2024-05-31T07:00:00.000Z`);
 * - `groups` is sorted (display name, then id), so equal memberships compare equal.
 * Pure types and constants.
 */

/** What a profile attribute holds. `manager` is only for the default `manager` attribute. */
export const PROFILE_TYPES = ['string', 'boolean', 'number', 'date', 'stringList', 'manager'] as const;
export type ProfileType = (typeof PROFILE_TYPES)[number];

/** The types an admin may give a custom profile attribute. */
export const CUSTOM_TYPES = ['string', 'boolean', 'number', 'date', 'stringList'] as const;
export type CustomType = (typeof CUSTOM_TYPES)[number];

/** The user's manager: the SCIM `id` of the manager's user (as Entra sends it) and, when known, a name. */
export interface ManagerRef {
  id: string;
  displayName?: string;
}

export type ProfileValue = string | number | boolean | string[] | ManagerRef;

/** A group the user is a direct member of. */
export interface GroupRef {
  id: string;
  displayName: string;
}

export interface Profile {
  /** The SCIM `id` of the user. */
  id: string;
  userName: string;
  externalId?: string;
  active: boolean;
  /** Mapped attributes by profile name; a key is absent when the user has no value for it. */
  attributes: Record<string, ProfileValue>;
  groups: GroupRef[];
  /** The version of the SCIM resource the profile was computed from. */
  version: number;
  /** ISO 8601: when that version was written. */
  updatedAt: string;
}

/** The profile's own fields; custom attribute names may not reuse them (diffs key `previous` by name). */
export const PROFILE_FIELDS = ['id', 'userName', 'externalId', 'active', 'attributes', 'groups', 'version', 'updatedAt'] as const;

/** A value as a problem quotes it: scalars as they were (long text cut), anything else as short JSON text. */
export type ProblemValue = string | number | boolean | null;

/** Why one profile attribute could not be computed: the 400's detail and the report row say the same. */
export interface ProfileProblem {
  /** The profile attribute (or profile field such as `userName`) that could not be filled. */
  profileAttribute: string;
  /** The SCIM path the value came from, in canonical form. */
  scimPath: string;
  value: ProblemValue;
  /** What is wrong with the value, e.g. `the string "soon" is not an ISO 8601 date (…)`. */
  problem: string;
}

export type ProfileResult = { ok: true; profile: Profile } | { ok: false; problems: ProfileProblem[] };

/** What the store knows about the resource a profile is computed from. */
export interface ProfileStamp {
  id: string;
  version: number;
  updatedAt: string;
}
