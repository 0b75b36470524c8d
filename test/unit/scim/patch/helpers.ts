/** Shared builders for the PATCH engine tests. */
import { applyPatch, type PatchResult } from '../../../../lambdas/scim/patch';

export { scimErrorOf } from '../scim-error-of';

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export const body = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

export const patchUser = (data: Record<string, unknown>, ...ops: unknown[]): PatchResult => applyPatch('User', data, body(...ops));
export const patchGroup = (data: Record<string, unknown>, ...ops: unknown[]): PatchResult => applyPatch('Group', data, body(...ops));

/** The stored form of entra-scim.md §3.1's user (what the lead's store hands to the engine). */
export const entraUser = (): Record<string, unknown> => ({
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
  active: true,
  emails: [{ primary: true, type: 'work', value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com' }],
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
});

export const entraGroup = (): Record<string, unknown> => ({
  externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
  displayName: 'displayName',
});
