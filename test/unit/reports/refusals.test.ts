import { deriveRows } from '../../../lambdas/reports/events';
import { toItem } from '../../../lambdas/store/report-items';
import { keys } from '../../../lambdas/store/keys';
import { APP, change } from './fixtures';

const counter = (count: number, overrides: Record<string, unknown> = {}) => ({
  ...keys.authRefusal(APP, 'other-application', '2026-06-01T12:00'),
  type: 'AuthRefusal',
  appId: APP,
  appName: 'Entra ID',
  reason: 'other-application',
  minute: '2026-06-01T12:00',
  firstAt: '2026-06-01T12:00:07.125Z',
  lastAt: '2026-06-01T12:00:59.000Z',
  count,
  httpStatus: 403,
  request: 'GET /Users',
  ttl: 1780000000,
  ...overrides,
});

describe('refused connections as report rows', () => {
  it('turns a refusal counter into one authenticate failure row at its first refusal, with reason, count and what to check', () => {
    expect(deriveRows(change('INSERT', { newImage: counter(1) }), { retentionDays: 90 })).toEqual([
      {
        eventId: 'refused.other-application.202606011200:0',
        time: '2026-06-01T12:00:07.125Z',
        appId: APP,
        appName: 'Entra ID',
        resourceType: 'Connection',
        action: 'authenticate',
        status: 'failure',
        httpStatus: 403,
        reason: 'other-application',
        count: 1,
        detail: 'the Secret Token belongs to another application: use the Tenant URL and Secret Token of the same application',
        changes: [],
        expiresAt: '2026-08-30T12:00:08.000Z',
      },
    ]);
  });

  it('gives every record of one counter the same row key, so the row is rewritten with the latest count, not repeated', () => {
    const first = deriveRows(change('INSERT', { newImage: counter(1) }), { retentionDays: 90 });
    const later = deriveRows(change('MODIFY', { oldImage: counter(1), newImage: counter(17) }), { retentionDays: 90 });
    expect(toItem(later[0]).sk).toBe(toItem(first[0]).sk);
    expect(toItem(later[0]).pk).toBe(toItem(first[0]).pk);
    expect(later[0].count).toBe(17);
  });

  it('writes no row for a counter with an unknown reason, or for its TTL delete', () => {
    expect(deriveRows(change('INSERT', { newImage: counter(1, { reason: 'bribery' }) }), { retentionDays: 90 })).toEqual([]);
    expect(deriveRows(change('REMOVE', { oldImage: counter(3) }, { byTtl: true }), { retentionDays: 90 })).toEqual([]);
  });
});
