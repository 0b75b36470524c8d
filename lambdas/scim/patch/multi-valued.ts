/**
 * Operations on multi-valued attributes (emails, phoneNumbers, addresses, roles…), RFC 7644 §3.5.2
 * with Entra's needs:
 * - `add` appends, skipping exact duplicates; `replace` without filter sets the whole list.
 * - `attr[filter]` / `attr[filter].sub` on add/replace updates every matching element, and when none
 *   matches *creates* one from the filter's `eq` terms (`emails[type eq "work"].value` →
 *   `{type: "work", value}`): Entra sends Replace whether or not the element exists (§4.4 rule 5),
 *   where RFC 7644 would answer noTarget. Filters that are not plain `eq` terms still answer noTarget.
 * - `remove` with a filter removes matching elements (or their sub-attribute); with a value list it
 *   removes the elements that match an entry of the list.
 * - An element whose `value` is cleared is removed; an attribute left with no element is removed.
 * - Setting `primary: true` on an element sets it to false on the others (RFC 7644 §3.5.2: at most one primary).
 */
import { ScimError } from '../errors';
import type { AttributeDef } from '../schemas';
import { CLEARED, clearsValue, isValueKeyed, mergeEntries, simpleValue, subAttributeOf, subEntries, type SubEntry } from './complex';
import type { AttributeTarget } from './path';
import type { PatchOpName } from './types';
import { elementFromFilter, matchesElement } from './value-filter';
import { deepEqual, describe, isAbsent, isPlainObject, findKey, type JsonObject } from './values';

/** The entries of one element value: an object, or a bare value standing for `{value}`. */
const elementEntries = (attribute: AttributeDef, item: unknown, path: string): SubEntry[] => {
  if (isPlainObject(item)) return subEntries(attribute, item, path);
  if (isValueKeyed(attribute) && !Array.isArray(item)) return subEntries(attribute, { value: item }, path);
  throw ScimError.invalidValue(`Each element of "${path}" must be an object, got ${describe(item)}.`);
};

/** New elements from a value (array or single element); cleared elements are skipped. */
const newElements = (attribute: AttributeDef, value: unknown, path: string): JsonObject[] =>
  (Array.isArray(value) ? value : [value])
    .filter((item) => !isAbsent(item))
    .map((item) => elementEntries(attribute, item, path))
    .filter((entries) => !clearsValue(entries))
    .map((entries) => mergeEntries({}, entries))
    .filter((element) => Object.keys(element).length > 0);

const dedupe = (elements: unknown[]): unknown[] => elements.filter((e, i) => elements.findIndex((o) => deepEqual(o, e)) === i);

/** RFC 7643 §2.4: "primary" true at most once — a touched element that became primary wins. */
const settlePrimary = (elements: unknown[], touched: ReadonlySet<unknown>): unknown[] => {
  const winner = elements.some((e) => touched.has(e) && isPlainObject(e) && e.primary === true);
  if (!winner) return elements;
  return elements.map((e) => (!touched.has(e) && isPlainObject(e) && e.primary === true ? { ...e, primary: false } : e));
};

/** Whether an element matches one entry of a remove value list (`{"type": "home"}`, or a bare value). */
const matchesListed = (attribute: AttributeDef, element: unknown, listed: unknown, path: string): boolean => {
  if (!isPlainObject(element)) return deepEqual(element, listed);
  const entries = elementEntries(attribute, listed, path);
  return (
    entries.length > 0 &&
    entries.every(([key, want]) => {
      const got = findKey(element, key);
      const have = got === undefined ? undefined : element[got];
      if (want === CLEARED) return have === undefined || have === null || have === '';
      const def = subAttributeOf(attribute, key);
      if (typeof want === 'string' && typeof have === 'string' && !def?.caseExact) return want.toLowerCase() === have.toLowerCase();
      return deepEqual(have, want);
    })
  );
};

const removeFrom = (t: AttributeTarget, elements: unknown[], value: unknown, hasValue: boolean): unknown[] => {
  const { attribute, filter, sub, path } = t;
  if (!filter && !sub) {
    if (!hasValue || isAbsent(value)) return [];
    const listed = Array.isArray(value) ? value : [value];
    return elements.filter((e) => !listed.some((l) => matchesListed(attribute, e, l, path)));
  }
  const selected = (e: unknown) => (filter ? matchesElement(filter, e, attribute) : true);
  if (!sub) return elements.filter((e) => !selected(e));
  return elements.flatMap((e) => {
    if (!selected(e) || !isPlainObject(e)) return [e];
    if (sub.name === 'value' && isValueKeyed(attribute)) return [];
    const stripped = mergeEntries(e, [[sub.name, CLEARED]]);
    return Object.keys(stripped).length ? [stripped] : [];
  });
};

interface SetOutcome {
  elements: unknown[];
  /** The elements this operation wrote (for the primary rule). */
  touched: Set<unknown>;
}

const setIn = (op: PatchOpName, t: AttributeTarget, elements: unknown[], value: unknown): SetOutcome => {
  const { attribute, filter, sub, path } = t;
  const touched = new Set<unknown>();
  if (!filter && !sub) {
    // add skips elements already present (exact duplicates); replace sets the list as sent.
    const kept = op === 'add' ? elements : [];
    const added = newElements(attribute, value, path).filter((e) => !kept.some((k) => deepEqual(k, e)));
    added.forEach((e) => touched.add(e));
    return { elements: [...kept, ...added], touched };
  }

  const entries: SubEntry[] = sub ? [[sub.name, simpleValue(sub, value, path)]] : elementEntries(attribute, value, path);
  const selected = (e: unknown) => isPlainObject(e) && (filter ? matchesElement(filter, e, attribute) : true);
  let matched = false;
  const updated = elements.map((e) => {
    if (!selected(e)) return e;
    matched = true;
    // Replacing a matched element keeps the filter's terms (it matched them), then takes the value.
    const base = op === 'replace' && !sub ? (filter && elementFromFilter(filter, attribute, path)) || {} : (e as JsonObject);
    const next = mergeEntries(base, entries);
    touched.add(next);
    return next;
  });
  if (matched) return { elements: updated, touched };

  const seed = filter ? elementFromFilter(filter, attribute, path) : {};
  if (!seed) throw ScimError.noTarget(`The filter in "${path}" matches no element, and only "eq" terms can describe a new one.`);
  const created = mergeEntries(seed, entries);
  touched.add(created);
  return { elements: [...updated, created], touched };
};

/** `replace emails[type eq "work"]` with `{"value": ""}` clears the matching elements. */
const clearsSelectedElements = (t: AttributeTarget, value: unknown): boolean =>
  t.filter !== undefined &&
  !t.sub &&
  isPlainObject(value) &&
  isValueKeyed(t.attribute) &&
  clearsValue(elementEntries(t.attribute, value, t.path));

/**
 * Applies one operation to the multi-valued attribute `t` held in `holder` (mutated: it is the engine's
 * working copy). Add/replace with a clearing value (`""`, `null`, `[]`) behave as remove.
 */
export const applyMultiValued = (op: PatchOpName, t: AttributeTarget, holder: JsonObject, value: unknown, hasValue: boolean): void => {
  const current = holder[t.key];
  const elements = current === undefined || current === null ? [] : Array.isArray(current) ? current : [current];

  let next: unknown[];
  if (op === 'remove') {
    next = removeFrom(t, elements, value, hasValue);
  } else if (isAbsent(value) || clearsSelectedElements(t, value)) {
    next = removeFrom(t, elements, undefined, false);
  } else {
    const { elements: set, touched } = setIn(op, t, elements, value);
    next = dedupe(settlePrimary(set, touched));
  }
  if (next.length) holder[t.key] = next;
  else delete holder[t.key];
};
