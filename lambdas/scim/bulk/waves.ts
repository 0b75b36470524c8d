/**
 * Which consecutive steps of a plan may run at the same time (RFC 7644 §3.7: the server "MAY elect
 * to optimize the sequence of operations ... [it] MUST ensure that the client's intent is preserved
 * and the same stateful result is achieved as for non-optimized processing").
 *
 * One after another, 1,000 writes of ~15 ms each take most of API Gateway's 29 s. But a bulk load
 * is mostly operations that commute: creates of different names, deletes or PATCHes of different
 * resources. Their outcome (who gets 201, 409, 404, 412) does not depend on their order, so a run
 * of them ("wave") may be in flight together. A wave holds steps of one kind only:
 * - `create`: POSTs, each with a string name (User `userName`, Group `displayName`), names
 *   pairwise different ignoring case (the uniqueness rule), none referring to another in the wave;
 * - `delete`: DELETEs of pairwise different targets;
 * - `patch`: PATCHes of pairwise different targets that do not touch the name (no `userName` /
 *   `displayName` anywhere in the PatchOp), so no rename can race a create or another rename.
 * Anything else (PUT, a cycle, a rejection, a reference into the wave) ends the wave and runs alone.
 * The store already makes concurrent single requests safe (conditions, retries); waves only rely on
 * that. With `failOnErrors` nothing runs concurrently: "stop after N errors" needs an order.
 */
import { getCaseInsensitive, isPlainObject } from '../json';
import { BulkMethod, type BulkOperation, type BulkStep } from './types';

type WaveKind = 'create' | 'delete' | 'patch';

const NAME_OF = { User: 'userName', Group: 'displayName' } as const;

const kindOf = (step: BulkStep): WaveKind | undefined => {
  if (step.kind !== 'run') return undefined;
  switch (step.operation.method) {
    case BulkMethod.POST:
      return 'create';
    case BulkMethod.DELETE:
      return 'delete';
    case BulkMethod.PATCH:
      return 'patch';
    default:
      return undefined;
  }
};

const targetKey = ({ target }: BulkOperation): string =>
  target.kind === 'resource' ? `${target.resourceType} id ${target.id}` : target.kind === 'created' ? `${target.resourceType} bulkId ${target.bulkId}` : target.resourceType;

/** What must differ between two operations of one wave; undefined: this one must run alone. */
const conflictKey = (kind: WaveKind, operation: BulkOperation): string | undefined => {
  const { resourceType } = operation.target;
  const nameAttribute = NAME_OF[resourceType];
  if (kind === 'create') {
    const name = isPlainObject(operation.data) ? getCaseInsensitive(operation.data, nameAttribute) : undefined;
    return typeof name === 'string' ? `${resourceType} name ${name.toLowerCase()}` : undefined;
  }
  if (operation.target.kind === 'collection') return undefined;
  // A PATCH that may touch the name (a path, a value's key, a filter) could rename: never concurrent.
  if (kind === 'patch' && JSON.stringify(operation.data ?? null).toLowerCase().includes(nameAttribute.toLowerCase())) return undefined;
  return targetKey(operation);
};

/**
 * How many steps from `start` on may run concurrently (at most `max`, at least 1). Only `run`
 * steps of one wave kind qualify; see the file's note for the rules.
 */
export const waveLength = (steps: readonly BulkStep[], start: number, max: number): number => {
  const kind = kindOf(steps[start]);
  if (!kind) return 1;
  const keys = new Set<string>();
  const declared = new Set<string>();
  let length = 0;
  for (let i = start; i < steps.length && length < max; i++) {
    const step = steps[i];
    if (step.kind !== 'run' || kindOf(step) !== kind) break;
    const { operation } = step;
    if (operation.references.some((bulkId) => declared.has(bulkId))) break;
    const key = conflictKey(kind, operation);
    if (key === undefined || keys.has(key)) break;
    keys.add(key);
    if (operation.bulkId !== undefined) declared.add(operation.bulkId);
    length++;
  }
  return Math.max(length, 1);
};
