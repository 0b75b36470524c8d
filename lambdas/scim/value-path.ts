/**
 * Attribute paths as policies and the `attributes` parameter write them: `userName`,
 * `name.givenName`, `urn:…:enterprise:2.0:User:manager.value`, and the value-filter form
 * `emails[type eq "work"].value`. Only the filter subset such paths need is understood here
 * (`sub eq literal`, joined by `and`, quoted or bare literals as Entra writes them); the full
 * RFC 7644 grammar lives in `filter/`.
 */
import { resolveAttribute, type AttributeDef, type ResolvedAttribute, type ResourceType } from './schemas';

export type Literal = string | number | boolean | null;

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

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The key of `object` that spells `name` in any letter case (RFC 7643 §2.1). */
export const findKey = (object: Record<string, unknown>, name: string): string | undefined => {
  if (Object.hasOwn(object, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(object).find((key) => key.toLowerCase() === lower);
};

export const getCaseInsensitive = (object: Record<string, unknown>, name: string): unknown => {
  const key = findKey(object, name);
  return key === undefined ? undefined : object[key];
};

const TERM = /^\s*([A-Za-z$][\w$-]*)\s+eq\s+("(?:[^"\\]|\\.)*"|[^\s\]"]+)\s*/i;
const AND = /^and\s+/i;

const parseLiteral = (token: string): Literal | undefined => {
  if (token.startsWith('"')) {
    try {
      return JSON.parse(token) as string;
    } catch {
      return undefined;
    }
  }
  const lower = token.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(token)) return Number(token);
  return token; // Entra sometimes sends bare words (`externalId eq jyoung`)
};

const parseTerms = (text: string, attribute: AttributeDef): EqualityTerm[] | undefined => {
  if (!attribute.subAttributes) return undefined;
  const terms: EqualityTerm[] = [];
  let rest = text.trim();
  while (rest) {
    const match = TERM.exec(rest);
    if (!match) return undefined;
    const lower = match[1].toLowerCase();
    const subAttribute = attribute.subAttributes.find((s) => s.name.toLowerCase() === lower);
    const value = parseLiteral(match[2]);
    if (!subAttribute || value === undefined) return undefined;
    terms.push({ subAttribute, value });
    rest = rest.slice(match[0].length);
    if (rest) {
      const and = AND.exec(rest);
      if (!and) return undefined;
      rest = rest.slice(and[0].length);
      if (!rest) return undefined;
    }
  }
  return terms.length ? terms : undefined;
};

/** Parses a path; undefined when it names no attribute of the resource type or is malformed. */
export const parseValuePath = (resourceType: ResourceType, text: string): ValuePath | undefined => {
  const path = text.trim();
  const open = path.indexOf('[');
  if (open < 0) {
    const resolved = resolveAttribute(resourceType, path);
    return resolved ? { resolved } : undefined;
  }
  const close = path.lastIndexOf(']');
  if (close < open) return undefined;
  const after = path.slice(close + 1);
  if (after && !/^\.[A-Za-z$][\w$-]*$/.test(after)) return undefined;
  const base = resolveAttribute(resourceType, path.slice(0, open));
  if (!base || base.subAttribute || !base.attribute.multiValued) return undefined;
  const filter = parseTerms(path.slice(open + 1, close), base.attribute);
  if (!filter) return undefined;
  if (!after) return { resolved: base, filter };
  const resolved = resolveAttribute(resourceType, path.slice(0, open) + after);
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
