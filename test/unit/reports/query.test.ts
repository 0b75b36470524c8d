import {
  decodeReportCursor,
  encodeReportCursor,
  keyInWindow,
  parseInstant,
  parseReportParams,
  resolveWindow,
} from '../../../lambdas/reports/query';
import { ScimError } from '../../../lambdas/scim/errors';

const NOW = new Date('2025-03-10T12:00:00.000Z');

const refusal = (fn: () => unknown): ScimError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
};

describe('parseReportParams', () => {
  it('defaults the limit to 50 and reads every filter', () => {
    expect(parseReportParams({ endUser: ' alice@contoso.com ', application: 'Entra ID', action: 'Create,disable', status: 'FAILURE' })).toEqual({
      endUser: 'alice@contoso.com',
      application: 'Entra ID',
      actions: ['create', 'disable'],
      status: 'failure',
      limit: 50,
      from: undefined,
      to: undefined,
      cursor: undefined,
    });
  });

  it.each([
    [{ limit: '0' }, 'limit must be a whole number from 1 to 500.'],
    [{ limit: '501' }, 'limit must be a whole number from 1 to 500.'],
    [{ limit: '10x' }, 'limit must be a whole number from 1 to 500.'],
    [{ action: 'create,explode' }, 'action "explode" is not one of'],
    [{ status: 'maybe' }, 'status must be one of success, failure.'],
    [{ user: 'alice' }, 'Unknown query parameter "user"'],
  ])('refuses %j with 400 invalidValue', (query, detail) => {
    const error = refusal(() => parseReportParams(query as Record<string, string>));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toContain(detail);
  });
});

describe('parseInstant', () => {
  it.each([
    ['30m', '2025-03-10T11:30:00.000Z'],
    ['24h', '2025-03-09T12:00:00.000Z'],
    ['7d', '2025-03-03T12:00:00.000Z'],
    ['now', '2025-03-10T12:00:00.000Z'],
    ['2025-03-01', '2025-03-01T00:00:00.000Z'],
    ['2025-03-01T08:15', '2025-03-01T08:15:00.000Z'],
    ['2025-03-01T08:15:30+01:00', '2025-03-01T07:15:30.000Z'],
  ])('reads from=%s', (value, iso) => {
    expect(parseInstant('from', value, NOW).toISOString()).toBe(iso);
  });

  it('reads a bare date as the end of that day for to', () => {
    expect(parseInstant('to', '2025-03-01', NOW).toISOString()).toBe('2025-03-01T23:59:59.999Z');
  });

  it.each(['yesterday', '2025-02-30', '2025-13-01', '2025-03-01T25:00', '24x', '1.5h'])('refuses %s with a clear message', (value) => {
    const error = refusal(() => parseInstant('from', value, NOW));
    expect(error.status).toBe(400);
    expect(error.detail).toContain(`from "${value}" is not a date`);
  });
});

describe('resolveWindow', () => {
  const params = { limit: 50 };

  it('defaults to the last 24 hours', () => {
    const window = resolveWindow(params, NOW, 90);
    expect(window).toEqual({ from: new Date('2025-03-09T12:00:00.000Z'), to: NOW });
  });

  it('refuses from after to', () => {
    expect(refusal(() => resolveWindow({ ...params, from: '2025-03-05', to: '2025-03-01' }, NOW, 90)).detail).toContain('is after to');
  });

  it('refuses a span that reaches beyond the retention', () => {
    expect(refusal(() => resolveWindow({ ...params, from: '31d' }, NOW, 30)).detail).toContain('beyond the report retention of 30 days');
    expect(resolveWindow({ ...params, from: '30d' }, NOW, 30).from.toISOString()).toBe('2025-02-08T12:00:00.000Z');
  });
});

describe('report cursor', () => {
  const params = { endUser: 'alice@contoso.com', from: '24h', limit: 10 };
  const key = '2025-03-10T11:00:00.000Z#ev1#0';

  it('round-trips the instant of the first page and the key to continue after', () => {
    const cursor = encodeReportCursor(params, { at: NOW, after: key });
    expect(decodeReportCursor({ ...params, cursor, limit: 25 }, new Date(NOW.getTime() + 60_000))).toEqual({ at: NOW, after: key });
  });

  it('refuses a cursor of another query, a stale one and garbage', () => {
    const cursor = encodeReportCursor(params, { at: NOW, after: key });
    expect(refusal(() => decodeReportCursor({ ...params, endUser: 'bob@contoso.com', cursor }, NOW)).detail).toContain('cursor is invalid');
    expect(refusal(() => decodeReportCursor({ ...params, cursor }, new Date(NOW.getTime() + 2 * 86_400_000))).status).toBe(400);
    expect(refusal(() => decodeReportCursor({ ...params, cursor: 'bm90LWpzb24' }, NOW)).status).toBe(400);
    const forged = Buffer.from(JSON.stringify({ v: 1, q: 'x', at: NOW.getTime(), k: 'APP#other' })).toString('base64url');
    expect(refusal(() => decodeReportCursor({ ...params, cursor: forged }, NOW)).status).toBe(400);
  });

  it('accepts only keys inside the window', () => {
    const window = { from: new Date('2025-03-09T12:00:00.000Z'), to: NOW };
    expect(keyInWindow(key, window)).toBe(true);
    expect(keyInWindow('2025-01-01T00:00:00.000Z#ev#0', window)).toBe(false);
  });
});
