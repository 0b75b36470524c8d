/**
 * Tells the store when a filter can be answered from a key instead of a scan. Entra only sends `eq`
 * (and `and`) on its matching attributes, so those shapes are recognised; everything else scans.
 *
 * For `A and B and C` the best key-able term wins (id > userName > externalId > workEmail >
 * displayName > group/member, then the leftmost); the other terms come back as `residual`, which the
 * store evaluates in memory (`matches`) on the items the key fetched.
 */
import type { ResourceType } from '../schemas';
import { type AttrPath, type Filter, andOf, isCoreSchemaUrn } from './ast';

export type KeyLookupKind = 'id' | 'userName' | 'externalId' | 'workEmail' | 'displayName' | 'group' | 'member';

export interface KeyLookup {
  readonly kind: KeyLookupKind;
  readonly value: string;
}

export interface KeyLookupResult {
  readonly lookup: KeyLookup;
  /** What the key does not already guarantee; absent when the lookup answers the whole filter. */
  readonly residual?: Filter;
}

const PRIORITY: readonly KeyLookupKind[] = ['id', 'userName', 'externalId', 'workEmail', 'displayName', 'group', 'member'];

export const keyLookup = (filter: Filter, resourceType: ResourceType): KeyLookupResult | undefined => {
  const terms = filter.kind === 'and' ? filter.filters : [filter];
  let best: { index: number; lookup: KeyLookup } | undefined;
  terms.forEach((term, index) => {
    const lookup = lookupOf(term, resourceType);
    if (lookup && (!best || PRIORITY.indexOf(lookup.kind) < PRIORITY.indexOf(best.lookup.kind))) best = { index, lookup };
  });
  if (!best) return undefined;
  const chosen = best;
  const residual = andOf(terms.filter((_, i) => i !== chosen.index));
  return residual ? { lookup: chosen.lookup, residual } : { lookup: chosen.lookup };
};

/** The key a single term pins down, if any. */
const lookupOf = (term: Filter, resourceType: ResourceType): KeyLookup | undefined => {
  if (term.kind === 'valuePath') {
    // emails[type eq "work" and value eq X] · groups[value eq X] · members[value eq X]
    if (!inCoreSchema(term.attrPath, resourceType)) return undefined;
    const attr = term.attrPath.attr.toLowerCase();
    const conditions = term.filter.kind === 'and' ? term.filter.filters : [term.filter];
    const valueOf = (name: string) => conditions.map((c) => eqString(c, name)).find((v) => v !== undefined);
    if (attr === 'emails' && resourceType === 'User' && conditions.length === 2) {
      const value = valueOf('value');
      return isWork(valueOf('type')) && value !== undefined ? { kind: 'workEmail', value } : undefined;
    }
    if (conditions.length !== 1) return undefined;
    const value = valueOf('value');
    if (value === undefined) return undefined;
    if (attr === 'groups' && resourceType === 'User') return { kind: 'group', value };
    if (attr === 'members' && resourceType === 'Group') return { kind: 'member', value };
    return undefined;
  }

  if (term.kind !== 'compare' || term.op !== 'eq') return undefined;
  const value = keyValue(term.value);
  const path = term.attrPath;
  if (value === undefined || !inCoreSchema(path, resourceType)) return undefined;
  const attr = path.attr.toLowerCase();
  const sub = path.subAttr?.toLowerCase();

  if (path.valueFilter) {
    // emails[type eq "work"].value eq X
    const workOnly = path.valueFilter.kind === 'compare' && isWork(eqString(path.valueFilter, 'type'));
    return attr === 'emails' && sub === 'value' && resourceType === 'User' && workOnly ? { kind: 'workEmail', value } : undefined;
  }
  if (sub === undefined) {
    if (attr === 'id') return { kind: 'id', value };
    if (attr === 'externalid') return { kind: 'externalId', value };
    if (attr === 'username' && resourceType === 'User') return { kind: 'userName', value };
    if (attr === 'displayname' && resourceType === 'Group') return { kind: 'displayName', value };
    return undefined;
  }
  if (sub === 'value' && attr === 'groups' && resourceType === 'User') return { kind: 'group', value };
  if (sub === 'value' && attr === 'members' && resourceType === 'Group') return { kind: 'member', value };
  return undefined;
};

/** `name eq "x"` (plain sub-attribute name, inside a value filter) → "x". */
const eqString = (term: Filter, name: string): string | undefined => {
  if (term.kind !== 'compare' || term.op !== 'eq') return undefined;
  const { attrPath } = term;
  if (attrPath.urn !== undefined || attrPath.subAttr !== undefined || attrPath.valueFilter || attrPath.attr.toLowerCase() !== name) return undefined;
  return keyValue(term.value);
};

/**
 * Strings qualify, and so do numbers, which Entra writes unquoted (`externalId eq 12345`): as their
 * text, which is also what `matches` compares a number with a string attribute by.
 */
const keyValue = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
};

const isWork = (type: string | undefined): boolean => type !== undefined && type.toLowerCase() === 'work';

/** No URN, or the core URN of this resource type (`urn:ietf:params:scim:schemas:core:2.0:User:userName`). */
const inCoreSchema = (path: AttrPath, resourceType: ResourceType): boolean =>
  path.urn === undefined || (isCoreSchemaUrn(path.urn) && path.urn.toLowerCase().endsWith(`:${resourceType.toLowerCase()}`));
