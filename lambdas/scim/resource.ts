/**
 * The SCIM core's public entry points for resources: parsing POST/PUT bodies, rendering stored data
 * as SCIM JSON, and the shapes both use (resource-shapes.ts). A resource is stored as `ScimData`
 * (attributes only) and rendered as a `ScimResource` (plus id, schemas, meta, groups or members).
 */
export type { MemberRef, ScimData, ScimResource, StoredResource } from './resource-shapes';
export { parseUserInput } from './user-input';
export { parseGroupInput, parseMemberRefs, MAX_MEMBERS_PER_REQUEST } from './group-input';
export { userRepresentation, groupRepresentation } from './representation';
export { MAX_STRING_BYTES, MAX_VALUES } from './attribute-values';
