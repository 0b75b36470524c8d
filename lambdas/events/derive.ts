/**
 * Directory events from main-table stream records: one record → zero or more envelopes. Pure: the
 * event stage unmarshals the record, reads the deletion notes its batch needs (as the report
 * writer does) and passes them in. Everything in an envelope comes from the record and the note,
 * so a redelivered record yields the same envelopes, ids included.
 *
 * Only user and group items yield events. Membership items do not: a membership is announced from
 * the member's user item (sequence.ts says why), and removals that went with a deleted user are
 * part of its `user.deleted`. Applications, uniqueness sentinels, notes, failures and records
 * deleted by TTL yield nothing.
 */
import { isoTime, ItemKind, readGroupImage, readRequest, readUserImage, type DirectoryChange, type RemovalNote } from './change';
import { deriveGroupEvents } from './derive-group';
import { deriveUserEvents } from './derive-user';
import type { DirectoryEvent } from './types';
import type { ResourceType } from '../scim/schemas';

export interface DeriveContext {
  /**
   * The note the deletion of this user or group left (store/notes.ts: its request's time and
   * stamp); undefined when none was found: the event then has the record's time and no request id.
   */
  deletionNote?: (kind: ResourceType, appId: string, id: string) => { at?: unknown; request?: unknown } | undefined;
}

/** A note as the store read it; read like an image, so a malformed one only loses what is malformed. */
const readNote = (note: { at?: unknown; request?: unknown } | undefined): RemovalNote | undefined =>
  note ? { at: isoTime(note.at), request: readRequest(note.request) } : undefined;

/** The events of one stream record, in the order their sequences run. */
export const deriveEvents = (change: DirectoryChange, ctx: DeriveContext = {}): DirectoryEvent[] => {
  if (change.byTtl) return [];
  const item = change.newImage ?? change.oldImage;
  const noteFor = (kind: ResourceType, image: { appId: string; id: string } | undefined) =>
    change.eventName === 'REMOVE' && image ? readNote(ctx.deletionNote?.(kind, image.appId, image.id)) : undefined;
  switch (item?.type) {
    case ItemKind.user: {
      const before = readUserImage(change.oldImage);
      return deriveUserEvents(change, before, readUserImage(change.newImage), noteFor('User', before));
    }
    case ItemKind.group: {
      const before = readGroupImage(change.oldImage);
      return deriveGroupEvents(change, before, readGroupImage(change.newImage), noteFor('Group', before));
    }
    default:
      return [];
  }
};

/** The users and groups whose deletion notes a batch needs: one per REMOVE of a user or group. */
export interface DeletedRef {
  kind: ResourceType;
  appId: string;
  id: string;
}

export const deletionNotesWanted = (changes: readonly DirectoryChange[]): DeletedRef[] =>
  changes.flatMap((change): DeletedRef[] => {
    if (change.eventName !== 'REMOVE' || change.byTtl) return [];
    const user = readUserImage(change.oldImage);
    if (user) return [{ kind: 'User', appId: user.appId, id: user.id }];
    const group = readGroupImage(change.oldImage);
    return group ? [{ kind: 'Group', appId: group.appId, id: group.id }] : [];
  });
