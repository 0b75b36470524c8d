import type { NoteLookup, RequestNote } from '../../../lambdas/domain/entities';
import { deletionOf, isNotedRemoval, lookupsFor, notesWanted, ownersOfRemovedMembership } from '../../../lambdas/reports/batch-needs';
import { deriveRows, type DeriveContext } from '../../../lambdas/reports/events';
import { APP, CUSTOM, ENTERPRISE, GROUP_ID, USER_ID, change, failureItem, groupItem, membershipItem, stamp, userItem } from './fixtures';

const ctx: DeriveContext = { retentionDays: 90 };

/** Notes as store/notes.ts reads them: one deletion note, and removal notes of GROUP_ID in time order. */
const notes = (deletions: Record<string, RequestNote> = {}, removals: (RequestNote & { userIds: string[] })[] = []): NoteLookup => ({
  deletion: (kind, appId, id) => deletions[`${kind}|${appId}|${id}`],
  removal: (appId, groupId, userId, added, toleranceMs = 0) =>
    appId === APP && groupId === GROUP_ID
      ? removals.find((n) => n.userIds.includes(userId) && Date.parse(n.at) >= Date.parse(added ?? '') - toleranceMs)
      : undefined,
});

describe('deriveRows', () => {
  it('reports a user INSERT as create with every attribute as a new value', () => {
    const rows = deriveRows(change('INSERT', { newImage: userItem() }), ctx);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      time: '2025-03-01T10:00:00.000Z',
      appId: APP,
      appName: 'Entra ID',
      resourceType: 'User',
      resourceId: USER_ID,
      userName: 'alice@contoso.com',
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      action: 'create',
      status: 'success',
      requestId: 'req-create',
      sourceIp: '20.190.128.1',
      userAgent: 'Azure Active Directory SCIM Client',
      expiresAt: '2025-05-30T10:00:00.000Z',
    });
    expect(rows[0].changes).toEqual(
      expect.arrayContaining([
        { name: 'userName', new: 'alice@contoso.com' },
        { name: 'name.givenName', new: 'Alice' },
        { name: 'emails[type eq "work"].value', new: 'alice@contoso.com' },
        { name: 'emails[type eq "work"].primary', new: 'true' },
        { name: `${ENTERPRISE}:department`, new: 'Sales' },
      ]),
    );
    expect(rows[0].changes.find((c) => c.name === 'schemas')).toBeUndefined();
  });

  it('reports a MODIFY as update with old and new values of each changed SCIM path only', () => {
    const before = userItem();
    const after = userItem(
      { version: 2, lastModified: '2025-03-02T09:30:00.250Z', lastRequest: stamp('req-patch') },
      { name: { givenName: 'Alicia', familyName: 'Smith', formatted: 'Alice Smith' }, [ENTERPRISE]: { department: 'Marketing', employeeNumber: '701984' } },
    );
    const [row] = deriveRows(change('MODIFY', { oldImage: before, newImage: after }), ctx);
    expect(row.action).toBe('update');
    expect(row.time).toBe('2025-03-02T09:30:00.250Z');
    expect(row.requestId).toBe('req-patch');
    expect(row.changes).toEqual([
      { name: 'name.givenName', old: 'Alice', new: 'Alicia' },
      { name: `${ENTERPRISE}:department`, old: 'Sales', new: 'Marketing' },
    ]);
  });

  it('reports a rename of userName as update carrying the old userName', () => {
    const after = userItem({ userName: 'alice.smith@contoso.com', lastRequest: stamp('req-rename') }, { userName: 'alice.smith@contoso.com' });
    const [row] = deriveRows(change('MODIFY', { oldImage: userItem(), newImage: after }), ctx);
    expect(row).toMatchObject({ action: 'update', userName: 'alice.smith@contoso.com' });
    expect(row.changes).toEqual([{ name: 'userName', old: 'alice@contoso.com', new: 'alice.smith@contoso.com' }]);
  });

  it('reports active true → false as disable, keeping other changes of the same write in that one row', () => {
    const after = userItem({ active: false, lastRequest: stamp('req-disable') }, { active: false, displayName: 'Alice (left)' });
    const rows = deriveRows(change('MODIFY', { oldImage: userItem(), newImage: after }), ctx);
    expect(rows).toHaveLength(1);
    expect(rows[0].action).toBe('disable');
    expect(rows[0].changes).toEqual([
      { name: 'active', old: 'true', new: 'false' },
      { name: 'displayName', old: 'Alice Smith', new: 'Alice (left)' },
    ]);
  });

  it('reports active false → true as enable', () => {
    const before = userItem({ active: false }, { active: false });
    const [row] = deriveRows(change('MODIFY', { oldImage: before, newImage: userItem() }), ctx);
    expect(row.action).toBe('enable');
    expect(row.changes).toEqual([{ name: 'active', old: 'false', new: 'true' }]);
  });

  it('writes no row for a MODIFY that changed nothing a client can see (membership counter bump)', () => {
    const after = userItem({ version: 2, membershipVersion: 3, lastModified: '2025-03-02T00:00:00.000Z' });
    expect(deriveRows(change('MODIFY', { oldImage: userItem(), newImage: after }), ctx)).toEqual([]);
  });

  it('reports a user REMOVE as delete at the end of the record’s second, not attributed to the previous writer', () => {
    const [row] = deriveRows(change('REMOVE', { oldImage: userItem({ lastModified: '2025-03-01T14:00:00.700Z' }) }), ctx);
    expect(row).toMatchObject({ action: 'delete', userName: 'alice@contoso.com', appName: 'Entra ID', changes: [] });
    expect(row.requestId).toBeUndefined();
    expect(row.time).toBe('2025-03-01T14:00:00.999Z');
  });

  it('never times a REMOVE before the item’s last write (writer clock ahead of the stream)', () => {
    const [row] = deriveRows(change('REMOVE', { oldImage: userItem({ lastModified: '2025-03-01T14:00:02.250Z' }) }), ctx);
    expect(row.time).toBe('2025-03-01T14:00:02.250Z');
  });

  it('times and attributes a user delete by the note its request left: exact time, request id, source', () => {
    const note = { at: '2025-03-01T14:00:41.321Z', request: stamp('req-delete') };
    const [row] = deriveRows(change('REMOVE', { oldImage: userItem() }), { ...ctx, notes: notes({ [`User|${APP}|${USER_ID}`]: note }) });
    expect(row).toMatchObject({
      action: 'delete',
      time: '2025-03-01T14:00:41.321Z',
      requestId: 'req-delete',
      sourceIp: '20.190.128.1',
      userAgent: 'Azure Active Directory SCIM Client',
      appName: 'Entra ID',
    });
  });

  it('times a group delete by its note too', () => {
    const note = { at: '2025-03-01T14:05:41.002Z', request: stamp('req-group-delete') };
    const [row] = deriveRows(change('REMOVE', { oldImage: groupItem() }), { ...ctx, notes: notes({ [`Group|${APP}|${GROUP_ID}`]: note }) });
    expect(row).toMatchObject({ action: 'delete', resourceType: 'Group', time: '2025-03-01T14:05:41.002Z', requestId: 'req-group-delete' });
  });

  it('reports group create, rename and delete', () => {
    const created = deriveRows(change('INSERT', { newImage: groupItem() }), ctx)[0];
    expect(created).toMatchObject({ action: 'create', resourceType: 'Group', groupId: GROUP_ID, groupDisplayName: 'Sales Team' });
    expect(created.userName).toBeUndefined();

    const renamedItem = groupItem({
      displayName: 'Sales EMEA',
      resource: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Sales EMEA', externalId: 'grp-ext-1' },
      lastModified: '2025-03-03T08:00:00.000Z',
      lastRequest: stamp('req-rename-group'),
    });
    const [renamed] = deriveRows(change('MODIFY', { oldImage: groupItem(), newImage: renamedItem }), ctx);
    expect(renamed).toMatchObject({ action: 'rename', groupDisplayName: 'Sales EMEA', requestId: 'req-rename-group' });
    expect(renamed.changes).toEqual([{ name: 'displayName', old: 'Sales Team', new: 'Sales EMEA' }]);

    const [deleted] = deriveRows(change('REMOVE', { oldImage: renamedItem }), ctx);
    expect(deleted).toMatchObject({ action: 'delete', resourceType: 'Group', groupDisplayName: 'Sales EMEA' });
  });

  it('reports a group MODIFY that only bumped the version for a member change as nothing', () => {
    const after = groupItem({ version: 2, lastModified: '2025-03-03T00:00:00.000Z', lastRequest: stamp('req-members') });
    expect(deriveRows(change('MODIFY', { oldImage: groupItem(), newImage: after }), ctx)).toEqual([]);
  });

  it('reports a membership INSERT as member-added under the member’s userName', () => {
    const [row] = deriveRows(change('INSERT', { newImage: membershipItem() }), ctx);
    expect(row).toMatchObject({
      action: 'member-added',
      resourceType: 'Membership',
      resourceId: USER_ID,
      userName: 'alice@contoso.com',
      groupId: GROUP_ID,
      groupDisplayName: 'Sales Team',
      requestId: 'req-member',
      time: '2025-03-01T12:00:00.000Z',
    });
  });

  it('reports a membership REMOVE as member-removed, even when its user is deleted right after', () => {
    const deletedBefore: DeriveContext['deletedBefore'] = () => false;
    const [row] = deriveRows(change('REMOVE', { oldImage: membershipItem() }), { ...ctx, deletedBefore });
    expect(row).toMatchObject({ action: 'member-removed', userName: 'alice@contoso.com', groupDisplayName: 'Sales Team', resourceId: USER_ID });
    expect(row.requestId).toBeUndefined();
  });

  it('skips a membership REMOVE written after its group’s or user’s deletion began (reported by that delete)', () => {
    const groupGone: DeriveContext['deletedBefore'] = (kind, appId, id) => kind === 'Group' && appId === APP && id === GROUP_ID;
    const userGone: DeriveContext['deletedBefore'] = (kind, appId, id) => kind === 'User' && appId === APP && id === USER_ID;
    expect(deriveRows(change('REMOVE', { oldImage: membershipItem() }), { ...ctx, deletedBefore: groupGone })).toEqual([]);
    expect(deriveRows(change('REMOVE', { oldImage: membershipItem() }), { ...ctx, deletedBefore: userGone })).toEqual([]);
    expect(deriveRows(change('INSERT', { newImage: membershipItem() }), { ...ctx, deletedBefore: userGone })).toHaveLength(1);
  });

  it('times and attributes a member removal by its removal note, not by the add', () => {
    const removal = { at: '2025-03-01T15:09:09.456Z', request: stamp('req-remove'), userIds: ['u-other', USER_ID] };
    const [row] = deriveRows(change('REMOVE', { oldImage: membershipItem() }), { ...ctx, notes: notes({}, [removal]) });
    expect(row).toMatchObject({ action: 'member-removed', time: '2025-03-01T15:09:09.456Z', requestId: 'req-remove', sourceIp: '20.190.128.1' });
  });

  it('tells a noted removal from a membership REMOVE without one', () => {
    const removal = { at: '2025-03-01T15:09:09.456Z', request: stamp('req-remove'), userIds: [USER_ID] };
    expect(isNotedRemoval(change('REMOVE', { oldImage: membershipItem() }), notes({}, [removal]))).toBe(true);
    expect(isNotedRemoval(change('REMOVE', { oldImage: membershipItem({ userId: 'u-2' }) }), notes({}, [removal]))).toBe(false);
    expect(isNotedRemoval(change('REMOVE', { oldImage: userItem() }), notes({}, [removal]))).toBe(false);
  });

  it('ignores a removal note from before the membership was added (an earlier removal of the same member)', () => {
    const earlier = { at: '2025-03-01T11:00:00.000Z', request: stamp('req-old-remove'), userIds: [USER_ID] };
    const [row] = deriveRows(change('REMOVE', { oldImage: membershipItem() }), { ...ctx, notes: notes({}, [earlier]) });
    expect(row.requestId).toBeUndefined();
    expect(row.time).toBe('2025-03-01T14:00:00.999Z');
  });

  it('reports a noted removal even when the user was deleted right after it', () => {
    const removal = { at: '2025-03-01T13:00:00.000Z', request: stamp('req-remove'), userIds: [USER_ID] };
    const deletion = { at: '2025-03-01T13:00:01.000Z', request: stamp('req-delete') };
    const context = { ...ctx, deletedBefore: () => true, notes: notes({ [`User|${APP}|${USER_ID}`]: deletion }, [removal]) };
    expect(deriveRows(change('REMOVE', { oldImage: membershipItem() }), context)).toMatchObject([{ action: 'member-removed', requestId: 'req-remove' }]);
  });

  it('skips an unnoted membership REMOVE whose user or group left a deletion note (part of that delete)', () => {
    const deletion = { at: '2025-03-01T13:00:01.000Z', request: stamp('req-delete') };
    expect(deriveRows(change('REMOVE', { oldImage: membershipItem() }), { ...ctx, notes: notes({ [`User|${APP}|${USER_ID}`]: deletion }) })).toEqual([]);
    expect(deriveRows(change('REMOVE', { oldImage: membershipItem() }), { ...ctx, notes: notes({ [`Group|${APP}|${GROUP_ID}`]: deletion }) })).toEqual([]);
  });

  it('fills a membership’s missing userName from the lookup', () => {
    const lookup: DeriveContext['lookup'] = (kind) => (kind === 'User' ? { userName: 'alice@contoso.com', externalId: 'x-1' } : undefined);
    const [row] = deriveRows(change('INSERT', { newImage: membershipItem({ userName: undefined }) }), { ...ctx, lookup });
    expect(row).toMatchObject({ userName: 'alice@contoso.com', externalId: 'x-1' });
  });

  it('reports a Failure INSERT as a failure row with status, scimType and detail', () => {
    const [row] = deriveRows(change('INSERT', { newImage: failureItem() }), ctx);
    expect(row).toEqual({
      eventId: expect.stringMatching(/:0$/),
      sequenceNumber: expect.stringMatching(/^\d{21}$/),
      time: '2025-03-01T13:00:00.123Z',
      appId: APP,
      appName: 'Entra ID',
      resourceType: 'User',
      userName: 'alice@contoso.com',
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      action: 'create',
      status: 'failure',
      httpStatus: 409,
      scimType: 'uniqueness',
      detail: 'A user with userName "alice@contoso.com" already exists.',
      changes: [],
      requestId: 'req-dup',
      sourceIp: '20.190.128.1',
      userAgent: 'Azure Active Directory SCIM Client',
      expiresAt: '2025-05-30T13:00:01.000Z',
    });
  });

  it('fills a failure’s userName from the looked-up user when the request carried only an id', () => {
    const failure = failureItem({ action: 'update', userName: undefined, externalId: undefined, resourceId: USER_ID, httpStatus: 400 });
    const lookup: DeriveContext['lookup'] = (kind, appId, id) => (kind === 'User' && appId === APP && id === USER_ID ? { userName: 'alice@contoso.com' } : undefined);
    const [row] = deriveRows(change('INSERT', { newImage: failure }), { ...ctx, lookup });
    expect(row).toMatchObject({ userName: 'alice@contoso.com', resourceId: USER_ID, action: 'update', status: 'failure' });
  });

  it('ignores Failure REMOVEs, Unique and App items', () => {
    expect(deriveRows(change('REMOVE', { oldImage: failureItem() }), ctx)).toEqual([]);
    expect(deriveRows(change('INSERT', { newImage: { pk: 'x', sk: 'UNIQUE', type: 'Unique', appId: APP, ownerId: USER_ID } }), ctx)).toEqual([]);
    expect(deriveRows(change('MODIFY', { newImage: { pk: 'x', sk: 'APP', type: 'App', appId: APP, name: 'Entra ID' } }), ctx)).toEqual([]);
  });

  it('ignores TTL deletions', () => {
    expect(deriveRows(change('REMOVE', { oldImage: userItem() }, { byTtl: true }), ctx)).toEqual([]);
    expect(deriveRows(change('REMOVE', { oldImage: membershipItem() }, { byTtl: true }), ctx)).toEqual([]);
  });

  it('derives the same row ids and keys from the same record every time', () => {
    const record = change('MODIFY', { oldImage: userItem(), newImage: userItem({ active: false }, { active: false }) });
    const first = deriveRows(record, ctx);
    const again = deriveRows(structuredClone(record), ctx);
    expect(again).toEqual(first);
    expect(first[0].eventId).toBe(`${record.eventId}:0`);
    expect(first[0].sequenceNumber).toBe(record.sequenceNumber);
  });

  it('times a REMOVE from the record when the item carries no newer time', () => {
    const record = change('REMOVE', { oldImage: groupItem() }, { approximateCreationTime: Date.parse('2025-03-05T00:00:07Z') });
    expect(deriveRows(record, ctx)[0].time).toBe('2025-03-05T00:00:07.999Z');
  });

  it('masks password changes and truncates long values', () => {
    const after = userItem({}, { password: 'S3cret!Pass', nickName: 'x'.repeat(1000) });
    const [row] = deriveRows(change('MODIFY', { oldImage: userItem({}, { password: 'Old!Pass1' }), newImage: after }), ctx);
    expect(row.changes).toContainEqual({ name: 'password', old: '***', new: '***' });
    const nick = row.changes.find((c) => c.name === 'nickName')!;
    expect(nick.new).toHaveLength(256);
    expect(nick.new!.endsWith('…')).toBe(true);
    expect(JSON.stringify(row)).not.toContain('S3cret');
  });

  it('treats custom extension attributes as SCIM paths too', () => {
    const after = userItem({}, { [CUSTOM]: { costCenter: 'CC-42' } });
    const [row] = deriveRows(change('MODIFY', { oldImage: userItem(), newImage: after }), ctx);
    expect(row.changes).toEqual([{ name: `${CUSTOM}:costCenter`, new: 'CC-42' }]);
  });
});

describe('lookupsFor', () => {
  it('asks for nothing when a record carries every name', () => {
    expect(lookupsFor(change('INSERT', { newImage: membershipItem() }))).toEqual([]);
    expect(lookupsFor(change('REMOVE', { oldImage: membershipItem() }))).toEqual([]);
    expect(lookupsFor(change('INSERT', { newImage: userItem() }))).toEqual([]);
    expect(lookupsFor(change('INSERT', { newImage: failureItem() }))).toEqual([]);
  });

  it('asks for the names a membership or failure lacks', () => {
    expect(lookupsFor(change('REMOVE', { oldImage: membershipItem({ userName: undefined, groupDisplayName: undefined }) }))).toEqual([
      { kind: 'Group', appId: APP, id: GROUP_ID },
      { kind: 'User', appId: APP, id: USER_ID },
    ]);
    expect(lookupsFor(change('INSERT', { newImage: failureItem({ userName: undefined, resourceId: USER_ID }) }))).toEqual([
      { kind: 'User', appId: APP, id: USER_ID },
    ]);
  });
});

describe('deletionOf', () => {
  it('names the user or group a REMOVE deletes', () => {
    expect(deletionOf(change('REMOVE', { oldImage: userItem() }))).toEqual({ kind: 'User', appId: APP, id: USER_ID });
    expect(deletionOf(change('REMOVE', { oldImage: groupItem() }))).toEqual({ kind: 'Group', appId: APP, id: GROUP_ID });
  });

  it('names nothing for TTL deletes, memberships and ordinary writes', () => {
    expect(deletionOf(change('REMOVE', { oldImage: userItem() }, { byTtl: true }))).toBeUndefined();
    expect(deletionOf(change('REMOVE', { oldImage: membershipItem() }))).toBeUndefined();
    expect(deletionOf(change('MODIFY', { oldImage: userItem(), newImage: userItem({ version: 2 }) }))).toBeUndefined();
  });
});

describe('notesWanted', () => {
  it('asks for the deletion notes of deleted users and groups, and each group\'s removal notes since its earliest removed member was added', () => {
    const wanted = notesWanted([
      change('REMOVE', { oldImage: userItem() }),
      change('REMOVE', { oldImage: membershipItem({ added: '2025-03-01T12:00:00.000Z' }) }),
      change('REMOVE', { oldImage: membershipItem({ userId: 'u-2', added: '2025-03-01T09:00:00.000Z' }) }),
      change('INSERT', { newImage: membershipItem({ userId: 'u-3' }) }),
    ]);
    expect(wanted.deletions).toEqual([{ kind: 'User', appId: APP, id: USER_ID }]);
    expect(wanted.removals).toEqual([{ appId: APP, groupId: GROUP_ID, since: '2025-03-01T09:00:00.000Z' }]);
  });

  it('asks for nothing for writes and TTL deletes', () => {
    expect(notesWanted([change('INSERT', { newImage: userItem() }), change('REMOVE', { oldImage: userItem() }, { byTtl: true })])).toEqual({ deletions: [], removals: [] });
  });
});

describe('ownersOfRemovedMembership', () => {
  it('names the user and group of a membership REMOVE only', () => {
    expect(ownersOfRemovedMembership(change('REMOVE', { oldImage: membershipItem() }))).toEqual([
      { kind: 'User', appId: APP, id: USER_ID },
      { kind: 'Group', appId: APP, id: GROUP_ID },
    ]);
    expect(ownersOfRemovedMembership(change('INSERT', { newImage: membershipItem() }))).toEqual([]);
  });
});
