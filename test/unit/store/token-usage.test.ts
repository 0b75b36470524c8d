/**
 * A token's last use costs no write per SCIM request: a container writes it at most once per
 * interval, conditional on the stored time being older; a Test Connection is written when it
 * comes; a failed write never throws. The SDK is faked (aws-sdk-client-mock) to count the writes.
 */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createTokenUsageRecorder, USAGE_INTERVAL_MS } from '../../../lambdas/store/token-usage';

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const T0 = Date.parse('2026-12-05T08:00:00.000Z');
const use = (offsetMs: number, extra: { testConnection?: boolean; tokenId?: string } = {}) => ({
  appId: 'abcdefghij12',
  tokenId: extra.tokenId ?? 'tok1',
  at: new Date(T0 + offsetMs),
  sourceIp: '20.190.128.1',
  status: 200,
  testConnection: extra.testConnection,
});

afterEach(() => ddb.reset());

describe('createTokenUsageRecorder', () => {
  it('writes a token at most once per interval, and only over an older stored time', async () => {
    ddb.on(UpdateCommand).resolves({});
    const recorder = createTokenUsageRecorder(client, 'main');
    for (const offset of [0, 1_000, 60_000, USAGE_INTERVAL_MS - 1, USAGE_INTERVAL_MS, USAGE_INTERVAL_MS + 5]) await recorder.record(use(offset));
    const writes = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(writes).toHaveLength(2);
    expect(writes[0].ConditionExpression).toBe('attribute_not_exists(lastUsedAt) OR lastUsedAt < :stale');
    expect(writes[1].ExpressionAttributeValues).toMatchObject({ ':at': new Date(T0 + USAGE_INTERVAL_MS).toISOString(), ':stale': new Date(T0).toISOString(), ':ip': '20.190.128.1' });
    // Each token has its own interval.
    await recorder.record(use(USAGE_INTERVAL_MS + 10, { tokenId: 'tok2' }));
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(3);
  });

  it('writes a Test Connection when it comes, unconditionally, at most once a minute', async () => {
    ddb.on(UpdateCommand).resolves({});
    const recorder = createTokenUsageRecorder(client, 'main');
    await recorder.record(use(0));
    await recorder.record(use(1_000, { testConnection: true }));
    await recorder.record(use(2_000, { testConnection: true }));
    const writes = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(writes).toHaveLength(2);
    expect(writes[1].ConditionExpression).toBeUndefined();
    expect(writes[1].UpdateExpression).toContain('lastTestConnectionAt = :at');
  });

  it('takes a refused condition (another container wrote it) as done, and any other failure as false without throwing', async () => {
    ddb.on(UpdateCommand).rejectsOnce(new ConditionalCheckFailedException({ message: 'no', $metadata: {} })).rejects(new Error('throttled'));
    const errors: unknown[] = [];
    const recorder = createTokenUsageRecorder(client, 'main', { onError: (error) => errors.push(error) });
    await expect(recorder.record(use(0))).resolves.toBe(true);
    await expect(recorder.record(use(USAGE_INTERVAL_MS))).resolves.toBe(false);
    expect(errors).toHaveLength(1);
  });
});
