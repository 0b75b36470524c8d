/**
 * Reads what a test wrote into the main table back from DynamoDB Local's stream, as the
 * `DynamoDBStreamEvent`s Lambda's event source mapping would deliver (dates in epoch seconds,
 * `userIdentity` in Lambda's casing, batches of at most 100 records in shard order).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { streamArnOf } from '../../../lib/local/create-tables';
import { repairImage } from '../../../lib/local/stream-poller';

const toLambdaShape = (value: unknown): unknown => {
  if (value instanceof Date) return Math.floor(value.getTime() / 1000);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toLambdaShape);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toLambdaShape(v)]));
  }
  return value;
};

const toLambdaRecord = (record: _Record): DynamoDBRecord => {
  const { userIdentity, ...rest } = record;
  const out = toLambdaShape(rest) as DynamoDBRecord;
  // As the local poller does: the SDK hands an empty map over as `{}` (lib/local/stream-poller.ts).
  if (out.dynamodb?.NewImage) out.dynamodb.NewImage = repairImage(out.dynamodb.NewImage as Record<string, unknown>) as typeof out.dynamodb.NewImage;
  if (out.dynamodb?.OldImage) out.dynamodb.OldImage = repairImage(out.dynamodb.OldImage as Record<string, unknown>) as typeof out.dynamodb.OldImage;
  if (userIdentity) out.userIdentity = { type: userIdentity.Type, principalId: userIdentity.PrincipalId };
  return out;
};

export interface StreamReader {
  /** Every record written since the last call, in shard order. */
  read(): Promise<DynamoDBRecord[]>;
  /** The same, cut into Lambda-sized events. */
  events(batchSize?: number): Promise<DynamoDBStreamEvent[]>;
  close(): void;
}

export const createStreamReader = async (client: DynamoDBClient, tableName: string): Promise<StreamReader> => {
  const streams = new DynamoDBStreamsClient({});
  const streamArn = await streamArnOf(client, tableName);
  if (!streamArn) throw new Error(`Table ${tableName} has no stream.`);
  const iterators = new Map<string, string | undefined>();

  const read = async (): Promise<DynamoDBRecord[]> => {
    const description = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of description.StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || iterators.has(shard.ShardId)) continue;
      const it = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
      iterators.set(shard.ShardId, it.ShardIterator);
    }
    const records: DynamoDBRecord[] = [];
    for (const [shardId, start] of iterators) {
      let iterator = start;
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        records.push(...(page.Records ?? []).map(toLambdaRecord));
        iterators.set(shardId, page.NextShardIterator);
        if (!page.Records?.length) break;
        iterator = page.NextShardIterator;
      }
    }
    return records;
  };

  return {
    read,
    events: async (batchSize = 100) => {
      const records = await read();
      const events: DynamoDBStreamEvent[] = [];
      for (let i = 0; i < records.length; i += batchSize) events.push({ Records: records.slice(i, i + batchSize) });
      return events;
    },
    close: () => streams.destroy(),
  };
};
