/**
 * Table definitions shared by the CDK construct and the local runtime, so both create exactly
 * the same keys, indexes, stream and TTL. Attribute and index names come from the key module.
 */
import { Attr, Index, ReportAttr, ReportIndex } from '../lambdas/store/keys';

/**
 * What an index copies from the table: the keys always; `include` adds the named attributes
 * (`INCLUDE`), `all` the whole item (`ALL`). An index write happens only when a copied attribute
 * changes, and it is billed by the size of the copy, so an index copies as little as its queries need.
 */
export type GsiProjection = { readonly type: 'keys' } | { readonly type: 'include'; readonly attributes: readonly string[] } | { readonly type: 'all' };

export interface GsiDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly projection: GsiProjection;
}

export interface TableDefinition {
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly globalSecondaryIndexes: readonly GsiDefinition[];
  readonly timeToLiveAttribute: string;
  /** Streams carry both images so the report consumer can compute what changed. */
  readonly stream?: 'NEW_AND_OLD_IMAGES';
}

/** Users, groups, memberships, applications and uniqueness sentinels (see lambdas/store/keys.ts). */
export const MAIN_TABLE: TableDefinition = {
  partitionKey: Attr.pk,
  sortKey: Attr.sk,
  // Keys and the item type only (the type never changes): a user or group write that keeps its
  // index keys writes no index at all, and a list page reads its items with one BatchGet
  // (store/index-items.ts). Issue 18: whole-item copies made every write pay twice more.
  globalSecondaryIndexes: [
    { indexName: Index.lists, partitionKey: Attr.gsi1pk, sortKey: Attr.gsi1sk, projection: { type: 'include', attributes: [Attr.type] } },
    { indexName: Index.lookups, partitionKey: Attr.gsi2pk, sortKey: Attr.gsi2sk, projection: { type: 'include', attributes: [Attr.type] } },
  ],
  timeToLiveAttribute: Attr.ttl,
  stream: 'NEW_AND_OLD_IMAGES',
};

/**
 * Provisioning report rows. The base key is the day-bucketed "by application" index
 * (`APP#<appId>#DAY#<day>` / `<time>#<eventId>`) and `byUser` is the only GSI, so a row costs at
 * most 2 write units (see lambdas/store/reports.ts). Both are sorted by time.
 */
export const REPORT_TABLE: TableDefinition = {
  partitionKey: Attr.pk,
  sortKey: Attr.sk,
  // Whole rows: a row is written once and never changed, and the by-user query shows whole rows.
  globalSecondaryIndexes: [{ indexName: ReportIndex.byUser, partitionKey: ReportAttr.userKey, sortKey: Attr.sk, projection: { type: 'all' } }],
  timeToLiveAttribute: Attr.ttl,
};
