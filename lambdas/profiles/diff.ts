/**
 * What changed between two versions of a profile, for report rows (`department: Sales →
 * Marketing`) and directory events (issue 16). `changes` names fields the way a consumer reads the
 * profile (`active`, `groups`, `attributes.department`); `previous` holds their old values keyed by
 * the field's own name (`department`, `active`), null where there was no value, in the spirit of
 * WorkOS's `previous_attributes`: the new values are in the profile itself. Custom attribute names
 * cannot be profile field names (mapping-schema.ts), so the flat keys never collide.
 *
 * `version` and `updatedAt` change on every write and are not changes; `id` never changes.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Profile, ProfileValue } from './types';

type TopField = 'userName' | 'externalId' | 'active' | 'groups';
const TOP_FIELDS: readonly TopField[] = ['userName', 'externalId', 'active', 'groups'];

export type PreviousValue = ProfileValue | Profile['groups'] | null;

export interface ProfileDiff {
  /** `userName`, `externalId`, `active`, `groups` and `attributes.<name>`, in that order. */
  changes: string[];
  /** Old value of each change by field or attribute name; null: it had no value. */
  previous: Record<string, PreviousValue>;
}

const own = (record: Record<string, ProfileValue>, name: string): ProfileValue | undefined =>
  Object.hasOwn(record, name) ? record[name] : undefined;

/**
 * Either side may be missing: no `before` is a new user (everything it has is a change), no
 * `after` a deleted one.
 */
export const diffProfiles = (before: Profile | undefined, after: Profile | undefined): ProfileDiff => {
  const changes: string[] = [];
  const previous: Record<string, PreviousValue> = {};
  const note = (change: string, name: string, old: unknown, now: unknown) => {
    if (isDeepStrictEqual(old, now)) return;
    changes.push(change);
    // defineProperty: a stored name such as "__proto__" stays a plain key.
    Object.defineProperty(previous, name, { value: (old ?? null) as PreviousValue, enumerable: true, writable: true, configurable: true });
  };
  for (const field of TOP_FIELDS) {
    const old = before?.[field];
    const now = after?.[field];
    // An empty group list and no profile both mean "in no group".
    if (field === 'groups' && !(old as unknown[] | undefined)?.length && !(now as unknown[] | undefined)?.length) continue;
    note(field, field, old, now);
  }
  const oldAttributes = before?.attributes ?? {};
  const newAttributes = after?.attributes ?? {};
  const names = [...new Set([...Object.keys(oldAttributes), ...Object.keys(newAttributes)])];
  for (const name of names) note(`attributes.${name}`, name, own(oldAttributes, name), own(newAttributes, name));
  return { changes, previous };
};
