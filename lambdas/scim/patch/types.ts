/** Shapes of the PATCH engine's input (validated operations) and output (new data + member changes). */
import type { MemberRef } from '../resource-shapes';

export const PatchOpName = { add: 'add', remove: 'remove', replace: 'replace' } as const;
export type PatchOpName = (typeof PatchOpName)[keyof typeof PatchOpName];

/**
 * One validated operation of a PatchOp body (RFC 7644 §3.5.2). `op` is lower-cased; `path` is absent
 * when the client sent none (or an empty one); `value` is absent when the client sent none, so
 * `'value' in op` tells "no value" from `"value": null`.
 */
export interface PatchOperation {
  readonly op: PatchOpName;
  readonly path?: string;
  readonly value?: unknown;
}

/** A member as a request names it (the core's one MemberRef). */
export type { MemberRef } from '../resource-shapes';

/**
 * A change to a Group's member list, in request order. The engine never applies these itself: a group
 * can have 100,000 members and the store never loads them (one item per membership).
 */
export type MemberChange =
  | { op: 'add'; members: MemberRef[] }
  | { op: 'remove'; values: string[] }
  | { op: 'removeAll' }
  | { op: 'replace'; members: MemberRef[] };

export interface PatchResult {
  /** A new object: the stored resource after every operation (the input is never mutated). */
  data: Record<string, unknown>;
  memberChanges: MemberChange[];
  /** False when the request is a no-op (same data, no member changes): the caller may skip the write. */
  changed: boolean;
}
