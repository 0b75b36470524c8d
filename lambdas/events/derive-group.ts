/**
 * Group events from one group-item record. A group event shows what the directory read API shows
 * of a group (id, displayName, externalId): a write that changes only members bumps the group's
 * version but yields no `group.updated`; its members' records yield the membership events
 * (derive-user.ts). Member lists are never inside a group event: they can be long, and a consumer
 * reads them by page.
 */
import type { DirectoryChange, GroupImage, RemovalNote } from './change';
import { requestOf, stampOf, timestampOf } from './envelope';
import { eventIdOf } from './event-id';
import { groupSequenceOf, recordSequences } from './sequence';
import type { GroupEvent, GroupEventType, GroupSnapshot, GroupSubject } from './types';

const EPOCH = new Date(0).toISOString();

export const groupSnapshotOf = (group: GroupImage): GroupSnapshot => ({
  id: group.id,
  displayName: group.displayName,
  ...(group.externalId ? { externalId: group.externalId } : {}),
  version: group.version,
  updatedAt: group.lastModified ?? EPOCH,
});

const subjectOf = (group: GroupImage): GroupSubject => ({
  type: 'group',
  id: group.id,
  ...(group.externalId ? { externalId: group.externalId } : {}),
  displayName: group.displayName,
});

const FIELDS = ['displayName', 'externalId'] as const;

/** The events of one group-item record; `note` is the deletion note of a REMOVE. */
export const deriveGroupEvents = (
  change: DirectoryChange,
  before: GroupImage | undefined,
  after: GroupImage | undefined,
  note: RemovalNote | undefined,
): GroupEvent[] => {
  const event = (type: GroupEventType, group: GroupImage, sequence: number, diff = { previous: {}, changes: [] as string[] }): GroupEvent => ({
    id: eventIdOf(change.eventId, type),
    type,
    timestamp: timestampOf(change, before, after, note),
    appId: group.appId,
    subject: subjectOf(group),
    sequence,
    data: groupSnapshotOf(group),
    previous: diff.previous,
    changes: diff.changes,
    request: requestOf(type, stampOf(change, before, after, note)),
  });

  if (change.eventName === 'INSERT' && after) return [event('group.created', after, recordSequences(undefined, groupSequenceOf(after), 1)[0])];
  if (change.eventName === 'REMOVE' && before) {
    const last = groupSequenceOf(before);
    return [event('group.deleted', before, recordSequences(last, last + 1, 1)[0])];
  }
  if (change.eventName !== 'MODIFY' || !before || !after) return [];
  const changes = FIELDS.filter((field) => before[field] !== after[field]);
  if (!changes.length) return [];
  const previous = Object.fromEntries(changes.map((field) => [field, before[field] ?? null]));
  return [event('group.updated', after, recordSequences(groupSequenceOf(before), groupSequenceOf(after), 1)[0], { previous, changes })];
};
