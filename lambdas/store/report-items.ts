/**
 * Report rows as report-table items, and back. The item carries no attribute the keys already
 * hold (time and event id are the sort key, the application is in the partition key, the expiry
 * is the TTL attribute), and `fitItem` keeps it under 1 KB so a write costs one unit per copy.
 */
import { changedKeysOf, type AttributeChange, type ReportRow } from '../domain/report-row';
import { appIdOfPk, Attr, ReportAttr, reportKeys } from './keys';

/**
 * Budget for one item. A write unit covers 1 KB; the byUser index entry is the same item (ALL
 * projection) and DynamoDB may count up to 100 bytes of index overhead, so keep ~100 bytes spare.
 */
export const MAX_ITEM_BYTES = 900;
const SHORT_VALUE_CHARS = 64;

export type ReportItem = Record<string, unknown> & { pk: string; sk: string; ttl: number };

const OPTIONAL_FIELDS = [
  'appName',
  'resourceId',
  'userName',
  'previousUserName',
  'externalId',
  'groupId',
  'groupDisplayName',
  'httpStatus',
  'scimType',
  'detail',
  'reason',
  'count',
  'requestId',
  'sourceIp',
  'userAgent',
  'profileChanges',
  'requested',
  'applied',
  'authenticatedBy',
  'recompute',
] as const satisfies readonly (keyof ReportRow)[];

/** DynamoDB's item size rules (names + values; numbers ~1 byte per 2 digits; 3 bytes per list/map). */
export const itemBytes = (value: unknown): number => {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return 1 + Math.ceil(String(Math.abs(value)).replace(/[.-]/g, '').length / 2);
  if (Array.isArray(value)) return 3 + value.reduce<number>((sum, v) => sum + 1 + itemBytes(v), 0);
  if (value instanceof Set) return [...value].reduce<number>((sum, v) => sum + itemBytes(v), 0);
  if (typeof value === 'object') {
    return 3 + Object.entries(value).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k, 'utf8') + itemBytes(v), 0);
  }
  return 0;
};

/** Size of a top-level item (no map overhead at the top). */
export const topItemBytes = (item: Record<string, unknown>): number =>
  Object.entries(item).reduce((sum, [k, v]) => sum + Buffer.byteLength(k, 'utf8') + itemBytes(v), 0);

const shorten = (value: string | undefined): string | undefined =>
  value === undefined || value.length <= SHORT_VALUE_CHARS ? value : `${Array.from(value).slice(0, SHORT_VALUE_CHARS - 1).join('')}…`;

/**
 * Shrinks an item's `changes` until it fits MAX_ITEM_BYTES: first shorter values, then fewer
 * changes with a closing note saying how many were left out. Other fields are already capped.
 */
export const fitItem = (item: ReportItem): ReportItem => {
  if (topItemBytes(item) <= MAX_ITEM_BYTES) return item;
  const changes = item.changes as AttributeChange[] | undefined;
  if (!changes?.length) return item;
  const short: AttributeChange[] = changes.map((c) => {
    const out: AttributeChange = { name: shorten(c.name)! };
    if (c.old !== undefined) out.old = shorten(c.old);
    if (c.new !== undefined) out.new = shorten(c.new);
    return out;
  });
  const fitted: ReportItem = { ...item, changes: short };
  for (let kept = short.length; kept >= 0; kept--) {
    const omitted = short.length - kept;
    fitted.changes = omitted ? [...short.slice(0, kept), { name: '…', new: `${omitted} more changed attributes not kept` }] : short;
    if (topItemBytes(fitted) <= MAX_ITEM_BYTES) return fitted;
  }
  return fitted;
};

export const toItem = (row: ReportRow): ReportItem => {
  const [streamEventId, index] = splitEventId(row.eventId);
  const item: ReportItem = {
    ...reportKeys.row(row.appId, row.time, row.sequenceNumber ?? '', streamEventId, index),
    [Attr.ttl]: Math.ceil(Date.parse(row.expiresAt) / 1000),
    resourceType: row.resourceType,
    action: row.action,
    status: row.status,
  };
  // Sparse index: only rows that name an end user enter byUser (and pay for it).
  if (row.userName) item[ReportAttr.userKey] = reportKeys.user(row.userName);
  for (const field of OPTIONAL_FIELDS) if (row[field] !== undefined && row[field] !== '') item[field] = row[field];
  if (row.changes.length) item.changes = row.changes;
  // What the report's `attribute` filter matches (a string set: DynamoDB's contains() reads it).
  const changed = changedKeysOf(row);
  if (changed.length) item.changedNames = new Set(changed);
  return fitItem(item);
};

const splitEventId = (eventId: string): [string, number] => {
  const at = eventId.lastIndexOf(':');
  return at < 0 ? [eventId, 0] : [eventId.slice(0, at), Number(eventId.slice(at + 1)) || 0];
};

export const fromItem = (item: Record<string, unknown>): ReportRow => {
  const { time, sequenceNumber, eventId } = reportKeys.parseRowSk(String(item.sk));
  const row: ReportRow = {
    eventId,
    ...(sequenceNumber && /[1-9]/.test(sequenceNumber) ? { sequenceNumber } : {}),
    time,
    appId: appIdOfPk(String(item.pk)) ?? '',
    resourceType: item.resourceType as ReportRow['resourceType'],
    action: String(item.action),
    status: item.status as ReportRow['status'],
    changes: Array.isArray(item.changes) ? (item.changes as AttributeChange[]) : [],
    expiresAt: new Date(Number(item[Attr.ttl]) * 1000).toISOString(),
  };
  for (const field of OPTIONAL_FIELDS) {
    if (item[field] !== undefined) (row as unknown as Record<string, unknown>)[field] = item[field];
  }
  return row;
};
