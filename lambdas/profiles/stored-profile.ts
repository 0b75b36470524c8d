/**
 * A profile as a user item stores it: only what the item does not already hold. The profile's
 * `id`, `userName`, `externalId`, `active`, `version` and `updatedAt` are the item's own `id`,
 * `userName`, `externalId`, `active`, `version` and `lastModified`; storing them twice took a
 * typical Entra user over DynamoDB's 1 KB write step (issue 15: a profile adds ≤ 1 WRU; issue 18).
 * Every reader rebuilds the whole profile from the item with `profileOfItem`, so the contract
 * (types.ts) is unchanged. Items that stored a whole profile read the same way.
 */
import type { StoredGroups } from '../domain/items';
import { groupsOfStored, storedGroupsOf } from '../domain/stored-groups';
import type { Profile, ProfileValue } from './types';

/** What a user item stores under `profile`. */
export interface StoredProfile {
  attributes: Record<string, ProfileValue>;
  /** Group id → display name (domain/stored-groups.ts): a membership write edits one key. */
  groups: StoredGroups;
}

/** The fields of a user item (or its stream image) a profile is rebuilt from. */
export interface ProfileHolder {
  id: string;
  userName: string;
  externalId?: string;
  active: boolean;
  version: number;
  lastModified?: string;
  profile?: unknown;
}

const EPOCH = new Date(0).toISOString();
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The part of `profile` a user item stores. */
export const storedProfileOf = (profile: Profile): StoredProfile => ({ attributes: profile.attributes, groups: storedGroupsOf(profile.groups) });

/** The whole profile of a user item, or undefined when it stores none (written before profiles). */
export const profileOfItem = (item: ProfileHolder): Profile | undefined => {
  const stored = item.profile;
  if (!isRecord(stored) || !isRecord(stored.attributes)) return undefined;
  const externalId = typeof item.externalId === 'string' && item.externalId !== '' ? item.externalId : undefined;
  // Keys in the profile's documented order, so delivered JSON reads the same as computed.
  return {
    id: item.id,
    userName: item.userName,
    ...(externalId !== undefined ? { externalId } : {}),
    active: item.active,
    attributes: stored.attributes as Record<string, ProfileValue>,
    groups: groupsOfStored(stored.groups) ?? [],
    version: item.version,
    updatedAt: item.lastModified ?? EPOCH,
  };
};
