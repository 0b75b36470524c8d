/**
 * Values of complex attributes and of their sub-attributes: canonical sub-attribute names, boolean
 * coercion, clearing, and the reference shape of `manager` (`{value, $ref?}`).
 */
import { ScimError } from '../errors';
import type { AttributeDef } from '../schemas';
import { clone, toBoolean, describe, isAbsent, isPlainObject, findKey, setOwn, type JsonObject } from './values';

/** Marks a sub-attribute the client cleared (`""`/`null`/`[]`): merging it deletes the sub-attribute. */
export const CLEARED = Symbol('cleared');
export type SubEntry = readonly [key: string, value: unknown];

export const subAttributeOf = (attribute: AttributeDef, name: string): AttributeDef | undefined => {
  const lower = name.toLowerCase();
  return attribute.subAttributes?.find((s) => s.name.toLowerCase() === lower);
};

/** Complex attributes keyed by `value` (emails, roles, manager…): an entry without a value means nothing. */
export const isValueKeyed = (attribute: AttributeDef): boolean => attribute.subAttributes?.some((s) => s.name === 'value') ?? false;

/** A value for a simple (sub-)attribute: booleans coerced, everything else kept exactly as sent. */
export const simpleValue = (def: AttributeDef | undefined, value: unknown, path: string): unknown =>
  def?.type === 'boolean' ? toBoolean(value, path) : clone(value);

/**
 * The sub-attributes of a complex value object, in the order sent, with canonical names (unknown names
 * keep their spelling; the resource validator decides about them) and CLEARED for cleared ones.
 */
export const subEntries = (attribute: AttributeDef, value: JsonObject, path: string): SubEntry[] =>
  Object.entries(value).map(([name, sub]) => {
    const def = subAttributeOf(attribute, name);
    const key = def?.name ?? name;
    return [key, isAbsent(sub) ? CLEARED : simpleValue(def, sub, `${path}.${key}`)] as const;
  });

/** Merges entries into a copy of `base`; existing keys are matched in any case and take the canonical name. */
export const mergeEntries = (base: JsonObject, entries: readonly SubEntry[]): JsonObject => {
  const merged: JsonObject = { ...base };
  for (const [key, value] of entries) {
    const existing = findKey(merged, key);
    if (existing !== undefined && (existing !== key || value === CLEARED)) delete merged[existing];
    if (value !== CLEARED) setOwn(merged, key, value);
  }
  return merged;
};

/** Whether the entries clear `value` (so a value-keyed element or manager is removed, not left empty). */
export const clearsValue = (entries: readonly SubEntry[]): boolean => entries.some(([key, value]) => key === 'value' && value === CLEARED);

/**
 * `manager` and other value-keyed singular references: a bare id, `{value, $ref?}` (any case) or a
 * one-element array of those (Entra's legacy shape). Returns undefined when the value clears the
 * reference (`""`, `null`, `{"value": ""}`, `[]`). Only `value` and a given `$ref` are kept: the rest
 * (`displayName`) is read-only and derived by the server.
 */
export const referenceValue = (attribute: AttributeDef, value: unknown, path: string): JsonObject | undefined => {
  let item = value;
  if (Array.isArray(item)) {
    if (item.length > 1) throw ScimError.invalidValue(`"${path}" takes one ${attribute.name}, got an array of ${item.length}.`);
    item = item[0];
  }
  if (isAbsent(item)) return undefined;
  if (typeof item === 'string') return { value: item };
  if (!isPlainObject(item)) {
    throw ScimError.invalidValue(`"${path}" must be an id or {"value": "<id>"}, got ${describe(item)}.`);
  }
  const valueKey = findKey(item, 'value');
  if (valueKey === undefined) throw ScimError.invalidValue(`"${path}" needs a "value" (the ${attribute.name}'s id).`);
  const id = item[valueKey];
  if (isAbsent(id)) return undefined;
  const reference: JsonObject = { value: clone(id) };
  const refKey = findKey(item, '$ref');
  if (refKey !== undefined && !isAbsent(item[refKey])) reference.$ref = clone(item[refKey]);
  return reference;
};
