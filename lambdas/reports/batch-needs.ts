/**
 * What the stream consumer reads once per batch before it derives rows (handlers/stream.ts):
 * current names the records lack, the notes removing requests left, and which deletions began
 * where. Pure: these only say what to read.
 */
import { entityKey, type EntityInfo, type EntityRef, type NoteLookup, type RemovalsWanted } from '../domain/entities';
import { ItemType } from '../domain/items';
import type { StreamChange } from './events';

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Users and groups whose current names the derivation of this record needs (the item lacks them). */
export const lookupsFor = (change: StreamChange): EntityRef[] => {
  if (change.byTtl) return [];
  const item = (change.newImage ?? change.oldImage) as Record<string, unknown> | undefined;
  if (!item || typeof item.appId !== 'string') return [];
  const appId = item.appId;
  if (item.type === ItemType.membership && change.eventName !== 'MODIFY') {
    const refs: EntityRef[] = [];
    const userId = str(item.userId);
    const groupId = str(item.groupId);
    if (groupId && !str(item.groupDisplayName)) refs.push({ kind: 'Group', appId, id: groupId });
    if (userId && !str(item.userName)) refs.push({ kind: 'User', appId, id: userId });
    return refs;
  }
  if (item.type === ItemType.failure && change.eventName === 'INSERT') {
    const id = str(item.resourceId);
    if (!id) return [];
    if (item.resourceType === 'User' && !str(item.userName)) return [{ kind: 'User', appId, id }];
    if (item.resourceType === 'Group' && !str(item.groupDisplayName)) return [{ kind: 'Group', appId, id }];
  }
  return [];
};

/**
 * The user or group whose deletion this record is. Memberships removed by that delete (in the
 * same transaction, or by the stream consumer's clean-up) are written after it, so their REMOVEs
 * come after it in the stream: that is how they are told apart from a member removal that merely
 * happened just before the delete, when no note says so.
 */
export const deletionOf = (change: StreamChange): EntityRef | undefined => {
  if (change.byTtl || change.eventName !== 'REMOVE') return undefined;
  const item = change.oldImage;
  if (!item || typeof item.appId !== 'string' || typeof item.id !== 'string') return undefined;
  if (item.type === ItemType.user) return { kind: 'User', appId: item.appId, id: item.id };
  if (item.type === ItemType.group) return { kind: 'Group', appId: item.appId, id: item.id };
  return undefined;
};

/**
 * The notes the rows of a batch need: the deletion notes of the users and groups it deletes, and
 * each group's member-removal notes since its earliest removed membership was added.
 */
export const notesWanted = (changes: StreamChange[]): { deletions: EntityRef[]; removals: RemovalsWanted[] } => {
  const deletions = new Map<string, EntityRef>();
  const removals = new Map<string, RemovalsWanted>();
  for (const change of changes) {
    const deleted = deletionOf(change);
    if (deleted) deletions.set(entityKey(deleted), deleted);
    const group = ownersOfRemovedMembership(change).find((r) => r.kind === 'Group');
    if (!group) continue;
    const since = str(change.oldImage?.added) ?? new Date(0).toISOString();
    const key = `${group.appId}|${group.id}`;
    const known = removals.get(key);
    if (!known || since < known.since) removals.set(key, { appId: group.appId, groupId: group.id, since });
  }
  return { deletions: [...deletions.values()], removals: [...removals.values()] };
};

/** A membership REMOVE that its removing request noted: a member removal, whatever else happened. */
export const isNotedRemoval = (change: StreamChange, notes: NoteLookup): boolean => {
  const item = change.oldImage;
  if (change.byTtl || change.eventName !== 'REMOVE' || item?.type !== ItemType.membership || typeof item.appId !== 'string') return false;
  return notes.removal(item.appId, String(item.groupId), String(item.userId), str(item.added)) !== undefined;
};

/** The user and group a membership REMOVE belongs to (their deletion may have caused it). */
export const ownersOfRemovedMembership = (change: StreamChange): EntityRef[] => {
  const item = change.oldImage;
  if (change.byTtl || change.eventName !== 'REMOVE' || item?.type !== ItemType.membership || typeof item.appId !== 'string') return [];
  const refs: EntityRef[] = [];
  if (typeof item.userId === 'string') refs.push({ kind: 'User', appId: item.appId, id: item.userId });
  if (typeof item.groupId === 'string') refs.push({ kind: 'Group', appId: item.appId, id: item.groupId });
  return refs;
};

/** The names a user or group item carries (for rows of other records that lack them). */
export const entityInfoOf = (item: Record<string, unknown> | undefined): EntityInfo => ({
  userName: str(item?.userName),
  externalId: str(item?.externalId),
  displayName: str(item?.displayName),
});

/** Names of the users and groups whose items appear in the batch (the latest image wins). */
export const namesInBatch = (changes: StreamChange[]): Map<string, EntityInfo> => {
  const names = new Map<string, EntityInfo>();
  for (const change of changes) {
    const item = change.newImage ?? change.oldImage;
    if (!item || typeof item.appId !== 'string' || typeof item.id !== 'string') continue;
    if (item.type !== ItemType.user && item.type !== ItemType.group) continue;
    names.set(entityKey({ kind: item.type, appId: item.appId, id: item.id }), entityInfoOf(item));
  }
  return names;
};
