/**
 * The limits of one Bulk request (RFC 7644 §3.7.4) and the ServiceProviderConfig `bulk` section
 * that advertises them (RFC 7643 §5). Exceeding either answers 413 with a SCIM Error whose detail
 * names the limit, as §3.7.4 requires (its example wording is kept word for word).
 *
 * Why these numbers (to be confirmed by `npm run bench`, which measures the real cost):
 * - Time. Operations run one after another through the single-resource code, about 10–20 ms of
 *   DynamoDB each. 1,000 operations ≈ 10–20 s, inside API Gateway's 29 s integration timeout
 *   with room to spare; the executor also stops starting new work `BULK_DEADLINE_MARGIN_MS` before
 *   the Lambda's end and answers what it could not start with 503 (never a gateway timeout).
 * - Size. 1 MiB is the handlers' body limit already (`SCIM_MAX_BODY_BYTES`): about 1 KiB per
 *   operation at 1,000 operations (an Entra user with the enterprise extension is 0.6–0.9 KiB). It
 *   stays far below API Gateway's 10 MB and Lambda's 6 MB synchronous payload (the event carries
 *   the body, base64 adds a third), and the response (≈ 0.2 KiB per success, ≈ 0.5 KiB per error)
 *   stays under 0.5 MiB. The heaviest 1 MiB body is one of group members (≈ 45 bytes each, so
 *   ≈ 23,000 membership writes in batches of 25): that worst case is what the bench must time.
 */
import { ScimError } from '../errors';

export interface BulkLimits {
  /** Most operations one request may carry. */
  readonly maxOperations: number;
  /** Largest request body, in bytes. */
  readonly maxPayloadSize: number;
}

export const BULK_MAX_OPERATIONS = 1_000;
export const BULK_MAX_PAYLOAD_SIZE = 1_048_576;

export const BULK_LIMITS: BulkLimits = { maxOperations: BULK_MAX_OPERATIONS, maxPayloadSize: BULK_MAX_PAYLOAD_SIZE };

/**
 * How long before the Lambda's end the executor stops starting steps. The longest single step is a
 * Group PUT with 10,000 members (400 batch writes), a few seconds; 5 s keeps its response inside.
 */
export const BULK_DEADLINE_MARGIN_MS = 5_000;

/** The ServiceProviderConfig `bulk` section (RFC 7643 §5). */
export const bulkServiceProviderConfig = (limits: BulkLimits = BULK_LIMITS) => ({
  supported: true,
  maxOperations: limits.maxOperations,
  maxPayloadSize: limits.maxPayloadSize,
});

/** 413 for a body over `maxPayloadSize`, in RFC 7644 §3.7.4's words. */
export const payloadTooLarge = (limits: BulkLimits = BULK_LIMITS): ScimError =>
  ScimError.payloadTooLarge(`The size of the bulk operation exceeds the maxPayloadSize (${limits.maxPayloadSize}).`);

/** 413 for more than `maxOperations` operations, worded like the payload error. */
export const tooManyOperations = (count: number, limits: BulkLimits = BULK_LIMITS): ScimError =>
  ScimError.payloadTooLarge(
    `The number of operations (${count}) exceeds the maxOperations (${limits.maxOperations}). Send them in several bulk requests.`,
  );

/** Throws the 413 when `bytes` (the raw body's length) exceeds `maxPayloadSize`; call it before parsing. */
export const assertBulkPayloadSize = (bytes: number, limits: BulkLimits = BULK_LIMITS): void => {
  if (bytes > limits.maxPayloadSize) throw payloadTooLarge(limits);
};
