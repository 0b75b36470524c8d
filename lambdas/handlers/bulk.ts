/**
 * POST /Bulk (RFC 7644 §3.7): many Users and Groups operations in one request. The body is
 * size-checked before it is parsed (413 in §3.7.4's words); the pure core (lambdas/scim/bulk)
 * parses, orders and runs the operations, each through the single routes' own write
 * (use-cases/bulk-operations.ts); failed operations become report rows as failed single requests do.
 */
import type { Context } from 'aws-lambda';
import { BULK_DEADLINE_MARGIN_MS, BULK_MAX_PAYLOAD_SIZE, payloadTooLarge, processBulkRequest } from '../scim/bulk';
import { failureRecorder } from '../shared/failures';
import { httpHandler, type HttpHandler } from '../shared/handler';
import { ok, type AppRequest, type HttpResponse } from '../shared/http';
import { logger } from '../shared/logger';
import { tenantUrlOf } from '../shared/routes';
import { profileSettingsLoader } from '../shared/profile-settings';
import { onFirstInvocation, runtime, type Runtime } from '../shared/runtime';
import { createGroupStore } from '../store/groups';
import { createUserStore } from '../store/users';
import { unappliedRecorder } from '../store/unapplied-requests';
import { BULK_CONCURRENCY, bulkDeadline, bulkPerformer, recordOperationFailures, RESPONSE_MARGIN_MS } from '../use-cases/bulk-operations';
import { createGroupWrites } from '../use-cases/group-writes';
import { createUserWrites } from '../use-cases/user-writes';

export interface BulkHandlerOptions {
  /**
   * How long the caller waits for the answer: operations not started 5 s before it answer 503.
   * Tests and the bench on a slow DynamoDB Local raise it to check a full request's outcome.
   * @default API Gateway's 29 s
   */
  readonly gatewayTimeoutMs?: number;
  /** Operations of a wave in flight at once (the bench compares 1). @default BULK_CONCURRENCY */
  readonly concurrency?: number;
}

export const createBulkHandler = (rt: Runtime, options: BulkHandlerOptions = {}): HttpHandler => {
  const { dynamo, config } = rt;
  const settingsOf = profileSettingsLoader(rt);
  const performerFor = bulkPerformer({
    users: createUserWrites(createUserStore(dynamo, config.SCIM_TABLE_NAME), settingsOf, unappliedRecorder(dynamo, config.SCIM_TABLE_NAME)),
    groups: createGroupWrites(createGroupStore(dynamo, config.SCIM_TABLE_NAME), settingsOf),
  });
  const onFailure = failureRecorder({ client: dynamo, tableName: config.SCIM_TABLE_NAME });

  const processBulk = async (request: AppRequest, context: Context): Promise<HttpResponse> => {
    const deadline = bulkDeadline(context.getRemainingTimeInMillis(), Date.now(), options.gatewayTimeoutMs);
    const { body, execution } = await processBulkRequest(request.body, performerFor(request), {
      tenantUrl: tenantUrlOf(request.apiUrl, request.app.id),
      deadline,
      concurrency: options.concurrency ?? BULK_CONCURRENCY,
      onUnexpectedError: (error, call) =>
        logger.error('a bulk operation failed unexpectedly', { error: error as Error, index: call.index, purpose: call.purpose, method: call.method }),
    });
    await recordOperationFailures(request, execution.results, onFailure, { until: deadline + BULK_DEADLINE_MARGIN_MS - RESPONSE_MARGIN_MS });
    if (execution.stopped) logger.info('bulk request stopped early', { stopped: execution.stopped, errors: execution.errors, answered: execution.results.length });
    return ok(body);
  };

  return httpHandler(rt, 'bulk', { processBulk }, { onFailure, body: { maxBytes: BULK_MAX_PAYLOAD_SIZE, tooLarge: () => payloadTooLarge() } });
};

/** The Lambda entry point. */
export const handler = onFirstInvocation(() => createBulkHandler(runtime()));
