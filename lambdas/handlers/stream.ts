/**
 * The main table's stream consumer (Lambda event source mapping with ReportBatchItemFailures):
 * turns each record into report rows, writes them idempotently, and does the upkeep a write
 * leaves behind (memberships of a deleted group, an application's custom extension attributes).
 *
 * Records are handled in order. On the first record that cannot be completed the handler returns
 * its SequenceNumber, so the mapping retries from there: earlier records are done, later ones are
 * redone, and redoing is harmless because every row key comes from its stream record.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import {
  deriveRows,
  lookupsFor,
  removedEntityOf,
  type EntityInfo,
  type EntityRef,
  type StreamChange,
} from '../reports/events';
import { newExtensionAttributes } from '../reports/extensions';
import type { ReportRow } from '../reports/row';
import { loadConfig } from '../shared/config';
import { logger } from '../shared/logger';
import { documentClient } from '../store/client';
import { ItemType } from '../store/keys';
import { createReportDirectory, entityKey, type ReportDirectory } from '../store/report-directory';
import { createReportStore, ReportWriteError, type ReportStore } from '../store/reports';
import { createStreamUpkeep, type StreamUpkeep } from '../store/stream-upkeep';

/** Stop long upkeep (a huge group's memberships) this long before the function would time out. */
const TIME_RESERVE_MS = 10_000;

export interface StreamHandlerDeps {
  reports: ReportStore;
  directory: ReportDirectory;
  upkeep: StreamUpkeep;
  retentionDays: number;
}

export type StreamHandler = (event: DynamoDBStreamEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<DynamoDBBatchResponse>;

const isTtlDelete = (record: DynamoDBRecord): boolean => {
  const identity = record.userIdentity as { type?: string; principalId?: string } | undefined;
  return identity?.type === 'Service' && identity?.principalId === 'dynamodb.amazonaws.com';
};

/** Lambda delivers epoch seconds; a poller may hand over milliseconds or a Date. */
const epochMillis = (value: unknown): number | undefined => {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return value < 1e11 ? value * 1000 : value;
};

const image = (value: unknown): Record<string, unknown> | undefined =>
  value ? unmarshall(value as Record<string, AttributeValue>) : undefined;

export const toStreamChange = (record: DynamoDBRecord): StreamChange => ({
  eventId: String(record.eventID),
  eventName: record.eventName as StreamChange['eventName'],
  sequenceNumber: String(record.dynamodb?.SequenceNumber),
  approximateCreationTime: epochMillis(record.dynamodb?.ApproximateCreationDateTime),
  oldImage: image(record.dynamodb?.OldImage),
  newImage: image(record.dynamodb?.NewImage),
  byTtl: isTtlDelete(record),
});

const isMembershipRemove = (change: StreamChange) => change.eventName === 'REMOVE' && change.oldImage?.type === ItemType.membership;

/**
 * Everything the batch's derivations want to know, in at most two BatchGetItem rounds: first the
 * groups (and names), then — only for memberships whose group still exists — their users. When a
 * group's 100,000 memberships are cleaned up, each batch of their REMOVEs costs one group read.
 */
const lookUp = async (directory: ReportDirectory, changes: StreamChange[]) => {
  const known = new Map<string, EntityInfo | null>();
  for (const change of changes) {
    const removed = removedEntityOf(change);
    if (removed) known.set(entityKey(removed), null); // deleted in this very batch
  }
  const fetch = async (refs: EntityRef[]) => {
    const missing = [...new Map(refs.filter((r) => !known.has(entityKey(r))).map((r) => [entityKey(r), r])).values()];
    for (const [key, info] of await directory.entities(missing)) known.set(key, info);
  };
  await fetch(changes.flatMap((c) => lookupsFor(c).filter((ref) => !(isMembershipRemove(c) && ref.kind === 'User'))));
  await fetch(
    changes.flatMap((c) =>
      isMembershipRemove(c) ? lookupsFor(c).filter((ref) => ref.kind === 'User' && known.get(entityKey({ ...ref, kind: 'Group', id: String(c.oldImage?.groupId) })) !== null) : [],
    ),
  );
  return (kind: EntityRef['kind'], appId: string, id: string) => known.get(entityKey({ kind, appId, id }));
};

export const createStreamHandler = (deps: StreamHandlerDeps): StreamHandler => {
  /** Extension attributes already added per application by this container. */
  const extensionsSeen = new Map<string, Set<string>>();

  const upkeepFor = async (change: StreamChange, shouldStop: () => boolean): Promise<boolean> => {
    if (change.byTtl) return true;
    const item = change.newImage ?? change.oldImage;
    if (!item || typeof item.appId !== 'string') return true;
    if (item.type === ItemType.group && change.eventName === 'REMOVE' && typeof item.id === 'string') {
      return deps.upkeep.deleteGroupMemberships(item.appId, item.id, shouldStop);
    }
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
      lookup = await lookUp(deps.directory, changes.slice(0, stop));
    } catch (error) {
      logger.error('report lookups failed', { error: error as Error });
      const first = changes.findIndex((c) => lookupsFor(c).length > 0);
      if (first >= 0) stop = Math.min(stop, first);
    }

    const rows: ReportRow[] = [];
    const rowOwner: number[] = [];
    for (let i = 0; i < stop; i++) {
      try {
        for (const row of deriveRows(changes[i], { retentionDays: deps.retentionDays, lookup })) {
          rows.push(row);
          rowOwner.push(i);
        }
      } catch (error) {
        logger.error('could not derive report rows', { error: error as Error, eventID: changes[i].eventId });
        stop = i;
      }
    }
    const kept = rows.filter((_, n) => rowOwner[n] < stop);

    try {
      await deps.reports.putRows(kept);
    } catch (error) {
      const written = error instanceof ReportWriteError ? error.written : 0;
      logger.error('writing report rows failed', { error: error as Error, written });
      stop = Math.min(stop, rowOwner[written] ?? stop);
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

let shared: StreamHandler | undefined;

/** The Lambda entry point; its set-up runs once per container, on the first batch. */
export const handler: StreamHandler = (event, context) => {
  shared ??= (() => {
    const config = loadConfig();
    const client = documentClient();
    return createStreamHandler({
      reports: createReportStore(client, config.SCIM_REPORT_TABLE_NAME, { retentionDays: config.SCIM_REPORT_RETENTION_DAYS }),
      directory: createReportDirectory(client, config.SCIM_TABLE_NAME),
      upkeep: createStreamUpkeep(client, config.SCIM_TABLE_NAME),
      retentionDays: config.SCIM_REPORT_RETENTION_DAYS,
    });
  })();
  return shared(event, context);
};
