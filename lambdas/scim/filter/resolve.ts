/**
 * Finding attributes in a SCIM resource (plain JSON): names are case-insensitive at every level, an
 * extension URN selects the extension object, a core-schema URN means the top level.
 */
import { getCaseInsensitive, isPlainObject, type JsonObject } from '../json';
import { type AttrPath, isCoreSchemaUrn } from './ast';

/** Decides whether an attribute is caseExact. Receives the lower-case canonical path (see `canonicalPath`). */
export type CaseExact = (path: string) => boolean;

/** RFC 7643: `id`, `externalId`, `meta.version` and every `$ref` are caseExact; the rest of our schema is not. */
export const DEFAULT_CASE_EXACT_PATHS: readonly string[] = ['id', 'externalid', 'meta.version'];

export const defaultCaseExact: CaseExact = (path) => {
  const lower = path.toLowerCase();
  return DEFAULT_CASE_EXACT_PATHS.includes(lower) || /(?:^|[.:])\$ref$/.test(lower);
};

/** Attributes typed dateTime in RFC 7643 that a filter may reach. */
export const DATE_TIME_PATHS: readonly string[] = ['meta.created', 'meta.lastmodified'];

/** A value as a list of values: arrays are multi-valued (nested arrays flattened), absent is none. */
export const valuesOf = (value: unknown): unknown[] => {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.flat(Infinity) : [value];
};

/** The attribute `path.attr` (before any value filter or sub-attribute) within `scope`. */
export const attributeOf = (scope: JsonObject, path: Pick<AttrPath, 'urn' | 'attr'>): unknown => {
  if (path.urn === undefined || isCoreSchemaUrn(path.urn)) return getCaseInsensitive(scope, path.attr);
  const extension = getCaseInsensitive(scope, path.urn);
  if (isPlainObject(extension)) return getCaseInsensitive(extension, path.attr);
  // `urn:…:enterprise:2.0:User pr` splits at the last ':' into urn `…:2.0` and attr `User`: the whole
  // text may name the extension object itself.
  return getCaseInsensitive(scope, `${path.urn}:${path.attr}`);
};

/**
 * Lower-case dotted path used for caseExact and dateTime decisions: `userName`, `emails.value`,
 * `urn:…:enterprise:2.0:user:employeenumber`. Core-schema URNs are dropped; `prefix` is the enclosing
 * multi-valued attribute inside a value filter (`emails` for `emails[type eq "work"]`).
 */
export const canonicalPath = (path: Pick<AttrPath, 'urn' | 'attr' | 'subAttr'>, prefix?: string): string => {
  const urn = path.urn === undefined || isCoreSchemaUrn(path.urn) ? '' : `${path.urn}:`;
  const own = `${urn}${path.attr}${path.subAttr === undefined ? '' : `.${path.subAttr}`}`.toLowerCase();
  return prefix === undefined ? own : `${prefix}.${own}`;
};
