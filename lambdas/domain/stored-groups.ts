/**
 * How a user item stores its profile's groups: a map from group id to display name. A member
 * joining or leaving a group is then one `SET` or `REMOVE` of its key on the user item, written
 * without reading the user first (store/memberships.ts; issue 18: a member removal costs the round
 * trips it did before profiles). The profile lists the groups sorted (profiles/types.ts); every
 * reader gets that list from `groupsOfStored`, which also reads the list items stored before.
 */
import type { ProfileGroupRef, StoredGroups } from './items';

/** The profile's order for groups (display name, then id), so equal memberships compare and serialize equal. */
export const sortGroups = <G extends ProfileGroupRef>(groups: readonly G[]): G[] =>
  [...groups].sort((a, b) => (a.displayName < b.displayName ? -1 : a.displayName > b.displayName ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** What a user item stores for these groups. */
export const storedGroupsOf = (groups: readonly ProfileGroupRef[]): StoredGroups => Object.fromEntries(groups.map((g) => [g.id, g.displayName]));

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The groups a stored `profile.groups` holds, in the profile's order: a map (this format) or a
 * list of `{ id, displayName }` (items written before it). Undefined when it is neither, or an
 * entry is not a group: the store wrote it, so that is a damaged item, not a client's mistake.
 */
export const groupsOfStored = (value: unknown): ProfileGroupRef[] | undefined => {
  const groups: ProfileGroupRef[] = [];
  if (Array.isArray(value)) {
    for (const entry of value) {
      if (!isRecord(entry) || typeof entry.id !== 'string' || entry.id === '') return undefined;
      groups.push({ id: entry.id, displayName: typeof entry.displayName === 'string' ? entry.displayName : '' });
    }
  } else if (isRecord(value)) {
    for (const [id, displayName] of Object.entries(value)) {
      if (id === '' || typeof displayName !== 'string') return undefined;
      groups.push({ id, displayName });
    }
  } else {
    return undefined;
  }
  return sortGroups(groups);
};
