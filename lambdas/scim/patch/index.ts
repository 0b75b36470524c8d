/**
 * The SCIM PATCH engine: pure, no I/O. `applyPatch` turns a stored resource and a PatchOp body into a
 * new resource plus, for Groups, the member changes the store applies item by item.
 */
export { applyPatch } from './apply';
export { MAX_PATCH_OPERATIONS, parsePatchRequest } from './parse-ops';
export type { MemberChange, PatchResult } from './types';
