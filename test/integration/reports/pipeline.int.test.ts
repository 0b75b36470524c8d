/**
 * The report pipeline end to end on DynamoDB Local: main-table writes shaped like the Users and
 * Groups stores' → the table's stream → the stream handler → the report table → GET /admin/reports.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ScimError } from '../../../lambdas/scim/errors';
import { failureDetailsOf, recordFailure } from '../../../lambdas/shared/failures';
import type { ScimRequest } from '../../../lambdas/shared/http';
import { keys, reportKeys, UniqueKind } from '../../../lambdas/store/keys';
import { groupItem, membershipItem, stamp, userItem } from '../../unit/reports/fixtures';
import { appItem, createWorld, type World } from './world';

const ENTRA = '6f1c2b9e-0000-4000-8000-0000000000e1';
const OKTA = '6f1c2b9e-0000-4000-8000-0000000000b2';
const ALICE = 'u-alice';
const BOB = 'u-bob';
const SALES = 'g-sales';
const EXT = '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef';

const base = Date.now() - 3 * 3_600_000;
const at = (minute: number) => new Date(base + minute * 60_000).toISOString();
const NAME = { givenName: 'Alicia', familyName: 'Smith', formatted: 'Alice Smith' };

const alice = (minute: number, overrides: Record<string, unknown> = {}, resource: Record<string, unknown> = {}) =>
  userItem(
    { ...keys.user(ENTRA, ALICE), appId: ENTRA, id: ALICE, externalId: EXT, lastModified: at(minute), lastRequest: stamp(`req-${minute}`), ...overrides },
    { externalId: EXT, ...resource },
  );
const renamed = { userName: 'alice.smith@contoso.com' };

type Row = Record<string, unknown>;
const summary = (rows: Row[]) => rows.map((r) => `${r.action}${r.status === 'failure' ? '!' : ''}`);
const isNewestFirst = (rows: Row[]) => rows.every((r, i) => i === 0 || String(rows[i - 1].time) >= String(r.time));

describe('report pipeline', () => {
  let world: World;
  let delivered: DynamoDBStreamEvent[];

  const countRows = async () => {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await world.db.send(
        new QueryCommand({
          TableName: world.tables.reportTableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': reportKeys.appDay(ENTRA, at(0).slice(0, 10)) },
          ExclusiveStartKey: start,
        }),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return count;
  };

  beforeAll(async () => {
    world = await createWorld('reports-pipeline');
    await world.put(appItem(ENTRA, 'Entra ID'));
    await world.put(appItem(OKTA, 'Okta'));

    // Prepare: an Entra-style sequence, written the way the Users and Groups stores write it.
    await world.put(alice(0));
    await world.put({ ...keys.unique(ENTRA, UniqueKind.externalId, EXT), type: 'Unique', appId: ENTRA, ownerId: ALICE });
    await world.put(alice(1, { version: 2 }, { name: NAME }));
    await world.put(alice(2, { version: 3, ...renamed }, { ...renamed, name: NAME }));
    await world.put(
      userItem(
        { ...keys.user(OKTA, BOB), appId: OKTA, id: BOB, userName: 'bob@contoso.com', externalId: 'bob-ext', lastModified: at(2.5), lastRequest: { ...stamp('req-bob'), appName: 'Okta' } },
        { userName: 'bob@contoso.com', externalId: 'bob-ext' },
      ),
    );
    await world.put(alice(3, { version: 4, ...renamed, active: false }, { ...renamed, active: false, name: NAME }));
    await world.put(groupItem({ ...keys.group(ENTRA, SALES), appId: ENTRA, id: SALES, lastModified: at(4), lastRequest: stamp('req-4') }));
    await world.put(
      membershipItem({ ...keys.membership(ENTRA, SALES, ALICE), appId: ENTRA, groupId: SALES, userId: ALICE, ...renamed, added: at(5), lastRequest: stamp('req-5') }),
    );
    await world.put(
      groupItem({
        ...keys.group(ENTRA, SALES),
        appId: ENTRA,
        id: SALES,
        displayName: 'Sales EMEA',
        resource: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Sales EMEA', externalId: 'grp-ext-1' },
        lastModified: at(6),
        lastRequest: stamp('req-6'),
      }),
    );
    await world.remove(keys.membership(ENTRA, SALES, ALICE));
    const duplicate: ScimRequest = {
      operation: 'createUser',
      method: 'POST',
      path: `/apps/${ENTRA}/scim/v2/Users`,
      pathParams: { appId: ENTRA },
      query: {},
      headers: {},
      body: { userName: 'alice.smith@contoso.com', externalId: 'other-ext' },
      caller: { kind: 'app', tokenId: 't', app: { id: ENTRA, name: 'Entra ID', requiredAttributes: ['userName'] } },
      requestId: 'req-dup',
      sourceIp: '20.190.128.9',
      userAgent: 'Azure Active Directory SCIM Client',
      apiUrl: 'http://localhost',
    };
    const conflict = ScimError.uniqueness('userName "alice.smith@contoso.com" is taken.');
    expect(await recordFailure(duplicate, conflict, failureDetailsOf(duplicate), { client: world.db, tableName: world.tables.tableName, now: () => new Date(at(7)) })).toBe(true);

    // Act: deliver the stream to the handler, as the event source mapping does.
    delivered = await world.stream.events();
    for (const event of delivered) expect(await world.handleStream(event)).toEqual({ batchItemFailures: [] });
  });
  afterAll(() => world.close());

  it('GET /admin/reports?endUser=<externalId> finds a live user through its externalId and follows its rename back', async () => {
    const { status, body } = await world.reports({ endUser: EXT });
    expect(status).toBe(200);
    // member-removed is timed by the stream record (now); the rest by their writes.
    expect(summary(body.reports)).toEqual(['member-removed', 'create!', 'member-added', 'disable', 'update', 'update', 'create']);
    expect(isNewestFirst(body.reports)).toBe(true);
    expect(body.reports[4]).toMatchObject({
      userName: 'alice.smith@contoso.com',
      previousUserName: 'alice@contoso.com',
      changes: [{ name: 'userName', old: 'alice@contoso.com', new: 'alice.smith@contoso.com' }],
      requestId: 'req-2',
      appName: 'Entra ID',
      appId: ENTRA,
    });
    expect(body.nextCursor).toBeUndefined();
  });

  it('GET /admin/reports?endUser=<new userName> in any letter case returns the same rows', async () => {
    const { body } = await world.reports({ endUser: 'Alice.Smith@Contoso.com' });
    expect(summary(body.reports)).toEqual(['member-removed', 'create!', 'member-added', 'disable', 'update', 'update', 'create']);
  });

  it('GET /admin/reports?endUser=<old userName> returns the rows from before the rename', async () => {
    const { body } = await world.reports({ endUser: 'alice@contoso.com' });
    expect(summary(body.reports)).toEqual(['update', 'create']);
  });

  it('reports the rejected duplicate create as a failure row with status, scimType and detail', async () => {
    const { body } = await world.reports({ status: 'failure' });
    expect(body.reports).toEqual([
      expect.objectContaining({
        action: 'create',
        status: 'failure',
        httpStatus: 409,
        scimType: 'uniqueness',
        detail: 'userName "alice.smith@contoso.com" is taken.',
        userName: 'alice.smith@contoso.com',
        externalId: 'other-ext',
        requestId: 'req-dup',
        sourceIp: '20.190.128.9',
        time: at(7),
      }),
    ]);
  });

  it('GET /admin/reports?application=<name> and ?application=<id> return that application’s rows only', async () => {
    const byName = await world.reports({ application: 'entra id' });
    const byId = await world.reports({ application: ENTRA });
    expect(byName.status).toBe(200);
    expect(summary(byName.body.reports)).toEqual(['member-removed', 'create!', 'rename', 'member-added', 'create', 'disable', 'update', 'update', 'create']);
    expect(byId.body.reports).toEqual(byName.body.reports);
    const okta = await world.reports({ application: 'Okta' });
    expect(okta.body.reports).toEqual([expect.objectContaining({ action: 'create', userName: 'bob@contoso.com', appName: 'Okta', appId: OKTA })]);
  });

  it('GET /admin/reports with no filter returns every application’s rows in the last 24 hours, newest first', async () => {
    const { body } = await world.reports();
    expect(summary(body.reports)).toEqual(['member-removed', 'create!', 'rename', 'member-added', 'create', 'disable', 'create', 'update', 'update', 'create']);
    expect(isNewestFirst(body.reports)).toBe(true);
  });

  it('GET /admin/reports?from=…&to=… returns the rows of that span only', async () => {
    const { body } = await world.reports({ from: at(2.5), to: at(5) });
    expect(body.reports.map((r) => r.time)).toEqual([at(5), at(4), at(3), at(2.5)]);
    expect(summary(body.reports)).toEqual(['member-added', 'create', 'disable', 'create']);
  });

  it('GET /admin/reports?action=…&status=… filters by action and status', async () => {
    expect(summary((await world.reports({ action: 'disable' })).body.reports)).toEqual(['disable']);
    expect(summary((await world.reports({ action: 'member-added,member-removed', application: 'Entra ID' })).body.reports)).toEqual(['member-removed', 'member-added']);
    expect(summary((await world.reports({ action: 'create', status: 'success', endUser: EXT })).body.reports)).toEqual(['create']);
    expect((await world.reports({ action: 'rename' })).body.reports).toEqual([
      expect.objectContaining({ groupDisplayName: 'Sales EMEA', changes: [{ name: 'displayName', label: 'Display name', old: 'Sales Team', new: 'Sales EMEA' }] }),
    ]);
  });

  it.each<[Record<string, string>, string]>([
    [{}, 'everything'],
    [{ application: 'Entra ID' }, 'one application'],
    [{ endUser: EXT }, 'one end user'],
  ])('pages %j with limit=3 and nextCursor through the same rows, none twice (%s)', async (query) => {
    const all = (await world.reports(query)).body.reports;
    const paged: Row[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const { status, body } = await world.reports({ ...query, limit: '3', ...(cursor ? { cursor } : {}) });
      expect(status).toBe(200);
      expect(body.reports.length).toBeLessThanOrEqual(3);
      paged.push(...body.reports);
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(paged).toEqual(all);
    expect(new Set(paged.map((r) => r.eventId)).size).toBe(paged.length);
    expect(pages).toBe(Math.ceil(all.length / 3));
  });

  it('GET /admin/reports with a cursor from another query → 400', async () => {
    const { body } = await world.reports({ limit: '2' });
    const { status, body: refusal } = await world.reports({ limit: '2', application: 'Okta', cursor: body.nextCursor! });
    expect(status).toBe(400);
    expect(refusal.detail).toContain('cursor is invalid');
  });

  it.each([
    [{ from: 'yesterday' }, 'from "yesterday" is not a date'],
    [{ from: '2025-02-30' }, 'is not a date'],
    [{ from: '2h', to: '3h' }, 'is after to'],
    [{ from: '91d' }, 'beyond the report retention of 90 days'],
    [{ limit: '1000' }, 'limit must be a whole number from 1 to 500'],
    [{ application: 'Workday' }, 'application "Workday" is neither the id nor the name'],
    [{ status: 'skipped' }, 'status must be one of'],
  ])('GET /admin/reports?%j → 400 invalidValue with a clear detail', async (query, detail) => {
    const { status, body } = await world.reports(query as Record<string, string>);
    expect(status).toBe(400);
    expect(body.scimType).toBe('invalidValue');
    expect(body.detail).toContain(detail);
  });

  it('GET /admin/reports with an application token → 403', async () => {
    const { status } = await world.reports({}, { kind: 'app', tokenId: 't', appId: ENTRA, appName: 'Entra ID' });
    expect(status).toBe(403);
  });

  it('redelivering the same stream batches rewrites the same rows: none duplicated', async () => {
    const before = await countRows();
    for (const event of delivered) expect(await world.handleStream(event)).toEqual({ batchItemFailures: [] });
    expect(await countRows()).toBe(before);
    expect(summary((await world.reports({ application: 'Entra ID' })).body.reports)).toHaveLength(9);
  });

  it('a user delete (with its memberships in the same transaction) is one delete row, not extra member rows', async () => {
    // Prepare: alice is back in the group, then deleted together with that membership.
    await world.put(
      membershipItem({ ...keys.membership(ENTRA, SALES, ALICE), appId: ENTRA, groupId: SALES, userId: ALICE, ...renamed, added: at(8), lastRequest: stamp('req-8') }),
    );
    await world.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: world.tables.tableName, Key: keys.user(ENTRA, ALICE) } },
          { Delete: { TableName: world.tables.tableName, Key: { pk: keys.membership(ENTRA, SALES, ALICE).pk, sk: keys.membership(ENTRA, SALES, ALICE).sk } } },
        ],
      }),
    );
    // Act
    expect(await world.pump()).toEqual([{ batchItemFailures: [] }]);
    // Assess: one delete, the new member-added, and still only the one earlier member-removed.
    const { body } = await world.reports({ endUser: 'alice.smith@contoso.com', action: 'delete,member-removed,member-added' });
    expect(summary(body.reports).sort()).toEqual(['delete', 'member-added', 'member-added', 'member-removed']);
    expect(body.reports[0]).toMatchObject({ action: 'delete', resourceId: ALICE, appName: 'Entra ID' });
  });
});
