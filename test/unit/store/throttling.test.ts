/**
 * A table that throttles for good: DynamoDB answers every BatchGetItem with UnprocessedKeys, every
 * BatchWriteItem with UnprocessedItems, every transaction with a conflict. The store must give up
 * after its retry policy's attempts (store/retry.ts) with an error the edge answers as 503, never
 * loop. DynamoDB Local cannot throttle, so the SDK is faked (aws-sdk-client-mock).
 */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { isScimError } from '../../../lambdas/scim/errors';
import { toScimError } from '../../../lambdas/shared/middlewares/scim-errors';
import { batchGetAll } from '../../../lambdas/store/batch-get';
import { deleteRequest, writeAll } from '../../../lambdas/store/batch-write';
import { keys } from '../../../lambdas/store/keys';
import { backoffDelay, CONFLICT_RETRY, UNPROCESSED_RETRY, UnprocessedItemsError } from '../../../lambdas/store/retry';
import { transact } from '../../../lambdas/store/transactions';
import { createMembershipStore } from '../../../lambdas/store/memberships';
import { createUserStore } from '../../../lambdas/store/users';

const TABLE = 'main';
const APP = 'abcdefghij12';
/** Far beyond any policy: reaching it means the code retries without end. */
const RUNAWAY = 50;

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** Runs `work` while advancing fake time, so the backoff pauses take no real time. */
const settle = async <T>(work: Promise<T>): Promise<{ value?: T; error?: unknown }> => {
  const outcome = work.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await jest.runAllTimersAsync();
  return outcome;
};

/** Answers every call with `answer`, but fails loudly once a runaway loop passes RUNAWAY calls. */
const forever = <T>(answer: T) => {
  let calls = 0;
  return {
    calls: () => calls,
    answer: async () => {
      calls++;
      if (calls > RUNAWAY) throw new Error(`retried without end (${calls} calls)`);
      return answer;
    },
  };
};

beforeEach(() => {
  ddb.reset();
  jest.useFakeTimers();
});
afterEach(() => jest.useRealTimers());

describe('store retry policy under throttling', () => {
  it('batchGetAll gives up on keys left unprocessed after the policy’s attempts, as a 503', async () => {
    const wanted = [keys.user(APP, 'u1'), keys.user(APP, 'u2')];
    const throttled = forever({ Responses: { [TABLE]: [] }, UnprocessedKeys: { [TABLE]: { Keys: wanted } } });
    ddb.on(BatchGetCommand).callsFake(throttled.answer);

    const { error } = await settle(batchGetAll(client, TABLE, wanted));

    expect(error).toBeInstanceOf(UnprocessedItemsError);
    expect(throttled.calls()).toBe(UNPROCESSED_RETRY.maxAttempts);
    expect(toScimError(error)).toMatchObject({ status: 503 });
  });

  it('users.getMany (GET /Users by externalId or group) ends with a 503 instead of looping', async () => {
    const throttled = forever({ Responses: { [TABLE]: [] }, UnprocessedKeys: { [TABLE]: { Keys: [keys.user(APP, 'u1')] } } });
    ddb.on(BatchGetCommand).callsFake(throttled.answer);

    const { error } = await settle(createUserStore(client, TABLE).getMany(APP, ['u1']));

    expect(throttled.calls()).toBe(UNPROCESSED_RETRY.maxAttempts);
    expect(toScimError(error)).toMatchObject({ status: 503 });
  });

  it('a group member check (assertUsersExist) ends with a 503 instead of looping', async () => {
    const throttled = forever({ Responses: { [TABLE]: [] }, UnprocessedKeys: { [TABLE]: { Keys: [keys.user(APP, 'u1')] } } });
    ddb.on(BatchGetCommand).callsFake(throttled.answer);

    const { error } = await settle(createMembershipStore(client, TABLE).assertUsersExist(APP, ['u1']));

    expect(throttled.calls()).toBe(UNPROCESSED_RETRY.maxAttempts);
    expect(toScimError(error)).toMatchObject({ status: 503 });
  });

  it('writeAll gives up on writes left unprocessed after the policy’s attempts, as a 503', async () => {
    const request = deleteRequest(keys.user(APP, 'u1') as unknown as Record<string, unknown>);
    const throttled = forever({ UnprocessedItems: { [TABLE]: [request] } });
    ddb.on(BatchWriteCommand).callsFake(throttled.answer);

    const { error } = await settle(writeAll(client, TABLE, [request]));

    expect(error).toBeInstanceOf(UnprocessedItemsError);
    expect(throttled.calls()).toBe(UNPROCESSED_RETRY.maxAttempts);
    expect(toScimError(error)).toMatchObject({ status: 503 });
  });

  it('keys processed on a retry are read once: the batch shrinks to what is left', async () => {
    const [first, second] = [keys.user(APP, 'u1'), keys.user(APP, 'u2')];
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { [TABLE]: [{ ...first, id: 'u1' }] }, UnprocessedKeys: { [TABLE]: { Keys: [second] } } })
      .resolvesOnce({ Responses: { [TABLE]: [{ ...second, id: 'u2' }] }, UnprocessedKeys: {} });

    const { value } = await settle(batchGetAll(client, TABLE, [first, second, first]));

    expect(value?.map((item) => item.id).sort()).toEqual(['u1', 'u2']);
    const sent = ddb.commandCalls(BatchGetCommand).map((call) => call.args[0].input.RequestItems?.[TABLE]?.Keys);
    expect(sent).toEqual([[first, second], [second]]);
  });

  it('transact retries a transaction conflict a bounded number of times, then refuses with 409', async () => {
    const conflict = new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
    });
    let calls = 0;
    ddb.on(TransactWriteCommand).callsFake(async () => {
      calls++;
      if (calls > RUNAWAY) throw new Error('retried without end');
      throw conflict;
    });
    const put = (id: string) => ({ item: { Put: { TableName: TABLE, Item: { ...keys.user(APP, id) } } } });

    const { error } = await settle(transact(client, [put('u1'), put('u2')]));

    expect(calls).toBe(CONFLICT_RETRY.maxAttempts);
    expect(isScimError(error) && error.status).toBe(409);
  });
});

describe('backoffDelay', () => {
  it('doubles from the base delay, never beyond the cap, with half of it jittered', () => {
    const policy = { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5, 6, 7].map((retry) => backoffDelay(policy, retry, () => 1))).toEqual([50, 100, 200, 400, 800, 1000, 1000]);
    expect([1, 2, 7].map((retry) => backoffDelay(policy, retry, () => 0))).toEqual([25, 50, 500]);
    for (let retry = 1; retry < 40; retry++) expect(backoffDelay(policy, retry)).toBeLessThanOrEqual(policy.maxDelayMs);
  });
});
