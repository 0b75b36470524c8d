import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { streamArnOf } from '../../../lib/local/create-tables';
import { fileCheckpoints } from '../../../lib/local/stream-checkpoint';
import { createStreamPoller, type StreamHandler, type StreamPoller, type StreamPollerOptions } from '../../../lib/local/stream-poller';
import { createTestTables, localEndpoint, type TestTables } from '../../helpers/tables';

const waitFor = async (condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

const idOf = (record: DynamoDBRecord): string => record.dynamodb?.Keys?.pk?.S ?? '?';

describe('stream poller (DynamoDB Local)', () => {
  let tables: TestTables;
  let streamArn: string;
  let streams: DynamoDBStreamsClient;
  let dir: string;
  const pollers: StreamPoller[] = [];

  beforeEach(async () => {
    tables = await createTestTables('poller');
    // After the tables: each test's pair may bring up a DynamoDB Local of its own on a new port.
    streams = new DynamoDBStreamsClient({ endpoint: localEndpoint() });
    streamArn = (await streamArnOf(tables.client, tables.tableName)) ?? '';
    dir = mkdtempSync(path.join(tmpdir(), 'poller-'));
  });
  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((p) => p.stop()));
    streams.destroy();
    await tables.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const put = (pk: string, name: string) =>
    tables.client.send(new PutItemCommand({ TableName: tables.tableName, Item: { pk: { S: pk }, sk: { S: 'X' }, name: { S: name } } }));

  const poller = (handler: StreamHandler, options: Partial<StreamPollerOptions> = {}): StreamPoller => {
    const p = createStreamPoller({
      client: streams,
      streamArn,
      loadHandler: async () => handler,
      deadLetterFile: path.join(dir, 'dead-letter.jsonl'),
      idleDelayMs: 25,
      retryDelayMs: 0,
      ...options,
    });
    pollers.push(p);
    return p;
  };

  /** A handler double that records every batch it is given and answers with `answer(batch, call)`. */
  const recorder = (answer: (batch: DynamoDBRecord[], call: number) => DynamoDBBatchResponse | void = () => undefined) => {
    const calls: DynamoDBRecord[][] = [];
    const handler: StreamHandler = async (event: DynamoDBStreamEvent) => {
      calls.push(event.Records);
      return answer(event.Records, calls.length);
    };
    return { calls, handler, ids: () => calls.map((batch) => batch.map(idOf)) };
  };

  it('delivers INSERT, MODIFY and REMOVE in order with their old and new images', async () => {
    const { calls, handler } = recorder();
    await poller(handler).start();

    await put('u1', 'alice');
    await tables.client.send(
      new UpdateItemCommand({
        TableName: tables.tableName,
        Key: { pk: { S: 'u1' }, sk: { S: 'X' } },
        UpdateExpression: 'SET #n = :n',
        ExpressionAttributeNames: { '#n': 'name' },
        ExpressionAttributeValues: { ':n': { S: 'alice2' } },
      }),
    );
    await tables.client.send(new DeleteItemCommand({ TableName: tables.tableName, Key: { pk: { S: 'u1' }, sk: { S: 'X' } } }));
    await waitFor(() => calls.flat().length >= 3, 'three stream records');

    const records = calls.flat();
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const [insert, modify, remove] = records;
    expect(insert.dynamodb?.NewImage?.name).toEqual({ S: 'alice' });
    expect(insert.dynamodb?.OldImage).toBeUndefined();
    expect(modify.dynamodb?.OldImage?.name).toEqual({ S: 'alice' });
    expect(modify.dynamodb?.NewImage?.name).toEqual({ S: 'alice2' });
    expect(remove.dynamodb?.OldImage?.name).toEqual({ S: 'alice2' });
    expect(remove.dynamodb?.NewImage).toBeUndefined();
    for (const record of records) {
      expect(record).toMatchObject({ eventSource: 'aws:dynamodb', eventSourceARN: streamArn });
      expect(typeof record.dynamodb?.ApproximateCreationDateTime).toBe('number');
      expect(record.dynamodb?.Keys).toEqual({ pk: { S: 'u1' }, sk: { S: 'X' } });
      expect(record.dynamodb?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
    }
    const sequence = records.map((r) => BigInt(r.dynamodb?.SequenceNumber ?? '0'));
    expect([...sequence].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequence);
  });

  it('redelivers from the first record named in batchItemFailures, and nothing before it', async () => {
    for (const id of ['r1', 'r2', 'r3', 'r4', 'r5']) await put(id, id);
    const { handler, ids } = recorder((batch, call) =>
      call === 1 ? { batchItemFailures: [{ itemIdentifier: batch[2].dynamodb?.SequenceNumber ?? '' }] } : undefined,
    );
    const p = poller(handler);
    await p.start();
    await waitFor(() => p.stats.recordsProcessed >= 5, 'five records processed');

    expect(ids()).toEqual([
      ['r1', 'r2', 'r3', 'r4', 'r5'],
      ['r3', 'r4', 'r5'],
    ]);
    expect(p.stats).toMatchObject({ invocations: 2, retries: 1, recordsProcessed: 5, deadLettered: 0 });
  });

  it('treats a batchItemFailures entry naming no record of the batch as a failure of the whole batch', async () => {
    for (const id of ['b1', 'b2']) await put(id, id);
    const { handler, ids } = recorder((_batch, call) => (call === 1 ? { batchItemFailures: [{ itemIdentifier: '' }] } : undefined));
    const p = poller(handler);
    await p.start();
    await waitFor(() => p.stats.recordsProcessed >= 2, 'two records processed');
    expect(ids()).toEqual([
      ['b1', 'b2'],
      ['b1', 'b2'],
    ]);
  });

  it('retries a batch whose handler throws, bisecting it, until every record succeeds', async () => {
    for (const id of ['t1', 't2', 't3', 't4']) await put(id, id);
    const succeeded: string[] = [];
    const { handler, calls } = recorder((batch, call) => {
      if (call <= 2) throw new Error(`transient failure ${call}`);
      succeeded.push(...batch.map(idOf));
    });
    const p = poller(handler);
    await p.start();
    await waitFor(() => p.stats.recordsProcessed >= 4, 'four records processed');

    expect(calls.slice(0, 2).map((b) => b.map(idOf))).toEqual([
      ['t1', 't2', 't3', 't4'],
      ['t1', 't2', 't3', 't4'],
    ]);
    // Every record succeeded exactly once, in order, and none was lost.
    expect(succeeded).toEqual(['t1', 't2', 't3', 't4']);
    expect(p.stats.deadLettered).toBe(0);
    expect(existsSync(path.join(dir, 'dead-letter.jsonl'))).toBe(false);
  });

  it('writes records that exhaust their retries to the dead-letter file and moves on', async () => {
    for (const id of ['d1', 'd2']) await put(id, id);
    const { handler } = recorder((batch) => {
      if (batch.some((r) => idOf(r) === 'd1')) throw new Error('poison');
    });
    const p = poller(handler, { maxRetries: 2 });
    await p.start();
    await waitFor(() => p.stats.deadLettered >= 1 && p.stats.recordsProcessed >= 1, 'the poison record dead-lettered');

    await put('d3', 'd3');
    await waitFor(() => p.stats.recordsProcessed >= 2, 'the record after the poison one');
    const lines = readFileSync(path.join(dir, 'dead-letter.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => idOf(l.record))).toEqual(['d1']);
    expect(lines[0]).toMatchObject({ streamArn, reason: 'Error: poison' });
    expect(p.stats.deadLettered).toBe(1);
  });

  it('keeps records in the stream while the handler module cannot be loaded', async () => {
    await put('l1', 'l1');
    const { handler, ids } = recorder();
    let loads = 0;
    const p = poller(handler, {
      loadHandler: async () => {
        loads += 1;
        if (loads === 1) throw new Error('SyntaxError in the handler module');
        return handler;
      },
    });
    await p.start();
    await waitFor(() => p.stats.recordsProcessed >= 1, 'the record after the handler loads');
    expect(ids()).toEqual([['l1']]);
    expect(p.stats).toMatchObject({ deadLettered: 0, retries: 0 });
  });

  it('resumes after its checkpoint on restart: nothing repeated, nothing lost', async () => {
    const checkpointFile = path.join(dir, 'stream-checkpoint.json');
    for (const id of ['c1', 'c2', 'c3']) await put(id, id);
    const first = recorder();
    const p1 = poller(first.handler, { checkpoints: fileCheckpoints(checkpointFile, streamArn) });
    await p1.start();
    await waitFor(() => p1.stats.recordsProcessed >= 3, 'the first three records');
    await p1.stop();

    for (const id of ['c4', 'c5']) await put(id, id);
    const second = recorder();
    const p2 = poller(second.handler, { checkpoints: fileCheckpoints(checkpointFile, streamArn) });
    await p2.start();
    await waitFor(() => p2.stats.recordsProcessed >= 2, 'the two new records');
    await p2.stop();

    expect(first.ids().flat()).toEqual(['c1', 'c2', 'c3']);
    expect(second.ids().flat()).toEqual(['c4', 'c5']);
  });

  it('ignores a checkpoint file written for another stream', async () => {
    const checkpointFile = path.join(dir, 'stream-checkpoint.json');
    fileCheckpoints(checkpointFile, 'arn:aws:dynamodb:ddblocal:000000000000:table/other/stream/x').set('shardId-1', { sequenceNumber: '999' });
    await put('o1', 'o1');
    const { handler, ids } = recorder();
    const p = poller(handler, { checkpoints: fileCheckpoints(checkpointFile, streamArn) });
    await p.start();
    await waitFor(() => p.stats.recordsProcessed >= 1, 'the record');
    expect(ids().flat()).toEqual(['o1']);
  });
});
