/**
 * SCIM Bulk (RFC 7644 §3.7) on the gateway: each operation the pure core (lambdas/scim/bulk) hands
 * over runs through exactly the write a single `POST/PUT/PATCH/DELETE /Users|/Groups` runs
 * (user-writes.ts, group-writes.ts), so required attributes, uniqueness, If-Match and whatever
 * those writes learn later apply to Bulk too. Every operation is its own write (its own
 * transactions), so one operation's failure never half-writes another's.
 *
 * Reports: each applied operation leaves the stream records a single request leaves, stamped with
 * its own request id, `<API Gateway request id>/<operation index>` (`/link`, `/undo` for the
 * extra writes of a circular reference): a failure item and a removal note are keyed by request
 * id, so operations of one request must not share one. Failed operations are recorded as failure
 * rows by `recordOperationFailures`, as the single routes record theirs; the operations a request
 * had no time for share one row under the request's own id.
 */
import { etagOf } from '../scim/etag';
import { BULK_DEADLINE_MARGIN_MS, BulkMethod, type BulkCall, type BulkOperationResult, type BulkSuccess, type Perform } from '../scim/bulk';
import { getCaseInsensitive, isPlainObject } from '../scim/json';
import { ScimError } from '../scim/errors';
import type { FailureListener } from '../shared/middlewares/scim-errors';
import type { AppRequest } from '../shared/http';
import { logger } from '../shared/logger';
import { writeStampOf, type SuccessStatus } from '../shared/write-stamps';
import type { createGroupWrites } from './group-writes';
import type { createUserWrites } from './user-writes';
import type { WriteContext } from './write-context';

/** API Gateway's REST integration timeout: the client hears nothing after it, whatever Lambda's timeout. */
export const API_GATEWAY_TIMEOUT_MS = 29_000;

/**
 * Operations of one wave in flight at once (lambdas/scim/bulk/waves.ts: only operations that
 * commute). One: on DynamoDB Local, waves of four were measured slower than one at a time
 * (docs/benchmarks.md, Bulk: 1,000 creates 14.4 s vs 6.7 s and 21.1 s vs 14.1 s), and against
 * DynamoDB, where they should help, they are not measured yet. The bench's "waves of 4" rows
 * measure the other setting; raise this only with figures from DynamoDB.
 */
export const BULK_CONCURRENCY = 1;

/** How many failure items are written at once after a run. */
const FAILURE_WRITES_IN_FLIGHT = 16;

export interface BulkWrites {
  readonly users: ReturnType<typeof createUserWrites>;
  readonly groups: ReturnType<typeof createGroupWrites>;
}

/** The request id an operation's writes carry: unique per operation and purpose within the request. */
export const operationRequestId = (requestId: string, call: Pick<BulkCall, 'index' | 'purpose'>): string =>
  `${requestId}/${call.index}${call.purpose === 'operation' ? '' : `/${call.purpose}`}`;

/**
 * The epoch ms after which no operation starts: the function's remaining time or API Gateway's
 * timeout, whichever ends first, less the time the longest step and the response need.
 */
export const bulkDeadline = (remainingMs: number, now: number = Date.now(), gatewayTimeoutMs = API_GATEWAY_TIMEOUT_MS): number =>
  now + Math.min(remainingMs, gatewayTimeoutMs) - BULK_DEADLINE_MARGIN_MS;

/** Failure rows are written until this long before the caller stops waiting: the response still has to go out. */
export const RESPONSE_MARGIN_MS = 1_500;

/**
 * An operation's status when it succeeds, as the single route answers: 201 a create, 204 a delete
 * and a group PATCH, 200 otherwise. Known before the write, so its report row can carry it.
 */
const successStatusOf = (call: Pick<BulkCall, 'method' | 'resourceType'>): SuccessStatus => {
  if (call.method === BulkMethod.POST) return 201;
  return call.method === BulkMethod.DELETE || (call.method === BulkMethod.PATCH && call.resourceType === 'Group') ? 204 : 200;
};

const written = (id: string, version: number, status: SuccessStatus): BulkSuccess => ({ status, id, version: etagOf(version) });

/** The `perform` of one Bulk request: every call through the single routes' writes. */
export const bulkPerformer =
  ({ users, groups }: BulkWrites) =>
  (request: AppRequest): Perform =>
  async (call) => {
    const status = successStatusOf(call);
    const context: WriteContext = {
      app: request.app,
      stamp: (operation, decision, at) => ({ ...writeStampOf(request, operation, decision, status, at), requestId: operationRequestId(request.requestId, call) }),
      ifMatch: call.ifMatch,
    };
    const id = call.id ?? '';
    if (call.resourceType === 'User') {
      switch (call.method) {
        case BulkMethod.POST: {
          const user = await users.create(context, call.data);
          return written(user.id, user.version, status);
        }
        case BulkMethod.PUT:
          return written(id, (await users.replace(context, id, call.data)).version, status);
        case BulkMethod.PATCH:
          return written(id, (await users.patch(context, id, call.data)).version, status);
        case BulkMethod.DELETE:
          await users.remove(context, id);
          return { status, id };
      }
    }
    switch (call.method) {
      case BulkMethod.POST: {
        const { group } = await groups.create(context, call.data);
        return written(group.id, group.version, status);
      }
      case BulkMethod.PUT:
        return written(id, (await groups.replace(context, id, call.data)).group.version, status);
      case BulkMethod.PATCH:
        // 204, as PATCH /Groups/{id} answers; the version still tells the client what it wrote.
        return written(id, (await groups.patch(context, id, call.data)).version, status);
      case BulkMethod.DELETE:
        await groups.remove(context, id);
        return { status, id };
    }
  };

/** The route operation a single request of this method and type would have had (`patchUser`). */
const OPERATION_OF: Record<BulkMethod, string> = { POST: 'create', PUT: 'replace', PATCH: 'patch', DELETE: 'delete' };

/** `Operations[index].data` of the raw body, for the failure row's userName / externalId / displayName. */
const dataOf = (body: unknown, index: number): unknown => {
  const operations = isPlainObject(body) ? getCaseInsensitive(body, 'Operations') : undefined;
  const operation = Array.isArray(operations) ? operations[index] : undefined;
  return isPlainObject(operation) ? getCaseInsensitive(operation, 'data') : undefined;
};

/** The single request a failed operation stands for, as the failure recorder reads requests. */
const singleRequestOf = (request: AppRequest, result: BulkOperationResult): AppRequest => {
  const endpoint = result.resourceType === 'Group' ? 'Groups' : 'Users';
  const operation = result.method && result.resourceType ? `${OPERATION_OF[result.method]}${result.resourceType}` : request.operation;
  const base = request.path.replace(/\/Bulk\/?$/i, '');
  return {
    ...request,
    operation,
    method: result.method ?? request.method,
    path: result.id === undefined ? `${base}/${endpoint}` : `${base}/${endpoint}/${result.id}`,
    pathParams: { ...request.pathParams, ...(result.id !== undefined && { id: result.id }) },
    body: dataOf(request.body, result.index),
    requestId: operationRequestId(request.requestId, { index: result.index, purpose: 'operation' }),
  };
};

export interface RecordingOptions {
  /** Epoch ms after which no more failure rows are written (the answer must reach API Gateway in time). */
  readonly until: number;
  readonly now?: () => number;
}

/** The one failure row of the operations a run had no time for (one row, however many they were). */
const notAttemptedError = (indexes: readonly number[], total: number): ScimError =>
  ScimError.unavailable(
    `${indexes.length} of ${total} operations of this bulk request were not attempted, from Operations[${indexes[0]}] on: ` +
      'the request ran out of time. Nothing was changed for them; send them again.',
  );

/**
 * Records each failed operation as the single route records a failed request (one report row
 * each); the operations a run had no time for get one row for the whole request. Writes stop at
 * `until`, so the answer is never lost to the rows (what is left is logged).
 */
export const recordOperationFailures = async (
  request: AppRequest,
  results: readonly BulkOperationResult[],
  onFailure: FailureListener,
  options: RecordingOptions,
): Promise<void> => {
  const now = options.now ?? Date.now;
  const failed = results.filter((result): result is BulkOperationResult & { error: ScimError } => result.error !== undefined && !result.notAttempted);
  const skipped = results.filter((result) => result.notAttempted).map((result) => result.index);
  const writes: (() => Promise<void>)[] = failed.map((result) => () => onFailure(singleRequestOf(request, result), result.error));
  if (skipped.length > 0) writes.unshift(() => onFailure(request, notAttemptedError(skipped, results.length)));
  for (let i = 0; i < writes.length; i += FAILURE_WRITES_IN_FLIGHT) {
    if (now() >= options.until) {
      logger.warn('bulk: out of time for failure rows', { requestId: request.requestId, written: i, left: writes.length - i });
      return;
    }
    await Promise.all(writes.slice(i, i + FAILURE_WRITES_IN_FLIGHT).map((write) => write()));
  }
};
