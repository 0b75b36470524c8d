/**
 * What a write of one SCIM resource needs from its request, without HTTP: the caller's application,
 * the stamp that attributes the write in reports and events, and the client's `If-Match`. The Users
 * and Groups handlers build it from their request; each Bulk operation builds its own (bulk-operations.ts).
 */
import type { RequestStamp } from '../domain/items';
import type { FeatureDecision } from '../provisioning-features';
import type { AppContext, AppRequest } from '../shared/http';
import { writeStampOf, type SuccessStatus, type WriteOperation } from '../shared/write-stamps';

/** The stamp of one write: the request's, with the operation and what the provisioning features decided. */
export type StampOf = (operation: WriteOperation, decision: Pick<FeatureDecision, 'requested' | 'applied'>, at?: Date) => RequestStamp;

export interface WriteContext {
  readonly app: AppContext;
  readonly stamp: StampOf;
  /** The `If-Match` header, or a Bulk operation's `version`; absent: no precondition. */
  readonly ifMatch?: string;
}

/** The write context of a single-resource request that answers `status` once its write is done. */
export const writeContextOf = (request: AppRequest, status: SuccessStatus): WriteContext => ({
  app: request.app,
  stamp: (operation, decision, at) => writeStampOf(request, operation, decision, status, at),
  ifMatch: request.headers['if-match'],
});
