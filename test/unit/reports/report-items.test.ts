import type { ReportRow } from '../../../lambdas/domain/report-row';
import { fitItem, fromItem, MAX_ITEM_BYTES, toItem, topItemBytes } from '../../../lambdas/store/report-items';
import { APP } from './fixtures';

const row = (overrides: Partial<ReportRow> = {}): ReportRow => ({
  eventId: 'c4ca4238a0b923820dcc509a6f75849b:0',
  sequenceNumber: '000000000000000000417',
  time: '2025-03-01T10:00:00.123Z',
  appId: APP,
  appName: 'Entra ID',
  resourceType: 'User',
  resourceId: 'u-1',
  userName: 'Alice@Contoso.com',
  externalId: 'ext-1',
  action: 'update',
  status: 'success',
  changes: [{ name: 'title', old: 'Rep', new: 'Lead' }],
  requestId: 'req-1',
  sourceIp: '20.190.128.1',
  userAgent: 'Azure Active Directory SCIM Client',
  expiresAt: '2025-05-30T10:00:01.000Z',
  ...overrides,
});

describe('report items', () => {
  it('keys a row by application and day, time, stream position and event, and its end user lower-cased', () => {
    const item = toItem(row());
    expect(item.pk).toBe(`APP#${APP}#DAY#2025-03-01`);
    expect(item.sk).toBe(`2025-03-01T10:00:00.123Z#${'417'.padStart(40, '0')}#c4ca4238a0b923820dcc509a6f75849b#0`);
    expect(item.userKey).toBe('USER#alice@contoso.com');
    expect(item.ttl).toBe(Date.parse('2025-05-30T10:00:01.000Z') / 1000);
  });

  it('reads back the same row it wrote (the sequence number without its padding)', () => {
    expect(fromItem(toItem(row()))).toEqual(row({ sequenceNumber: '417' }));
  });

  it('orders rows of the same instant by stream sequence number', () => {
    const early = toItem(row({ sequenceNumber: '99999999999999999999' }));
    const late = toItem(row({ sequenceNumber: '100000000000000000000', eventId: 'a:0' }));
    expect(early.sk < late.sk).toBe(true);
  });

  it('leaves rows that name no end user out of the byUser index', () => {
    const item = toItem(row({ resourceType: 'Group', userName: undefined, groupId: 'g-1', groupDisplayName: 'Sales' }));
    expect(item.userKey).toBeUndefined();
  });

  it('keeps a typical update row well under 1 KB', () => {
    expect(topItemBytes(toItem(row()))).toBeLessThan(600);
  });

  it('shrinks the changes of a large create to fit the budget and says how many were left out', () => {
    const changes = Array.from({ length: 40 }, (_, i) => ({ name: `urn:ietf:params:scim:schemas:extension:Big:2.0:User:attr${i}`, new: 'v'.repeat(200) }));
    const item = toItem(row({ action: 'create', changes }));
    expect(topItemBytes(item)).toBeLessThanOrEqual(MAX_ITEM_BYTES);
    const kept = item.changes as { name: string; new?: string }[];
    expect(kept.length).toBeGreaterThan(1);
    expect(kept[kept.length - 1]).toEqual({ name: '…', new: `${40 - (kept.length - 1)} more changed attributes not kept` });
    expect(kept[0].new!.length).toBeLessThanOrEqual(64);
  });

  it('does not touch an item that already fits', () => {
    const item = toItem(row());
    expect(fitItem(item)).toBe(item);
  });
});
