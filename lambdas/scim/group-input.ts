/**
 * POST/PUT bodies for /Groups. Members are returned apart from the attributes because the store
 * keeps them as separate items; `parseMemberRefs` is also what PATCH uses for `members` values.
 */
import { describe, isNonEmptyText } from './attribute-values';
import { ScimError } from './errors';
import { getCaseInsensitive, isPlainObject } from './json';
import { parseResourceInput } from './resource-input';
import type { MemberRef, ScimData } from './resource-shapes';

/** Most members one request may carry; larger groups are filled by PATCH in chunks. */
export const MAX_MEMBERS_PER_REQUEST = 10_000;

const memberType = (value: unknown): MemberRef['type'] => {
  if (value === undefined || value === null || value === '') return undefined;
  const lower = typeof value === 'string' ? value.toLowerCase() : '';
  if (lower === 'user') return 'User';
  if (lower === 'group') return 'Group';
  throw ScimError.invalidValue(`Attribute "members.type" must be "User" or "Group"; got ${describe(value)}.`);
};

const memberOf = (entry: unknown): MemberRef | undefined => {
  if (entry === null || entry === undefined) return undefined;
  // Bare ids are accepted: Microsoft's Postman collection adds members as `"value": "id"`.
  const raw = isPlainObject(entry) ? getCaseInsensitive(entry, 'value') : entry;
  const value = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
  if (!isNonEmptyText(value)) {
    throw ScimError.invalidValue(`Attribute "members.value" must be a non-empty string (the member's id); got ${describe(raw)}.`);
  }
  const type = isPlainObject(entry) ? memberType(getCaseInsensitive(entry, 'type')) : undefined;
  return type ? { value, type } : { value };
};

/** Member references from a body or PATCH value: objects or bare ids, one or many; duplicates collapsed. */
export const parseMemberRefs = (raw: unknown): MemberRef[] => {
  if (raw === undefined || raw === null || raw === '') return [];
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length > MAX_MEMBERS_PER_REQUEST) {
    throw ScimError.tooMany(
      `One request may carry at most ${MAX_MEMBERS_PER_REQUEST} members; this one has ${list.length}. ` +
        `Send the rest with PATCH "add" operations of up to ${MAX_MEMBERS_PER_REQUEST} members each.`,
    );
  }
  const byValue = new Map<string, MemberRef>();
  for (const entry of list) {
    const member = memberOf(entry);
    if (!member) continue;
    const known = byValue.get(member.value);
    if (!known) byValue.set(member.value, member);
    else if (!known.type && member.type) known.type = member.type;
  }
  return [...byValue.values()];
};

export const parseGroupInput = (body: unknown): { data: ScimData; members: MemberRef[] } => {
  const { data, captured } = parseResourceInput('Group', body, ['members']);
  if (!isNonEmptyText(data.displayName)) {
    throw ScimError.invalidValue('Attribute "displayName" is required and must be a non-empty string.');
  }
  return { data, members: parseMemberRefs(captured.members) };
};
