/**
 * `sortBy` / `sortOrder` (RFC 7644 §3.4.2.3) as a comparator over resources.
 * - A multi-valued attribute sorts by its primary element's value, else its first element's.
 * - Resources with no value (absent, null, "", []) sort last when ascending; descending is the exact
 *   reverse, so they come first (as the RFC says).
 * - Strings compare case-insensitively unless caseExact; `meta.created`/`meta.lastModified` compare as
 *   instants; numbers numerically; false before true. Mixed types order boolean < number < string.
 * Ties return 0: `Array.prototype.sort` is stable, so the store's own order breaks them.
 */
import { ScimError } from '../errors';
import { getCaseInsensitive, isPlainObject } from '../json';
import type { AttrPath } from './ast';
import { selectValues } from './matches';
import { parseAttrPath } from './parse';
import { type CaseExact, DATE_TIME_PATHS, canonicalPath, defaultCaseExact, valuesOf } from './resolve';
import { asBoolean, compareInstants, compareText, foldCase, parseInstant } from './values';

export type SortOrder = 'ascending' | 'descending';

export interface SortOptions {
  /** @default defaultCaseExact */
  readonly caseExact?: CaseExact;
}

type SortKey = string | number | boolean | undefined;

export const compareForSort = (
  sortBy: string,
  sortOrder: string = 'ascending',
  options: SortOptions = {},
): ((a: unknown, b: unknown) => number) => {
  const path = parseAttrPath(sortBy, (detail) => ScimError.invalidValue(`Invalid sortBy '${sortBy}': ${detail}`));
  const order = sortOrder.toLowerCase();
  if (order !== 'ascending' && order !== 'descending') {
    throw ScimError.invalidValue(`Invalid sortOrder '${sortOrder}': use 'ascending' or 'descending'.`);
  }
  const caseExactFn = options.caseExact ?? defaultCaseExact;
  const canonical = canonicalPath(path);
  // Without a sub-attribute a complex value sorts by its `value`, whose own caseExact-ness then counts too.
  const caseExact = caseExactFn(canonical) || (path.subAttr === undefined && caseExactFn(`${canonical}.value`));
  const dateTime = DATE_TIME_PATHS.includes(canonical);

  const ascending = (a: unknown, b: unknown): number => compareKeys(sortKey(a, path, caseExactFn), sortKey(b, path, caseExactFn), caseExact, dateTime);
  return order === 'ascending' ? ascending : (a, b) => ascending(b, a);
};

const sortKey = (resource: unknown, path: AttrPath, caseExact: CaseExact): SortKey => {
  const scope = isPlainObject(resource) ? resource : {};
  const elements = selectValues(scope, { urn: path.urn, attr: path.attr, valueFilter: path.valueFilter }, caseExact);
  const chosen = elements.find((e) => isPlainObject(e) && asBoolean(getCaseInsensitive(e, 'primary')) === true) ?? elements[0];
  const value = isPlainObject(chosen) ? valuesOf(getCaseInsensitive(chosen, path.subAttr ?? 'value'))[0] : path.subAttr === undefined ? chosen : undefined;
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value;
  return undefined;
};

const TYPE_RANK = { boolean: 0, number: 1, string: 2 } as const;

const compareKeys = (a: SortKey, b: SortKey, caseExact: boolean, dateTime: boolean): number => {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  if (typeof a !== typeof b) return TYPE_RANK[typeof a as keyof typeof TYPE_RANK] - TYPE_RANK[typeof b as keyof typeof TYPE_RANK];
  if (typeof a === 'string' && typeof b === 'string') {
    if (dateTime) {
      // Dates before non-dates, so the order stays transitive when some values do not parse.
      const [x, y] = [parseInstant(a), parseInstant(b)];
      if (x && y) return compareInstants(x, y);
      if (x || y) return x ? -1 : 1;
    }
    return compareText(foldCase(a, caseExact), foldCase(b, caseExact));
  }
  return a === b ? 0 : a < b ? -1 : 1; // numbers, or booleans (false < true)
};
