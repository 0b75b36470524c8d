/**
 * SCIM Bulk (RFC 7644 §3.7), the pure core: no AWS, no I/O. A handler reads the body, checks its
 * size (`assertBulkPayloadSize`), and hands it to `processBulkRequest` with a `perform` that runs one
 * single-resource request through the same code as the single routes.
 */
export { processBulkRequest } from './process';
export type { ProcessBulkOptions, ProcessedBulk } from './process';

export { parseBulkRequest } from './parse-request';
export { planBulk } from './plan';
export { executeBulk } from './execute';
export type { BulkExecution, ExecuteOptions } from './execute';
export { bulkResponse } from './response';
export type { BulkResponseBody, BulkResponseOperation } from './response';

export {
  assertBulkPayloadSize,
  BULK_DEADLINE_MARGIN_MS,
  BULK_LIMITS,
  BULK_MAX_OPERATIONS,
  BULK_MAX_PAYLOAD_SIZE,
  bulkServiceProviderConfig,
  payloadTooLarge,
  tooManyOperations,
} from './limits';
export type { BulkLimits } from './limits';
export { BULK_ID_PREFIX, referencesIn, substituteReferences } from './references';

export { BULK_REQUEST_URN, BULK_RESPONSE_URN, BulkMethod } from './types';
export type {
  BulkCall,
  BulkCallPurpose,
  BulkEntry,
  BulkOperation,
  BulkOperationResult,
  BulkPlan,
  BulkRequest,
  BulkResourceType,
  BulkStep,
  BulkSuccess,
  BulkTarget,
  CycleCreate,
  CycleLink,
  Perform,
  RejectedOperation,
} from './types';
