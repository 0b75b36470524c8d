/**
 * Operations on singular attributes: simple ones (`displayName`, `active`, custom extension attributes),
 * complex ones (`name`, merged per sub-attribute as RFC 7644 §3.5.2.1/§3.5.2.3 say: "sub-attributes that
 * are not specified in the value parameter are left unchanged") and the `manager` reference (replaced
 * whole, cleared by `""`, `null` or `{"value": ""}`).
 */
import { ScimError } from '../errors';
import { clearsValue, CLEARED, isValueKeyed, mergeEntries, referenceValue, simpleValue, subEntries } from './complex';
import type { AttributeTarget } from './path';
import type { PatchOpName } from './types';
import { describe, isAbsent, isPlainObject, setOwn, type JsonObject } from './values';

const store = (holder: JsonObject, key: string, value: JsonObject | undefined): void => {
  if (value === undefined || Object.keys(value).length === 0) delete holder[key];
  else setOwn(holder, key, value);
};

const applyComplex = (op: PatchOpName, t: AttributeTarget, holder: JsonObject, value: unknown): void => {
  const { attribute, key, path } = t;
  if (op === 'remove' || isAbsent(value)) {
    delete holder[key];
    return;
  }
  if (isValueKeyed(attribute)) {
    store(holder, key, referenceValue(attribute, value, path));
    return;
  }
  if (!isPlainObject(value)) {
    throw ScimError.invalidValue(`"${path}" is complex: its value must be an object of sub-attributes, got ${describe(value)}.`);
  }
  const current = holder[key];
  store(holder, key, mergeEntries(isPlainObject(current) ? current : {}, subEntries(attribute, value, path)));
};

const applySubAttribute = (op: PatchOpName, t: AttributeTarget, holder: JsonObject, value: unknown): void => {
  const { attribute, key, path } = t;
  const sub = t.sub!;
  const current = holder[key];
  const clearing = op === 'remove' || isAbsent(value);
  if (clearing && !isPlainObject(current)) return;
  const entries = [[sub.name, clearing ? CLEARED : simpleValue(sub, value, path)] as const];
  // A manager whose id is cleared is no manager at all.
  if (isValueKeyed(attribute) && clearsValue(entries)) {
    delete holder[key];
    return;
  }
  store(holder, key, mergeEntries(isPlainObject(current) ? current : {}, entries));
};

/** Applies one operation to a singular attribute held in `holder` (the engine's working copy). */
export const applySingular = (op: PatchOpName, t: AttributeTarget, holder: JsonObject, value: unknown): void => {
  if (t.sub) return applySubAttribute(op, t, holder, value);
  if (t.attribute.type === 'complex') return applyComplex(op, t, holder, value);
  if (op === 'remove' || isAbsent(value)) delete holder[t.key];
  else setOwn(holder, t.key, simpleValue(t.attribute, value, t.path));
};
