/**
 * The shapes the SCIM core works with: a resource as stored (`ScimData`) and as a client sees it
 * (`ScimResource`), a group member as a request names it. Kept apart from resource.ts (the public
 * entry points) so the modules it re-exports can use these without importing it back.
 */
import type { ResourceType } from './schemas';

/**
 * A resource's stored attributes, in canonical spelling (`userName`, `name: { givenName }`,
 * `phoneNumbers`), extensions as nested objects keyed by their URN. Never holds `id`, `meta`,
 * `schemas`, `groups` (users), `members` (groups) or `password`.
 */
export type ScimData = Record<string, unknown>;

/** What a client sees (RFC 7643 §3.1 `meta`). */
export interface ScimMeta {
  resourceType: string;
  created: string;
  lastModified: string;
  location: string;
  /** A weak entity tag, `W/"<version>"`, equal to the `ETag` header. */
  version: string;
}

/** A resource as JSON on the wire. `meta` is absent only when projected away. */
export interface ScimResource {
  schemas: string[];
  id: string;
  meta?: ScimMeta;
  [attribute: string]: unknown;
}

/** A member of a group, as a request names it; `$ref` and `display` are the server's to compute. */
export interface MemberRef {
  value: string;
  type?: ResourceType;
}

/** What the store hands to `userRepresentation` / `groupRepresentation`. */
export interface StoredResource {
  id: string;
  data: ScimData;
  created: string;
  lastModified: string;
  version: number;
}
