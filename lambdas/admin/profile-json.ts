/**
 * The JSON of the admin API's profile routes (`/admin/apps/{appId}/mapping`, `/features`,
 * `/profiles`), declared once for the handler and the console. The profile and mapping shapes
 * repeat profiles/types.ts and profiles/mapping.ts structurally (this leaf imports no core); the
 * handler returns the cores' values as these types, so the compiler checks they agree.
 */

/** A group the user is a direct member of. */
export interface ProfileGroupJson {
  id: string;
  displayName: string;
}

export type ProfileValueJson = string | number | boolean | string[] | { id: string; displayName?: string };

/** The profile: the normalized user the customer's application consumes (docs/profiles.md). */
export interface ProfileJson {
  id: string;
  userName: string;
  externalId?: string;
  active: boolean;
  attributes: Record<string, ProfileValueJson>;
  groups: ProfileGroupJson[];
  version: number;
  updatedAt: string;
}

export type TransformJson = 'trim' | 'lowercase' | 'uppercase' | 'boolean' | 'number' | { split: string } | { join: string };

export interface MappingEntryJson {
  profile: string;
  scim: string;
  default: ProfileValueJson | null;
  transform: TransformJson[];
}

/** Progress of the background recompute a mapping change starts. */
export interface RecomputeJson {
  state: 'running' | 'done';
  /** The mapping version it brings profiles to. */
  mappingVersion: number;
  pass: number;
  processed: number;
  updated: number;
  /** Users whose profile could not be computed in the current pass (a new pass counts afresh). */
  failed: number;
  /** Up to ten users whose profile could not be computed under the mapping (they keep the previous one). */
  failures: { id: string; detail: string }[];
  startedAt: string;
  finishedAt?: string;
}

/** `GET|PUT /admin/apps/{appId}/mapping`. `version` and `recompute` are read-only (a PUT may send `version` back to guard against a concurrent edit). */
export interface MappingJson {
  attributes: MappingEntryJson[];
  custom: { name: string; type: 'string' | 'boolean' | 'number' | 'date' | 'stringList' }[];
  /** 0: the default mapping (never saved). */
  version: number;
  /** The latest recompute; absent when the mapping was never changed. */
  recompute?: RecomputeJson;
}

/** `GET|PUT /admin/apps/{appId}/features`. */
export interface FeaturesJson {
  create: boolean;
  update: boolean;
  deactivate: boolean;
  reactivate: boolean;
  delete: 'delete' | 'deactivate' | 'ignore';
  groups: boolean;
}

/** `GET /admin/apps/{appId}/profiles`. */
export interface ProfilesPageJson {
  profiles: ProfileJson[];
  nextCursor?: string;
  /** Present while a mapping change is being applied: some profiles still follow the previous mapping. */
  recompute?: RecomputeJson;
}

/** A profile attribute as people read it: the console's property list. */
export interface ProfilePropertyJson {
  name: string;
  label: string;
  value: string;
}

/** `POST /admin/apps/{appId}/mapping/preview`: a draft mapping tried on a real user, nothing saved. */
export interface MappingPreviewJson {
  /** The default profile attributes, for the mapping editor's picker. */
  defaults: { name: string; label: string; type: string; scim: string }[];
  /** Problems of the draft mapping itself (the PUT would refuse it with these). */
  mappingProblems: { at: string; problem: string }[];
  /** The user's profile under the draft, with its properties; absent without a user or with problems. */
  profile?: ProfileJson;
  properties?: ProfilePropertyJson[];
  /** Why the user's profile cannot be computed under the draft (its writes would be refused). */
  problems?: { profileAttribute: string; scimPath: string; problem: string }[];
  /** The SCIM paths the user carries, for the picker (with the application's custom extension attributes). */
  receivedPaths: string[];
}
