/**
 * The report writer failing for a while, end to end: SCIM traffic through the real Users and
 * Groups handlers, the table's stream read by the local stream poller (Lambda's event source
 * semantics: retry the batch from the failed record), the real stream handler writing the report.
 * The report table is unwritable for a stretch in the middle. After recovery the report must
 * equal, row for row, the report a never-failing pipeline makes from the same stream: every
 * event exactly once, nothing lost, nothing doubled, nothing dead-lettered.
 */
import { createGroupsHandler } from '../../lambdas/handlers/groups';
import { createUsersHandler } from '../../lambdas/handlers/users';
import { testRuntime } from '../helpers/runtime';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTable, streamArnOf } from '../../lib/local/create-tables';
import { createStreamPoller, type StreamHandler as PollerHandler, type StreamPoller } from '../../lib/local/stream-poller';
import { REPORT_TABLE } from '../../lib/tables';
import { createStreamHandler } from '../../lambdas/handlers/stream';
import { createDocumentClient } from '../../lambdas/store/client';
import { createReportDirectory } from '../../lambdas/store/report-directory';
import { createReportStore } from '../../lambdas/store/reports';
import { createStreamUpkeep } from '../../lambdas/store/stream-upkeep';
import { createNoteReader } from '../../lambdas/store/notes';
import { scimClient, type TestApp } from '../helpers/invoke';
import { createTestTables, localEndpoint, type TestTables } from '../helpers/tables';
import { entraGroup, entraUser, PATCH_URN } from './support/arbitraries';
import { installFaults, type Faults } from './support/faults';
import { recordFigures } from './support/figures';
import { scaled, testTimeout } from './support/scale';

jest.setTimeout(testTimeout() + 120_000);

const APP: TestApp = { id: 'reportflt001', name: 'Report faults' };

let tables: TestTables;
let referenceTable: string;
let dir: string;
const pollers: StreamPoller[] = [];

const pipeline = async (reportTable: string, writer: DynamoDBDocumentClient, healthy: DynamoDBDocumentClient, streamArn: string): Promise<StreamPoller> => {
  const handler = createStreamHandler({
    reports: createReportStore(writer, reportTable, { retentionDays: 90 }),
    directory: createReportDirectory(healthy, tables.tableName),
    upkeep: createStreamUpkeep(healthy, tables.tableName),
    notes: createNoteReader(healthy, tables.tableName),
    retentionDays: 90,
  });
  const poller = createStreamPoller({
    client: new DynamoDBStreamsClient({ endpoint: localEndpoint() }),
    streamArn,
    loadHandler: async () => handler as PollerHandler,
    deadLetterFile: path.join(dir, `${reportTable}.dead-letter.jsonl`),
    // Lambda retries a DynamoDB stream batch until its records expire; a long outage must not dead-letter.
    maxRetries: 10_000,
    retryDelayMs: 20,
    idleDelayMs: 50,
  });
  pollers.push(poller);
  return poller;
};

const rowsOf = async (client: DynamoDBDocumentClient, table: string): Promise<Map<string, string>> => {
  const rows = new Map<string, string>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
    for (const item of page.Items ?? []) {
      // A deletion note's expiry counts from when it was written, not from the event: not part of the report.
      const { ttl, ...rest } = item;
      const comparable = item.sk === 'DELETED' ? rest : { ...rest, ttl };
      rows.set(`${item.pk}|${item.sk}`, JSON.stringify(Object.fromEntries(Object.entries(comparable).sort(([x], [y]) => (x < y ? -1 : 1)))));
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return rows;
};

const waitUntil = async (done: () => Promise<boolean> | boolean, what: string, timeoutMs = 120_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

beforeAll(async () => {
  tables = await createTestTables('rel-report');
  referenceTable = `${tables.reportTableName}-reference`;
  await createTable(tables.client, referenceTable, REPORT_TABLE);
  dir = mkdtempSync(path.join(tmpdir(), 'rel-report-'));
});

afterAll(async () => {
  for (const poller of pollers) await poller.stop();
  await tables.client.send(new DeleteTableCommand({ TableName: referenceTable })).catch(() => undefined);
  await tables.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('report writer outage', () => {
  it('the report table unwritable for a stretch → after recovery every event is reported exactly once', async () => {
    const streamArn = (await streamArnOf(tables.client, tables.tableName))!;
    const healthy = createDocumentClient();
    const writer = createDocumentClient();
    const faults: Faults = await installFaults(writer);
    const faulty = await pipeline(tables.reportTableName, writer, healthy, streamArn);
    await faulty.start();

    const rt = testRuntime(tables, {}, { dynamo: healthy });
    const users = scimClient(createUsersHandler(rt), APP);
    const groups = scimClient(createGroupsHandler(rt), APP);
    const rounds = scaled(8, 40);
    const traffic = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const user = (await users.post('/Users', entraUser(`report.${i}`))).body.id;
        await users.patch(`/Users/${user}`, { schemas: [PATCH_URN], Operations: [{ op: 'replace', path: 'active', value: false }] });
        const group = (await groups.post('/Groups', { ...entraGroup(`Report group ${i}`), members: [{ value: user }] })).body.id;
        await users.post('/Users', { userName: '' }); // refused: a failure event
        if (i % 2) await users.delete(`/Users/${user}`);
        if (i % 3 === 0) await groups.delete(`/Groups/${group}`);
      }
    };

    // Before the outage, during it (every write to the report table fails), and after.
    await traffic(0, rounds / 4);
    faults.plan(() => 'ProvisionedThroughputExceededException');
    await traffic(rounds / 4, (3 * rounds) / 4);
    await waitUntil(() => faulty.stats.retries >= 3, 'the poller to retry during the outage');
    const outage = { injectedWrites: faults.injected, retriesDuringOutage: faulty.stats.retries };
    faults.plan(undefined);
    await traffic((3 * rounds) / 4, rounds);

    // The reference: a second, never-failing pipeline over the same stream from its start.
    const reference = await pipeline(referenceTable, healthy, healthy, streamArn);
    await reference.start();
    const settled = async () => {
      const [a, b] = [await rowsOf(healthy, tables.reportTableName), await rowsOf(healthy, referenceTable)];
      return a.size > 0 && a.size === b.size && faulty.stats.recordsProcessed === reference.stats.recordsProcessed;
    };
    await waitUntil(settled, 'both reports to settle');
    await new Promise((r) => setTimeout(r, 1_000));
    await waitUntil(settled, 'both reports to settle');

    const got = await rowsOf(healthy, tables.reportTableName);
    const expected = await rowsOf(healthy, referenceTable);
    const missing = [...expected.keys()].filter((k) => !got.has(k));
    const extra = [...got.keys()].filter((k) => !expected.has(k));
    const differing = [...expected.keys()].filter((k) => got.has(k) && got.get(k) !== expected.get(k));
    recordFigures('report-faults', {
      rounds,
      streamRecords: reference.stats.recordsProcessed,
      reportItems: expected.size,
      ...outage,
      retriesTotal: faulty.stats.retries,
      deadLettered: faulty.stats.deadLettered,
      missing: missing.length,
      extra: extra.length,
      differing: differing.length,
    });
    if (process.env.RELIABILITY_DEBUG) for (const k of differing.slice(0, 2)) process.stdout.write(`${got.get(k)}\n${expected.get(k)}\n`);
    expect({ missing, extra, differing: differing.slice(0, 3) }).toEqual({ missing: [], extra: [], differing: [] });
    expect(faulty.stats.deadLettered).toBe(0);
    expect(outage.injectedWrites).toBeGreaterThan(0);
  });
});
