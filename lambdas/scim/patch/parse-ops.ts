/**
 * Validates the PatchOp envelope (RFC 7644 §3.5.2) with the leniency Entra needs: member names and
 * `op` values in any letter case (`Operations`/`operations`, `Add`/`add`/`REPLACE`), a missing
 * `schemas` tolerated, unknown members of an operation (the reference collection sends `name`) ignored.
 */
import { ScimError } from '../errors';
import { SchemaUrn } from '../schemas';
import { PatchOpName, type PatchOperation } from './types';
import { describe, isPlainObject, findKey } from './values';

/** More operations than this in one request → 400 tooMany (Entra sends a handful; batches are chunked). */
export const MAX_PATCH_OPERATIONS = 1000;

const OP_NAMES: readonly string[] = Object.values(PatchOpName);

const parseOperation = (raw: unknown, index: number): PatchOperation => {
  const where = `Operations[${index}]`;
  if (!isPlainObject(raw)) throw ScimError.invalidSyntax(`${where} must be an object, got ${describe(raw)}.`);

  const opKey = findKey(raw, 'op');
  const opValue = opKey === undefined ? undefined : raw[opKey];
  if (typeof opValue !== 'string') throw ScimError.invalidSyntax(`${where} needs an "op" of "add", "remove" or "replace".`);
  const op = opValue.trim().toLowerCase();
  if (!OP_NAMES.includes(op)) {
    throw ScimError.invalidSyntax(`${where} has an unknown op "${opValue}"; use "add", "remove" or "replace".`);
  }

  const pathKey = findKey(raw, 'path');
  const rawPath = pathKey === undefined ? undefined : raw[pathKey];
  if (rawPath !== undefined && rawPath !== null && typeof rawPath !== 'string') {
    throw ScimError.invalidPath(`${where}.path must be a string, got ${describe(rawPath)}.`);
  }
  const path = typeof rawPath === 'string' && rawPath.trim() !== '' ? rawPath.trim() : undefined;

  const valueKey = findKey(raw, 'value');
  const operation: { op: PatchOpName; path?: string; value?: unknown } = { op: op as PatchOpName };
  if (path !== undefined) operation.path = path;
  if (valueKey !== undefined) operation.value = raw[valueKey];

  if (op === PatchOpName.remove && path === undefined) {
    throw ScimError.noTarget(`${where}: a "remove" operation needs a "path".`);
  }
  if (op !== PatchOpName.remove && valueKey === undefined) {
    throw ScimError.invalidSyntax(`${where}: an "${op}" operation needs a "value".`);
  }
  if (op !== PatchOpName.remove && path === undefined && !isPlainObject(operation.value)) {
    throw ScimError.invalidValue(
      `${where}: an "${op}" without "path" needs a "value" object whose keys are attribute paths, got ${describe(operation.value)}.`,
    );
  }
  return operation;
};

/** The validated operations of a PATCH body, in request order. Throws ScimError (400) on any defect. */
export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (!isPlainObject(body)) throw ScimError.invalidSyntax(`The PATCH body must be a PatchOp object, got ${describe(body)}.`);

  const schemasKey = findKey(body, 'schemas');
  if (schemasKey !== undefined) {
    const schemas = body[schemasKey];
    const urns = Array.isArray(schemas) ? schemas : [schemas];
    const listed = urns.some((s) => typeof s === 'string' && s.toLowerCase() === SchemaUrn.patchOp.toLowerCase());
    if (!listed) throw ScimError.invalidSyntax(`The PATCH body's "schemas" must contain "${SchemaUrn.patchOp}".`);
  }

  const operationsKey = findKey(body, 'Operations');
  const operations = operationsKey === undefined ? undefined : body[operationsKey];
  if (!Array.isArray(operations) || operations.length === 0) {
    throw ScimError.invalidSyntax('The PATCH body needs an "Operations" array with at least one operation.');
  }
  if (operations.length > MAX_PATCH_OPERATIONS) {
    throw ScimError.tooMany(`A PATCH may carry at most ${MAX_PATCH_OPERATIONS} operations; this one has ${operations.length}.`);
  }
  return operations.map(parseOperation);
}
