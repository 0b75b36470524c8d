/**
 * How a circular reference is resolved (RFC 7644 §3.7.1: "The service provider MUST try to resolve
 * circular cross-references between resources in a single bulk job but MAY stop after a failed
 * attempt and instead return HTTP status code 409 (Conflict)").
 *
 * The members of a cycle are created in request order; each is created without the attributes
 * that name a member not created yet (itself included), and once all exist, one PATCH per such
 * member adds those attributes back with the ids now known. For §3.7.1's example this creates
 * Group A without members, Group B with member A, then adds member B to A: exactly the state (and
 * the `created`/`lastModified` pattern) the RFC's GET shows afterwards.
 *
 * What is moved to the PATCH is the whole top-level attribute that holds the reference (for an
 * extension, the attribute inside the extension object): of a multi-valued attribute, only the
 * entries that hold one (`members: [A, C]` keeps A and adds C later); a singular attribute goes
 * whole (`manager: {value, displayName}`). The PATCH uses the single routes' engine and the
 * `add` operation, which appends to multi-valued attributes and sets singular ones. `id`, `meta`
 * and `schemas` are ignored by the single routes on create, so a reference there is simply dropped.
 */
import { setOwn } from '../patch/values';
import { isCustomUserExtension, schemaOf, SchemaUrn } from '../schemas';
import { isPlainObject } from '../json';
import { refersToAny } from './references';
import type { BulkResourceType } from './types';

const IGNORED_ON_CREATE = new Set(['id', 'meta', 'schemas']);

export interface DeferredAttributes {
  /** What the create carries now. */
  readonly data: Record<string, unknown>;
  /** The PatchOp body that adds the rest; absent when nothing had to wait. */
  readonly patch?: Record<string, unknown>;
}

/** A key of `data` that is a schema URN holding that schema's attributes (`{"urn:…:enterprise:2.0:User": {…}}`). */
const isSchemaContainer = (resourceType: BulkResourceType, key: string, value: unknown): value is Record<string, unknown> =>
  isPlainObject(value) && (schemaOf(resourceType, key) !== undefined || (resourceType === 'User' && isCustomUserExtension(key)));

/** Splits `data` into what can be created now and a PATCH adding what refers to any of `pending`. */
export const deferReferences = (
  resourceType: BulkResourceType,
  data: Readonly<Record<string, unknown>>,
  pending: ReadonlySet<string>,
): DeferredAttributes => {
  const operations: { op: 'add'; path: string; value: unknown }[] = [];
  const waits = (value: unknown) => refersToAny(value, pending);

  /** Keeps what does not wait (via `keep`) and queues an `add` of what does. */
  const split = (path: string, value: unknown, keep: (value: unknown) => void): void => {
    if (!waits(value)) return keep(value);
    if (Array.isArray(value)) {
      const now = value.filter((item) => !waits(item));
      if (now.length > 0) keep(now);
      operations.push({ op: 'add', path, value: value.filter(waits) });
      return;
    }
    operations.push({ op: 'add', path, value });
  };

  const now: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (IGNORED_ON_CREATE.has(key.toLowerCase())) {
      if (!waits(value)) setOwn(now, key, value);
    } else if (isSchemaContainer(resourceType, key, value) && waits(value)) {
      const inner: Record<string, unknown> = {};
      for (const [name, item] of Object.entries(value)) split(`${key}:${name}`, item, (kept) => setOwn(inner, name, kept));
      if (Object.keys(inner).length > 0) setOwn(now, key, inner);
    } else {
      split(key, value, (kept) => setOwn(now, key, kept));
    }
  }
  return operations.length === 0 ? { data: now } : { data: now, patch: { schemas: [SchemaUrn.patchOp], Operations: operations } };
};
