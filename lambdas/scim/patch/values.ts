/**
 * JSON helpers of the PATCH engine. Name lookup in any case, "absent" values, boolean coercion and
 * error descriptions are the resource validator's own (`json.ts`, `attribute-values.ts`), so a
 * PATCH and a POST read values the same way.
 */
import { isPlainObject, type JsonObject } from '../json';

export { findKey, isPlainObject, type JsonObject } from '../json';
export { describe, isAbsent, toBoolean } from '../attribute-values';

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
