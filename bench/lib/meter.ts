/**
 * Counts what the handlers ask of DynamoDB, with one SDK middleware on the shared document client:
 * every command (a round trip; SDK retries are below this step and not counted), its latency,
 * and the capacity DynamoDB reports. The middleware asks for `ReturnConsumedCapacity: TOTAL` on
 * every command while metering is on, so no handler code changes.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const READ_COMMANDS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);

export interface CommandRecord {
  command: string;
  kind: 'read' | 'write';
  capacity: number;
  ms: number;
}

export interface Metered {
  roundTrips: number;
  reads: number;
  writes: number;
  /** Capacity units DynamoDB reported for read commands (RRU on demand). */
  readUnits: number;
  /** Capacity units reported for write commands, transactions included (WRU on demand). */
  writeUnits: number;
  /** e.g. "GetItem, TransactWriteItems×3". */
  commands: string;
  records: CommandRecord[];
}

interface CapacityLike {
  CapacityUnits?: number;
}

const capacityOf = (output: unknown): number => {
  const consumed = (output as { ConsumedCapacity?: CapacityLike | CapacityLike[] } | undefined)?.ConsumedCapacity;
  if (!consumed) return 0;
  const list = Array.isArray(consumed) ? consumed : [consumed];
  return list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
};

const shortName = (command: string) => command.replace(/Command$/, '');

export const describeCommands = (records: readonly CommandRecord[]): string => {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(shortName(r.command), (counts.get(shortName(r.command)) ?? 0) + 1);
  return [...counts].map(([name, n]) => (n > 1 ? `${name}×${n}` : name)).join(', ');
};

export const summarizeRecords = (records: CommandRecord[]): Metered => ({
  roundTrips: records.length,
  reads: records.filter((r) => r.kind === 'read').length,
  writes: records.filter((r) => r.kind === 'write').length,
  readUnits: records.filter((r) => r.kind === 'read').reduce((s, r) => s + r.capacity, 0),
  writeUnits: records.filter((r) => r.kind === 'write').reduce((s, r) => s + r.capacity, 0),
  commands: describeCommands(records),
  records,
});

export interface Meter {
  /** Runs `fn` with metering on and returns what it cost. */
  measure<T>(fn: () => Promise<T>): Promise<{ result: T; metered: Metered }>;
  /** Latencies (ms) of every command metered so far, for the cost model's duration estimate. */
  readonly allRecords: CommandRecord[];
}

export const installMeter = (client: DynamoDBDocumentClient): Meter => {
  let current: CommandRecord[] | undefined;
  const allRecords: CommandRecord[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const recording = current;
      if (!recording) return next(args);
      const input = args.input as Record<string, unknown>;
      const started = performance.now();
      const result = await next({ ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } });
      const command = String(context.commandName);
      const record: CommandRecord = {
        command,
        kind: READ_COMMANDS.has(command) ? 'read' : 'write',
        capacity: capacityOf(result.output),
        ms: performance.now() - started,
      };
      recording.push(record);
      allRecords.push(record);
      return result;
    },
    { step: 'initialize', name: 'benchMeter', priority: 'high' },
  );
  return {
    allRecords,
    async measure(fn) {
      if (current) throw new Error('meter.measure calls must not overlap');
      current = [];
      try {
        const result = await fn();
        return { result, metered: summarizeRecords(current) };
      } finally {
        current = undefined;
      }
    },
  };
};
