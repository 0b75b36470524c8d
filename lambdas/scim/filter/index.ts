/** The SCIM filter engine: parse, print, evaluate, plan key lookups and sort. Pure: no I/O, no AWS. */
export {
  type AttrPath,
  type ComparisonFilter,
  type CompareOp,
  type CompValue,
  type Filter,
  ATTR_NAME,
  ATTRNAME,
  COMPARE_OPS,
  andOf,
} from './ast';
export { parseFilter, parseAttrPath } from './parse';
export { stringifyFilter } from './stringify';
export { matches } from './matches';
export { keyLookup, type KeyLookup, type KeyLookupKind } from './key-lookup';
export { compareForSort } from './sort';
export { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, normaliseFilterText } from './normalise';
export { hasSpaceReading, spaceReading, withSpaceReadings } from './space-readings';
export { DEFAULT_CASE_EXACT_PATHS, defaultCaseExact } from './resolve';
