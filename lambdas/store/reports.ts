/**
 * The report table: rows written by the stream consumer, read by the report API.
 *
 * Cost per event (on-demand, rows kept under 1 KB by `fitItem`):
 * - a row is one put on the base table (1 WRU) plus, when it names an end user, one byUser index
 *   entry (1 WRU): user and membership events cost 2 WRU, group events 1 WRU. A redelivered record
 *   rewrites the same key, so a retry costs the same again and adds nothing.
 * - the base key *is* the "by application" index (`APP#<appId>#DAY#<day>`), so no second GSI is
 *   paid for. Day buckets keep a full initial sync of one busy application from sitting in one
 *   partition for ever (1,000 WCU/s per partition).
 * - deleting a user or group adds one small deletion note (1 WRU, 2-day TTL), so the memberships
 *   that delete takes with it are not reported once per member (see handlers/stream.ts).
 * - "everything in a time span" walks days newest first; for each day a small day-index item per
 *   application (`DAY#<day>` / `APP#<appId>`, written once per container, day and application —
 *   a fraction of a unit per event) names the partitions to merge. A third, time-bucketed GSI would
 *   have cost 1 more WRU on *every* row for a query an admin runs now and then.
 *
 * Queries read newest first, merge partitions by sort key (`<ISO time>#<seq>#<eventId>#<n>`), and continue
 * after the last sort key returned, so one opaque value pages across days and partitions.
 */
import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { entityKey, type EntityInfo, type EntityRef } from '../domain/entities';
import type { ReportRow } from '../domain/report-row';
import { batchGetAll } from './batch-get';
import { putRequest, writeAll } from './batch-write';
import { Attr, ReportAttr, ReportIndex, reportKeys } from './keys';
import { queryPages } from './paging';
import { fromItem, toItem } from './report-items';

const DAY_MS = 86_400_000;
/** Deletion notes outlive the stream's 24 h retention, so every late REMOVE still finds its note. */
const DELETION_TTL_DAYS = 2;
/** How many names (renames) one end-user query follows. */
const MAX_USER_NAMES = 10;
/** Page size asked of DynamoDB when a filter may discard items (Limit counts before filtering). */
const FILTERED_PAGE = 200;

export interface ReportQuery {
  /**
   * userNames the end user is known by (any letter case). Renames are followed backwards: rows
   * from before a rename, under the earlier name, are included.
   */
  endUsers?: string[];
  /** Only these applications (by id). */
  appIds?: string[];
  /** Inclusive ISO 8601 bounds. */
  from: string;
  to: string;
  actions?: string[];
  status?: string;
  /** Only rows that changed this attribute (its key: domain/report-row.ts attributeKey). */
  attribute?: string;
  limit: number;
  /** Continue after this sort key (from a previous page's `lastKey`). */
  after?: string;
  /** Rows whose TTL lies before this are hidden (TTL deletes lag by up to two days). */
  now: Date;
}

export interface ReportPage {
  rows: ReportRow[];
  /** Present when more rows match: the sort key to continue after. */
  lastKey?: string;
}

export class ReportWriteError extends Error {
  override readonly name = 'ReportWriteError';
  constructor(
    /** Rows (in the order given) durably written before the failure. */
    readonly written: number,
    options: ErrorOptions,
  ) {
    super(`Writing report rows failed after ${written} rows.`, options);
  }
}

export interface ReportStore {
  /** Idempotent: a row's key derives from its stream record. Throws ReportWriteError. */
  putRows(rows: ReportRow[]): Promise<void>;
  query(query: ReportQuery): Promise<ReportPage>;
  /** Notes that these users' or groups' deletions have been processed, with their last names (kept DELETION_TTL_DAYS). */
  markDeleted(notes: DeletionNote[]): Promise<void>;
  /** The noted deletions among these, by `entityKey`, with the names they had. */
  deletedAmong(refs: EntityRef[]): Promise<Map<string, EntityInfo>>;
}

export interface DeletionNote {
  ref: EntityRef;
  info: EntityInfo;
}

export interface ReportStoreOptions {
  retentionDays: number;
}

/** UTC days from `to` back to `from`, newest first. */
export const daysBetween = (fromIso: string, toIso: string): string[] => {
  const days: string[] = [];
  const first = Date.parse(`${fromIso.slice(0, 10)}T00:00:00.000Z`);
  for (let t = Date.parse(`${toIso.slice(0, 10)}T00:00:00.000Z`); t >= first; t -= DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
};

interface Partition {
  index?: string;
  keyAttr: string;
  value: string;
  /** Upper sort-key bound of this partition (an earlier name counts only until its rename). */
  maxSk?: string;
  /** Rows under an earlier name count only if they are about the renamed user (or about no one). */
  resourceId?: string;
}

interface Group {
  /** The UTC day the group's partitions cover; undefined for the (undated) byUser partitions. */
  day?: string;
  partitions: () => Promise<Partition[]>;
}

export const createReportStore = (client: DynamoDBDocumentClient, tableName: string, options: ReportStoreOptions): ReportStore => {
  /** Day-index entries this container has written (`<table>|<day>|<appId>`). */
  const indexed = new Set<string>();

  const putRows = async (rows: ReportRow[]): Promise<void> => {
    let written = 0;
    try {
      const dayIndex = new Map<string, Record<string, unknown>>();
      for (const row of rows) {
        const day = row.time.slice(0, 10);
        const cacheKey = `${tableName}|${day}|${row.appId}`;
        if (indexed.has(cacheKey) || dayIndex.has(cacheKey)) continue;
        const expires = Date.parse(`${day}T00:00:00.000Z`) + (options.retentionDays + 2) * DAY_MS;
        dayIndex.set(cacheKey, { ...reportKeys.dayIndex(day, row.appId), [Attr.ttl]: Math.ceil(expires / 1000) });
      }
      // The index goes first: a row must never exist without the entry that makes it findable.
      await writeAll(client, tableName, [...dayIndex.values()].map(putRequest));
      for (const key of dayIndex.keys()) indexed.add(key);
      await writeAll(client, tableName, rows.map((row) => putRequest(toItem(row))), (n) => (written = n));
    } catch (cause) {
      throw new ReportWriteError(written, { cause });
    }
  };

  const filterOf = (query: ReportQuery, onUserIndex: boolean, resourceId?: string) => {
    const parts = ['#ttl > :now'];
    const names: Record<string, string> = { '#ttl': Attr.ttl };
    const values: Record<string, unknown> = { ':now': Math.floor(query.now.getTime() / 1000) };
    if (query.status) {
      parts.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = query.status;
    }
    if (query.actions?.length) {
      parts.push(`#action IN (${query.actions.map((_, i) => `:a${i}`).join(', ')})`);
      names['#action'] = 'action';
      query.actions.forEach((a, i) => (values[`:a${i}`] = a));
    }
    if (query.attribute) {
      parts.push('contains(#changed, :attribute)');
      names['#changed'] = 'changedNames';
      values[':attribute'] = query.attribute;
    }
    if (resourceId) {
      parts.push('(#rid = :rid OR attribute_not_exists(#rid))');
      names['#rid'] = 'resourceId';
      values[':rid'] = resourceId;
    }
    if (onUserIndex && query.appIds?.length) {
      // An end user's partition spans applications; it is small, so filtering by app is cheap.
      parts.push(`(${query.appIds.map((_, i) => `begins_with(#pk, :app${i})`).join(' OR ')})`);
      names['#pk'] = Attr.pk;
      query.appIds.forEach((id, i) => (values[`:app${i}`] = reportKeys.appDayPrefix(id)));
    }
    return { parts, names, values };
  };

  /** The newest `need` matching items of one partition within [lo, hi] (hi inclusive). */
  const newest = async (partition: Partition, lo: string, groupHi: string, need: number, query: ReportQuery, exclude?: string) => {
    const hi = partition.maxSk !== undefined && partition.maxSk < groupHi ? partition.maxSk : groupHi;
    if (hi < lo) return [];
    const filter = filterOf(query, partition.index === ReportIndex.byUser, partition.resourceId);
    const filtered = filter.parts.length > 1;
    const input: QueryCommandInput = {
      TableName: tableName,
      IndexName: partition.index,
      KeyConditionExpression: '#key = :key AND #sk BETWEEN :lo AND :hi',
      FilterExpression: filter.parts.join(' AND '),
      ExpressionAttributeNames: { ...filter.names, '#key': partition.keyAttr, '#sk': Attr.sk },
      ExpressionAttributeValues: { ...filter.values, ':key': partition.value, ':lo': lo, ':hi': hi },
      ScanIndexForward: false,
    };
    const items: Record<string, unknown>[] = [];
    for await (const page of queryPages<Record<string, unknown>>(client, { ...input, Limit: filtered ? Math.max(need + 1, FILTERED_PAGE) : need + 1 })) {
      for (const item of page.items) if (item.sk !== exclude) items.push(item);
      if (items.length >= need) break;
    }
    return items.slice(0, need);
  };

  /**
   * The byUser partitions of an end user: each name given, and — through the `previousUserName`
   * of rename rows — the names it had before, each bounded by the time of its rename.
   */
  const userPartitions = async (endUsers: string[], lo: string, hi: string): Promise<Partition[]> => {
    const partitions: Partition[] = [];
    const seen = new Set<string>();
    const queue: { name: string; maxSk?: string; resourceId?: string }[] = endUsers.map((name) => ({ name }));
    while (queue.length && partitions.length < MAX_USER_NAMES) {
      const next = queue.shift()!;
      const value = reportKeys.user(next.name);
      if (seen.has(value)) continue;
      seen.add(value);
      const partition: Partition = { index: ReportIndex.byUser, keyAttr: ReportAttr.userKey, value, maxSk: next.maxSk, resourceId: next.resourceId };
      partitions.push(partition);
      const top = partition.maxSk !== undefined && partition.maxSk < hi ? partition.maxSk : hi;
      if (top < lo) continue;
      // An end user's partition is small (their own events within retention); renames are rare.
      for await (const page of queryPages<Record<string, unknown>>(client, {
        TableName: tableName,
        IndexName: ReportIndex.byUser,
        KeyConditionExpression: '#key = :key AND #sk BETWEEN :lo AND :hi',
        FilterExpression: 'attribute_exists(#prev)',
        ProjectionExpression: '#sk, #prev, #rid',
        ExpressionAttributeNames: { '#key': ReportAttr.userKey, '#sk': Attr.sk, '#prev': 'previousUserName', '#rid': 'resourceId' },
        ExpressionAttributeValues: { ':key': value, ':lo': lo, ':hi': top },
      })) {
        for (const item of page.items) {
          queue.push({ name: String(item.previousUserName), maxSk: String(item.sk), resourceId: item.resourceId as string | undefined });
        }
      }
    }
    return partitions;
  };

  const dayGroup = (day: string, appIds: string[] | undefined): Group => ({
    day,
    partitions: async () => {
      let ids = appIds;
      if (!ids) {
        ids = [];
        for await (const page of queryPages<Record<string, unknown>>(client, {
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': Attr.pk },
          ExpressionAttributeValues: { ':pk': reportKeys.dayIndexPartition(day) },
        })) {
          for (const item of page.items) ids.push(reportKeys.appIdOfDayIndexSk(String(item.sk)));
        }
      }
      return ids.map((id) => ({ keyAttr: Attr.pk, value: reportKeys.appDay(id, day) }));
    },
  });

  const query = async (q: ReportQuery): Promise<ReportPage> => {
    const range = reportKeys.timeRange(q.from, q.to);
    if (range.lo > range.hi || (q.after !== undefined && (q.after < range.lo || q.after > range.hi))) return { rows: [] };
    const hi = q.after ?? range.hi;
    const groups: Group[] = q.endUsers
      ? [{ partitions: () => userPartitions(q.endUsers!, range.lo, range.hi) }]
      : daysBetween(q.from, hi).map((day) => dayGroup(day, q.appIds));

    const want = q.limit + 1; // one more than asked tells whether another page exists
    const found: Record<string, unknown>[] = [];
    for (const group of groups) {
      const need = want - found.length;
      const perPartition = await Promise.all(
        (await group.partitions()).map((p) => newest(p, range.lo, hi, need, q, q.after)),
      );
      // Partitions of one group interleave in time: merge them by sort key, newest first.
      const merged = perPartition.flat().sort((a, b) => (String(a.sk) < String(b.sk) ? 1 : String(a.sk) > String(b.sk) ? -1 : 0));
      found.push(...merged.slice(0, need));
      if (found.length >= want) break;
    }
    const page = found.slice(0, q.limit);
    return {
      rows: page.map(fromItem),
      lastKey: found.length > q.limit ? String(page[page.length - 1].sk) : undefined,
    };
  };

  const markDeleted = async (notes: DeletionNote[]): Promise<void> => {
    const ttl = Math.ceil(Date.now() / 1000) + DELETION_TTL_DAYS * 86_400;
    const items = notes.map(({ ref, info }) => ({ ...reportKeys.deletion(ref.kind, ref.appId, ref.id), [Attr.ttl]: ttl, ...info }));
    await writeAll(client, tableName, items.map(putRequest));
  };

  const deletedAmong = async (refs: EntityRef[]): Promise<Map<string, EntityInfo>> => {
    const byKey = new Map(refs.map((ref) => [reportKeys.deletion(ref.kind, ref.appId, ref.id).pk, ref]));
    const found = await batchGetAll(
      client,
      tableName,
      refs.map((ref) => reportKeys.deletion(ref.kind, ref.appId, ref.id)),
      { consistentRead: true, projection: [Attr.pk, 'userName', 'externalId', 'displayName'] },
    );
    const noted = new Map<string, EntityInfo>();
    for (const item of found) {
      const ref = byKey.get(String(item.pk));
      if (!ref) continue;
      noted.set(entityKey(ref), {
        userName: item.userName as string | undefined,
        externalId: item.externalId as string | undefined,
        displayName: item.displayName as string | undefined,
      });
    }
    return noted;
  };

  return { putRows, query, markDeleted, deletedAmong };
};
