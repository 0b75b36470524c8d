/**
 * Where the local stream poller has got to, per shard, persisted in the data directory so a
 * restart resumes after the last processed record: nothing lost, nothing repeated. Lambda's
 * event-source mapping keeps the same state on the AWS side.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ShardCheckpoint {
  /** Last record handled (delivered or dead-lettered). */
  sequenceNumber?: string;
  /** The shard is closed and every record in it was handled. */
  finished?: boolean;
}

export interface CheckpointState {
  streamArn: string;
  shards: Record<string, ShardCheckpoint>;
}

export interface CheckpointStore {
  get(shardId: string): ShardCheckpoint | undefined;
  set(shardId: string, checkpoint: ShardCheckpoint): void;
}

/** In memory only (no file): a restart starts from the oldest record again. */
export const memoryCheckpoints = (): CheckpointStore => {
  const shards = new Map<string, ShardCheckpoint>();
  return { get: (id) => shards.get(id), set: (id, cp) => void shards.set(id, { ...cp }) };
};

/**
 * A JSON file holding the checkpoints of one stream. A file written for another stream (the
 * table was recreated, or DynamoDB Local ran in memory) is ignored and replaced.
 */
export const fileCheckpoints = (file: string, streamArn: string): CheckpointStore => {
  let state: CheckpointState = { streamArn, shards: {} };
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<CheckpointState>;
    if (parsed.streamArn === streamArn && parsed.shards && typeof parsed.shards === 'object') {
      state = { streamArn, shards: parsed.shards };
    }
  } catch {
    // No file yet, or an unreadable one: start from the oldest record.
  }
  return {
    get: (shardId) => state.shards[shardId],
    set: (shardId, checkpoint) => {
      state.shards[shardId] = { ...checkpoint };
      mkdirSync(path.dirname(file), { recursive: true });
      // Write-then-rename so a crash mid-write never leaves a half checkpoint behind.
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
      renameSync(tmp, file);
    },
  };
};
