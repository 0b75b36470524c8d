/**
 * What report rows say about a request's outcome beyond its changes: the HTTP status a success
 * answered (recorded in the write's stamp), the row of a request the provisioning features
 * answered without a write (an unapplied-request item), and the one row of a finished profile
 * recompute (the job item's record that set it done).
 */
import type { NoteLookup } from '../../../lambdas/domain/entities';
import { deriveRows, type DeriveContext } from '../../../lambdas/reports/events';
import { recomputeRow } from '../../../lambdas/reports/recompute';
import { keys } from '../../../lambdas/store/keys';
import { unappliedItemOf } from '../../../lambdas/store/unapplied-requests';
import { APP, USER_ID, change, groupItem, membershipItem, stamp, userItem } from './fixtures';

const ctx: DeriveContext = { retentionDays: 90 };
const withStatus = (requestId: string, status: number) => ({ ...stamp(requestId), status });

describe('deriveRows: the HTTP status of a success', () => {
  it('takes each success row\'s status from its write\'s stamp: 201 create, 200 update, 204 group PATCH member add', () => {
    const created = userItem({ lastRequest: withStatus('req-create', 201) });
    expect(deriveRows(change('INSERT', { newImage: created }), ctx)[0]).toMatchObject({ action: 'create', status: 'success', httpStatus: 201 });
    const updated = userItem({ version: 2, lastRequest: withStatus('req-update', 200) }, { displayName: 'Alice S.' });
    expect(deriveRows(change('MODIFY', { oldImage: created, newImage: updated }), ctx)[0]).toMatchObject({ action: 'update', httpStatus: 200 });
    const added = membershipItem({ lastRequest: withStatus('req-member', 204) });
    expect(deriveRows(change('INSERT', { newImage: added }), ctx)[0]).toMatchObject({ action: 'member-added', httpStatus: 204 });
    const renamed = groupItem({ displayName: 'Sales', version: 2, lastRequest: withStatus('req-put', 200) });
    expect(deriveRows(change('MODIFY', { oldImage: groupItem(), newImage: renamed }), ctx)[0]).toMatchObject({ action: 'rename', httpStatus: 200 });
  });

  it('takes a delete\'s status from its note (the old image holds the previous writer\'s), and gives none without a note', () => {
    const notes: NoteLookup = { deletion: () => ({ at: '2025-03-01T14:00:41.321Z', request: withStatus('req-delete', 204) }), removal: () => undefined };
    const removed = change('REMOVE', { oldImage: userItem({ lastRequest: withStatus('req-create', 201) }) });
    expect(deriveRows(removed, { ...ctx, notes })[0]).toMatchObject({ action: 'delete', requestId: 'req-delete', httpStatus: 204 });
    expect(deriveRows(removed, ctx)[0].httpStatus).toBeUndefined();
  });

  it('leaves the status out for writes stamped before stamps carried it', () => {
    expect(deriveRows(change('INSERT', { newImage: userItem() }), ctx)[0]).not.toHaveProperty('httpStatus');
  });
});

describe('deriveRows: a request the provisioning features answered without a write', () => {
  const ignored = unappliedItemOf(
    APP,
    {
      resourceType: 'User',
      resourceId: USER_ID,
      userName: 'alice@contoso.com',
      externalId: 'alice',
      action: 'delete',
      detail: 'The delete was answered and nothing was changed (provisioning feature "delete": "ignore").',
      stamp: { ...withStatus('req-ignored', 204), operation: 'deleteUser', requested: ['delete'], applied: [], at: '2025-03-01T14:02:03.456Z' },
    },
    new Date('2025-03-01T14:02:03.456Z'),
  );

  it('is keyed by its request and lives a day', () => {
    expect(ignored).toMatchObject({ ...keys.unapplied(APP, 'req-ignored'), type: 'Unapplied', ttl: Date.parse('2025-03-02T14:02:03Z') / 1000 });
  });

  it('reports its INSERT as a success row: delete requested, nothing applied, why, and the 204 the client got', () => {
    const rows = deriveRows(change('INSERT', { newImage: ignored as unknown as Record<string, unknown> }), ctx);
    expect(rows).toEqual([
      expect.objectContaining({
        time: '2025-03-01T14:02:03.456Z',
        appId: APP,
        appName: 'Entra ID',
        resourceType: 'User',
        resourceId: USER_ID,
        userName: 'alice@contoso.com',
        externalId: 'alice',
        action: 'delete',
        status: 'success',
        httpStatus: 204,
        requested: ['delete'],
        applied: [],
        detail: 'The delete was answered and nothing was changed (provisioning feature "delete": "ignore").',
        requestId: 'req-ignored',
        sourceIp: '20.190.128.1',
        changes: [],
      }),
    ]);
  });

  it('makes no row of its TTL removal', () => {
    expect(deriveRows(change('REMOVE', { oldImage: ignored as unknown as Record<string, unknown> }, { byTtl: true }), ctx)).toEqual([]);
    expect(deriveRows(change('REMOVE', { oldImage: ignored as unknown as Record<string, unknown> }), ctx)).toEqual([]);
  });
});

describe('recomputeRow and deriveRows: a finished profile recompute', () => {
  const job = (overrides: Record<string, unknown> = {}) => ({
    ...keys.recomputeJob(APP),
    type: 'RecomputeJob',
    appId: APP,
    mappingVersion: 3,
    state: 'running',
    pass: 1,
    processed: 0,
    updated: 0,
    failed: 0,
    failures: [],
    startedAt: '2025-03-01T15:00:00.000Z',
    passStartedAt: '2025-03-01T15:00:00.000Z',
    settledAt: '2025-03-01T15:01:00.000Z',
    ...overrides,
  });
  const done = (overrides: Record<string, unknown> = {}) => job({ state: 'done', finishedAt: '2025-03-01T15:03:12.345Z', processed: 10_250, updated: 10_000, ...overrides });

  it('reports the record that set the job done as one application row with the counts', () => {
    const rows = deriveRows(change('MODIFY', { oldImage: job({ processed: 10_000, pass: 2 }), newImage: done() }), ctx);
    expect(rows).toEqual([
      expect.objectContaining({
        time: '2025-03-01T15:03:12.345Z',
        appId: APP,
        resourceType: 'Application',
        action: 'recompute-profiles',
        status: 'success',
        recompute: { mappingVersion: 3, users: 10_250, rewritten: 10_000, failed: 0 },
        detail: 'Attribute mapping version 3 applied to every profile: 10,250 users read, 10,000 profiles rewritten.',
        changes: [],
      }),
    ]);
  });

  it('is a failure row naming the first users that kept their previous profile when some could not be computed', () => {
    const failures = [1, 2, 3, 4].map((n) => ({ id: `u${n}`, detail: `bad value ${n}` }));
    const row = recomputeRow(job(), done({ failed: 4, failures }));
    expect(row).toMatchObject({ status: 'failure', recompute: { failed: 4 } });
    expect(row?.detail).toBe(
      'Attribute mapping version 3 applied to every profile: 10,250 users read, 10,000 profiles rewritten, 4 users kept the previous profile (u1: bad value 1; u2: bad value 2; u3: bad value 3; …).',
    );
  });

  it('makes no row of the job\'s start, its progress, a done job written again, or a newer job replacing a done one', () => {
    expect(deriveRows(change('INSERT', { newImage: job() }), ctx)).toEqual([]);
    expect(deriveRows(change('MODIFY', { oldImage: job(), newImage: job({ processed: 250, updated: 250 }) }), ctx)).toEqual([]);
    expect(deriveRows(change('MODIFY', { oldImage: done(), newImage: done() }), ctx)).toEqual([]);
    expect(deriveRows(change('MODIFY', { oldImage: done(), newImage: job({ mappingVersion: 4 }) }), ctx)).toEqual([]);
    expect(recomputeRow(job(), { ...done(), finishedAt: 'soon' })).toBeUndefined();
  });

  it('derives the same row id from the same record every time (a redelivered record rewrites its row)', () => {
    const record = change('MODIFY', { oldImage: job(), newImage: done() });
    expect(deriveRows(record, ctx)).toEqual(deriveRows(record, ctx));
  });
});

