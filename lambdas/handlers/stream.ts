/**
 * The main table's stream consumer (Lambda event source mapping with ReportBatchItemFailures):
 * turns each record into report rows, writes them idempotently, and does the upkeep a write
 * leaves behind (memberships of a deleted group, an application's custom extension attributes).
 *
 * Records are handled in order. On the first record that cannot be completed the handler returns
 * its SequenceNumber, so the mapping retries from there: earlier records are done, later ones are
 * redone, and redoing is harmless because every row key comes from its stream record.
 */
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { entityKey, type EntityInfo, type EntityRef, type NoteLookup } from '../domain/entities';
import { ItemType } from '../domain/items';
import type { ReportRow } from '../domain/report-row';
import { deletionOf, entityInfoOf, isNotedRemoval, lookupsFor, namesInBatch, notesWanted, ownersOfRemovedMembership } from '../reports/batch-needs';
import { deriveRows, type StreamChange } from '../reports/events';
import { newExtensionAttributes } from '../reports/extensions';
import type { ResourceType } from '../scim/schemas';
import { logger } from '../shared/logger';
import { onFirstInvocation, runtime, type Runtime } from '../shared/runtime';
import { toStreamChange } from '../shared/stream-records';
import { createNoteReader, type NoteReader } from '../store/notes';
import { createReportDirectory, type ReportDirectory } from '../store/report-directory';
import { createReportStore, ReportWriteError, type ReportStore } from '../store/reports';
import { createStreamUpkeep, type StreamUpkeep } from '../store/stream-upkeep';
import { createProfileRecompute, type ProfileRecompute } from '../use-cases/profile-recompute';

/** A group MODIFY that changed the name: its members' profiles need the new one (store/profile-groups.ts). */
const renamedGroup = (change: StreamChange): { appId: string; id: string; displayName: string } | undefined => {
  const before = change.oldImage;
  const after = change.newImage;
  if (change.eventName !== 'MODIFY' || after?.type !== ItemType.group || before?.displayName === after.displayName) return undefined;
  return typeof after.appId === 'string' && typeof after.id === 'string' && typeof after.displayName === 'string'
    ? { appId: after.appId, id: after.id, displayName: after.displayName }
    : undefined;
};

const NO_NOTES: NoteLookup = { deletion: () => undefined, removal: () => undefined };

/** Stop long upkeep (a huge group's memberships) this long before the function would time out. */
const TIME_RESERVE_MS = 10_000;

export interface StreamHandlerDeps {
  reports: ReportStore;
  directory: ReportDirectory;
  upkeep: StreamUpkeep;
  /** Reads the notes deletes and member removals left in the main table (their true time and request). */
  notes: NoteReader;
  retentionDays: number;
  /** Runs one page of an application's profile recompute (use-cases/profile-recompute.ts). */
  recompute?: Pick<ProfileRecompute, 'runPage'>;
}

export type StreamHandler = (event: DynamoDBStreamEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<DynamoDBBatchResponse>;

export { toStreamChange } from '../shared/stream-records';

/**
 * Current names of the users and groups the batch's rows need: from the batch's own images
 * first, then one BatchGetItem on the main table, then — for those deleted meanwhile — the
 * names their deletion notes kept.
 */
const lookUp = async (directory: ReportDirectory, reports: ReportStore, changes: StreamChange[]) => {
  const known = new Map<string, EntityInfo | null>(namesInBatch(changes));
  const wanted = [...new Map(changes.flatMap(lookupsFor).filter((r) => !known.has(entityKey(r))).map((r) => [entityKey(r), r])).values()];
  const found = await directory.entities(wanted);
  const gone = wanted.filter((ref) => found.get(entityKey(ref)) === null);
  const noted = gone.length ? await reports.deletedAmong(gone) : new Map<string, EntityInfo>();
  for (const [key, info] of found) known.set(key, info ?? noted.get(key) ?? null);
  return (kind: ResourceType, appId: string, id: string): EntityInfo | null | undefined => known.get(entityKey({ kind, appId, id }));
};

/** The notes removing requests left for this batch's deletes and member removals (store/notes.ts). */
const readNotes = async (reader: NoteReader, changes: StreamChange[]): Promise<NoteLookup> => {
  const wanted = notesWanted(changes);
  const [deletions, removal] = await Promise.all([reader.deletions(wanted.deletions), reader.removals(wanted.removals)]);
  return { deletion: (kind, appId, id) => deletions.get(entityKey({ kind, appId, id })), removal };
};

/**
 * For each membership REMOVE no removal note explains: had the deletion of its user or group
 * begun before it? Yes when that deletion appears earlier in this batch, or when an earlier batch
 * noted it (BatchGetItem rounds for the whole batch: groups, then users), or — for a user deleted
 * in several transactions, whose REMOVE may come after its memberships' — when its deleting
 * request's note is there. A member removed just before its user is deleted still counts as a
 * removal; the memberships the delete takes with it do not.
 */
const cascades = async (reports: ReportStore, reader: NoteReader, changes: StreamChange[], notes: NoteLookup) => {
  const firstDeletion = new Map<string, number>();
  changes.forEach((change, i) => {
    const deleted = deletionOf(change);
    if (deleted && !firstDeletion.has(entityKey(deleted))) firstDeletion.set(entityKey(deleted), i);
  });
  const earlierInBatch = (ref: EntityRef, i: number) => (firstDeletion.get(entityKey(ref)) ?? Infinity) < i;
  const noted = new Set<string>();
  const deleted = (ref: EntityRef, i: number) => earlierInBatch(ref, i) || noted.has(entityKey(ref));
  const unique = (refs: EntityRef[]) => [...new Map(refs.map((r) => [entityKey(r), r])).values()];
  const note = async (refs: EntityRef[]) => {
    if (refs.length) for (const key of (await reports.deletedAmong(unique(refs))).keys()) noted.add(key);
  };
  const owners = changes.map((change) => (isNotedRemoval(change, notes) ? [] : ownersOfRemovedMembership(change)));
  const undecided = () => owners.flatMap((refs, i) => (refs.some((r) => deleted(r, i)) ? [] : refs));
  // Groups first: the REMOVEs of a deleted group's clean-up then need no user read at all.
  await note(owners.flatMap((refs, i) => refs.filter((r) => r.kind === 'Group' && !earlierInBatch(r, i))));
  await note(undecided().filter((r) => r.kind === 'User'));
  // A group's memberships are swept only after its REMOVE was noted; a user's may go first.
  const left = unique(undecided().filter((r) => r.kind === 'User'));
  if (left.length) for (const key of (await reader.deletions(left)).keys()) noted.add(key);
  return (i: number) => (kind: ResourceType, appId: string, id: string) => deleted({ kind, appId, id }, i);
};

export const createStreamHandler = (deps: StreamHandlerDeps): StreamHandler => {
  /** Extension attributes already added per application by this container. */
  const extensionsSeen = new Map<string, Set<string>>();

  const upkeepFor = async (change: StreamChange, shouldStop: () => boolean): Promise<boolean> => {
    if (change.byTtl) return true;
    const item = change.newImage ?? change.oldImage;
    if (!item || typeof item.appId !== 'string') return true;
    const deleted = deletionOf(change);
    // The note goes first: the clean-up's REMOVEs must find it (and the names the rows need).
    if (deleted) await deps.reports.markDeleted([{ ref: deleted, info: entityInfoOf(change.oldImage ?? change.newImage) }]);
    if (deleted?.kind === 'Group' && change.eventName === 'REMOVE') {
      return deps.upkeep.deleteGroupMemberships(deleted.appId, deleted.id, shouldStop);
    }
    // A recompute job's record: the next page (its progress write is the record after that).
    if (item.type === ItemType.recomputeJob && change.newImage?.state === 'running') {
      await deps.recompute?.runPage(item.appId);
      return true;
    }
    const renamed = renamedGroup(change);
    if (renamed && !(await deps.upkeep.renameGroupInProfiles(renamed.appId, renamed.id, renamed.displayName, shouldStop))) return false;
    if (item.type === ItemType.user && change.eventName !== 'REMOVE') {
      const seen = extensionsSeen.get(item.appId) ?? new Set<string>();
      const entries = newExtensionAttributes(change.oldImage?.resource, change.newImage?.resource).filter((e) => !seen.has(e));
      if (entries.length) {
        await deps.upkeep.addExtensionAttributes(item.appId, entries);
        for (const entry of entries) seen.add(entry);
        extensionsSeen.set(item.appId, seen);
      }
    }
    return true;
  };

  return async (event, context) => {
    const records = event.Records ?? [];
    let stop = records.length; // index of the first record that is not done
    const shouldStop = () => (context?.getRemainingTimeInMillis ? context.getRemainingTimeInMillis() < TIME_RESERVE_MS : false);

    const changes: StreamChange[] = [];
    for (const [i, record] of records.entries()) {
      try {
        changes.push(toStreamChange(record));
      } catch (error) {
        logger.error('unreadable stream record', { error: error as Error, eventID: record.eventID });
        stop = i;
        break;
      }
    }

    let lookup: Awaited<ReturnType<typeof lookUp>> | undefined;
    try {
      lookup = await lookUp(deps.directory, deps.reports, changes.slice(0, stop));
    } catch (error) {
      logger.error('report lookups failed', { error: error as Error });
      const first = changes.findIndex((c) => lookupsFor(c).length > 0);
      if (first >= 0) stop = Math.min(stop, first);
    }
    let notes: NoteLookup | undefined;
    try {
      notes = await readNotes(deps.notes, changes.slice(0, stop));
    } catch (error) {
      // Without its note a removal would get an approximate time and no request: retry instead.
      logger.error('reading removal notes failed', { error: error as Error });
      const first = changes.findIndex((c) => deletionOf(c) !== undefined || ownersOfRemovedMembership(c).length > 0);
      if (first >= 0) stop = Math.min(stop, first);
    }
    let deletedBefore: Awaited<ReturnType<typeof cascades>> | undefined;
    try {
      deletedBefore = await cascades(deps.reports, deps.notes, changes.slice(0, stop), notes ?? NO_NOTES);
    } catch (error) {
      logger.error('reading deletion notes failed', { error: error as Error });
      const first = changes.findIndex((c) => ownersOfRemovedMembership(c).length > 0);
      if (first >= 0) stop = Math.min(stop, first);
    }

    const rows: ReportRow[] = [];
    const rowOwner: number[] = [];
    for (let i = 0; i < stop; i++) {
      try {
        for (const row of deriveRows(changes[i], { retentionDays: deps.retentionDays, lookup, notes, deletedBefore: deletedBefore?.(i) })) {
          rows.push(row);
          rowOwner.push(i);
        }
      } catch (error) {
        logger.error('could not derive report rows', { error: error as Error, eventID: changes[i].eventId });
        stop = i;
      }
    }
    // The records of one refusal counter (reports/refusals.ts) share a row: the latest count wins,
    // and a batch write may not name one key twice.
    const rowKey = (row: ReportRow) => `${row.appId}|${row.time}|${row.sequenceNumber ?? ''}|${row.eventId}`;
    const latest = new Map(rows.map((row, n) => [rowKey(row), n] as const).filter(([, n]) => rowOwner[n] < stop));
    const keptIndexes = rows.map((_, n) => n).filter((n) => rowOwner[n] < stop && latest.get(rowKey(rows[n])) === n);

    try {
      await deps.reports.putRows(keptIndexes.map((n) => rows[n]));
    } catch (error) {
      const written = error instanceof ReportWriteError ? error.written : 0;
      logger.error('writing report rows failed', { error: error as Error, written });
      stop = Math.min(stop, rowOwner[keptIndexes[written]] ?? stop);
    }

    for (let i = 0; i < stop; i++) {
      try {
        if (!(await upkeepFor(changes[i], shouldStop))) {
          logger.info('upkeep paused before the time limit; the record will be retried', { eventID: changes[i].eventId });
          stop = i;
        }
      } catch (error) {
        logger.error('stream upkeep failed', { error: error as Error, eventID: changes[i].eventId });
        stop = i;
      }
    }

    if (stop < records.length) {
      logger.warn('stream batch incomplete', { records: records.length, failedAt: stop });
      return { batchItemFailures: [{ itemIdentifier: String(records[stop].dynamodb?.SequenceNumber) }] };
    }
    return { batchItemFailures: [] };
  };
};

/** The stream consumer over the runtime's tables. */
export const createStreamHandlerOf = ({ dynamo, config }: Runtime): StreamHandler =>
  createStreamHandler({
    reports: createReportStore(dynamo, config.SCIM_REPORT_TABLE_NAME, { retentionDays: config.SCIM_REPORT_RETENTION_DAYS }),
    directory: createReportDirectory(dynamo, config.SCIM_TABLE_NAME),
    upkeep: createStreamUpkeep(dynamo, config.SCIM_TABLE_NAME),
    notes: createNoteReader(dynamo, config.SCIM_TABLE_NAME),
    retentionDays: config.SCIM_REPORT_RETENTION_DAYS,
    recompute: createProfileRecompute(dynamo, config.SCIM_TABLE_NAME),
  });

/** The Lambda entry point; its set-up runs once per container, on the first batch. */
export const handler = onFirstInvocation<DynamoDBStreamEvent, Pick<Context, 'getRemainingTimeInMillis'> | undefined, Promise<DynamoDBBatchResponse>>(
  () => createStreamHandlerOf(runtime()),
);
