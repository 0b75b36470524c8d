/**
 * Translation of DynamoDB failures that are not about our data: throttling becomes 429 with
 * Retry-After, an unreachable or failing service becomes 503. Errors about our data (condition
 * checks, cancelled transactions) are translated where the store knows what the condition meant.
 */
import { ScimError } from '../scim/errors';

const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);
const UNAVAILABLE = new Set([
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'TransactionInProgressException',
  // A batch DynamoDB kept leaving unprocessed through every retry (store/retry.ts): throttled for good.
  'UnprocessedItemsError',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** A ScimError for infrastructure failures, or undefined when the error is something else. */
export const infrastructureError = (error: unknown): ScimError | undefined => {
  if (!(error instanceof Error)) return undefined;
  const name = error.name;
  const code = (error as { code?: string }).code;
  if (THROTTLED.has(name)) return ScimError.throttled('The data store is throttling requests; retry shortly.', 1);
  const metadata = (error as { $metadata?: { httpStatusCode?: number; attempts?: number } }).$metadata;
  // The SDK gave up (after its retries) without ever receiving an HTTP answer: refused, reset or
  // timed out, whatever the socket error was called (or however it was wrapped).
  const noAnswer = metadata?.attempts !== undefined && metadata.httpStatusCode === undefined;
  if (UNAVAILABLE.has(name) || (code && NETWORK_CODES.has(code)) || noAnswer || metadata?.httpStatusCode === 503) {
    return ScimError.unavailable('The data store is unavailable; retry shortly.', 2, error);
  }
  return undefined;
};
