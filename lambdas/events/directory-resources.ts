/**
 * What the directory read API answers: users as their profiles, groups as their snapshots, each
 * with the `sequence` of its latest change, in the same shapes the events carry. Built from the
 * same stored items by the same functions as the events (derive-user.ts, derive-group.ts), so a read
 * agrees with the last event of each subject by construction, and a consumer can back-fill from
 * the read API and then follow events, comparing sequences, without a gap or a double.
 */
import type { Profile } from '../profiles';
import { readGroupImage, readUserImage } from './change';
import { groupSnapshotOf } from './derive-group';
import { profileOf } from './derive-user';
import { groupSequenceOf, userSequenceOf } from './sequence';
import type { DirectoryEvent, GroupSnapshot } from './types';
import type { EventQuery, RecentEventQuery } from './directory-query';

export type DirectoryUser = Profile & { sequence: number };
export type DirectoryGroup = GroupSnapshot & { sequence: number };

/** One member of a group, as `…/groups/{id}/members` lists it (the profile is one read away). */
export interface DirectoryMember {
  id: string;
  userName: string;
  externalId?: string;
}

/** A page of users, groups or members. `nextCursor` null: this was the last page. */
export interface ListPage<T> {
  data: T[];
  nextCursor: string | null;
}

/**
 * A page of events. `nextAfter` is what to pass as `after` next: the last event's id, or the
 * `after` given when the page is empty, so a client that follows new events loops on it alone.
 */
export interface EventPage {
  data: DirectoryEvent[];
  hasMore: boolean;
  nextAfter: string | null;
}

/** A page of the log newest first (the admin's Events view). `nextBefore`: pass as `before` for older events; null: none. */
export interface RecentEventPage {
  data: DirectoryEvent[];
  hasMore: boolean;
  nextBefore: string | null;
}

/** A stored user item (as the store reads it) → the API's user; undefined: not a user item. */
export const directoryUserOf = (item: object): DirectoryUser | undefined => {
  const user = readUserImage(item as Record<string, unknown>);
  return user && { ...profileOf(user), sequence: userSequenceOf(user) };
};

export const directoryGroupOf = (item: object): DirectoryGroup | undefined => {
  const group = readGroupImage(item as Record<string, unknown>);
  return group && { ...groupSnapshotOf(group), sequence: groupSequenceOf(group) };
};

export const directoryMemberOf = (item: object): DirectoryMember | undefined => {
  const user = readUserImage(item as Record<string, unknown>);
  return user && { id: user.id, userName: user.userName, ...(user.externalId ? { externalId: user.externalId } : {}) };
};

export const listPage = <T>(data: T[], nextCursor: string | undefined): ListPage<T> => ({ data, nextCursor: nextCursor ?? null });

/** `fetched`: up to `limit + 1` events in log order after `query.after`; the extra one only says there are more. */
export const eventPage = (fetched: readonly DirectoryEvent[], query: EventQuery): EventPage => {
  const data = fetched.slice(0, query.limit);
  return { data, hasMore: fetched.length > query.limit, nextAfter: data.at(-1)?.id ?? query.after ?? null };
};

/** `fetched`: up to `limit + 1` events newest first before `query.before`; the extra one only says there are more. */
export const recentEventPage = (fetched: readonly DirectoryEvent[], query: RecentEventQuery): RecentEventPage => {
  const data = fetched.slice(0, query.limit);
  const hasMore = fetched.length > query.limit;
  return { data, hasMore, nextBefore: hasMore ? (data.at(-1)?.id ?? null) : null };
};
