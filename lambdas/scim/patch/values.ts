/** Small JSON helpers of the PATCH engine: key lookup in any case, cloning, equality, clearing, booleans. */
import { ScimError } from '../errors';

export type JsonObject = Record<string, unknown>;

export const isPlainObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The own key of `obj` equal to `name` ignoring case (exact spelling preferred), or undefined. */
export const ownKey = (obj: JsonObject, name: string): string | undefined => {
  if (Object.hasOwn(obj, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
};

/**
 * Sets an own data property. Plain assignment of `__proto__` would change the prototype instead;
 * the body parser rejects such keys, and this keeps the engine safe on its own.
 */
export const setOwn = (obj: JsonObject, key: string, value: unknown): void => {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
};

export const clone = <T>(value: T): T => structuredClone(value);

/** Structural equality of JSON values; object key order does not matter. */
export const deepEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
};

/** `null`, `""` and `[]` clear an attribute on add/replace (Entra's SCIM_Null_Update_Test). */
export const isClearValue = (value: unknown): boolean =>
  value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

/** Short description of a value for error details (never the whole value: it may be large). */
export const describeValue = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
};

const BOOLEAN_TEXT = /^(true|false)$/i;

/** JSON booleans pass; "True"/"false"/… (any case, as Entra sends) become booleans; anything else is 400. */
export const coerceBoolean = (value: unknown, path: string): boolean => {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && BOOLEAN_TEXT.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw ScimError.invalidValue(`"${path}" must be a boolean (true or false), got ${describeValue(value)}.`);
};
