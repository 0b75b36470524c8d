/**
 * Attribute paths as policies and the `attributes` parameter write them: `userName`,
 * `name.givenName`, `urn:…:enterprise:2.0:User:manager.value`, and the value-filter form
 * `emails[type eq "work"].value`, resolved against a resource type's schemas. The syntax is the one
 * attribute-path grammar of the filter engine (`filter/parse.ts`), shared with filters, sortBy and
 * PATCH paths; of value filters, the subset such paths need is kept (`sub eq literal`, joined by
 * `and`, quoted or bare literals as Entra writes them).
 */
import { parseAttrPath, type AttrPath, type CompValue, type Filter } from './filter';
import { getCaseInsensitive, isPlainObject } from './json';
import { resolveAttribute, type AttributeDef, type ResolvedAttribute, type ResourceType } from './schemas';

export type Literal = CompValue;

export interface EqualityTerm {
  readonly subAttribute: AttributeDef;
  readonly value: Literal;
}

export interface ValuePath {
  /** The attribute (and sub-attribute, when the path names one). */
  readonly resolved: ResolvedAttribute;
  /** Present for `attr[filter]` paths: every term must hold for an entry to match. */
  readonly filter?: readonly EqualityTerm[];
}

/** Written back as `resolveAttribute` reads it: `[urn:]attr[.sub]`. */
const headOf = (path: AttrPath, sub?: string): string => `${path.urn === undefined ? '' : `${path.urn}:`}${path.attr}${sub === undefined ? '' : `.${sub}`}`;

/** The terms of a value filter that is `<sub-attribute> eq <value>` joined by `and`; undefined for any other filter. */
const equalityTerms = (filter: Filter, attribute: AttributeDef): EqualityTerm[] | undefined => {
  if (!attribute.subAttributes) return undefined;
  const terms: EqualityTerm[] = [];
  for (const term of filter.kind === 'and' ? filter.filters : [filter]) {
    if (term.kind !== 'compare' || term.op !== 'eq' || term.attrPath.urn !== undefined || term.attrPath.subAttr !== undefined) return undefined;
    const lower = term.attrPath.attr.toLowerCase();
    const subAttribute = attribute.subAttributes.find((s) => s.name.toLowerCase() === lower);
    if (!subAttribute) return undefined;
    terms.push({ subAttribute, value: term.value });
  }
  return terms;
};

/**
 * Parses a path; undefined when it names no attribute of the resource type or is malformed. The
 * syntax is the filter engine's (`parseAttrPath`: RFC 7644's `[urn:]attr[valFilter][.sub]`, the value
 * filter parsed as a filter); this resolves it against the schemas and keeps the value filters a
 * path needs: `eq` terms joined by `and`.
 */
export const parseValuePath = (resourceType: ResourceType, text: string): ValuePath | undefined => {
  let path: AttrPath;
  try {
    path = parseAttrPath(text);
  } catch {
    return undefined;
  }
  if (!path.valueFilter) {
    const resolved = resolveAttribute(resourceType, headOf(path, path.subAttr));
    return resolved ? { resolved } : undefined;
  }
  const base = resolveAttribute(resourceType, headOf(path));
  if (!base || base.subAttribute || !base.attribute.multiValued) return undefined;
  const filter = equalityTerms(path.valueFilter, base.attribute);
  if (!filter) return undefined;
  if (path.subAttr === undefined) return { resolved: base, filter };
  const resolved = resolveAttribute(resourceType, headOf(path, path.subAttr));
  return resolved ? { resolved, filter } : undefined;
};

const formatLiteral = (value: Literal): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/**
 * A parsed path written back in one canonical spelling: names as the schema spells them, extension
 * attributes under their schema URN, core ones bare, literals quoted. Parsing the result gives the
 * same path, so two spellings of one path compare equal as text.
 */
export const formatValuePath = ({ resolved, filter }: ValuePath): string => {
  const prefix = resolved.extension ? `${resolved.schemaUrn}:` : '';
  const terms = filter ? `[${filter.map((t) => `${t.subAttribute.name} eq ${formatLiteral(t.value)}`).join(' and ')}]` : '';
  const sub = resolved.subAttribute ? `.${resolved.subAttribute.name}` : '';
  return `${prefix}${resolved.attribute.name}${terms}${sub}`;
};

const sameText = (actual: string, expected: string, caseExact: boolean): boolean =>
  caseExact ? actual === expected : actual.toLowerCase() === expected.toLowerCase();

const termHolds = (entry: Record<string, unknown>, term: EqualityTerm): boolean => {
  const actual = getCaseInsensitive(entry, term.subAttribute.name);
  const expected = term.value;
  if (expected === null) return actual === undefined || actual === null;
  if (actual === undefined || actual === null) return false;
  // Booleans and numbers also match their string spelling: Entra filters on `primary eq "True"`.
  if (typeof actual === 'boolean' || typeof actual === 'number') {
    return typeof expected === typeof actual ? actual === expected : sameText(String(actual), String(expected), false);
  }
  return typeof actual === 'string' && sameText(actual, String(expected), term.subAttribute.caseExact);
};

/** Whether one entry of a multi-valued attribute satisfies a value filter. */
export const matchesTerms = (entry: unknown, terms: readonly EqualityTerm[]): boolean =>
  isPlainObject(entry) && terms.every((term) => termHolds(entry, term));

/** The object an attribute lives in: the resource itself, or its extension object. */
export const containerOf = (data: Record<string, unknown>, resolved: ResolvedAttribute): Record<string, unknown> | undefined => {
  if (!resolved.extension) return data;
  const extension = getCaseInsensitive(data, resolved.schemaUrn);
  return isPlainObject(extension) ? extension : undefined;
};

/** Every value a path reaches in `data`, flattened over multi-valued entries. */
export const valuesAt = (data: Record<string, unknown>, path: ValuePath): unknown[] => {
  const container = containerOf(data, path.resolved);
  if (!container) return [];
  const value = getCaseInsensitive(container, path.resolved.attribute.name);
  if (value === undefined || value === null) return [];
  let entries = Array.isArray(value) ? value : [value];
  if (path.filter) {
    const terms = path.filter;
    entries = entries.filter((entry) => matchesTerms(entry, terms));
  }
  const sub = path.resolved.subAttribute;
  if (!sub) return entries;
  return entries
    .map((entry) => (isPlainObject(entry) ? getCaseInsensitive(entry, sub.name) : undefined))
    .filter((v) => v !== undefined && v !== null);
};
