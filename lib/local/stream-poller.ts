/**
 * Reads a DynamoDB stream through the Streams API and calls the stream handler with real
 * `DynamoDBStreamEvent` batches, the way Lambda's event-source mapping does with our settings
 * (aws-design.md §2.8): batches of up to 100 records in shard order, parents before children,
 * `ReportBatchItemFailures` (retry from the first failed record), a thrown error retries the batch
 * and splits it in two when it fails again, bounded retries and then the records go to a
 * dead-letter file instead of blocking the shard. The position is checkpointed only after a batch
 * has been handled.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createLambdaContext } from './lambda-context';
import { memoryCheckpoints, type CheckpointStore } from './stream-checkpoint';

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void> | DynamoDBBatchResponse | void;

export interface StreamPollerOptions {
  client: DynamoDBStreamsClient;
  streamArn: string;
  /** Called for every batch, so the handler module is loaded lazily (once, by the loader). */
  loadHandler: () => Promise<StreamHandler>;
  checkpoints?: CheckpointStore;
  /** Records that exhausted their retries are appended here, one JSON line per record. */
  deadLetterFile: string;
  /** @default 100 (Lambda's default for DynamoDB streams) */
  batchSize?: number;
  /** Retries of a failing batch before its records are dead-lettered. @default 5 */
  maxRetries?: number;
  /** @default true */
  bisectOnError?: boolean;
  /** Pause when no shard had new records. @default 200 */
  idleDelayMs?: number;
  /** Pause before a retry, multiplied by the attempt number. @default 100 */
  retryDelayMs?: number;
  /** How often the shard list is refreshed while shards are open. @default 10000 */
  shardRefreshMs?: number;
  onError?: (message: string, error: unknown) => void;
}

export interface StreamPollerStats {
  /** Handler invocations, retries included. */
  invocations: number;
  /** Records acknowledged by the handler (each counted once). */
  recordsProcessed: number;
  /** Invocations that repeated records after a failure. */
  retries: number;
  /** Records written to the dead-letter file. */
  deadLettered: number;
  /** Batches checkpointed. */
  checkpoints: number;
}

export interface StreamPoller {
  /** Reads the shard list once (failing fast on a bad stream) and starts polling in the background. */
  start(): Promise<void>;
  /** Finishes the batch in hand, checkpoints it and stops. */
  stop(): Promise<void>;
  readonly stats: Readonly<StreamPollerStats>;
}

interface ShardState {
  shardId: string;
  parentShardId?: string;
  iterator?: string;
  finished: boolean;
}

type Outcome = { kind: 'ok' } | { kind: 'partial'; from: number } | { kind: 'error'; error: unknown };

class StopRequested extends Error {}

const sleep = (ms: number, wake: { cancel?: () => void }): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake.cancel = () => {
      clearTimeout(timer);
      resolve();
    };
  });

/** Lambda hands records over as JSON: dates as epoch seconds, binary as base64. */
const toJsonShape = (value: unknown): unknown => {
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJsonShape);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toJsonShape(v)]));
  }
  return value;
};

/**
 * The SDK's Streams deserializer hands an empty map (`{"M": {}}`) over as a value with no member
 * (`{}`), which `unmarshall` refuses; Lambda delivers `{"M": {}}`. An attribute value without a
 * member can only have been an empty map, so it becomes one again (profiles keep `attributes: {}`).
 */
const repairAttributeValue = (value: unknown): unknown => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const av = value as Record<string, unknown>;
  if (Object.keys(av).length === 0) return { M: {} };
  if (av.M && typeof av.M === 'object') return { ...av, M: repairImage(av.M as Record<string, unknown>) };
  if (Array.isArray(av.L)) return { ...av, L: av.L.map(repairAttributeValue) };
  return av;
};

export const repairImage = (image: Record<string, unknown> | undefined): Record<string, unknown> | undefined =>
  image && Object.fromEntries(Object.entries(image).map(([name, value]) => [name, repairAttributeValue(value)]));

export const toLambdaRecord = (record: _Record, streamArn: string): DynamoDBRecord => {
  const { userIdentity, ...rest } = record;
  const out = toJsonShape(rest) as DynamoDBRecord;
  if (out.dynamodb) {
    const images = out.dynamodb as Record<string, unknown>;
    for (const name of ['NewImage', 'OldImage', 'Keys']) if (images[name]) images[name] = repairImage(images[name] as Record<string, unknown>);
  }
  out.eventSourceARN = streamArn;
  if (userIdentity) out.userIdentity = { type: userIdentity.Type, principalId: userIdentity.PrincipalId };
  return out;
};

const errorName = (error: unknown): string => (error instanceof Error ? error.name : '');

export const createStreamPoller = (options: StreamPollerOptions): StreamPoller => {
  const { client, streamArn } = options;
  const checkpoints = options.checkpoints ?? memoryCheckpoints();
  const batchSize = options.batchSize ?? 100;
  const maxRetries = options.maxRetries ?? 5;
  const bisect = options.bisectOnError ?? true;
  const idleDelayMs = options.idleDelayMs ?? 200;
  const retryDelayMs = options.retryDelayMs ?? 100;
  const shardRefreshMs = options.shardRefreshMs ?? 10_000;
  const onError = options.onError ?? (() => undefined);
  const stats: StreamPollerStats = { invocations: 0, recordsProcessed: 0, retries: 0, deadLettered: 0, checkpoints: 0 };
  const shards = new Map<string, ShardState>();
  const wake: { cancel?: () => void } = {};
  let stopping = false;
  let loop: Promise<void> | undefined;
  let lastRefresh = 0;

  const refreshShards = async (): Promise<void> => {
    const listed: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const page = await client.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }));
      listed.push(...(page.StreamDescription?.Shards ?? []));
      exclusiveStartShardId = page.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    for (const shard of listed) {
      if (!shard.ShardId || shards.has(shard.ShardId)) continue;
      shards.set(shard.ShardId, {
        shardId: shard.ShardId,
        parentShardId: shard.ParentShardId,
        finished: checkpoints.get(shard.ShardId)?.finished === true,
      });
    }
    lastRefresh = Date.now();
  };

  /** A child shard waits until its parent is drained, which keeps each item's changes in order. */
  const readyShards = (): ShardState[] =>
    [...shards.values()].filter((s) => !s.finished && (!s.parentShardId || !shards.has(s.parentShardId) || shards.get(s.parentShardId)!.finished));

  const iteratorFor = async (shard: ShardState): Promise<string | undefined> => {
    const sequenceNumber = checkpoints.get(shard.shardId)?.sequenceNumber;
    const get = (type: 'AFTER_SEQUENCE_NUMBER' | 'TRIM_HORIZON') =>
      client.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.shardId,
          ShardIteratorType: type,
          SequenceNumber: type === 'AFTER_SEQUENCE_NUMBER' ? sequenceNumber : undefined,
        }),
      );
    if (!sequenceNumber) return (await get('TRIM_HORIZON')).ShardIterator;
    try {
      return (await get('AFTER_SEQUENCE_NUMBER')).ShardIterator;
    } catch (error) {
      // The checkpoint fell out of the stream's retention: start from the oldest record kept.
      if (errorName(error) === 'TrimmedDataAccessException') return (await get('TRIM_HORIZON')).ShardIterator;
      throw error;
    }
  };

  const invoke = async (records: DynamoDBRecord[]): Promise<Outcome> => {
    // A handler that cannot be loaded is not a failed batch: the error leaves the loop, which
    // retries the same records later (nothing dead-lettered because of a broken module).
    const handler = await options.loadHandler();
    stats.invocations += 1;
    try {
      const context = createLambdaContext({ functionName: 'scim-gateway-stream', requestId: randomUUID(), timeoutMs: 60_000 });
      const response = await handler({ Records: records }, context);
      const failures = (response as DynamoDBBatchResponse | undefined)?.batchItemFailures;
      if (!failures || failures.length === 0) return { kind: 'ok' };
      const positions = failures.map((f) => records.findIndex((r) => !!f?.itemIdentifier && r.dynamodb?.SequenceNumber === f.itemIdentifier));
      // Lambda treats an unknown or empty identifier as a failure of the whole batch.
      if (positions.some((p) => p < 0)) return { kind: 'error', error: new Error('batchItemFailures names a record that is not in the batch') };
      return { kind: 'partial', from: Math.min(...positions) };
    } catch (error) {
      return { kind: 'error', error };
    }
  };

  const deadLetter = (shard: ShardState, records: DynamoDBRecord[], error: unknown): void => {
    mkdirSync(path.dirname(options.deadLetterFile), { recursive: true });
    const failedAt = new Date().toISOString();
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'batchItemFailures';
    const lines = records.map((record) => JSON.stringify({ failedAt, streamArn, shardId: shard.shardId, reason, record }));
    appendFileSync(options.deadLetterFile, `${lines.join('\n')}\n`);
    stats.deadLettered += records.length;
    onError(`${records.length} stream record(s) exhausted their retries and were written to ${options.deadLetterFile}`, error);
  };

  /** Delivers `records` until they succeed or exhaust `retriesLeft`; bisects on repeated errors. */
  const deliver = async (shard: ShardState, records: DynamoDBRecord[], retriesLeft: number): Promise<void> => {
    let pending = records;
    let consecutiveErrors = 0;
    for (;;) {
      const outcome = await invoke(pending);
      if (outcome.kind === 'ok') {
        stats.recordsProcessed += pending.length;
        return;
      }
      let lastError: unknown = undefined;
      if (outcome.kind === 'partial') {
        stats.recordsProcessed += outcome.from;
        pending = pending.slice(outcome.from);
        consecutiveErrors = 0;
      } else {
        lastError = outcome.error;
        consecutiveErrors += 1;
        onError(`the stream handler failed on ${pending.length} record(s)`, outcome.error);
      }
      // On shutdown, leave the records unacknowledged: the next start delivers them again.
      if (stopping) throw new StopRequested();
      if (retriesLeft <= 0) {
        deadLetter(shard, pending, lastError);
        return;
      }
      retriesLeft -= 1;
      stats.retries += 1;
      if (bisect && consecutiveErrors >= 2 && pending.length > 1) {
        const middle = Math.ceil(pending.length / 2);
        await deliver(shard, pending.slice(0, middle), retriesLeft);
        await deliver(shard, pending.slice(middle), retriesLeft);
        return;
      }
      await sleep(retryDelayMs * (maxRetries - retriesLeft), wake);
    }
  };

  /** One GetRecords on one shard; true when it produced records. */
  const pollShard = async (shard: ShardState): Promise<boolean> => {
    shard.iterator ??= await iteratorFor(shard);
    if (!shard.iterator) {
      shard.finished = true;
      return false;
    }
    let page;
    try {
      page = await client.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: batchSize }));
    } catch (error) {
      if (errorName(error) === 'ExpiredIteratorException' || errorName(error) === 'TrimmedDataAccessException') {
        shard.iterator = undefined; // Re-acquire from the checkpoint on the next pass.
        return true;
      }
      throw error;
    }
    const records = (page.Records ?? []).map((r) => toLambdaRecord(r, streamArn));
    if (records.length) {
      await deliver(shard, records, maxRetries);
      const sequenceNumber = records[records.length - 1].dynamodb?.SequenceNumber;
      checkpoints.set(shard.shardId, { ...checkpoints.get(shard.shardId), sequenceNumber });
      stats.checkpoints += 1;
    }
    shard.iterator = page.NextShardIterator;
    if (!page.NextShardIterator) {
      // Closed and drained: its children (listed on the next refresh) may start.
      shard.finished = true;
      checkpoints.set(shard.shardId, { ...checkpoints.get(shard.shardId), finished: true });
      lastRefresh = 0;
    }
    return records.length > 0;
  };

  const run = async (): Promise<void> => {
    while (!stopping) {
      let busy = false;
      try {
        if (Date.now() - lastRefresh >= shardRefreshMs || readyShards().length === 0) await refreshShards();
        for (const shard of readyShards()) {
          if (stopping) break;
          busy = (await pollShard(shard)) || busy;
        }
      } catch (error) {
        if (error instanceof StopRequested) break;
        if (stopping) break;
        onError('stream polling failed (retrying in 1 s)', error);
        if (errorName(error) === 'ResourceNotFoundException') lastRefresh = 0;
        await sleep(1000, wake);
        continue;
      }
      if (!busy && !stopping) await sleep(idleDelayMs, wake);
    }
  };

  return {
    stats,
    async start() {
      if (loop) return;
      stopping = false;
      await refreshShards();
      loop = run();
    },
    async stop() {
      stopping = true;
      wake.cancel?.();
      await loop;
      loop = undefined;
    },
  };
};
