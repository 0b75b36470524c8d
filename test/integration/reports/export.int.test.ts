/**
 * `GET /admin/reports?format=csv|json` on DynamoDB Local: every page of the query in one response,
 * RFC 4180 CSV checked row by row, and the continuation (`X-Next-Cursor`) when an export outgrows
 * one response (the byte budget is made small here, so a few hundred rows cross it).
 */
import type { ReportRow } from '../../../lambdas/domain/report-row';
import { createReportsHandler } from '../../../lambdas/handlers/reports';
import { createReportStore } from '../../../lambdas/store/reports';
import { testEvent } from '../../helpers/invoke';
import { parseCsv } from '../../helpers/rfc4180';
import { testRuntime } from '../../helpers/runtime';
import { createTestTables, type TestTables } from '../../helpers/tables';
import { lambdaContext } from './world';

const APP = '8e000000-0000-4000-8000-000000000001';
const ROWS = 1_203; // more than two of the store's 500-row pages
const now = Date.now();

const row = (n: number): ReportRow => ({
  eventId: `ev-${n}:0`,
  time: new Date(now - 60_000 - n * 1000).toISOString(),
  appId: APP,
  appName: 'Entra ID – Contoso',
  resourceType: 'User',
  resourceId: `u-${n}`,
  userName: n === 3 ? '=cmd|calc' : `user${n}@contoso.com`,
  action: n % 2 ? 'update' : 'create',
  status: 'success',
  changes: n % 2 ? [{ name: 'displayName', old: `Old, "${n}"`, new: `New ${n}` }] : [],
  expiresAt: new Date(now + 90 * 86_400_000).toISOString(),
});

describe('report export', () => {
  let tables: TestTables;
  let call: (query: string, options?: { exportBytes?: number }) => Promise<{ status: number; headers: Record<string, string>; body: string }>;

  beforeAll(async () => {
    tables = await createTestTables('reports-export');
    const rt = testRuntime(tables);
    await createReportStore(rt.dynamo, tables.reportTableName, { retentionDays: 90 }).putRows(Array.from({ length: ROWS }, (_, n) => row(n)));
    call = async (query, options = {}) => {
      const handler = createReportsHandler(rt, options);
      const event = testEvent('GET', `/admin/reports?${query}`, undefined, { authorizer: { kind: 'admin', tokenId: 't' } });
      const result = await handler(event, lambdaContext());
      const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
      return { status: result.statusCode, headers, body: result.body };
    };
  });
  afterAll(async () => {
    await tables.drop();
  });

  it('format=csv answers text/csv with every row of every page, newest first, checked row by row', async () => {
    const res = await call('format=csv&from=24h');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="provisioning-report.csv"');
    expect(res.headers['x-next-cursor']).toBeUndefined();
    const [header, ...records] = parseCsv(res.body);
    expect(records).toHaveLength(ROWS);
    const col = (name: string) => header.indexOf(name);
    records.forEach((record, n) => {
      const expected = row(n);
      expect(record[col('time')]).toBe(expected.time);
      expect(record[col('resourceId')]).toBe(expected.resourceId);
      expect(record[col('action')]).toBe(expected.action);
      expect(record[col('changes')]).toBe(n % 2 ? `displayName: Old, "${n}" → New ${n}` : '');
    });
    // A cell a spreadsheet would run as a formula is text.
    expect(records[3][col('userName')]).toBe("'=cmd|calc");
  });

  it('format=json answers every row as {"reports": [...]}, and a filter still applies', async () => {
    const res = await call('format=json&action=create');
    expect(res.headers['content-type']).toBe('application/json');
    const body = JSON.parse(res.body) as { reports: ReportRow[]; nextCursor?: string };
    expect(body.reports).toHaveLength(Math.ceil(ROWS / 2));
    expect(body.reports.every((r) => r.action === 'create')).toBe(true);
    expect(body.nextCursor).toBeUndefined();
  });

  it('an export larger than one response continues through X-Next-Cursor without losing or repeating a row', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let responses = 0;
    do {
      const res = await call(`format=csv${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { exportBytes: 30_000 });
      expect(res.status).toBe(200);
      const [header, ...records] = parseCsv(res.body);
      expect(header[0]).toBe('time');
      seen.push(...records.map((r) => r[header.indexOf('eventId')]));
      cursor = res.headers['x-next-cursor'];
      responses++;
    } while (cursor && responses < 20);
    expect(responses).toBeGreaterThan(1);
    expect(seen).toEqual(Array.from({ length: ROWS }, (_, n) => `ev-${n}:0`));
  });

  it('limit caps the rows of an export and says where to continue; a bad format is a 400 naming the choices', async () => {
    const res = await call('format=json&limit=700');
    const body = JSON.parse(res.body) as { reports: ReportRow[]; nextCursor?: string };
    expect(body.reports).toHaveLength(700);
    expect(body.nextCursor).toBe(res.headers['x-next-cursor']);
    const bad = await call('format=xlsx');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ scimType: 'invalidValue', detail: 'format must be one of csv, json.' });
  });
});
