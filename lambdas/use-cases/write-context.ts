/**
 * What a write of one SCIM resource needs from its request, without HTTP: the caller's application,
 * the stamp that attributes the write in reports, and the client's `If-Match`. The Users and Groups
 * handlers build it from their request; each Bulk operation builds its own (bulk-operations.ts).
 */
import type { RequestStamp } from '../domain/items';
import type { AppContext, AppRequest } from '../shared/http';
import { stampOf } from '../shared/scim-request';

export interface WriteContext {
  readonly app: AppContext;
  readonly stamp: RequestStamp;
  /** The `If-Match` header, or a Bulk operation's `version`; absent: no precondition. */
  readonly ifMatch?: string;
}

/** The write context of a single-resource request. */
export const writeContextOf = (request: AppRequest): WriteContext => ({
  app: request.app,
  stamp: stampOf(request),
  ifMatch: request.headers['if-match'],
});
