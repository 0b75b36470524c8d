/**
 * The execution plan of a parsed BulkRequest: pure, so its order can be tested and shown without
 * running anything. Each entry appears in exactly one step:
 * - a refused entry is a `reject` step at its place in the order (it still counts toward
 *   `failOnErrors` when its turn comes, as it would have in request order);
 * - an operation whose references all point to other, acyclic operations is a `run` step placed
 *   after the POSTs it refers to (`dependency-order.ts`);
 * - operations that refer to each other form one `cycle` step: creates without the references to
 *   members not created yet, then the PATCHes that add them (`cycle-links.ts`).
 * Only POSTs declare bulkIds, so every member of a cycle is a POST: a reference always points to a
 * POST, and a member is always the target of one.
 */
import { deferReferences } from './cycle-links';
import { orderComponents } from './dependency-order';
import {
  BulkMethod,
  type BulkEntry,
  type BulkOperation,
  type BulkPlan,
  type BulkRequest,
  type BulkStep,
  type CycleCreate,
  type CycleLink,
} from './types';

const declaredBy = (entries: readonly BulkEntry[]): Map<string, number> => {
  const declarer = new Map<string, number>();
  for (const entry of entries) {
    // The first POST keeps a repeated bulkId (later ones are refused by the parser).
    if (entry.method === BulkMethod.POST && entry.bulkId !== undefined && !declarer.has(entry.bulkId)) {
      declarer.set(entry.bulkId, entry.index);
    }
  }
  return declarer;
};

const singleStep = (entry: BulkEntry): BulkStep =>
  entry.kind === 'operation' ? { kind: 'run', operation: entry } : { kind: 'reject', entry };

const cycleStep = (members: readonly BulkOperation[]): BulkStep => {
  const creates: CycleCreate[] = [];
  const links: CycleLink[] = [];
  members.forEach((operation, position) => {
    // Members created before this one exist when it is created; the others (itself too) do not yet.
    const pending = new Set(members.slice(position).map((member) => member.bulkId!));
    const deferred = operation.references.filter((bulkId) => pending.has(bulkId));
    const { data, patch } = deferReferences(operation.target.resourceType, operation.data ?? {}, pending);
    creates.push({ operation, data, deferred });
    if (patch) links.push({ operation, patch });
  });
  return { kind: 'cycle', creates, links };
};

/** Orders the entries of `request` into steps (see the file's note). Never throws. */
export function planBulk(request: BulkRequest): BulkPlan {
  const { entries } = request;
  const declarer = declaredBy(entries);
  const dependsOn = entries.map((entry) =>
    entry.kind === 'operation'
      ? [...new Set(entry.references.map((bulkId) => declarer.get(bulkId)).filter((index) => index !== undefined))]
      : [],
  );

  const steps = orderComponents(dependsOn).map((component): BulkStep => {
    const cyclic = component.length > 1 || dependsOn[component[0]].includes(component[0]);
    if (!cyclic) return singleStep(entries[component[0]]);
    return cycleStep(component.map((index) => entries[index] as BulkOperation));
  });
  return { ...(request.failOnErrors !== undefined && { failOnErrors: request.failOnErrors }), entries, steps };
}
