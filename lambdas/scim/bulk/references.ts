/**
 * `bulkId:` references (RFC 7644 §3.7.2): "The service provider MUST replace the string
 * "bulkId:qwerty" with the permanent resource id once created", and "Extensions that include
 * references to other resources MUST be handled in the same way".
 *
 * Where a reference may stand — decided here, once, for every resource type:
 * - any string value anywhere in `data` that is exactly `bulkId:<bulkId>` (group `members[].value`,
 *   enterprise `manager.value`, a custom extension's attribute, a PATCH operation's `value`, bare
 *   member ids), because the RFC names no list of attributes and extensions must work alike;
 * - inside a string, the quoted form `"bulkId:<bulkId>"`, which is how a PATCH `path` filter names
 *   one (`members[value eq "bulkId:qwerty"]`); the quotes keep ordinary text from matching;
 * - the id segment of an operation's `path` (`/Groups/bulkId:ytrewq`), read by `operation-path.ts`.
 * Object keys never hold references. The prefix is matched exactly, as the RFC spells it.
 */
import { ScimError } from '../errors';
import { setOwn } from '../patch/values';
import { isPlainObject } from '../json';

export const BULK_ID_PREFIX = 'bulkId:';

/** Deeper `data` than this is refused (400) before it is walked: no JSON a SCIM client sends nests so. */
export const MAX_DATA_DEPTH = 32;

const EMBEDDED = /"bulkId:([^"\\]+)"/g;

/** The bulkId a whole string value names (`"bulkId:qwerty"` → `qwerty`), if it is a reference. */
export const bulkIdOf = (value: string): string | undefined =>
  value.length > BULK_ID_PREFIX.length && value.startsWith(BULK_ID_PREFIX) ? value.slice(BULK_ID_PREFIX.length) : undefined;

const referencesInString = (text: string, found: Set<string>): void => {
  const whole = bulkIdOf(text);
  if (whole !== undefined) {
    found.add(whole);
    return;
  }
  if (!text.includes(`"${BULK_ID_PREFIX}`)) return;
  for (const match of text.matchAll(EMBEDDED)) found.add(match[1]);
};

/**
 * Every bulkId `value` names, each once, in order of first appearance. Walks without recursion and
 * throws 400 invalidValue past `MAX_DATA_DEPTH`, so no body can overflow the stack.
 */
export const referencesIn = (value: unknown): string[] => {
  const found = new Set<string>();
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: item, depth } = pending.pop()!;
    if (typeof item === 'string') {
      referencesInString(item, found);
      continue;
    }
    const children = Array.isArray(item) ? item : isPlainObject(item) ? Object.values(item) : undefined;
    if (!children) continue;
    if (depth >= MAX_DATA_DEPTH) throw ScimError.invalidValue(`"data" nests deeper than ${MAX_DATA_DEPTH} levels.`);
    // Reversed onto a stack, so values come off in document order.
    for (let i = children.length - 1; i >= 0; i--) pending.push({ value: children[i], depth: depth + 1 });
  }
  return [...found];
};

/** True when `value` names any of `bulkIds`. */
export const refersToAny = (value: unknown, bulkIds: ReadonlySet<string>): boolean =>
  referencesIn(value).some((bulkId) => bulkIds.has(bulkId));

const substituteString = (text: string, idOf: (bulkId: string) => string): string => {
  const whole = bulkIdOf(text);
  if (whole !== undefined) return idOf(whole);
  if (!text.includes(`"${BULK_ID_PREFIX}`)) return text;
  // Inside a filter the id is a quoted string literal: JSON quoting escapes whatever it holds.
  return text.replace(EMBEDDED, (_match, bulkId: string) => JSON.stringify(idOf(bulkId)));
};

/**
 * A copy of `value` with every reference replaced by `idOf(bulkId)`; the input is never changed.
 * Only for values `referencesIn` has accepted (their depth is bounded).
 */
export const substituteReferences = <T>(value: T, idOf: (bulkId: string) => string): T => {
  if (typeof value === 'string') return substituteString(value, idOf) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => substituteReferences(item, idOf)) as T;
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) setOwn(copy, key, substituteReferences(item, idOf));
    return copy as T;
  }
  return value;
};
