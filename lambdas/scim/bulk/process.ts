/**
 * The whole of `POST /Bulk` after the body is read, in one call: parse → plan → execute → respond.
 * The handler supplies what is not pure (the single-resource `perform`, the deadline from the
 * Lambda context, the tenant URL); the parts stay exported for anything that needs one step alone.
 */
import { executeBulk, type BulkExecution, type ExecuteOptions } from './execute';
import { BULK_LIMITS, type BulkLimits } from './limits';
import { parseBulkRequest } from './parse-request';
import { planBulk } from './plan';
import { bulkResponse, type BulkResponseBody } from './response';
import type { Perform } from './types';

export interface ProcessBulkOptions extends ExecuteOptions {
  /** The application's SCIM base URL, for each operation's `location`. */
  readonly tenantUrl: string;
  /** @default BULK_LIMITS */
  readonly limits?: BulkLimits;
}

export interface ProcessedBulk {
  /** The BulkResponse, answered with 200 OK. */
  readonly body: BulkResponseBody;
  /** How the run went (errors, why it stopped), for logs and metrics. */
  readonly execution: BulkExecution;
}

/**
 * Throws a ScimError (400, 413) only when the request as a whole is refused, before anything is
 * changed; otherwise every processed operation is answered in `body`.
 */
export async function processBulkRequest(body: unknown, perform: Perform, options: ProcessBulkOptions): Promise<ProcessedBulk> {
  const plan = planBulk(parseBulkRequest(body, options.limits ?? BULK_LIMITS));
  const execution = await executeBulk(plan, perform, options);
  return { body: bulkResponse(execution.results, options.tenantUrl), execution };
}
