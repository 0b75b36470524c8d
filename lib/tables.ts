/**
 * Table definitions shared by the CDK construct and the local runtime, so both create exactly
 * the same keys, indexes, stream and TTL. Attribute and index names come from the key module.
 */
import { Attr, Index, ReportAttr, ReportIndex } from '../lambdas/store/keys';

export interface GsiDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
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
  globalSecondaryIndexes: [
    { indexName: Index.lists, partitionKey: Attr.gsi1pk, sortKey: Attr.gsi1sk },
    { indexName: Index.lookups, partitionKey: Attr.gsi2pk, sortKey: Attr.gsi2sk },
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
  globalSecondaryIndexes: [{ indexName: ReportIndex.byUser, partitionKey: ReportAttr.userKey, sortKey: Attr.sk }],
  timeToLiveAttribute: Attr.ttl,
};
