/**
 * The request stamp of a user or group write, with what directory events read from it
 * (events/change.ts): the operation, what the request asked for and what the provisioning
 * features applied, and the request's time. One place, so every write says the same.
 */
import type { RequestStamp } from '../domain/items';
import type { FeatureDecision } from '../provisioning-features';
import type { AppRequest } from './http';
import { stampOf } from './scim-request';

export type WriteOperation = 'createUser' | 'updateUser' | 'deleteUser' | 'createGroup' | 'updateGroup' | 'deleteGroup';

export const writeStampOf = (request: AppRequest, operation: WriteOperation, decision: Pick<FeatureDecision, 'requested' | 'applied'>, at = new Date()): RequestStamp => ({
  ...stampOf(request),
  operation,
  requested: [...decision.requested],
  applied: [...decision.applied],
  at: at.toISOString(),
});
