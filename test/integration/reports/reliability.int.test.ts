/**
 * Exactly once in effect, and the consumer's upkeep: a report writer that fails mid-batch loses
 * and duplicates nothing once the mapping retries from the failed record; a deleted group's
 * memberships are cleaned up without a row per member; custom extension attributes reach the
 * application item.
 */
import { BatchWriteCommand, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { createStreamHandler, type StreamHandler } from '../../../lambdas/handlers/stream';
import { Index, keys, reportKeys } from '../../../lambdas/store/keys';
import { createReportDirectory } from '../../../lambdas/store/report-directory';
import { createReportStore } from '../../../lambdas/store/reports';
import { createStreamUpkeep } from '../../../lambdas/store/stream-upkeep';
import { createNoteReader } from '../../../lambdas/store/notes';
import { CUSTOM, groupItem, membershipItem, stamp, userItem } from '../../unit/reports/fixtures';
import { createInstrumentedClient, type InstrumentedClient } from './instrumented-client';
import { appItem, createWorld, lambdaContext, type World } from './world';

const APP_A = '7a000000-0000-4000-8000-00000000000a';
const APP_B = '7b000000-0000-4000-8000-00000000000b';
const APP_C = '7c000000-0000-4000-8000-00000000000c';
const now = () => new Date(Date.now() - 60 * 60_000 + Math.floor(Math.random() * 1000)).toISOString();

describe('stream handler reliability', () => {
  let world: World;
  let instrumented: InstrumentedClient;
  let handle: StreamHandler;

  const handlerOn = (i: InstrumentedClient): StreamHandler =>
    createStreamHandler({
      reports: createReportStore(i.client, world.tables.reportTableName, { retentionDays: 90 }),
      directory: createReportDirectory(i.client, world.tables.tableName),
      upkeep: createStreamUpkeep(i.client, world.tables.tableName),
      notes: createNoteReader(i.client, world.tables.tableName),
      retentionDays: 90,
    });

  const rowsOf = async (appId: string) => {
    const rows: Record<string, unknown>[] = [];
    const day = new Date().toISOString().slice(0, 10);
    const previous = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    for (const d of [day, previous]) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await world.db.send(
          new QueryCommand({
            TableName: world.tables.reportTableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': reportKeys.appDay(appId, d) },
            ExclusiveStartKey: start,
          }),
        );
        rows.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
    }
    return rows;
  };

  const batchWriteAll = async (items: Record<string, unknown>[]) => {
    for (let i = 0; i < items.length; i += 25) {
      await world.db.send(
        new BatchWriteCommand({ RequestItems: { [world.tables.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }),
      );
    }
  };

  beforeAll(async () => {
    world = await createWorld('reports-reliability');
    instrumented = createInstrumentedClient();
    handle = handlerOn(instrumented);
    for (const [id, name] of [[APP_A, 'App A'], [APP_B, 'App B'], [APP_C, 'App C']]) await world.put(appItem(id, name));
    await world.stream.read(); // the application items are not events
  });
  afterAll(async () => {
    instrumented.destroy();
    await world.close();
  });

  it('a report write failing mid-batch → batchItemFailures starts at the failed record; redelivery leaves every row exactly once', async () => {
    // Prepare: 60 users created → one batch of 60 INSERT records.
    const users = Array.from({ length: 60 }, (_, n) =>
      userItem(
        { ...keys.user(APP_A, `u-${n}`), appId: APP_A, id: `u-${n}`, userName: `user${n}@contoso.com`, lastModified: now(), lastRequest: stamp(`req-${n}`) },
        { userName: `user${n}@contoso.com`, externalId: `ext-${n}` },
      ),
    );
    await batchWriteAll(users);
    const records = await world.stream.read();
    expect(records).toHaveLength(60);
    const event: DynamoDBStreamEvent = { Records: records };
    const seqOf = (userId: string) => records.find((r) => r.dynamodb?.NewImage?.id?.S === userId)!.dynamodb!.SequenceNumber;

    // Act: the BatchWriteItem carrying the row of u-30 fails (rows go in chunks of 25, in record order).
    instrumented.failNext((name, input) => name === 'BatchWriteItemCommand' && JSON.stringify(input).includes('"u-30"'));
    const failed = await handle(event, lambdaContext());

    // Assess: everything before the failed chunk is written and acknowledged.
    const firstOfChunk = records[25].dynamodb!.NewImage!.id.S!;
    expect(failed).toEqual({ batchItemFailures: [{ itemIdentifier: seqOf(firstOfChunk) }] });
    const written = await rowsOf(APP_A);
    expect(written).toHaveLength(25);

    // Act: the mapping retries from the failed record (and then, for good measure, the whole batch again).
    expect(await handle({ Records: records.slice(25) }, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(await handle(event, lambdaContext())).toEqual({ batchItemFailures: [] });

    // Assess: 60 rows, one per record.
    const rows = await rowsOf(APP_A);
    expect(rows).toHaveLength(60);
    expect(new Set(rows.map((r) => r.resourceId)).size).toBe(60);
  });

  it('a failed lookup stops the batch at the first record that needs one', async () => {
    // Prepare: a user processed earlier; then a group and a membership that does not carry the userName.
    await world.put(userItem({ ...keys.user(APP_C, 'u-c1'), appId: APP_C, id: 'u-c1', lastModified: now() }, {}));
    for (const event of await world.stream.events()) expect(await handle(event, lambdaContext())).toEqual({ batchItemFailures: [] });
    await world.put(groupItem({ ...keys.group(APP_C, 'g-c'), appId: APP_C, id: 'g-c', lastModified: now() }));
    await world.put(membershipItem({ ...keys.membership(APP_C, 'g-c', 'u-c1'), appId: APP_C, groupId: 'g-c', userId: 'u-c1', userName: undefined, added: now() }));
    const records = await world.stream.read();
    expect(records).toHaveLength(2);
    // Act
    instrumented.failNext((name) => name === 'BatchGetItemCommand');
    expect(await handle({ Records: records }, lambdaContext())).toEqual({ batchItemFailures: [{ itemIdentifier: records[1].dynamodb!.SequenceNumber }] });
    expect(instrumented.armed()).toBe(false);
    expect(await handle({ Records: records.slice(1) }, lambdaContext())).toEqual({ batchItemFailures: [] });
    // Assess
    const rows = await rowsOf(APP_C);
    expect(rows.map((r) => r.action).sort()).toEqual(['create', 'create', 'member-added']);
    expect(rows.find((r) => r.action === 'member-added')).toMatchObject({ userName: 'alice@contoso.com', userKey: 'USER#alice@contoso.com' });
  });

  it('names a membership row after its user even when the user was deleted before the row was derived', async () => {
    // Prepare: u-gone is created and deleted before the stream reaches its (userName-less) membership.
    await world.put(userItem({ ...keys.user(APP_C, 'u-gone'), appId: APP_C, id: 'u-gone', userName: 'gone@contoso.com', lastModified: now() }, { userName: 'gone@contoso.com' }));
    for (const event of await world.stream.events()) expect(await handle(event, lambdaContext())).toEqual({ batchItemFailures: [] });
    await world.put(membershipItem({ ...keys.membership(APP_C, 'g-c', 'u-gone'), appId: APP_C, groupId: 'g-c', userId: 'u-gone', userName: undefined, added: now() }));
    const [added] = await world.stream.read();
    await world.remove(keys.user(APP_C, 'u-gone'));
    const [deleted] = await world.stream.read();
    // Act: the delete is processed first (another shard), then the membership.
    expect(await handle({ Records: [deleted] }, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(await handle({ Records: [added] }, lambdaContext())).toEqual({ batchItemFailures: [] });
    // Assess
    const rows = (await rowsOf(APP_C)).filter((r) => r.resourceId === 'u-gone');
    expect(rows.map((r) => `${r.action} ${r.userName}`).sort()).toEqual(['create gone@contoso.com', 'delete gone@contoso.com', 'member-added gone@contoso.com']);
  });

  it('deleting a group with 250 members deletes its memberships and reports one group delete, no member rows', async () => {
    // Prepare
    const group = groupItem({ ...keys.group(APP_B, 'g-big'), appId: APP_B, id: 'g-big', displayName: 'Everyone', lastModified: now() });
    const memberships = Array.from({ length: 250 }, (_, n) =>
      membershipItem({ ...keys.membership(APP_B, 'g-big', `m-${n}`), appId: APP_B, groupId: 'g-big', userId: `m-${n}`, userName: `m${n}@contoso.com`, groupDisplayName: 'Everyone', added: now() }),
    );
    await world.put(group);
    await batchWriteAll(memberships);
    for (const event of await world.stream.events()) expect(await handle(event, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect((await rowsOf(APP_B)).filter((r) => r.action === 'member-added')).toHaveLength(250);

    // Act: the group goes (as the Groups store deletes it: the item only), then its memberships' REMOVEs come back.
    await world.remove(keys.group(APP_B, 'g-big'));
    for (const event of await world.stream.events()) expect(await handle(event, lambdaContext())).toEqual({ batchItemFailures: [] });
    const cleanup = await world.stream.events();
    const batchGetsBefore = instrumented.calls.get('BatchGetItemCommand') ?? 0;
    for (const event of cleanup) expect(await handle(event, lambdaContext())).toEqual({ batchItemFailures: [] });

    // Assess
    expect(cleanup.flatMap((e) => e.Records)).toHaveLength(250);
    expect((instrumented.calls.get('BatchGetItemCommand') ?? 0) - batchGetsBefore).toBe(cleanup.length); // one per batch, not per record
    const left = await world.db.send(
      new QueryCommand({
        TableName: world.tables.tableName,
        IndexName: Index.lookups,
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.groupMembers(APP_B, 'g-big').gsi2pk },
      }),
    );
    expect(left.Count).toBe(0);
    const rows = await rowsOf(APP_B);
    expect(rows.filter((r) => r.action === 'member-removed')).toHaveLength(0);
    expect(rows.filter((r) => r.action === 'delete')).toEqual([expect.objectContaining({ resourceType: 'Group', groupDisplayName: 'Everyone' })]);
  });

  it('a member removed just before its user is deleted is reported; the memberships the delete takes are not, even in a later batch', async () => {
    // Prepare: u-d is in groups g-1 and g-2; it leaves g-1, then is deleted together with its g-2 membership.
    const member = (groupId: string) =>
      membershipItem({ ...keys.membership(APP_C, groupId, 'u-d'), appId: APP_C, groupId, userId: 'u-d', userName: 'dora@contoso.com', groupDisplayName: groupId, added: now() });
    await world.put(userItem({ ...keys.user(APP_C, 'u-d'), appId: APP_C, id: 'u-d', userName: 'dora@contoso.com', lastModified: now() }, { userName: 'dora@contoso.com' }));
    await world.put(member('g-1'));
    await world.put(member('g-2'));
    for (const event of await world.stream.events()) expect(await handle(event, lambdaContext())).toEqual({ batchItemFailures: [] });
    await world.remove(keys.membership(APP_C, 'g-1', 'u-d'));
    await world.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: world.tables.tableName, Key: keys.user(APP_C, 'u-d') } },
          { Delete: { TableName: world.tables.tableName, Key: { pk: keys.membership(APP_C, 'g-2', 'u-d').pk, sk: keys.membership(APP_C, 'g-2', 'u-d').sk } } },
        ],
      }),
    );
    const records = await world.stream.read();
    expect(records.map((r) => r.eventName)).toEqual(['REMOVE', 'REMOVE', 'REMOVE']);

    // Act: the explicit removal and the user's REMOVE in one batch, the delete's membership REMOVE in the next.
    expect(await handle({ Records: records.slice(0, 2) }, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(await handle({ Records: records.slice(2) }, lambdaContext())).toEqual({ batchItemFailures: [] });

    // Assess
    const rows = (await rowsOf(APP_C)).filter((r) => r.userName === 'dora@contoso.com' && r.action !== 'create' && r.action !== 'member-added');
    expect(rows.map((r) => `${r.action} ${r.groupDisplayName ?? ''}`.trim()).sort()).toEqual(['delete', 'member-removed g-1']);
  });

  it('records the custom extension attributes of an application’s users on the application item', async () => {
    const user = (version: number, ext: Record<string, unknown>) =>
      userItem({ ...keys.user(APP_C, 'u-ext'), appId: APP_C, id: 'u-ext', version, lastModified: now() }, { [CUSTOM]: ext });
    await world.put(user(1, { costCenter: 'CC-1' }));
    await world.put(user(2, { costCenter: 'CC-2', site: 'HQ' }));
    for (const event of await world.stream.events()) expect(await handle(event, lambdaContext())).toEqual({ batchItemFailures: [] });
    const app = await world.db.send(new GetCommand({ TableName: world.tables.tableName, Key: keys.app(APP_C) }));
    expect([...(app.Item?.extensionAttributes as Set<string>)].sort()).toEqual([`${CUSTOM}:costCenter`, `${CUSTOM}:site`]);
    expect(app.Item).toMatchObject({ type: 'App', name: 'App C' });
  });
});
