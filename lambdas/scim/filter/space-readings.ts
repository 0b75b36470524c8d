/**
 * Both readings of a `+` in a filter that came in a query string.
 *
 * Entra form-encodes its queries, `+` for a space even inside the quoted value
 * (`filter=displayName+eq+%22EDU+All+personal%22`), while a real `+` travels as `%2B`. API Gateway
 * REST decodes the form `+` to a space, but a front door that only percent-decodes hands both over
 * as `+`, and the value alone cannot tell them apart. So a query-string filter answers both
 * readings: a key lookup that finds nothing for a value holding `+` tries the spaced value once
 * more (store/search.ts), and a filter evaluated in memory goes through `withSpaceReadings`, which
 * lets each string comparison whose value holds `+` match either reading.
 *
 * Only `eq`, `co`, `sw` and `ew` (and `ne`, which stays `not eq`) get the second reading. For the
 * ordering operators it would be wrong: the spaced `2024-01-01T00:00:00 02:00` is no date and would
 * be compared as text. A filter from a JSON body (POST /.search) is never rewritten: there a `+` is
 * a `+`.
 */
import { andOf, type AttrPath, type CompareOp, type ComparisonFilter, type Filter } from './ast';

const READ_BOTH_WAYS: ReadonlySet<CompareOp> = new Set(['eq', 'ne', 'co', 'sw', 'ew']);

/** The value with every `+` read as a form-encoded space. */
export const spaceReading = (value: string): string => value.replace(/\+/g, ' ');

/** True when a value has a second, spaced reading. */
export const hasSpaceReading = (value: unknown): value is string => typeof value === 'string' && value.includes('+');

const orOf = (filters: readonly Filter[]): Filter => {
  const flat = filters.flatMap((f) => (f.kind === 'or' ? f.filters : [f]));
  return flat.length === 1 ? flat[0] : { kind: 'or', filters: flat };
};

const pathReadings = (path: AttrPath): AttrPath => (path.valueFilter ? { ...path, valueFilter: withSpaceReadings(path.valueFilter) } : path);

const comparisonReadings = (filter: ComparisonFilter): Filter => {
  const base: ComparisonFilter = { ...filter, attrPath: pathReadings(filter.attrPath) };
  if (!READ_BOTH_WAYS.has(filter.op) || !hasSpaceReading(filter.value)) return base;
  const spaced: ComparisonFilter = { ...base, value: spaceReading(filter.value) };
  // `ne` is the negation of `eq` (matches.ts): not equal to the one reading nor to the other.
  return filter.op === 'ne' ? (andOf([base, spaced]) as Filter) : orOf([base, spaced]);
};

/** The filter with each `+`-holding string comparison widened to match either reading. */
export const withSpaceReadings = (filter: Filter): Filter => {
  switch (filter.kind) {
    case 'and':
      return andOf(filter.filters.map(withSpaceReadings)) as Filter;
    case 'or':
      return orOf(filter.filters.map(withSpaceReadings));
    case 'not':
      return { kind: 'not', filter: withSpaceReadings(filter.filter) };
    case 'present':
      return { kind: 'present', attrPath: pathReadings(filter.attrPath) };
    case 'valuePath':
      return { kind: 'valuePath', attrPath: pathReadings(filter.attrPath), filter: withSpaceReadings(filter.filter) };
    case 'compare':
      return comparisonReadings(filter);
  }
};
