/**
 * Group `members` operations become MemberChanges instead of edits to `data`: the store keeps one item
 * per membership and never loads the member list, so the engine only says what to add or remove.
 *
 * Shapes (entra-scim.md §3.13, §3.14, §4.1, §4.4 rule 7, §16):
 * - `add` `members` with `[{value, $ref: null, display?}]` or bare strings → add
 * - `remove` `members` with a value list (Entra's default dialect) → remove exactly those ids
 * - `remove` `members[value eq "id"]` (flag dialect; unquoted ids and extra `$ref eq null` terms too) → remove
 * - `remove` `members` without value → removeAll (RFC 7644 §3.5.2.2)
 * - `replace` `members` with a list → replace (Microsoft's validator "adds" a member this way)
 */
import { ScimError } from '../errors';
import type { ResourceType } from '../schemas';
import type { PatchTarget } from './path';
import type { MemberChange, MemberRef, PatchOpName } from './types';
import { valuesFromFilter } from './value-filter';
import { describe, isPlainObject, findKey } from './values';

type MembersTarget = Extract<PatchTarget, { kind: 'members' }>;

const MEMBER_TYPES: readonly ResourceType[] = ['User', 'Group'];

const memberOf = (item: unknown, path: string): MemberRef => {
  if (typeof item === 'string' && item !== '') return { value: item };
  if (!isPlainObject(item)) {
    throw ScimError.invalidValue(`Each member in "${path}" must be {"value": "<id>"} or an id string, got ${describe(item)}.`);
  }
  const valueKey = findKey(item, 'value');
  const value = valueKey === undefined ? undefined : item[valueKey];
  if (typeof value !== 'string' || value === '') {
    throw ScimError.invalidValue(
      `Each member in "${path}" needs a non-empty string "value" (the member's id), got ${describe(value)}.`,
    );
  }
  const typeKey = findKey(item, 'type');
  const rawType = typeKey === undefined ? undefined : item[typeKey];
  if (rawType === undefined || rawType === null || rawType === '') return { value };
  const type = MEMBER_TYPES.find((t) => typeof rawType === 'string' && t.toLowerCase() === rawType.toLowerCase());
  if (!type) throw ScimError.invalidValue(`A member's "type" must be "User" or "Group", got ${describe(rawType)}.`);
  return { value, type };
};

/** Members of a value (array, single object or bare id), each id once, in the order sent. */
const membersOf = (value: unknown, path: string): MemberRef[] => {
  if (value === null || value === undefined || value === '') return [];
  const items = Array.isArray(value) ? value : [value];
  const seen = new Set<string>();
  return items
    .map((item) => memberOf(item, path))
    .filter((m) => !seen.has(m.value) && seen.add(m.value));
};

/** The change one operation on `members` makes, or undefined when it changes nothing. */
export const memberChangeOf = (op: PatchOpName, target: MembersTarget, value: unknown, hasValue: boolean): MemberChange | undefined => {
  const { path, filter, subName } = target;
  if (subName !== undefined || (filter && op !== 'remove')) {
    throw ScimError.invalidPath(
      `The path "${path}" is not supported: members can only be added, replaced or removed as a whole ("members") ` +
        `or removed by id (members[value eq "<id>"]).`,
    );
  }
  if (filter) {
    const values = valuesFromFilter(filter);
    if (!values) throw ScimError.invalidPath(`The path "${path}" must select members by id: members[value eq "<id>"].`);
    return { op: 'remove', values };
  }
  if (op === 'add') {
    const members = membersOf(value, path);
    return members.length ? { op: 'add', members } : undefined;
  }
  if (op === 'replace') return { op: 'replace', members: membersOf(value, path) };
  // remove: with a value list only those ids (never all of them); without a value, all members.
  if (!hasValue || value === null) return { op: 'removeAll' };
  const values = membersOf(value, path).map((m) => m.value);
  return values.length ? { op: 'remove', values } : undefined;
};
