/**
 * Plain JSON values as the SCIM core reads them: objects (not arrays, not sets), and attribute names
 * matched in any letter case (RFC 7643 §2.1). The one definition the core, the PATCH engine, the
 * filter engine and the report diff share.
 */

export type JsonObject = Record<string, unknown>;

/** A JSON object: not null, not an array, not a Set (which DynamoDB string sets unmarshal to). */
export const isPlainObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Set);

/** The key of `object` that spells `name` in any letter case, the exact spelling first. */
export const findKey = (object: JsonObject, name: string): string | undefined => {
  if (Object.hasOwn(object, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(object).find((key) => key.toLowerCase() === lower);
};

/** The value of `name` in `object`, in any letter case (the exact spelling first). */
export const getCaseInsensitive = (object: JsonObject, name: string): unknown => {
  const key = findKey(object, name);
  return key === undefined ? undefined : object[key];
};
