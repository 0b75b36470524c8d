/**
 * A filter sent to the server root (`POST /.search`, RFC 7644 §3.4.3) applies to every resource
 * type, and "for filtered attributes that are not part of a particular resource type, the service
 * provider SHALL treat the attribute as if there is no attribute value" (§3.4.2.1). This narrows
 * one filter to one resource type: each term on an attribute the type does not have is replaced by
 * what `matches` answers for a missing value, terms on `meta.resourceType` and `schemas` that the
 * type decides alone are decided, and the result is folded to `true` (every resource of the type),
 * `false` (none: the type is not queried at all) or the filter that is left to evaluate.
 */
import { andOf, type AttrPath, type ComparisonFilter, type Filter } from './filter';
import { isCoreSchemaUrn } from './filter/ast';
import { COMMON_ATTRIBUTES, isCustomUserExtension, RESOURCE_SCHEMAS, schemaOf, type ResourceType } from './schemas';

export type NarrowedFilter = boolean | Filter;

const lower = (text: string) => text.toLowerCase();

/** Every resource carries `schemas`, though no schema defines it as an attribute. */
const names = (type: ResourceType): Set<string> =>
  new Set(['schemas', ...[...RESOURCE_SCHEMAS[type].core.attributes, ...COMMON_ATTRIBUTES].map((a) => lower(a.name))]);
const CORE_NAMES: Record<ResourceType, Set<string>> = { User: names('User'), Group: names('Group') };

/** Whether an extension URN can be one of this type's schemas. */
const hasExtension = (type: ResourceType, urn: string): boolean => !!schemaOf(type, urn) || (type === 'User' && isCustomUserExtension(urn));

/** Whether resources of `type` can hold a value at `path` (its attribute, before any value filter). */
export const typeHasAttribute = (type: ResourceType, path: Pick<AttrPath, 'urn' | 'attr'>): boolean => {
  const { urn, attr } = path;
  if (urn === undefined) return CORE_NAMES[type].has(lower(attr));
  if (isCoreSchemaUrn(urn)) return lower(urn) === lower(RESOURCE_SCHEMAS[type].core.id) && CORE_NAMES[type].has(lower(attr));
  // `urn:…:enterprise:2.0:User pr` names the extension object itself (the parser splits at the last ':').
  if (hasExtension(type, `${urn}:${attr}`)) return true;
  const schema = schemaOf(type, urn);
  if (schema) return schema.attributes.some((a) => lower(a.name) === lower(attr));
  return type === 'User' && isCustomUserExtension(urn);
};

/** What `matches` answers for a term on an attribute without any value (see filter/matches.ts). */
const onMissing = (term: Filter): boolean => {
  if (term.kind !== 'compare') return false; // `pr` and `attr[...]` need a value
  if (term.value === null) return term.op === 'eq'; // `eq null` = not present
  return term.op === 'ne'; // `ne` is `not eq`
};

const isPlain = (path: AttrPath, attr: string, sub?: string): boolean =>
  (path.urn === undefined || isCoreSchemaUrn(path.urn)) &&
  !path.valueFilter &&
  lower(path.attr) === attr &&
  (path.subAttr === undefined ? sub === undefined : lower(path.subAttr) === sub);

/**
 * `meta.resourceType eq "User"` and `schemas eq "<URN>"` decided for a whole type, or undefined.
 * `meta.resourceType` is caseExact (RFC 7643 §3.1); schema URNs compare case-insensitively.
 */
const decidedByType = (term: ComparisonFilter, type: ResourceType): boolean | undefined => {
  if ((term.op !== 'eq' && term.op !== 'ne') || typeof term.value !== 'string') return undefined;
  const negate = (equal: boolean) => (term.op === 'eq' ? equal : !equal);
  if (isPlain(term.attrPath, 'meta', 'resourcetype')) return negate(term.value === type);
  if (!isPlain(term.attrPath, 'schemas')) return undefined;
  const urn = lower(term.value);
  if (urn === lower(RESOURCE_SCHEMAS[type].core.id)) return negate(true); // every resource lists its core schema
  const other: ResourceType = type === 'User' ? 'Group' : 'User';
  const otherOnly = urn === lower(RESOURCE_SCHEMAS[other].core.id) || (hasExtension(other, term.value) && !hasExtension(type, term.value));
  return otherOnly ? negate(false) : undefined;
};

const fold = (filter: Filter, type: ResourceType): NarrowedFilter => {
  switch (filter.kind) {
    case 'and': {
      const parts = filter.filters.map((f) => fold(f, type));
      if (parts.includes(false)) return false;
      return andOf(parts.filter((p): p is Filter => typeof p !== 'boolean')) ?? true;
    }
    case 'or': {
      const parts = filter.filters.map((f) => fold(f, type));
      if (parts.includes(true)) return true;
      const left = parts.filter((p): p is Filter => typeof p !== 'boolean');
      if (left.length === 0) return false;
      return left.length === 1 ? left[0] : { kind: 'or', filters: left.flatMap((f) => (f.kind === 'or' ? f.filters : [f])) };
    }
    case 'not': {
      const inner = fold(filter.filter, type);
      return typeof inner === 'boolean' ? !inner : { kind: 'not', filter: inner };
    }
    case 'compare': {
      if (!typeHasAttribute(type, filter.attrPath)) return onMissing(filter);
      return decidedByType(filter, type) ?? filter;
    }
    case 'present':
    case 'valuePath':
      return typeHasAttribute(type, filter.attrPath) ? filter : onMissing(filter);
  }
};

/** The filter as it applies to resources of `type`; no filter at all is `true`. */
export const filterForResourceType = (filter: Filter | undefined, type: ResourceType): NarrowedFilter =>
  filter === undefined ? true : fold(filter, type);
