/**
 * Applies a SCIM PatchOp (RFC 7644 §3.5.2) to a stored User or Group, in both of Entra's dialects.
 *
 * Written here rather than taken from `scim-patch` because of gaps Entra users report in it: `remove` on
 * `manager`, string booleans ("False"), `:` inside paths and filters, and `remove` with a value list
 * (Entra's default way of removing group members, which must remove only the listed members).
 *
 * All or nothing: operations run in order on a deep copy, any invalid one throws a ScimError and the
 * caller keeps its data (the input is never mutated). Structure only: types of the result are checked
 * afterwards by the resource validator, except that booleans are coerced here.
 */
import { ScimError } from '../errors';
import { RESOURCE_SCHEMAS, type ResourceType } from '../schemas';
import { memberChangeOf } from './members';
import { applyMultiValued } from './multi-valued';
import { parsePatchRequest } from './parse-ops';
import { resolvePatchPath, type PatchTarget } from './path';
import { applySingular } from './singular';
import type { MemberChange, PatchOpName, PatchResult } from './types';
import { clone, deepEqual, describe, isAbsent, isPlainObject, setOwn, type JsonObject } from './values';

/**
 * Keys of a pathless value object that the server owns and clients echo: `schemas` (derived from the
 * extensions present), `meta` (RFC 7643 §3.1: ignored when sent by clients) and `id` (Okta renames a
 * group with `{"op": "replace", "value": {"id": …, "displayName": …}}`). An explicit `path` to `id` or
 * `meta` is still refused (mutability): that is an attempt to change them.
 */
const IGNORED_VALUE_KEYS = new Set(['schemas', 'meta', 'id']);

class PatchRun {
  readonly memberChanges: MemberChange[] = [];

  constructor(
    private readonly resourceType: ResourceType,
    readonly data: JsonObject,
  ) {}

  /** One operation with a path; a pathless add/replace is expanded into one call per key. */
  apply(op: PatchOpName, path: string, value: unknown, hasValue: boolean): void {
    const target = resolvePatchPath(this.resourceType, path, this.data);
    this.applyTo(op, target, value, hasValue);
  }

  /** Pathless add/replace (RFC 7644 §3.5.2.1): each key is an attribute path applied as its own op. */
  applyObject(op: PatchOpName, value: JsonObject, prefix?: string): void {
    for (const [key, item] of Object.entries(value)) {
      if (IGNORED_VALUE_KEYS.has(key.toLowerCase())) continue;
      this.apply(op, prefix ? `${prefix}:${key}` : key, item, true);
    }
  }

  private applyTo(op: PatchOpName, target: PatchTarget, value: unknown, hasValue: boolean): void {
    switch (target.kind) {
      case 'ignored':
        return;
      case 'members': {
        const change = memberChangeOf(op, target, value, hasValue);
        if (change) this.memberChanges.push(change);
        return;
      }
      case 'schema':
        return this.applySchema(op, target, value);
      case 'attribute': {
        const holder = this.holderOf(target.container, op !== 'remove' && !isAbsent(value));
        if (!holder) return;
        if (target.attribute.multiValued) applyMultiValued(op, target, holder, value, hasValue);
        else applySingular(op, target, holder, value);
        if (target.container !== undefined && Object.keys(holder).length === 0) delete this.data[target.container];
      }
    }
  }

  /** A whole schema: the extension object (or core attributes) given as an object of attributes. */
  private applySchema(op: PatchOpName, target: Extract<PatchTarget, { kind: 'schema' }>, value: unknown): void {
    if (target.core && (op === 'remove' || isAbsent(value))) {
      throw ScimError.invalidPath(`The path "${target.path}" names the whole resource, which cannot be removed.`);
    }
    if (op === 'remove' || isAbsent(value)) {
      delete this.data[target.urn];
      return;
    }
    if (!isPlainObject(value)) {
      throw ScimError.invalidValue(`"${target.path}" takes an object of its attributes, got ${describe(value)}.`);
    }
    this.applyObject(op, value, target.core ? undefined : target.urn);
  }

  /** The object holding an attribute: the resource itself or its extension object (created on demand). */
  private holderOf(container: string | undefined, create: boolean): JsonObject | undefined {
    if (container === undefined) return this.data;
    const existing = this.data[container];
    if (isPlainObject(existing)) return existing;
    if (!create) return undefined;
    const created: JsonObject = {};
    setOwn(this.data, container, created);
    return created;
  }
}

/** RFC 7643 §4.1/§4.2: `userName` (User) and `displayName` (Group) are required, so a PATCH may not unset them. */
const checkRequired = (resourceType: ResourceType, before: JsonObject, after: JsonObject): void => {
  for (const attribute of RESOURCE_SCHEMAS[resourceType].core.attributes) {
    if (attribute.required && !isAbsent(before[attribute.name]) && isAbsent(after[attribute.name])) {
      throw ScimError.invalidValue(`"${attribute.name}" is required and cannot be removed.`);
    }
  }
};

/**
 * Applies a PATCH body to `data` (canonical names, extensions nested under their URN, without
 * id/meta/schemas/groups/members). Group `members` operations are returned as `memberChanges` in
 * request order and never applied to `data`. Throws ScimError (400) on the first invalid operation.
 */
export function applyPatch(resourceType: ResourceType, data: Record<string, unknown>, body: unknown): PatchResult {
  const operations = parsePatchRequest(body);
  const run = new PatchRun(resourceType, clone(data));
  for (const operation of operations) {
    const hasValue = Object.hasOwn(operation, 'value');
    if (operation.path === undefined) run.applyObject(operation.op, operation.value as JsonObject);
    else run.apply(operation.op, operation.path, operation.value, hasValue);
  }
  checkRequired(resourceType, data, run.data);
  return {
    data: run.data,
    memberChanges: run.memberChanges,
    changed: run.memberChanges.length > 0 || !deepEqual(data, run.data),
  };
}
