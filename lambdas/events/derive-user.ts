/**
 * User events from one user-item record. The rules, and why:
 * - One change of a user is one user event. `user.deactivated` / `user.reactivated` win over
 *   `user.updated`: a change that disables a user and moves its department is one
 *   `user.deactivated` whose `changes` list `active` and `attributes.department`. Two events of one
 *   change would share one sequence, and a consumer that applies "sequence beats stored" would
 *   drop the second; one event also means a consumer that watches deactivations sees every
 *   attribute that changed with it. `active` is therefore never inside `user.updated`.
 * - Membership is announced by `group.member_added` / `group.member_removed` only (one event per
 *   group, from `profile.groups`): `user.updated` never fires for, nor lists, `groups`.
 * - A write that changes nothing the profile shows (the stamp, counters, SCIM attributes the
 *   mapping does not read) yields nothing.
 * - A delete converted to a deactivation (provisioning feature `delete: "deactivate"`) is a write
 *   with `active: false`, so it yields `user.deactivated`, and the request record says a delete
 *   was asked for; a suppressed write writes nothing and yields nothing.
 * Without a stored profile on both sides (items written before profiles), only `userName`,
 * `externalId` and `active` are compared: an attribute diff against a missing profile would list
 * every attribute as new.
 */
import { sortGroups } from '../domain/stored-groups';
import { diffProfiles, type GroupRef, type Profile, type ProfileDiff } from '../profiles';
import type { DirectoryChange, RemovalNote, UserImage } from './change';
import { requestOf, stampOf, timestampOf } from './envelope';
import { eventIdOf } from './event-id';
import { recordSequences, userSequenceOf } from './sequence';
import type { MemberEvent, MemberEventType, UserEvent, UserEventType, UserSubject } from './types';

const EPOCH = new Date(0).toISOString();

/** The stored profile, or what the item itself says about the user. */
export const profileOf = (user: UserImage): Profile =>
  user.profile ?? {
    id: user.id,
    userName: user.userName,
    ...(user.externalId ? { externalId: user.externalId } : {}),
    active: user.active,
    attributes: {},
    groups: [],
    version: user.version,
    updatedAt: user.lastModified ?? EPOCH,
  };

const subjectOf = (user: UserImage): UserSubject => ({
  type: 'user',
  id: user.id,
  ...(user.externalId ? { externalId: user.externalId } : {}),
  userName: user.userName,
});

/** The change of a user's own fields: groups never count, attributes only when both sides store a profile. */
const entityDiff = (before: UserImage, after: UserImage): ProfileDiff => {
  const known = before.profile !== undefined && after.profile !== undefined;
  const comparable = (user: UserImage): Profile => ({ ...profileOf(user), active: user.active, groups: [], attributes: known ? profileOf(user).attributes : {} });
  return diffProfiles(comparable(before), comparable(after));
};

const entityType = (before: UserImage, after: UserImage, diff: ProfileDiff): UserEventType | undefined => {
  if (before.active && !after.active) return 'user.deactivated';
  if (!before.active && after.active) return 'user.reactivated';
  return diff.changes.length ? 'user.updated' : undefined;
};

interface MemberChange {
  type: MemberEventType;
  group: GroupRef;
}

/** Groups left (then joined), each in id order: one event per group. */
const memberChanges = (before: UserImage, after: UserImage): MemberChange[] => {
  if (!before.profile || !after.profile) return [];
  const had = new Map(before.profile.groups.map((g) => [g.id, g]));
  const has = new Map(after.profile.groups.map((g) => [g.id, g]));
  const byId = (a: GroupRef, b: GroupRef) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return [
    ...[...had.values()].filter((g) => !has.has(g.id)).sort(byId).map((group) => ({ type: 'group.member_removed' as const, group })),
    ...[...has.values()].filter((g) => !had.has(g.id)).sort(byId).map((group) => ({ type: 'group.member_added' as const, group })),
  ];
};

type UserDerived = UserEvent | MemberEvent;

const modified = (change: DirectoryChange, before: UserImage, after: UserImage): UserDerived[] => {
  const diff = entityDiff(before, after);
  const type = entityType(before, after, diff);
  const members = memberChanges(before, after);
  const count = (type ? 1 : 0) + members.length;
  if (count === 0) return [];
  const sequences = recordSequences(userSequenceOf(before), userSequenceOf(after), count);
  const stamp = stampOf(change, before, after, undefined);
  const common = { timestamp: timestampOf(change, before, after, undefined), appId: after.appId, subject: subjectOf(after) };
  const profile = profileOf(after);
  // Each event's snapshot shows the groups as of that event: before the first membership change,
  // then one group more or less per event.
  let groups = members.length ? before.profile!.groups.map((g) => profile.groups.find((n) => n.id === g.id) ?? g) : profile.groups;
  const events: UserDerived[] = [];
  if (type) {
    events.push({
      id: eventIdOf(change.eventId, type),
      type,
      ...common,
      sequence: sequences[0],
      data: { ...profile, groups: sortGroups(groups) },
      previous: diff.previous,
      changes: diff.changes,
      request: requestOf(type, stamp),
    });
  }
  for (const member of members) {
    const previous = sortGroups(groups);
    groups = member.type === 'group.member_added' ? [...groups, member.group] : groups.filter((g) => g.id !== member.group.id);
    events.push({
      id: eventIdOf(change.eventId, member.type, member.group.id),
      type: member.type,
      ...common,
      sequence: sequences[events.length],
      data: { group: { id: member.group.id, displayName: member.group.displayName }, user: { ...profile, groups: sortGroups(groups) } },
      previous: { groups: previous },
      changes: ['groups'],
      request: requestOf(member.type, stamp),
    });
  }
  return events;
};

/** The events of one user-item record; `note` is the deletion note of a REMOVE. */
export const deriveUserEvents = (
  change: DirectoryChange,
  before: UserImage | undefined,
  after: UserImage | undefined,
  note: RemovalNote | undefined,
): UserDerived[] => {
  if (change.eventName === 'INSERT' && after) {
    const type = 'user.created' as const;
    return [
      {
        id: eventIdOf(change.eventId, type),
        type,
        timestamp: timestampOf(change, undefined, after, undefined),
        appId: after.appId,
        subject: subjectOf(after),
        sequence: recordSequences(undefined, userSequenceOf(after), 1)[0],
        data: profileOf(after),
        previous: {},
        changes: [],
        request: requestOf(type, stampOf(change, undefined, after, undefined)),
      },
    ];
  }
  if (change.eventName === 'REMOVE' && before) {
    const type = 'user.deleted' as const;
    const last = userSequenceOf(before);
    return [
      {
        id: eventIdOf(change.eventId, type),
        type,
        timestamp: timestampOf(change, before, undefined, note),
        appId: before.appId,
        subject: subjectOf(before),
        sequence: recordSequences(last, last + 1, 1)[0],
        // The last snapshot: what the consumer held, with the groups the deletion took away.
        data: profileOf(before),
        previous: {},
        changes: [],
        request: requestOf(type, stampOf(change, before, undefined, note)),
      },
    ];
  }
  if (change.eventName === 'MODIFY' && before && after) return modified(change, before, after);
  return [];
};
