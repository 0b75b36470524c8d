/**
 * Notes a removing write leaves for the stream consumer, in its own transaction (no extra round
 * trip): a user's or group's deletion, and each batch of member removals, with the request's
 * time (milliseconds) and stamp. A REMOVE record cannot carry them: its old image holds the
 * previous writer's stamp, and its time is the record's, rounded (to the minute on DynamoDB Local).
 *
 * Notes outlive the stream's 24 h retention, then go by TTL; their own records make no row.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { entityKey, REMOVAL_CLOCK_TOLERANCE_MS, type EntityRef, type NoteLookup, type RemovalsWanted, type RequestNote } from '../domain/entities';
import { ItemType, type DeletionNoteItem, type RemovalNoteItem } from '../domain/items';
import type { ResourceType } from '../scim/schemas';
import { batchGetAll } from './batch-get';
import { keys } from './keys';
import { queryPages } from './paging';
import type { NamedAction } from './transactions';

/** Longer than the stream keeps records (24 h), so every late REMOVE still finds its note. */
export const NOTE_TTL_SECONDS = 2 * 86_400;

const ttlOf = (at: string) => Math.ceil(Date.parse(at) / 1000) + NOTE_TTL_SECONDS;

export const deletionNotePut = (tableName: string, appId: string, kind: ResourceType, id: string, note: RequestNote): NamedAction => ({
  item: {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.deletionNote(appId, kind, id),
        type: ItemType.note,
        appId,
        kind,
        id,
        at: note.at,
        request: note.request,
        ttl: ttlOf(note.at),
      } satisfies DeletionNoteItem,
    },
  },
});

export const removalNotePut = (tableName: string, appId: string, groupId: string, userIds: string[], note: RequestNote, chunk: number): NamedAction => ({
  item: {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.removalNote(appId, groupId, note.at, note.request.requestId, chunk),
        type: ItemType.note,
        appId,
        groupId,
        userIds,
        at: note.at,
        request: note.request,
        ttl: ttlOf(note.at),
      } satisfies RemovalNoteItem,
    },
  },
});

const noteOf = (item: Record<string, unknown>): RequestNote | undefined =>
  typeof item.at === 'string' && item.request && typeof item.request === 'object'
    ? { at: item.at, request: item.request as RequestNote['request'] }
    : undefined;

export interface NoteReader {
  /** The deletion notes of these users and groups, by `entityKey`: one BatchGet per 100. */
  deletions(refs: EntityRef[]): Promise<Map<string, RequestNote>>;
  /** These groups' member-removal notes since the given times: one Query a group. */
  removals(wanted: RemovalsWanted[]): Promise<NoteLookup['removal']>;
}

export const createNoteReader = (client: DynamoDBDocumentClient, tableName: string): NoteReader => {
  const removalNotesSince = async (wanted: RemovalsWanted) => {
    const notes: (RequestNote & { userIds: string[] })[] = [];
    const since = new Date(Math.max(0, Date.parse(wanted.since) - REMOVAL_CLOCK_TOLERANCE_MS)).toISOString();
    for await (const page of queryPages<Record<string, unknown>>(client, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk >= :since',
      ExpressionAttributeValues: { ':pk': keys.removalNotes(wanted.appId, wanted.groupId), ':since': since },
      ProjectionExpression: '#at, #userIds, #request',
      ExpressionAttributeNames: { '#at': 'at', '#userIds': 'userIds', '#request': 'request' },
      ConsistentRead: true,
    })) {
      for (const item of page.items) {
        const note = noteOf(item);
        if (note && Array.isArray(item.userIds)) notes.push({ ...note, userIds: item.userIds.map(String) });
      }
    }
    return notes;
  };

  const deletions = async (refs: EntityRef[]): Promise<Map<string, RequestNote>> => {
    const deleted = new Map<string, RequestNote>();
    if (!refs.length) return deleted;
    const byPk = new Map(refs.map((ref) => [keys.deletionNote(ref.appId, ref.kind, ref.id).pk, ref]));
    const items = await batchGetAll(client, tableName, refs.map((ref) => keys.deletionNote(ref.appId, ref.kind, ref.id)), { consistentRead: true, projection: ['pk', 'at', 'request'] });
    for (const item of items) {
      const ref = byPk.get(String(item.pk));
      const note = noteOf(item);
      if (ref && note) deleted.set(entityKey(ref), note);
    }
    return deleted;
  };

  const removals = async (wanted: RemovalsWanted[]): Promise<NoteLookup['removal']> => {
    const removed = new Map<string, (RequestNote & { userIds: string[] })[]>();
    await Promise.all(wanted.map(async (w) => removed.set(`${w.appId}|${w.groupId}`, await removalNotesSince(w))));
    // Notes come in time order. The member's removal is the first one naming it at or after it was
    // added; a removal from an earlier membership (before a re-add) lies before `added`.
    return (appId, groupId, userId, added, toleranceMs = 0) => {
      const naming = (removed.get(`${appId}|${groupId}`) ?? []).filter((n) => n.userIds.includes(userId));
      if (added === undefined) return naming.at(-1);
      const from = Date.parse(added) - toleranceMs;
      return naming.find((n) => Date.parse(n.at) >= from);
    };
  };

  return { deletions, removals };
};
