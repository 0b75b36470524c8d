import fc from 'fast-check';
import { deriveEvents } from '../../../lambdas/events/derive';
import { directoryGroupOf, directoryMemberOf, directoryUserOf, eventPage, listPage, recentEventPage } from '../../../lambdas/events/directory-resources';
import type { DirectoryEvent, GroupSnapshot } from '../../../lambdas/events/types';
import type { Profile } from '../../../lambdas/profiles';
import { groupImage, insert, modify, userImage } from './fixtures';
import { lifecycle, op } from './lifecycle';

const snapshotOf = (event: DirectoryEvent): Profile | GroupSnapshot => ('user' in event.data ? event.data.user : event.data);

describe('directory resources', () => {
  it('a user reads as its profile with the sequence of its latest change', () => {
    const item = userImage({ version: 3, membershipVersion: 2, externalId: 'alice' });
    expect(directoryUserOf(item)).toEqual({ ...item.profile, sequence: 5 });
    expect(directoryMemberOf(item)).toEqual({ id: 'u-1', userName: 'alice@contoso.com', externalId: 'alice' });
  });

  it('a group reads as its snapshot with its version as sequence', () => {
    expect(directoryGroupOf(groupImage({ version: 4 }))).toEqual({ id: 'g-1', displayName: 'Sales', version: 4, updatedAt: '2024-05-31T07:00:00.000Z', sequence: 4 });
  });

  it('other items read as nothing', () => {
    expect(directoryUserOf(groupImage())).toBeUndefined();
    expect(directoryGroupOf(userImage())).toBeUndefined();
    expect(directoryMemberOf({ type: 'Membership' })).toBeUndefined();
  });

  it('the read API agrees with the last event of each user: the same profile, and the same sequence when the last write was visible (fast-check)', () => {
    const withoutStamp = ({ version: _v, updatedAt: _u, ...rest }: { version: number; updatedAt: string }) => rest;
    fc.assert(
      fc.property(fc.array(op, { maxLength: 20 }), (ops) => {
        const { changes, visible, last } = lifecycle(ops, false);
        const events = changes.flatMap((change) => deriveEvents(change));
        const latest = events.at(-1)!;
        const read = directoryUserOf(last)!;
        expect(withoutStamp(read)).toEqual({ ...withoutStamp(snapshotOf(latest)), sequence: read.sequence });
        // Writes nobody sees (a department set to its value) still grow the counter: never below the last event.
        expect(read.sequence).toBeGreaterThanOrEqual(latest.sequence);
        if (visible.at(-1)) expect(read).toEqual({ ...snapshotOf(latest), sequence: latest.sequence });
      }),
    );
  });

  it('and with the last event of a group', () => {
    const created = groupImage();
    const renamed = groupImage({ version: 2, displayName: 'Sales EMEA' });
    const membersOnly = groupImage({ version: 3, displayName: 'Sales EMEA' });
    const latest = [insert(created), modify(created, renamed), modify(renamed, membersOnly)].flatMap((c) => deriveEvents(c)).at(-1)!;
    const read = directoryGroupOf(membersOnly)!;
    expect(read).toEqual({ ...latest.data, version: 3, sequence: 3 });
    expect(read.sequence).toBeGreaterThan(latest.sequence);
  });
});

describe('pages', () => {
  const events = ['evt_1', 'evt_2', 'evt_3'].map((id) => ({ id }) as DirectoryEvent);

  it('a list page says null when there is no next page', () => {
    expect(listPage([1, 2], undefined)).toEqual({ data: [1, 2], nextCursor: null });
    expect(listPage([1, 2], 'abc')).toEqual({ data: [1, 2], nextCursor: 'abc' });
  });

  it('an event page keeps limit events, says whether more follow, and where to go on from', () => {
    expect(eventPage(events, { limit: 2 })).toEqual({ data: events.slice(0, 2), hasMore: true, nextAfter: 'evt_2' });
    expect(eventPage(events, { limit: 3 })).toEqual({ data: events, hasMore: false, nextAfter: 'evt_3' });
  });

  it('an empty event page goes on from where it was asked, so a follower loops on nextAfter alone', () => {
    expect(eventPage([], { after: 'evt_9', limit: 10 })).toEqual({ data: [], hasMore: false, nextAfter: 'evt_9' });
    expect(eventPage([], { limit: 10 })).toEqual({ data: [], hasMore: false, nextAfter: null });
  });

  it('a newest-first page says where older events go on from, and null at the oldest', () => {
    const newest = [...events].reverse();
    expect(recentEventPage(newest, { limit: 2 })).toEqual({ data: newest.slice(0, 2), hasMore: true, nextBefore: 'evt_2' });
    expect(recentEventPage(newest, { limit: 3 })).toEqual({ data: newest, hasMore: false, nextBefore: null });
    expect(recentEventPage([], { before: 'evt_1', limit: 3 })).toEqual({ data: [], hasMore: false, nextBefore: null });
  });
});
