/**
 * One element of a BulkRequest's `Operations` (RFC 7644 §3.7), read on its own. A defect makes the
 * element a `RejectedOperation` carrying the error a single request would get, never an exception:
 * §3.7.3 reports each operation's failure in its own result and goes on with the others.
 *
 * Rules, with the leniency the gateway shows everywhere else (RFC 7643 §2.1 attribute names are
 * case-insensitive; Entra-era clients are loose with case):
 * - member names in any letter case (`Method`, `BULKID`); unknown members (a response's
 *   `location`, `status`) are ignored;
 * - `method` in any letter case, answered in the RFC's upper case; anything but POST, PUT, PATCH,
 *   DELETE is 400 invalidValue;
 * - `bulkId` is REQUIRED for POST (400 invalidValue without it) and, when sent, a non-empty string;
 * - `path` is REQUIRED (see `operation-path.ts` for its form);
 * - `data` is REQUIRED for POST, PUT and PATCH and must be an object; a DELETE's is ignored. Its
 *   content is the single routes' business (they validate it when the operation runs), except for
 *   the `bulkId:` references it holds;
 * - `version` is optional, a string; it is the operation's `If-Match` (ignored for POST).
 */
import { describe } from '../attribute-values';
import { isScimError, ScimError } from '../errors';
import { findKey, isPlainObject } from '../json';
import { methodMismatch, parseOperationPath } from './operation-path';
import { referencesIn } from './references';
import { BulkMethod, type BulkEntry, type BulkTarget, type RejectedOperation } from './types';

const METHODS: readonly BulkMethod[] = Object.values(BulkMethod);

type Echo = Pick<RejectedOperation, 'method' | 'bulkId' | 'target'>;

const rejected = (index: number, error: ScimError, echo: Echo): RejectedOperation => ({ kind: 'rejected', index, error, ...echo });

const isAbsent = (value: unknown): boolean => value === undefined || value === null;

/** Reads `Operations[index]`. Never throws. */
export const parseOperation = (raw: unknown, index: number): BulkEntry => {
  const where = `Operations[${index}]`;
  if (!isPlainObject(raw)) return rejected(index, ScimError.invalidSyntax(`${where} must be an object, got ${describe(raw)}.`), {});
  const field = (name: string): unknown => {
    const key = findKey(raw, name);
    return key === undefined ? undefined : raw[key];
  };

  // Read what can be echoed first, so even a refused operation is recognisable in the response.
  const rawMethod = field('method');
  const method = typeof rawMethod === 'string' ? METHODS.find((m) => m === rawMethod.trim().toUpperCase()) : undefined;
  const rawBulkId = field('bulkId');
  const bulkId = typeof rawBulkId === 'string' && rawBulkId !== '' ? rawBulkId : undefined;
  const rawPath = field('path');
  const parsedPath = typeof rawPath === 'string' && rawPath.trim() !== '' ? parseOperationPath(rawPath, where) : undefined;
  const target: BulkTarget | undefined = parsedPath && !isScimError(parsedPath) ? parsedPath : undefined;
  const echo: Echo = { ...(method && { method }), ...(bulkId !== undefined && { bulkId }), ...(target && { target }) };
  const refuse = (error: ScimError) => rejected(index, error, echo);

  if (!method) {
    return refuse(
      isAbsent(rawMethod)
        ? ScimError.invalidValue(`${where} needs a "method": "POST", "PUT", "PATCH" or "DELETE".`)
        : ScimError.invalidValue(`${where} has the method ${describe(rawMethod)}; use "POST", "PUT", "PATCH" or "DELETE".`),
    );
  }
  if (!isAbsent(rawBulkId) && bulkId === undefined) {
    return refuse(ScimError.invalidValue(`${where}.bulkId must be a non-empty string, got ${describe(rawBulkId)}.`));
  }
  if (method === BulkMethod.POST && bulkId === undefined) {
    return refuse(
      ScimError.invalidValue(`${where} is a POST and needs a "bulkId" (RFC 7644 §3.7), so that its result can be matched to it.`),
    );
  }
  if (typeof rawPath !== 'string' || rawPath.trim() === '') {
    return refuse(
      isAbsent(rawPath) || typeof rawPath === 'string'
        ? ScimError.invalidValue(`${where} needs a "path", e.g. "/Users" for a POST or "/Users/<id>" otherwise.`)
        : ScimError.invalidValue(`${where}.path must be a string, got ${describe(rawPath)}.`),
    );
  }
  if (!target) return refuse(parsedPath as ScimError);
  const mismatch = methodMismatch(method, target, rawPath, where);
  if (mismatch) return refuse(mismatch);

  const rawVersion = field('version');
  if (!isAbsent(rawVersion) && typeof rawVersion !== 'string') {
    return refuse(ScimError.invalidValue(`${where}.version must be a string (an ETag such as W/"3"), got ${describe(rawVersion)}.`));
  }
  const version = typeof rawVersion === 'string' && rawVersion.trim() !== '' && method !== BulkMethod.POST ? rawVersion : undefined;

  let data: Record<string, unknown> | undefined;
  if (method !== BulkMethod.DELETE) {
    const rawData = field('data');
    if (isAbsent(rawData))
      return refuse(ScimError.invalidValue(`${where} is a ${method} and needs "data": the body of a single ${method}.`));
    if (!isPlainObject(rawData)) return refuse(ScimError.invalidSyntax(`${where}.data must be an object, got ${describe(rawData)}.`));
    data = rawData;
  }

  let references: string[];
  try {
    references = referencesIn(data);
  } catch (error) {
    if (isScimError(error)) return refuse(new ScimError(error.status, `${where}: ${error.detail}`, error.scimType));
    throw error;
  }
  if (target.kind === 'created' && !references.includes(target.bulkId)) references.unshift(target.bulkId);

  return {
    kind: 'operation',
    index,
    method,
    target,
    ...(bulkId !== undefined && { bulkId }),
    ...(version !== undefined && { version }),
    ...(data !== undefined && { data }),
    references,
  };
};
