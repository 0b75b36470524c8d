import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { storedGroupsOf } from '../../../lambdas/domain/stored-groups';
import type { DirectoryChange } from '../../../lambdas/events/change';
import { deletionNotesWanted, deriveEvents } from '../../../lambdas/events/derive';
import { EVENT_ID_PATTERN } from '../../../lambdas/events/event-id';
import type { DirectoryEvent, MemberEvent } from '../../../lambdas/events/types';
import { toStreamChange } from '../../../lambdas/handlers/stream';
import type { GroupRef } from '../../../lambdas/profiles';
import { ADMINS, APP, EVERYONE, groupImage, insert, membershipImage, modify, remove, SALES, stamp, T0, T1, T2, userImage } from './fixtures';

const typesOf = (events: DirectoryEvent[]) => events.map((e) => e.type);
const only = (events: DirectoryEvent[]): DirectoryEvent => {
  expect(events).toHaveLength(1);
  return events[0];
};

describe('deriveEvents: users', () => {
  it('a user item storing only attributes and groups (issue 18) gives the same events as one storing the whole profile', () => {
    const whole = userImage({ externalId: 'ext-1', version: 3, lastModified: T1, lastRequest: stamp('req-1', { operation: 'createUser', at: T1 }) });
    const { attributes, groups } = whole.profile as { attributes: unknown; groups: unknown };
    const slim = { ...whole, profile: { attributes, groups } };
    const fromSlim = only(deriveEvents(insert(slim)));
    const fromWhole = only(deriveEvents(insert(whole)));
    expect(fromSlim.data).toEqual(whole.profile);
    expect({ ...fromSlim, id: '' }).toEqual({ ...fromWhole, id: '' });
  });

  it('a user INSERT is user.created with the profile as data and the request that created it', () => {
    const created = userImage({ lastRequest: stamp('req-1', { operation: 'createUser', requested: ['create'], applied: ['create'], at: T0 }) });
    const event = only(deriveEvents(insert(created)));
    expect(event).toEqual({
      id: expect.stringMatching(EVENT_ID_PATTERN),
      type: 'user.created',
      timestamp: T0,
      appId: APP,
      subject: { type: 'user', id: 'u-1', userName: 'alice@contoso.com' },
      sequence: 1,
      data: created.profile,
      previous: {},
      changes: [],
      request: { id: 'req-1', operation: 'createUser', requested: ['create'], applied: ['create'] },
    });
  });

  it('the subject carries the externalId when the user has one', () => {
    expect(only(deriveEvents(insert(userImage({ externalId: 'alice' })))).subject).toEqual({ type: 'user', id: 'u-1', externalId: 'alice', userName: 'alice@contoso.com' });
  });

  it('an attribute change is user.updated naming the attribute, with its old value in previous', () => {
    const before = userImage();
    const after = userImage({ version: 2, attributes: { department: 'Marketing' }, lastModified: T1, lastRequest: stamp('req-2') });
    const event = only(deriveEvents(modify(before, after)));
    expect(event).toMatchObject({
      type: 'user.updated',
      timestamp: T1,
      sequence: 2,
      changes: ['attributes.department'],
      previous: { department: 'Sales' },
      data: { attributes: { department: 'Marketing' }, version: 2 },
      request: { id: 'req-2', operation: 'updateUser', requested: ['update'], applied: ['update'] },
    });
  });

  it('a userName change is user.updated naming userName', () => {
    const after = userImage({ version: 2, userName: 'alice@fabrikam.com', lastModified: T1 });
    expect(only(deriveEvents(modify(userImage(), after)))).toMatchObject({
      type: 'user.updated',
      subject: { userName: 'alice@fabrikam.com' },
      changes: ['userName'],
      previous: { userName: 'alice@contoso.com' },
    });
  });

  it.each([
    ['only the request stamp changed', userImage({ version: 2, lastRequest: stamp('req-2'), lastModified: T1 })],
    ['only membershipVersion changed (a member add written before profiles kept groups)', userImage({ membershipVersion: 1 })],
    ['a SCIM attribute the mapping does not read changed', { ...userImage({ version: 2 }), resource: { userName: 'alice@contoso.com', nickName: 'Al' } }],
    ['a group the user is in was renamed', userImage({ version: 1, groups: [{ ...SALES, displayName: 'Sales EMEA' }] })],
  ])('a MODIFY in which %s yields no event', (_, after) => {
    const before = userImage({ groups: after.profile?.groups.length ? [SALES] : [] });
    expect(deriveEvents(modify(before, after))).toEqual([]);
  });

  it('a deactivation is user.deactivated, never user.updated', () => {
    const event = only(deriveEvents(modify(userImage(), userImage({ version: 2, active: false }))));
    expect(event).toMatchObject({ type: 'user.deactivated', changes: ['active'], previous: { active: true }, data: { active: false } });
  });

  it('a reactivation is user.reactivated', () => {
    const event = only(deriveEvents(modify(userImage({ active: false }), userImage({ version: 2, active: true }))));
    expect(event).toMatchObject({ type: 'user.reactivated', changes: ['active'], previous: { active: false } });
  });

  it('a change that deactivates and moves the department is one user.deactivated listing both', () => {
    const after = userImage({ version: 2, active: false, attributes: { department: 'Alumni' } });
    const event = only(deriveEvents(modify(userImage(), after)));
    expect(event).toMatchObject({
      type: 'user.deactivated',
      sequence: 2,
      changes: ['active', 'attributes.department'],
      previous: { active: true, department: 'Sales' },
      data: { active: false, attributes: { department: 'Alumni' } },
    });
  });

  it('a DELETE converted to a deactivation (delete: "deactivate") is user.deactivated, not user.deleted, and says a delete was asked', () => {
    const converted = stamp('req-del', { operation: 'deleteUser', requested: ['delete'], applied: ['deactivate'], at: T2 });
    const event = only(deriveEvents(modify(userImage(), userImage({ version: 2, active: false, lastModified: T2, lastRequest: converted }))));
    expect(event).toMatchObject({
      type: 'user.deactivated',
      timestamp: T2,
      request: { id: 'req-del', operation: 'deleteUser', requested: ['delete'], applied: ['deactivate'] },
    });
  });

  it('an update converted to its deactivation alone (update off) says what was requested and what was applied', () => {
    const converted = stamp('req-3', { operation: 'updateUser', requested: ['update', 'deactivate'], applied: ['deactivate'] });
    const event = only(deriveEvents(modify(userImage(), userImage({ version: 2, active: false, lastRequest: converted }))));
    expect(event).toMatchObject({ type: 'user.deactivated', changes: ['active'], request: { requested: ['update', 'deactivate'], applied: ['deactivate'] } });
  });

  it('a user REMOVE is user.deleted with the last profile, the deleting request from its note, and the sequence after the last write', () => {
    const before = userImage({ version: 4, membershipVersion: 2, groups: [SALES] });
    const note = { at: T2, request: stamp('req-del', { operation: 'deleteUser', requested: ['delete'], applied: ['delete'] }) };
    const event = only(deriveEvents(remove(before), { deletionNote: (kind, appId, id) => (kind === 'User' && appId === APP && id === 'u-1' ? note : undefined) }));
    expect(event).toMatchObject({
      type: 'user.deleted',
      timestamp: T2,
      sequence: 7,
      data: before.profile,
      changes: [],
      previous: {},
      request: { id: 'req-del', operation: 'deleteUser', requested: ['delete'], applied: ['delete'] },
    });
  });

  it('a user REMOVE without a note has the record time and no request id, never the previous writer’s', () => {
    const event = only(deriveEvents(remove(userImage({ lastRequest: stamp('req-earlier') }))));
    expect(event).toMatchObject({ type: 'user.deleted', timestamp: '2024-05-31T07:30:00.000Z', request: { id: null, operation: 'deleteUser' } });
  });

  it('a write that does not stamp the item names no request', () => {
    const before = userImage({ lastRequest: stamp('req-earlier') });
    const after = userImage({ version: 2, active: false, lastRequest: stamp('req-earlier') });
    expect(only(deriveEvents(modify(before, after))).request.id).toBeNull();
  });

  it('without stored profiles only userName, externalId and active are compared', () => {
    const before = userImage({ withProfile: false });
    const moved = { ...userImage({ version: 2, withProfile: false }), resource: { userName: 'alice@contoso.com', title: 'CFO' } };
    expect(deriveEvents(modify(before, moved))).toEqual([]);
    const renamed = userImage({ version: 2, withProfile: false, externalId: 'alice' });
    expect(only(deriveEvents(modify(before, renamed)))).toMatchObject({ type: 'user.updated', changes: ['externalId'], previous: { externalId: null } });
  });

  it('the first write that stores a profile reports no attribute as new', () => {
    expect(deriveEvents(modify(userImage({ withProfile: false }), userImage({ version: 2 })))).toEqual([]);
  });
});

describe('deriveEvents: membership', () => {
  it('a group added to the user’s profile is group.member_added about the member, with the group and the user as of the event', () => {
    const before = userImage({ groups: [ADMINS] });
    const after = userImage({ groups: [ADMINS, SALES], membershipVersion: 1, lastRequest: stamp('req-m', { operation: 'updateGroup', at: T1 }) });
    const event = only(deriveEvents(modify(before, after))) as MemberEvent;
    expect(event).toMatchObject({
      type: 'group.member_added',
      subject: { type: 'user', id: 'u-1', userName: 'alice@contoso.com' },
      sequence: 2,
      timestamp: T1,
      data: { group: SALES, user: { id: 'u-1', groups: [ADMINS, SALES] } },
      previous: { groups: [ADMINS] },
      changes: ['groups'],
      request: { id: 'req-m', operation: 'updateGroup', requested: ['groups'], applied: ['groups'] },
    });
  });

  it('a group removed is group.member_removed', () => {
    const event = only(deriveEvents(modify(userImage({ groups: [ADMINS, SALES] }), userImage({ groups: [ADMINS], membershipVersion: 1 }))));
    expect(event).toMatchObject({ type: 'group.member_removed', data: { group: SALES, user: { groups: [ADMINS] } }, previous: { groups: [ADMINS, SALES] } });
  });

  it('reads groups stored as a map (id → display name), and a list before beside a map after, the same way', () => {
    const asMap = (image: ReturnType<typeof userImage>) => ({
      ...image,
      profile: { ...(image.profile as object), groups: storedGroupsOf((image.profile as { groups: GroupRef[] }).groups) },
    });
    const before = userImage({ groups: [ADMINS, SALES] });
    const after = userImage({ groups: [ADMINS], membershipVersion: 1 });
    // One stream record id for the three, so the events' ids (derived from it) match too.
    const listed = deriveEvents(modify(before, after, 'rec-map'));
    expect(deriveEvents(modify(asMap(before), asMap(after), 'rec-map'))).toEqual(listed);
    expect(deriveEvents(modify(before, asMap(after), 'rec-map'))).toEqual(listed);
    expect(only(listed)).toMatchObject({ type: 'group.member_removed', data: { group: SALES, user: { groups: [ADMINS] } } });
  });

  it('several groups in one write are one event each: removals then additions, consecutive sequences ending at the counter, distinct ids', () => {
    const before = userImage({ version: 3, membershipVersion: 4, groups: [ADMINS] });
    const after = userImage({ version: 3, membershipVersion: 7, groups: [EVERYONE, SALES] });
    const events = deriveEvents(modify(before, after)) as MemberEvent[];
    expect(events.map((e) => [e.type, e.data.group.id, e.sequence])).toEqual([
      ['group.member_removed', 'g-2', 8],
      ['group.member_added', 'g-1', 9],
      ['group.member_added', 'g-3', 10],
    ]);
    expect(events.map((e) => e.data.user.groups.map((g) => g.id))).toEqual([[], ['g-1'], ['g-3', 'g-1']]);
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
  });

  it('a write that changes attributes and groups yields the user event first, then the membership events', () => {
    const before = userImage({ groups: [] });
    const after = userImage({ version: 2, membershipVersion: 1, attributes: { department: 'Marketing' }, groups: [SALES] });
    const events = deriveEvents(modify(before, after));
    expect(events.map((e) => [e.type, e.sequence])).toEqual([
      ['user.updated', 2],
      ['group.member_added', 3],
    ]);
    expect((events[0].data as { groups: unknown[] }).groups).toEqual([]);
  });

  it('membership items yield no event (the member’s user item announces it)', () => {
    expect(deriveEvents(insert(membershipImage()))).toEqual([]);
    expect(deriveEvents(remove(membershipImage()))).toEqual([]);
  });

  it('a user deleted while in groups yields user.deleted alone', () => {
    expect(typesOf(deriveEvents(remove(userImage({ groups: [SALES, ADMINS] }))))).toEqual(['user.deleted']);
  });
});

describe('deriveEvents: groups', () => {
  it('a group INSERT is group.created with the group snapshot', () => {
    const event = only(deriveEvents(insert(groupImage({ externalId: 'sales', lastRequest: stamp('req-g', { operation: 'createGroup' }) }))));
    expect(event).toEqual({
      id: expect.stringMatching(EVENT_ID_PATTERN),
      type: 'group.created',
      timestamp: T0,
      appId: APP,
      subject: { type: 'group', id: 'g-1', externalId: 'sales', displayName: 'Sales' },
      sequence: 1,
      data: { id: 'g-1', displayName: 'Sales', externalId: 'sales', version: 1, updatedAt: T0 },
      previous: {},
      changes: [],
      request: { id: 'req-g', operation: 'createGroup', requested: ['groups'], applied: ['groups'] },
    });
  });

  it('a rename is group.updated with the old displayName', () => {
    const event = only(deriveEvents(modify(groupImage(), groupImage({ version: 2, displayName: 'Sales EMEA', lastModified: T1, lastRequest: stamp('req-r') }))));
    expect(event).toMatchObject({ type: 'group.updated', sequence: 2, timestamp: T1, changes: ['displayName'], previous: { displayName: 'Sales' }, data: { displayName: 'Sales EMEA' } });
  });

  it('a member change, which only bumps the group’s version, yields no group event', () => {
    expect(deriveEvents(modify(groupImage(), groupImage({ version: 2, lastModified: T1, lastRequest: stamp('req-m') })))).toEqual([]);
  });

  it('a group REMOVE is group.deleted with the sequence after its version and the request from its note', () => {
    const event = only(deriveEvents(remove(groupImage({ version: 5 })), { deletionNote: (kind) => (kind === 'Group' ? { at: T2, request: stamp('req-gd') } : undefined) }));
    expect(event).toMatchObject({ type: 'group.deleted', sequence: 6, timestamp: T2, request: { id: 'req-gd', operation: 'deleteGroup' } });
  });
});

describe('deriveEvents: records that are not directory events', () => {
  it.each([
    ['a TTL deletion', { ...remove(userImage()), byTtl: true }],
    ['an application item', insert({ pk: 'APP#a', sk: 'APP', type: 'App', appId: 'a' })],
    ['a uniqueness sentinel', insert({ pk: 'APP#a#UNIQUE#USERNAME#x', sk: 'UNIQUE', type: 'Unique', appId: 'a', ownerId: 'u' })],
    ['a user image without a version', insert({ ...userImage(), version: 'one' })],
    ['a user image without an id', insert({ ...userImage(), id: '' })],
    ['a record without images', { eventId: 'r', eventName: 'MODIFY' as const, sequenceNumber: '1' }],
  ])('%s yields nothing', (_, change) => {
    expect(deriveEvents(change)).toEqual([]);
  });
});

describe('deriveEvents: ids', () => {
  it('a redelivered record yields the same events, ids included', () => {
    const change = modify(userImage(), userImage({ version: 2, active: false }), 'rec-fixed');
    expect(deriveEvents({ ...change })).toEqual(deriveEvents(change));
  });

  it('different records yield different ids, even for the same type and subject', () => {
    const a = only(deriveEvents(modify(userImage(), userImage({ version: 2, active: false }), 'rec-a')));
    const b = only(deriveEvents(modify(userImage(), userImage({ version: 2, active: false }), 'rec-b')));
    expect(a.id).not.toBe(b.id);
  });
});

describe('deletionNotesWanted', () => {
  it('names the users and groups a batch’s REMOVEs delete, and nothing else', () => {
    const changes = [remove(userImage()), remove(groupImage()), remove(membershipImage()), insert(userImage({ id: 'u-2' })), { ...remove(userImage({ id: 'u-3' })), byTtl: true }];
    expect(deletionNotesWanted(changes)).toEqual([
      { kind: 'User', appId: APP, id: 'u-1' },
      { kind: 'Group', appId: APP, id: 'g-1' },
    ]);
  });
});

/** An item as a stream record carries it (the aws-lambda types spell AttributeValue their own way). */
const streamImage = (item: object) => marshall(item, { removeUndefinedValues: true }) as unknown as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];

describe('deriveEvents: from a DynamoDB stream record', () => {
  it('takes what the report writer’s toStreamChange makes of a real record', () => {
    const before = userImage();
    const after = userImage({ version: 2, active: false, lastModified: T1 });
    const record: DynamoDBRecord = {
      eventID: 'e7a3c',
      eventName: 'MODIFY',
      dynamodb: {
        ApproximateCreationDateTime: 1717139100,
        SequenceNumber: '4000000000000000001',
        OldImage: streamImage(before),
        NewImage: streamImage(after),
      },
    };
    const change: DirectoryChange = toStreamChange(record);
    expect(deriveEvents(change)).toEqual(deriveEvents(modify(before, after, 'e7a3c')));
    expect(only(deriveEvents(change))).toMatchObject({ type: 'user.deactivated', timestamp: T1, sequence: 2 });
  });
});
