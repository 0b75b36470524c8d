/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9): which attributes a response
 * carries. Names are comma-separated, case-insensitive, plain, dotted or URN-qualified; an
 * extension URN alone names the whole extension. Unknown names are ignored, not refused.
 * `returned` decides the rest (RFC 7643 §7): `always` (id, schemas) cannot be left out, `never`
 * is never sent, `request` only when asked for, `default` unless excluded (so `meta` too).
 *
 * Leniency: Microsoft's Postman collection asks for `attributes=emails[type eq "work"]`, which
 * RFC 7644 does not define; a value filter here keeps only the matching entries (and
 * `emails[type eq "work"].value` only their `value`). With both parameters, `attributes` wins.
 */
import { isPlainObject } from './json';
import type { ScimResource } from './resource-shapes';
import { COMMON_ATTRIBUTES, isCustomUserExtension, RESOURCE_SCHEMAS, schemaOf, type AttributeDef, type ResourceType } from './schemas';
import { matchesTerms, parseValuePath, type EqualityTerm } from './value-path';

export interface ProjectionParams {
  attributes?: string;
  excludedAttributes?: string;
}

/** What a list names below one node: whole values, named children, or filtered entries. */
interface Selection {
  all: boolean;
  readonly children: Map<string, Selection>;
  readonly filters: { terms: readonly EqualityTerm[]; sub?: string }[];
}

const selection = (): Selection => ({ all: false, children: new Map(), filters: [] });

const child = (parent: Selection, name: string): Selection => {
  const key = name.toLowerCase();
  let node = parent.children.get(key);
  if (!node) parent.children.set(key, (node = selection()));
  return node;
};

/** Splits on commas outside quotes and brackets (`emails[value eq "a,b"]` is one name). */
const splitList = (text: string): string[] => {
  const names: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      names.push(text.slice(start, i));
      start = i + 1;
    }
  }
  names.push(text.slice(start));
  return names.map((n) => n.trim()).filter(Boolean);
};

const isExtensionUrn = (resourceType: ResourceType, name: string): boolean => {
  const schema = schemaOf(resourceType, name);
  if (schema) return schema.id !== RESOURCE_SCHEMAS[resourceType].core.id;
  return resourceType === 'User' && isCustomUserExtension(name);
};

const parseSelection = (resourceType: ResourceType, list: string): Selection => {
  const root = selection();
  for (const name of splitList(list)) {
    if (isExtensionUrn(resourceType, name)) {
      child(root, name).all = true;
      continue;
    }
    const path = parseValuePath(resourceType, name);
    if (!path) continue; // RFC 7644: unknown attributes are ignored
    const { resolved, filter } = path;
    const container = resolved.extension ? child(root, resolved.schemaUrn) : root;
    const node = child(container, resolved.attribute.name);
    if (filter) node.filters.push({ terms: filter, sub: resolved.subAttribute?.name });
    else if (resolved.subAttribute) child(node, resolved.subAttribute.name).all = true;
    else node.all = true;
  }
  return root;
};

/** For one entry of a multi-valued attribute: the whole entry, or the children to apply. */
const entrySelection = (entry: Record<string, unknown>, node: Selection): Selection | 'whole' => {
  const merged: Selection = { all: false, children: new Map(node.children), filters: [] };
  for (const filter of node.filters) {
    if (!matchesTerms(entry, filter.terms)) continue;
    if (!filter.sub) return 'whole';
    merged.children.set(filter.sub.toLowerCase(), { all: true, children: new Map(), filters: [] });
  }
  return merged;
};

/** Keeps what `node` names. */
const keep = (value: unknown, node: Selection): unknown => {
  if (node.all) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const entry of value) {
      if (!isPlainObject(entry)) continue;
      const sel = entrySelection(entry, node);
      const kept = sel === 'whole' ? entry : keep(entry, sel);
      if (kept !== undefined) out.push(kept);
    }
    return out.length ? out : undefined;
  }
  if (!isPlainObject(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const sub = node.children.get(key.toLowerCase());
    const kept = sub ? keep(inner, sub) : undefined;
    if (kept !== undefined) out[key] = kept;
  }
  return Object.keys(out).length ? out : undefined;
};

/** Removes what `node` names. */
const drop = (value: unknown, node: Selection): unknown => {
  if (node.all) return undefined;
  if (Array.isArray(value)) {
    // Entries that are not objects, or match no filter, stay as they are.
    const out: unknown[] = [];
    for (const entry of value) {
      if (!isPlainObject(entry)) {
        out.push(entry);
        continue;
      }
      const sel = entrySelection(entry, node);
      const rest = sel === 'whole' ? undefined : drop(entry, sel);
      if (rest !== undefined) out.push(rest);
    }
    return out.length ? out : undefined;
  }
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const sub = node.children.get(key.toLowerCase());
    const rest = sub ? drop(inner, sub) : inner;
    if (rest !== undefined) out[key] = rest;
  }
  return Object.keys(out).length ? out : undefined;
};

const definitions = (resourceType: ResourceType): readonly AttributeDef[] => {
  const { core, extensions } = RESOURCE_SCHEMAS[resourceType];
  return [...COMMON_ATTRIBUTES, ...core.attributes, ...extensions.flatMap((s) => s.attributes)];
};

const namesReturned = (resourceType: ResourceType, returned: AttributeDef['returned']): Set<string> =>
  new Set(definitions(resourceType).filter((a) => a.returned === returned).map((a) => a.name.toLowerCase()));

const returnedSets = (resourceType: ResourceType) => ({
  always: namesReturned(resourceType, 'always'),
  never: namesReturned(resourceType, 'never'),
  request: namesReturned(resourceType, 'request'),
});

const RETURNED = { User: returnedSets('User'), Group: returnedSets('Group') } as const;

/** Removes top-level and extension attributes whose `returned` characteristic puts them in `names`. */
const withoutReturned = (resource: Record<string, unknown>, names: Set<string>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (/^urn:/i.test(key) && isPlainObject(value)) {
      const inner = Object.fromEntries(Object.entries(value).filter(([k]) => !names.has(k.toLowerCase())));
      if (Object.keys(inner).length) out[key] = inner;
    } else if (!names.has(key.toLowerCase())) {
      out[key] = value;
    }
  }
  return out;
};

const hasText = (text: string | undefined): text is string => text !== undefined && text.trim() !== '';

export const projectAttributes = (resource: ScimResource, params: ProjectionParams, resourceType: ResourceType): ScimResource => {
  const returned = RETURNED[resourceType];
  if (hasText(params.attributes)) {
    const root = parseSelection(resourceType, params.attributes);
    for (const name of [...returned.always, 'schemas']) child(root, name).all = true;
    const kept = (keep(resource, root) ?? {}) as Record<string, unknown>;
    return withoutReturned(kept, returned.never) as ScimResource;
  }
  let out: Record<string, unknown> = resource;
  if (hasText(params.excludedAttributes)) {
    const root = parseSelection(resourceType, params.excludedAttributes);
    for (const name of [...returned.always, 'schemas']) root.children.delete(name);
    out = (drop(resource, root) ?? {}) as Record<string, unknown>;
  }
  return withoutReturned(out, new Set([...returned.never, ...returned.request])) as ScimResource;
};

/**
 * Whether a response will carry the top-level attribute `name`, so a handler can skip loading
 * it (Entra asks for groups with `excludedAttributes=members`).
 */
export const returnsAttribute = (params: ProjectionParams, resourceType: ResourceType, name: string): boolean => {
  const lower = name.toLowerCase();
  const returned = RETURNED[resourceType];
  if (returned.always.has(lower)) return true;
  if (returned.never.has(lower)) return false;
  if (hasText(params.attributes)) return parseSelection(resourceType, params.attributes).children.has(lower);
  if (returned.request.has(lower)) return false;
  if (!hasText(params.excludedAttributes)) return true;
  return !parseSelection(resourceType, params.excludedAttributes).children.get(lower)?.all;
};
