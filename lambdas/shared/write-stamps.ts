/**
 * The request stamp of a user or group write, with what directory events read from it
 * (events/change.ts): the operation, what the request asked for and what the provisioning
 * features applied, the request's time, and the HTTP status the request answers when the write
 * succeeds (the report shows it on success rows). One place, so every write says the same.
 */
import type { RequestStamp } from '../domain/items';
import type { FeatureDecision } from '../provisioning-features';
import type { AppRequest } from './http';
import { stampOf } from './scim-request';

export type WriteOperation = 'createUser' | 'updateUser' | 'deleteUser' | 'createGroup' | 'updateGroup' | 'deleteGroup';

/** What a write request answers once its write is done: 201 created, 200 with the resource, 204 without. */
export type SuccessStatus = 200 | 201 | 204;

export const writeStampOf = (
  request: AppRequest,
  operation: WriteOperation,
  decision: Pick<FeatureDecision, 'requested' | 'applied'>,
  status: SuccessStatus,
  at = new Date(),
): RequestStamp => ({
  ...stampOf(request),
  operation,
  requested: [...decision.requested],
  applied: [...decision.applied],
  at: at.toISOString(),
  status,
});
