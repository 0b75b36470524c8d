/** The SCIM filter engine: parse, print, evaluate, plan key lookups and sort. Pure: no I/O, no AWS. */
export {
  type AndFilter,
  type AttrPath,
  type ComparisonFilter,
  type CompareOp,
  type CompValue,
  type Filter,
  type NotFilter,
  type OrFilter,
  type PresentFilter,
  type ValuePathFilter,
  ATTR_NAME,
  ATTRNAME,
  COMPARE_OPS,
  andOf,
} from './ast';
export { parseFilter, parseAttrPath, type FilterSource } from './parse';
export { stringifyFilter, stringifyAttrPath } from './stringify';
export { matches, selectValues, type MatchOptions } from './matches';
export { keyLookup, type KeyLookup, type KeyLookupKind, type KeyLookupResult } from './key-lookup';
export { compareForSort, type SortOrder, type SortOptions } from './sort';
export { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, normaliseFilterText } from './normalise';
export { hasSpaceReading, spaceReading, withSpaceReadings } from './space-readings';
export { DEFAULT_CASE_EXACT_PATHS, defaultCaseExact, type CaseExact } from './resolve';
export type { JsonObject } from '../json';
