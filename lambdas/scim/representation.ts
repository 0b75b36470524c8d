/**
 * Stored data → the SCIM JSON a client sees (RFC 7643 §3.1): `schemas` (core plus each extension
 * the resource carries), `id`, the attributes, `groups`/`members` when the caller loaded them, and
 * `meta`. `null`s and write-only values are never emitted (Entra's rule for discovery, ours for all).
 * Unassigned values are omitted, never sent as `[]` or `{}` (RFC 7643 §2.5): a group without members
 * has no `members`, a user in no group no `groups` (strict clients read `members: []` after a
 * "remove members" as "not removed").
 */
import { etagOf } from './etag';
import { isPlainObject } from './json';
import type { ScimData, ScimResource, StoredResource } from './resource-shapes';
import { RESOURCE_SCHEMAS, type ResourceType } from './schemas';

export interface ReferenceOut {
  value: string;
  display?: string;
  $ref: string;
  type?: string;
}

/** A deep copy without null/undefined values, empty objects or empty arrays. */
const clean = (value: unknown): unknown => {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map(clean).filter((item) => item !== undefined);
    return items.length ? items : undefined;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const cleaned = clean(inner);
      if (cleaned !== undefined) out[key] = cleaned;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
};

const cleanReferences = (refs: readonly ReferenceOut[]): ReferenceOut[] =>
  refs.map((ref) => (clean(ref) ?? {}) as ReferenceOut);

const neverSent = (resourceType: ResourceType): string[] =>
  RESOURCE_SCHEMAS[resourceType].core.attributes
    .filter((a) => a.mutability === 'writeOnly' || a.returned === 'never')
    .map((a) => a.name);

const WRITE_ONLY: Record<ResourceType, readonly string[]> = { User: neverSent('User'), Group: neverSent('Group') };

/** Members and groups are the caller's to supply; they never come from stored data. */
const RELATIONS: Record<ResourceType, string> = { User: 'groups', Group: 'members' };

const represent = (
  resourceType: ResourceType,
  stored: StoredResource,
  location: string,
  relation: readonly ReferenceOut[] | undefined,
): ScimResource => {
  const skip = new Set([...WRITE_ONLY[resourceType], RELATIONS[resourceType], 'id', 'meta', 'schemas'].map((n) => n.toLowerCase()));
  const schemas = [RESOURCE_SCHEMAS[resourceType].core.id];
  const attributes: ScimData = {};
  const extensions: ScimData = {};
  for (const [key, value] of Object.entries(stored.data)) {
    if (skip.has(key.toLowerCase())) continue;
    const cleaned = clean(value);
    if (cleaned === undefined) continue;
    if (/^urn:/i.test(key)) {
      if (!isPlainObject(cleaned)) continue;
      schemas.push(key);
      extensions[key] = cleaned;
    } else {
      attributes[key] = cleaned;
    }
  }
  const resource: ScimResource = { schemas, id: stored.id, ...attributes, ...extensions };
  if (relation?.length) resource[RELATIONS[resourceType]] = cleanReferences(relation);
  resource.meta = {
    resourceType,
    created: stored.created,
    lastModified: stored.lastModified,
    location,
    version: etagOf(stored.version),
  };
  return resource;
};

export const userRepresentation = (
  stored: StoredResource,
  context: { location: string; groups?: readonly ReferenceOut[] },
): ScimResource => represent('User', stored, context.location, context.groups);

export const groupRepresentation = (
  stored: StoredResource,
  context: { location: string; members?: readonly ReferenceOut[] },
): ScimResource => represent('Group', stored, context.location, context.members);
