/**
 * The value filter inside a PATCH path (`emails[type eq "work"]`, `members[value eq 123abc]`,
 * `roles[primary eq "True"]`, `members[$ref eq null and value eq "x"]`), on top of the shared filter
 * engine (`scim/filter`): it parses and evaluates; this module checks that every name in the filter is
 * a sub-attribute of the multi-valued attribute, spells it canonically, and reads the filter as a
 * description of an element (to create a missing one) or as a list of member ids.
 */
import { ScimError } from '../errors';
import { matches, type AttrPath, type Filter } from '../filter';
import type { AttributeDef } from '../schemas';
import { subAttributeOf } from './complex';
import { toBoolean, type JsonObject } from './values';

/** `attr[…]` with each name inside resolved to a canonical sub-attribute of `attr`. */
export const checkValueFilter = (filter: Filter, attribute: AttributeDef, path: string): Filter => {
  const canonical = (attrPath: AttrPath): AttrPath => {
    const sub = attrPath.urn === undefined && attrPath.subAttr === undefined ? subAttributeOf(attribute, attrPath.attr) : undefined;
    if (!sub) {
      const written = `${attrPath.urn ? `${attrPath.urn}:` : ''}${attrPath.attr}${attrPath.subAttr ? `.${attrPath.subAttr}` : ''}`;
      throw ScimError.invalidPath(`The filter in path "${path}" uses "${written}", which is not a sub-attribute of ${attribute.name}.`);
    }
    return { attr: sub.name };
  };
  const walk = (f: Filter): Filter => {
    switch (f.kind) {
      case 'compare':
      case 'present':
        return { ...f, attrPath: canonical(f.attrPath) };
      case 'and':
      case 'or':
        return { kind: f.kind, filters: f.filters.map(walk) };
      case 'not':
        return { kind: 'not', filter: walk(f.filter) };
      case 'valuePath':
        throw ScimError.invalidPath(`The filter in path "${path}" nests a value filter, which is not allowed.`);
    }
  };
  return walk(filter);
};

/** Whether one element of the multi-valued `attribute` matches (`type` values compare case-insensitively). */
export const matchesElement = (filter: Filter, element: unknown, attribute: AttributeDef): boolean =>
  typeof element === 'object' &&
  element !== null &&
  !Array.isArray(element) &&
  matches(filter, element, { caseExact: (name) => subAttributeOf(attribute, name)?.caseExact ?? false });

/**
 * The element a filter describes when it is only `eq` terms joined by `and` (`type eq "work"`,
 * `primary eq "True"` → `{primary: true}`): used to create a missing element. Undefined otherwise.
 */
export const elementFromFilter = (filter: Filter, attribute: AttributeDef, path: string): JsonObject | undefined => {
  const terms = filter.kind === 'and' ? filter.filters : [filter];
  const element: JsonObject = {};
  for (const term of terms) {
    if (term.kind !== 'compare' || term.op !== 'eq' || term.value === null) return undefined;
    const sub = subAttributeOf(attribute, term.attrPath.attr);
    const value = sub?.type === 'boolean' ? toBoolean(term.value, `${path} (${term.attrPath.attr})`) : term.value;
    const stored = typeof value === 'number' && sub?.type === 'string' ? String(value) : value;
    if (Object.hasOwn(element, term.attrPath.attr) && element[term.attrPath.attr] !== stored) return undefined;
    element[term.attrPath.attr] = stored;
  }
  return element;
};

/** The member ids a filter names by `value eq …` (alone, inside `and`, or as `or` alternatives). */
export const valuesFromFilter = (filter: Filter): string[] | undefined => {
  const valueOf = (f: Filter): string | undefined =>
    f.kind === 'compare' && f.op === 'eq' && f.attrPath.attr === 'value' && (typeof f.value === 'string' || typeof f.value === 'number')
      ? String(f.value)
      : undefined;
  if (filter.kind === 'or') {
    const values = filter.filters.map(valuesFromFilter);
    return values.every((v) => v !== undefined) ? values.flat() : undefined;
  }
  if (filter.kind === 'and') {
    const pinned = filter.filters.map(valueOf).filter((v) => v !== undefined);
    return pinned.length === 1 ? pinned : undefined;
  }
  const single = valueOf(filter);
  return single === undefined ? undefined : [single];
};
