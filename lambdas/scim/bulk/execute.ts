/**
 * Runs a plan through an injected `perform` (the single-resource code path), one step at a time.
 *
 * RFC 7644 §3.7 and §3.7.3, as followed here:
 * - "The service provider MUST continue performing as many changes as possible and disregard
 *   partial failures", unless `failOnErrors` is set: then processing stops once that many
 *   operations have failed, and the remaining ones are neither attempted nor reported ("The
 *   response contains the error and any successful results prior to the error").
 * - `bulkId:` references are replaced with the ids of the resources created so far (§3.7.2). An
 *   operation whose reference points to a POST that failed is not attempted and answers 409
 *   Conflict: the resource it names does not exist, and the detail says which operation failed.
 * - `version` goes to `perform` as `ifMatch`, so the single routes' If-Match check applies (412).
 * - A cycle (§3.7.1) is all or nothing: if any create or link fails, the members already created
 *   are deleted again (`undo` calls), the failing member answers its own error and the others 409,
 *   so no member is left half-written. Should an undo fail, that member's detail says so and names
 *   the id it kept, rather than pretending it is gone.
 * - A `deadline` (from the Lambda's remaining time) stops the run before API Gateway's timeout
 *   would: operations not started by then answer 503 (nothing was changed for them; send again).
 * - With `concurrency` above 1 (and no `failOnErrors`), runs of operations that commute (waves.ts)
 *   are in flight together, up to that many at once; everything else still runs alone, in order.
 * - `perform` throws ScimErrors for failures. Anything else it throws is a bug: that operation
 *   answers 500 (it may or may not have been applied), the run goes on, and `onUnexpectedError`
 *   hears of it for the logs.
 */
import { isScimError, ScimError } from '../errors';
import { substituteReferences } from './references';
import { waveLength } from './waves';
import {
  BulkMethod,
  type BulkCall,
  type BulkOperation,
  type BulkOperationResult,
  type BulkPlan,
  type BulkStep,
  type BulkSuccess,
  type CycleCreate,
  type CycleLink,
  type Perform,
  type RejectedOperation,
} from './types';

export interface ExecuteOptions {
  /** Epoch milliseconds after which no step starts. @default no deadline */
  readonly deadline?: number;
  /** The clock `deadline` is read against. @default Date.now */
  readonly now?: () => number;
  /** Most `perform` calls in flight at once, within a wave of commuting operations (waves.ts). @default 1 */
  readonly concurrency?: number;
  /** Hears of anything but a ScimError thrown by `perform` (the operation answers 500). */
  readonly onUnexpectedError?: (error: unknown, call: BulkCall) => void;
}

export interface BulkExecution {
  /** One result per processed operation, in request order. */
  readonly results: readonly BulkOperationResult[];
  /** How many of them failed. */
  readonly errors: number;
  /** Why the run ended before its last step, if it did. */
  readonly stopped?: 'failOnErrors' | 'deadline';
}

type Attempt = { ok: true; success: BulkSuccess } | { ok: false; error: ScimError };

/** The operation whose failure made a cycle fail, and its error. */
interface Failure {
  index: number;
  error: ScimError;
}

const UNEXPECTED =
  'An unexpected error stopped this operation; it may or may not have been applied. Read the resource before sending it again.';

type ResultBase = Omit<BulkOperationResult, 'status' | 'error' | 'version'>;

/** Drops members that are undefined, so results compare and serialise cleanly. */
const defined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

const withDetail = (error: ScimError, detail: string): ScimError => new ScimError(error.status, detail, error.scimType);

const entriesOf = (step: BulkStep): { index: number; method?: BulkMethod; bulkId?: string }[] =>
  step.kind === 'reject' ? [step.entry] : step.kind === 'run' ? [step.operation] : step.creates.map((create) => create.operation);

class BulkRun {
  readonly results = new Map<number, BulkOperationResult>();
  errors = 0;
  /** bulkId → id of the resource its POST created. */
  private readonly created = new Map<string, string>();
  /** bulkId → index of the POST that failed to create it. */
  private readonly failed = new Map<string, number>();

  constructor(
    private readonly perform: Perform,
    private readonly options: ExecuteOptions,
  ) {}

  async step(step: BulkStep): Promise<void> {
    if (step.kind === 'reject') return this.reject(step.entry);
    if (step.kind === 'run') return this.run(step.operation);
    return this.cycle(step.creates, step.links);
  }

  notAttempted(step: BulkStep): void {
    for (const entry of entriesOf(step)) {
      const detail = `Operations[${entry.index}] was not attempted: the bulk request ran out of time. Nothing was changed for it; send it again.`;
      this.record({ index: entry.index, method: entry.method, bulkId: entry.bulkId, notAttempted: true }, ScimError.unavailable(detail));
    }
  }

  private record(base: ResultBase, outcome: ScimError | BulkSuccess): void {
    if (isScimError(outcome)) {
      this.errors++;
      this.results.set(base.index, defined({ ...base, status: outcome.status, error: outcome }));
    } else {
      this.results.set(base.index, defined({ ...base, id: outcome.id, version: outcome.version, status: outcome.status }));
    }
  }

  private reject(entry: RejectedOperation): void {
    const { index, method, bulkId, target } = entry;
    this.record(
      { index, method, bulkId, resourceType: target?.resourceType, id: target?.kind === 'resource' ? target.id : undefined },
      entry.error,
    );
    this.markFailed(entry);
  }

  /** Remembers a failed POST, so the operations that refer to it answer 409 instead of running. */
  private markFailed({ index, method, bulkId }: { index: number; method?: BulkMethod; bulkId?: string }): void {
    if (method !== BulkMethod.POST || bulkId === undefined) return;
    if (!this.created.has(bulkId) && !this.failed.has(bulkId)) this.failed.set(bulkId, index);
  }

  /** The first reference (other than `skip`) that cannot be resolved, as the 409 it answers. */
  private unresolved(operation: BulkOperation, skip: readonly string[] = []): ScimError | undefined {
    for (const bulkId of operation.references) {
      if (skip.includes(bulkId) || this.created.has(bulkId)) continue;
      const failedAt = this.failed.get(bulkId);
      return ScimError.conflict(
        failedAt === undefined
          ? `Operations[${operation.index}] refers to "bulkId:${bulkId}", which no operation of this request created.`
          : `Operations[${operation.index}] refers to "bulkId:${bulkId}", whose operation (Operations[${failedAt}]) failed; Operations[${operation.index}] was not attempted.`,
      );
    }
    return undefined;
  }

  private readonly idOf = (bulkId: string): string => this.created.get(bulkId)!;

  private callFor(operation: BulkOperation, data: Readonly<Record<string, unknown>> | undefined): BulkCall {
    const { target, method } = operation;
    const id = target.kind === 'resource' ? target.id : target.kind === 'created' ? this.idOf(target.bulkId) : undefined;
    return {
      purpose: 'operation',
      index: operation.index,
      method,
      resourceType: target.resourceType,
      ...(id !== undefined && { id }),
      ...(data !== undefined && { data: substituteReferences({ ...data }, this.idOf) }),
      ...(operation.version !== undefined && method !== BulkMethod.POST && { ifMatch: operation.version }),
    };
  }

  private async attempt(call: BulkCall): Promise<Attempt> {
    try {
      return { ok: true, success: await this.perform(call) };
    } catch (error) {
      if (isScimError(error)) return { ok: false, error };
      this.options.onUnexpectedError?.(error, call);
      return { ok: false, error: new ScimError(500, UNEXPECTED) };
    }
  }

  private baseOf(operation: BulkOperation, id?: string): ResultBase {
    return { index: operation.index, method: operation.method, bulkId: operation.bulkId, resourceType: operation.target.resourceType, id };
  }

  private async run(operation: BulkOperation): Promise<void> {
    const problem = this.unresolved(operation);
    if (problem) {
      this.record(this.baseOf(operation, operation.target.kind === 'resource' ? operation.target.id : undefined), problem);
      this.markFailed(operation);
      return;
    }
    const call = this.callFor(operation, operation.data);
    const attempt = await this.attempt(call);
    if (attempt.ok) {
      if (operation.method === BulkMethod.POST && operation.bulkId !== undefined) this.created.set(operation.bulkId, attempt.success.id);
      this.record(this.baseOf(operation), attempt.success);
    } else {
      this.record(this.baseOf(operation, call.id), attempt.error);
      this.markFailed(operation);
    }
  }

  private async cycle(creates: readonly CycleCreate[], links: readonly CycleLink[]): Promise<void> {
    const done = new Map<number, BulkSuccess>();
    const cause = (await this.createMembers(creates, done)) ?? (await this.linkMembers(links, done));
    const members = creates.map((create) => create.operation);
    if (cause) return this.failCycle(members, done, cause);
    for (const operation of members) this.record(this.baseOf(operation), done.get(operation.index)!);
  }

  /** Creates the members in order; the first failure is the cause of the cycle's failure. */
  private async createMembers(creates: readonly CycleCreate[], done: Map<number, BulkSuccess>): Promise<Failure | undefined> {
    for (const { operation, data, deferred } of creates) {
      const problem = this.unresolved(operation, deferred);
      const attempt: Attempt = problem ? { ok: false, error: problem } : await this.attempt(this.callFor(operation, data));
      if (!attempt.ok) return { index: operation.index, error: attempt.error };
      this.created.set(operation.bulkId!, attempt.success.id);
      done.set(operation.index, attempt.success);
    }
    return undefined;
  }

  /** Adds the deferred attributes now that every member exists; a member's version becomes the link's. */
  private async linkMembers(links: readonly CycleLink[], done: Map<number, BulkSuccess>): Promise<Failure | undefined> {
    for (const { operation, patch } of links) {
      const created = done.get(operation.index)!;
      const data = substituteReferences({ ...patch }, this.idOf);
      const { resourceType } = operation.target;
      const attempt = await this.attempt({
        purpose: 'link',
        index: operation.index,
        method: BulkMethod.PATCH,
        resourceType,
        id: created.id,
        data,
      });
      if (!attempt.ok) {
        const what = `Adding the attributes that refer to other members of a circular reference to Operations[${operation.index}] failed`;
        return { index: operation.index, error: withDetail(attempt.error, `${what}: ${attempt.error.detail}`) };
      }
      done.set(operation.index, { ...created, version: attempt.success.version });
    }
    return undefined;
  }

  /** Undoes the members created and answers each: the cause its own error, the others 409 (§3.7.1). */
  private async failCycle(members: readonly BulkOperation[], done: ReadonlyMap<number, BulkSuccess>, cause: Failure): Promise<void> {
    const kept = await this.undo(members, done);
    const names = members.map((member) => `"bulkId:${member.bulkId}"`).join(', ');
    for (const operation of members) {
      let error =
        operation.index === cause.index
          ? cause.error
          : ScimError.conflict(
              `Operations[${operation.index}] is part of a circular reference (${names}) that could not be resolved, because Operations[${cause.index}] failed: ${cause.error.detail}`,
            );
      const left = kept.get(operation.index);
      if (left) {
        error = withDetail(error, `${error.detail} It had been created as ${left.id} and could not be deleted again: ${left.error.detail}`);
      }
      this.record(this.baseOf(operation), error);
      this.created.delete(operation.bulkId!);
      this.failed.set(operation.bulkId!, operation.index);
    }
  }

  /** Deletes the members created, newest first; returns those that could not be deleted. */
  private async undo(members: readonly BulkOperation[], done: ReadonlyMap<number, BulkSuccess>) {
    const kept = new Map<number, { id: string; error: ScimError }>();
    for (const operation of [...members].reverse()) {
      const created = done.get(operation.index);
      if (!created) continue;
      const call: BulkCall = {
        purpose: 'undo',
        index: operation.index,
        method: BulkMethod.DELETE,
        resourceType: operation.target.resourceType,
        id: created.id,
      };
      const attempt = await this.attempt(call);
      if (!attempt.ok) kept.set(operation.index, { id: created.id, error: attempt.error });
    }
    return kept;
  }
}

/**
 * Runs `plan`, calling `perform` once per operation (plus, for cycles, link and undo calls), one at
 * a time, or a wave of commuting operations at a time (`concurrency`). Never throws: every
 * processed operation gets a result.
 */
export async function executeBulk(plan: BulkPlan, perform: Perform, options: ExecuteOptions = {}): Promise<BulkExecution> {
  const run = new BulkRun(perform, options);
  const now = options.now ?? Date.now;
  const pastDeadline = () => options.deadline !== undefined && now() >= options.deadline;
  // "Stop after N errors" needs an order: with failOnErrors every step runs alone.
  const concurrency = plan.failOnErrors === undefined ? Math.max(1, Math.floor(options.concurrency ?? 1)) : 1;
  let stopped: BulkExecution['stopped'];
  let s = 0;
  while (s < plan.steps.length) {
    if (plan.failOnErrors !== undefined && run.errors >= plan.failOnErrors) {
      stopped = 'failOnErrors';
      break;
    }
    const wave = plan.steps.slice(s, s + (concurrency > 1 ? waveLength(plan.steps, s, concurrency * 8) : 1));
    // Workers take the wave's steps in order; none starts one past the deadline.
    let started = 0;
    const worker = async () => {
      while (started < wave.length && !pastDeadline()) await run.step(wave[started++]);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, wave.length) }, worker));
    s += started;
    if (started < wave.length) {
      for (const step of plan.steps.slice(s)) run.notAttempted(step);
      stopped = 'deadline';
      break;
    }
  }
  const results = [...run.results.values()].sort((a, b) => a.index - b.index);
  return { results, errors: run.errors, ...(stopped && { stopped }) };
}
