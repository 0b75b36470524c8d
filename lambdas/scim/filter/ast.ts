/**
 * The SCIM filter AST (RFC 7644 §3.4.2.2). Produced by `parseFilter`, printed by `stringifyFilter`,
 * evaluated by `matches` and inspected by `keyLookup`. Plain data, so ASTs deep-compare and serialise.
 *
 * Names keep the case they were written in (evaluation is case-insensitive); operators are lower-case.
 * `and`/`or` are n-ary and flattened: `(a and b) and c` parses to one `and` with three operands, so
 * long chains stay shallow (nesting depth is bounded by the parser, not by the number of terms).
 */

export const COMPARE_OPS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];

export type CompValue = string | number | boolean | null;

/**
 * An attribute name as paths may write it: RFC 7643 §2.1 ATTRNAME, plus `$` (`$ref`, which clients
 * filter on). The one name grammar of attribute paths (filters, sortBy, PATCH paths, `attributes`,
 * required-attribute policies).
 */
export const ATTR_NAME = /^[A-Za-z$][A-Za-z0-9_$-]*$/;

/** RFC 7643 §2.1 ATTRNAME exactly: what a custom extension attribute may be called. */
export const ATTRNAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/**
 * `[urn ":"] attr ["[" valueFilter "]"] ["." subAttr]`.
 * - `urn` is the schema URN without the trailing colon; the last `:` of the written path separates it
 *   from the attribute (`urn:…:enterprise:2.0:User:manager.value` → urn `…:User`, attr `manager`, subAttr `value`).
 * - `valueFilter` selects elements of a multi-valued attribute (`emails[type eq "work"].value`); inside it,
 *   paths are relative to the element (`type` means `emails.type`).
 */
export interface AttrPath {
  readonly urn?: string;
  readonly attr: string;
  readonly valueFilter?: Filter;
  readonly subAttr?: string;
}

export interface ComparisonFilter {
  readonly kind: 'compare';
  readonly attrPath: AttrPath;
  readonly op: CompareOp;
  readonly value: CompValue;
}

export interface PresentFilter {
  readonly kind: 'present';
  readonly attrPath: AttrPath;
}

/** At least two operands, none of them of the same kind (the parser flattens). */
export interface AndFilter {
  readonly kind: 'and';
  readonly filters: readonly Filter[];
}

export interface OrFilter {
  readonly kind: 'or';
  readonly filters: readonly Filter[];
}

export interface NotFilter {
  readonly kind: 'not';
  readonly filter: Filter;
}

/** `emails[type eq "work"]` on its own: true when some element of `attrPath` matches `filter`. */
export interface ValuePathFilter {
  readonly kind: 'valuePath';
  readonly attrPath: AttrPath;
  readonly filter: Filter;
}

export type Filter = ComparisonFilter | PresentFilter | AndFilter | OrFilter | NotFilter | ValuePathFilter;

export const isCompareOp = (word: string): word is CompareOp => (COMPARE_OPS as readonly string[]).includes(word);

/** Core schema URNs (`urn:ietf:params:scim:schemas:core:2.0:User`) address the top level of a resource. */
export const CORE_SCHEMA_PREFIX = 'urn:ietf:params:scim:schemas:core:';
export const isCoreSchemaUrn = (urn: string): boolean => urn.toLowerCase().startsWith(CORE_SCHEMA_PREFIX);

/** Joins conjuncts back into one filter (undefined for none), flattening nested `and`s. */
export const andOf = (filters: readonly Filter[]): Filter | undefined => {
  const flat = filters.flatMap((f) => (f.kind === 'and' ? f.filters : [f]));
  if (flat.length === 0) return undefined;
  if (flat.length === 1) return flat[0];
  return { kind: 'and', filters: flat };
};
