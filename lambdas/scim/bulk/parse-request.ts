/**
 * The BulkRequest envelope (RFC 7644 §3.7) and the checks that need every operation at once.
 *
 * Whole-request refusals (thrown ScimErrors; nothing runs): a body that is no object (400
 * invalidSyntax), `schemas` without the BulkRequest URN (400 invalidSyntax; a missing `schemas` is
 * tolerated, as for PATCH), a `failOnErrors` that is no whole number ≥ 1 (400 invalidValue), no
 * `Operations` array or an empty one (400 invalidSyntax), more than `maxOperations` (413, §3.7.4).
 *
 * Per-operation refusals found across operations (each becomes that operation's 400 invalidValue):
 * - a bulkId declared by more than one POST: "unique within a bulk request" (§3.7). The first POST
 *   keeps it; later ones are refused. A reference to such a bulkId is refused as ambiguous, because
 *   the client may have meant either resource.
 * - a reference to a bulkId that no POST of the request declares: nothing could ever resolve it.
 * A reference to a POST that is itself refused is not caught here: it fails when it runs (409),
 * like a reference to a POST that fails in the store.
 */
import { describe } from '../attribute-values';
import { ScimError } from '../errors';
import { findKey, isPlainObject } from '../json';
import { BULK_LIMITS, tooManyOperations, type BulkLimits } from './limits';
import { parseOperation } from './parse-operation';
import { BULK_REQUEST_URN, BulkMethod, type BulkEntry, type BulkOperation, type BulkRequest, type RejectedOperation } from './types';

const parseFailOnErrors = (raw: unknown): number | undefined => {
  if (raw === undefined || raw === null) return undefined;
  // Digits in a string are read as the number, as the gateway reads Entra's string booleans.
  const value = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw ScimError.invalidValue(
      `"failOnErrors" must be a whole number of at least 1 (the errors to accept before stopping), got ${describe(raw)}.`,
    );
  }
  return value;
};

const checkSchemas = (body: Record<string, unknown>): void => {
  const key = findKey(body, 'schemas');
  if (key === undefined) return;
  const listed = [body[key]].flat().some((urn) => typeof urn === 'string' && urn.toLowerCase() === BULK_REQUEST_URN.toLowerCase());
  if (!listed) throw ScimError.invalidSyntax(`The Bulk body's "schemas" must contain "${BULK_REQUEST_URN}".`);
};

const refuse = (operation: BulkOperation, error: ScimError): RejectedOperation => ({
  kind: 'rejected',
  index: operation.index,
  error,
  method: operation.method,
  ...(operation.bulkId !== undefined && { bulkId: operation.bulkId }),
  target: operation.target,
});

const list = (indexes: readonly number[]): string => indexes.map((i) => `Operations[${i}]`).join(', ');

/** Refuses duplicate declarations and references nothing (or more than one POST) declares. */
const checkBulkIds = (entries: readonly BulkEntry[]): BulkEntry[] => {
  const declarers = new Map<string, number[]>();
  for (const entry of entries) {
    if (entry.method !== BulkMethod.POST || entry.bulkId === undefined) continue;
    const indexes = declarers.get(entry.bulkId) ?? [];
    indexes.push(entry.index);
    declarers.set(entry.bulkId, indexes);
  }
  return entries.map((entry) => {
    if (entry.kind !== 'operation') return entry;
    const where = `Operations[${entry.index}]`;
    const sharing = entry.method === BulkMethod.POST && entry.bulkId !== undefined ? declarers.get(entry.bulkId)! : [];
    if (sharing.length > 1 && sharing[0] !== entry.index) {
      return refuse(
        entry,
        ScimError.invalidValue(
          `${where} declares bulkId "${entry.bulkId}", which ${list(sharing.filter((i) => i < entry.index))} already declared; a bulkId must be unique within a bulk request.`,
        ),
      );
    }
    for (const bulkId of entry.references) {
      const declaring = declarers.get(bulkId);
      if (!declaring) {
        return refuse(
          entry,
          ScimError.invalidValue(
            `${where} refers to "bulkId:${bulkId}", but no POST operation of this request has the bulkId "${bulkId}".`,
          ),
        );
      }
      if (declaring.length > 1) {
        return refuse(
          entry,
          ScimError.invalidValue(`${where} refers to "bulkId:${bulkId}", which is ambiguous: ${list(declaring)} all declare it.`),
        );
      }
    }
    return entry;
  });
};

/**
 * Reads a BulkRequest body (already JSON-parsed). Throws a ScimError for a defect of the whole
 * request; a defect of one operation becomes that entry's rejection (see `parse-operation.ts`).
 * Check the raw body's size with `assertBulkPayloadSize` before parsing it.
 */
export function parseBulkRequest(body: unknown, limits: BulkLimits = BULK_LIMITS): BulkRequest {
  if (!isPlainObject(body)) throw ScimError.invalidSyntax(`The Bulk body must be a BulkRequest object, got ${describe(body)}.`);
  checkSchemas(body);
  const failKey = findKey(body, 'failOnErrors');
  const failOnErrors = parseFailOnErrors(failKey === undefined ? undefined : body[failKey]);

  const operationsKey = findKey(body, 'Operations');
  const operations = operationsKey === undefined ? undefined : body[operationsKey];
  if (!Array.isArray(operations) || operations.length === 0) {
    throw ScimError.invalidSyntax('The Bulk body needs an "Operations" array with at least one operation.');
  }
  if (operations.length > limits.maxOperations) throw tooManyOperations(operations.length, limits);

  const entries = checkBulkIds(operations.map(parseOperation));
  return failOnErrors === undefined ? { entries } : { failOnErrors, entries };
}
