/**
 * One attribute value, checked and normalised against its definition (RFC 7643 §2.3). The rules,
 * chosen for what Entra and Microsoft's validators send:
 * - `null`, `""` and `[]` mean "absent" (Entra's older docs POST explicit nulls).
 * - Booleans also arrive as the strings "True"/"False" in any case; they are stored as booleans.
 * - Strings are stored exactly as sent: no trimming, case change or reformatting (Entra compares
 *   and would re-PATCH anything we change). A number where a string belongs is stored as its
 *   decimal text (some clients send `employeeNumber: 1234`); any other wrong type is a 400.
 * - A single object where a multi-valued attribute belongs is wrapped into a one-element array.
 */
import { ScimError } from './errors';
import { isPlainObject } from './json';
import type { AttributeDef } from './schemas';

/** Largest string value we store, in UTF-8 bytes. */
export const MAX_STRING_BYTES = 64 * 1024;
/** Most entries a multi-valued attribute may hold. */
export const MAX_VALUES = 1_000;

const encoder = new TextEncoder();

export const isAbsent = (value: unknown): boolean =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

/** Non-empty after trimming, but stored as sent (Entra compares the exact text). */
export const isNonEmptyText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** A short description of a wrong value for error details; never echoes more than a few characters. */
export const describe = (value: unknown): string => {
  if (Array.isArray(value)) return 'an array';
  if (isPlainObject(value)) return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${String(value)}`;
};

export const checkLength = (text: string, path: string): string => {
  // Three bytes per UTF-16 unit is the worst case, so short strings skip the encoding.
  if (text.length * 3 > MAX_STRING_BYTES && encoder.encode(text).length > MAX_STRING_BYTES) {
    throw ScimError.invalidValue(`Attribute "${path}" is longer than ${MAX_STRING_BYTES} bytes.`);
  }
  return text;
};

/** `true`/`false` and their string spellings in any case (Entra's "True"). */
export const toBoolean = (value: unknown, path: string): boolean => {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  throw ScimError.invalidValue(`Attribute "${path}" must be a boolean (true or false); got ${describe(value)}.`);
};

const toText = (value: unknown, path: string): string => {
  if (typeof value === 'string') return checkLength(value, path);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw ScimError.invalidValue(`Attribute "${path}" must be a string; got ${describe(value)}.`);
};

const toNumber = (value: unknown, path: string, integer: boolean): number => {
  if (typeof value === 'number' && Number.isFinite(value) && (!integer || Number.isInteger(value))) return value;
  throw ScimError.invalidValue(`Attribute "${path}" must be ${integer ? 'an integer' : 'a number'}; got ${describe(value)}.`);
};

const normaliseSimple = (def: AttributeDef, value: unknown, path: string): unknown => {
  if (isAbsent(value)) return undefined;
  switch (def.type) {
    case 'boolean':
      return toBoolean(value, path);
    case 'integer':
      return toNumber(value, path, true);
    case 'decimal':
      return toNumber(value, path, false);
    default: // string, reference, dateTime, binary: text
      return toText(value, path);
  }
};

const normaliseComplex = (def: AttributeDef, value: unknown, path: string): Record<string, unknown> | undefined => {
  if (isAbsent(value)) return undefined;
  if (!isPlainObject(value)) {
    throw ScimError.invalidValue(`Attribute "${path}" must be a complex value (a JSON object); got ${describe(value)}.`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    const lower = key.toLowerCase();
    const sub = def.subAttributes?.find((s) => s.name.toLowerCase() === lower);
    if (!sub) continue; // unknown sub-attributes are dropped, like unknown attributes
    const normalised = normaliseSingle(sub, raw, `${path}.${sub.name}`);
    if (normalised === undefined) delete out[sub.name];
    else out[sub.name] = normalised;
  }
  return Object.keys(out).length ? out : undefined;
};

const normaliseSingle = (def: AttributeDef, value: unknown, path: string): unknown =>
  def.type === 'complex' ? normaliseComplex(def, value, path) : normaliseSimple(def, value, path);

const normaliseMulti = (def: AttributeDef, value: unknown, path: string): unknown[] | undefined => {
  if (isAbsent(value)) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (list.length > MAX_VALUES) {
    throw ScimError.invalidValue(`Attribute "${path}" has ${list.length} values; at most ${MAX_VALUES} are allowed.`);
  }
  const entries = list.map((entry) => normaliseSingle(def, entry, path)).filter((entry) => entry !== undefined);
  if (!entries.length) return undefined;
  if (entries.filter((entry) => isPlainObject(entry) && entry.primary === true).length > 1) {
    throw ScimError.invalidValue(`Attribute "${path}" has more than one value with "primary": true; at most one may be primary.`);
  }
  return entries;
};

/** Checks and normalises a value for `def`; undefined means the attribute is absent. */
export const normaliseAttribute = (def: AttributeDef, value: unknown, path: string): unknown =>
  def.multiValued ? normaliseMulti(def, value, path) : normaliseSingle(def, value, path);

/**
 * Enterprise `manager` (RFC 7643 §4.3 is complex), as Entra sends it: a bare id string, an object
 * `{value, $ref?, displayName?}` or a one-element array of those. `""`, `null` and `{"value": ""}`
 * mean "no manager". Always stored in the RFC complex form.
 */
export const normaliseManager = (def: AttributeDef, value: unknown, path: string): Record<string, unknown> | undefined => {
  if (isAbsent(value)) return undefined;
  if (Array.isArray(value)) {
    if (value.length > 1) throw ScimError.invalidValue(`Attribute "${path}" takes one manager; got ${value.length}.`);
    return normaliseManager(def, value[0], path);
  }
  if (typeof value === 'string' || typeof value === 'number') return normaliseManager(def, { value }, path);
  const manager = normaliseComplex(def, value, path);
  return manager && typeof manager.value === 'string' ? manager : undefined;
};

/** Custom extension attributes are simple and single-valued (Entra's rule); kept as sent. */
export const normaliseCustom = (value: unknown, path: string): string | number | boolean | undefined => {
  if (isAbsent(value)) return undefined;
  if (typeof value === 'string') return checkLength(value, path);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  throw ScimError.invalidValue(
    `Custom extension attribute "${path}" must be a single string, number or boolean; got ${describe(value)}.`,
  );
};
