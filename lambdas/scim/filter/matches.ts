/**
 * Evaluates a filter AST against one SCIM resource (plain JSON), RFC 7644 §3.4.2.2 semantics:
 * a multi-valued attribute matches when any element does; `emails.value` means any email's value;
 * a complex value compared without a sub-attribute compares its `value` (`manager eq "id"`,
 * `members eq "id"`); `ne` is `not eq` (so a missing attribute is "not equal"); `eq null` means
 * "not present" and `ne null` "present"; `pr` is false for null, "", [] and {}.
 * Never throws: a filter that cannot apply to the data is simply false.
 */
import { getCaseInsensitive, isPlainObject, type JsonObject } from '../json';
import type { AttrPath, ComparisonFilter, Filter } from './ast';
import { type CaseExact, DATE_TIME_PATHS, attributeOf, canonicalPath, defaultCaseExact, valuesOf } from './resolve';
import { compareValue } from './values';

export interface MatchOptions {
  /** Which attributes compare case-sensitively. @default defaultCaseExact (id, externalId, meta.version, $ref) */
  readonly caseExact?: CaseExact;
}

export const matches = (filter: Filter, resource: unknown, options: MatchOptions = {}): boolean =>
  evaluate(filter, isPlainObject(resource) ? resource : {}, undefined, options.caseExact ?? defaultCaseExact);

/**
 * The values `path` selects in `resource`: the attribute's values, narrowed by its value filter,
 * then mapped to the sub-attribute. Used by `matches` and by sorting.
 */
export const selectValues = (resource: JsonObject, path: AttrPath, caseExact: CaseExact = defaultCaseExact, prefix?: string): unknown[] => {
  let values = valuesOf(attributeOf(resource, path));
  if (path.valueFilter) {
    const inner = path.valueFilter;
    const elementPrefix = canonicalPath({ urn: path.urn, attr: path.attr }, prefix);
    values = values.filter((v) => evaluate(inner, asElement(v), elementPrefix, caseExact));
  }
  if (path.subAttr !== undefined) {
    const sub = path.subAttr;
    values = values.flatMap((v) => valuesOf(getCaseInsensitive(asElement(v), sub))); // `schemas.value` is each URN
  }
  return values;
};

const evaluate = (filter: Filter, scope: JsonObject, prefix: string | undefined, caseExact: CaseExact): boolean => {
  switch (filter.kind) {
    case 'and':
      return filter.filters.every((f) => evaluate(f, scope, prefix, caseExact));
    case 'or':
      return filter.filters.some((f) => evaluate(f, scope, prefix, caseExact));
    case 'not':
      return !evaluate(filter.filter, scope, prefix, caseExact);
    case 'present':
      return selectValues(scope, filter.attrPath, caseExact, prefix).some(isPresent);
    case 'valuePath': {
      const elementPrefix = canonicalPath(filter.attrPath, prefix);
      return valuesOf(attributeOf(scope, filter.attrPath)).some((v) => evaluate(filter.filter, asElement(v), elementPrefix, caseExact));
    }
    case 'compare':
      return evaluateComparison(filter, scope, prefix, caseExact);
  }
};

const evaluateComparison = (filter: ComparisonFilter, scope: JsonObject, prefix: string | undefined, caseExact: CaseExact): boolean => {
  const { attrPath, op, value } = filter;
  if (value === null) {
    const present = selectValues(scope, attrPath, caseExact, prefix).some(isPresent);
    return op === 'eq' ? !present : op === 'ne' ? present : false;
  }
  if (op === 'ne') return !evaluateComparison({ ...filter, op: 'eq' }, scope, prefix, caseExact);

  const path = canonicalPath(attrPath, prefix);
  const direct = { caseExact: caseExact(path), dateTime: DATE_TIME_PATHS.includes(path) };
  const viaValue = { caseExact: caseExact(`${path}.value`), dateTime: false };
  return selectValues(scope, attrPath, caseExact, prefix).some((actual) =>
    isPlainObject(actual)
      ? valuesOf(getCaseInsensitive(actual, 'value')).some((v) => compareValue(v, op, value, viaValue))
      : compareValue(actual, op, value, direct),
  );
};

/** Inside `attr[…]` paths are relative to the element; a primitive element is addressed as `value`. */
const asElement = (value: unknown): JsonObject => (isPlainObject(value) ? value : { value });

const isPresent = (value: unknown): boolean => {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
};
