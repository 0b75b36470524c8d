/**
 * Query planning for `GET /Users` and `GET /Groups` (and their `/.search`):
 * - a filter on a key attribute (`userName eq`, `externalId eq`, `id eq`, work e-mail, group
 *   membership, `displayName eq`) is answered from keys, and the whole filter is then checked on
 *   the few items fetched;
 * - no filter and no sort: the list index is paged directly (cursor paging is the efficient path;
 *   `startIndex` skips with a COUNT query);
 * - any other filter scans the application's list page by page, keeping only the requested window
 *   in memory, so the result and `totalResults` are complete and memory stays bounded;
 * - `sortBy` needs every match in memory: allowed up to MAX_SORTED matches.
 *
 * A filter from a query string may hold a form-encoded space as `+` (scim/filter/space-readings.ts):
 * a key lookup that finds nothing for such a value reads the key of the spaced value once more
 * (only then, so a hit costs nothing extra), and filters evaluated in memory match either reading.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryDigest } from '../domain/cursor';
import { ScimError } from '../scim/errors';
import { compareForSort, hasSpaceReading, keyLookup, matches, spaceReading, stringifyFilter, withSpaceReadings, type Filter, type KeyLookupKind } from '../scim/filter';
import { isCaseExact, type ResourceType } from '../scim/schemas';
import { appIdOfPk, Attr, Index } from './keys';
import { itemPages } from './index-items';
import { countQuery, decodeListCursor, encodeListCursor, listPartitionQuery, queryPages, type StartKey } from './paging';

/** Many keyed candidates (a big group's members): only the requested window is loaded. */
export interface LazyCandidates<T> {
  ids: readonly string[];
  load(ids: readonly string[]): Promise<T[]>;
}

export interface SearchSource<T> {
  resourceType: ResourceType;
  /** gsi1pk of the application's list of this resource type. */
  listPartition: string;
  /** Items whose key matches; undefined when this kind of lookup is not keyed for the type. */
  lookup(kind: KeyLookupKind, value: string): Promise<T[] | LazyCandidates<T> | undefined>;
  /** The SCIM representation used to evaluate filters and sort. */
  represent(item: T): Record<string, unknown>;
  /** Decodes a raw item of the list index. */
  fromItem(item: Record<string, unknown>): T;
}

export interface SearchQuery {
  filter?: Filter;
  startIndex: number;
  count: number;
  /** RFC 9865: present (even empty) = cursor paging. */
  cursor?: string;
  sortBy?: string;
  sortOrder?: 'ascending' | 'descending';
  /** The filter came in a query string, where a `+` may be a space the front door did not decode. */
  plusMayBeSpace?: boolean;
}

export interface SearchResult<T> {
  items: T[];
  totalResults: number;
  startIndex: number;
  nextCursor?: string;
}

const MAX_SORTED = 10_000;
const SCAN_PAGE = 500;
/** A COUNT page while skipping to `startIndex`: DynamoDB refuses a Limit beyond a 32-bit integer. */
const SKIP_PAGE = 10_000;

/** The attributes of a start key on the lists index: the index key and the table key. */
const LIST_KEY_ATTRS = [Attr.gsi1pk, Attr.gsi1sk, Attr.pk, Attr.sk] as const;

/**
 * A cursor is not signed, so its start key is checked before DynamoDB sees it: exactly the lists
 * index's key attributes, non-empty, in the list (and application) the cursor was issued for.
 * Anything else would make DynamoDB refuse the query, which must be the client's 400, not a 500.
 */
const listStartKey = (key: StartKey | undefined, partition: string): StartKey | undefined => {
  if (key === undefined) return undefined;
  const names = Object.keys(key);
  const valid =
    names.length === LIST_KEY_ATTRS.length &&
    LIST_KEY_ATTRS.every((name) => typeof key[name] === 'string' && key[name] !== '') &&
    key[Attr.gsi1pk] === partition &&
    appIdOfPk(key[Attr.pk]) === appIdOfPk(partition);
  if (!valid) throw ScimError.invalidValue('The cursor is invalid or expired; start again without a cursor.');
  return key;
};

export const createSearch = (client: DynamoDBDocumentClient, tableName: string) => {
  const listQuery = (partition: string) => listPartitionQuery(tableName, partition);

  /** A window [offset, offset + count) of an in-memory, complete result. */
  const windowOf = <T>(all: T[], query: SearchQuery, partition: string, digest: string): SearchResult<T> => {
    const offset = query.cursor !== undefined ? (query.cursor ? decodeListCursor(query.cursor, partition, digest).offset : 0) : query.startIndex - 1;
    const items = all.slice(offset, offset + query.count);
    const more = offset + items.length < all.length;
    return {
      items,
      totalResults: all.length,
      startIndex: query.cursor !== undefined ? offset + 1 : query.startIndex,
      nextCursor: query.cursor !== undefined && more ? encodeListCursor({ p: partition, q: digest, o: offset + items.length }) : undefined,
    };
  };

  return async function search<T>(source: SearchSource<T>, query: SearchQuery): Promise<SearchResult<T>> {
    const caseExact = (path: string) => isCaseExact(source.resourceType, path);
    const readings = (filter: Filter) => (query.plusMayBeSpace ? withSpaceReadings(filter) : filter);
    const matching = (filter: Filter | undefined) => {
      const evaluated = filter && readings(filter);
      return (item: T) => !evaluated || matches(evaluated, source.represent(item), { caseExact });
    };
    const matchesFilter = matching(query.filter);
    const digest = queryDigest(query.filter && stringifyFilter(query.filter), query.sortBy, query.sortOrder);
    const sorted = (items: T[]) => {
      if (!query.sortBy) return items;
      const compare = compareForSort(query.sortBy, query.sortOrder, { caseExact });
      return [...items].sort((a, b) => compare(source.represent(a), source.represent(b)));
    };

    // 1. Key lookups.
    const planned = query.filter ? keyLookup(query.filter, source.resourceType) : undefined;
    const fromKeys = async (kind: KeyLookupKind, value: string, residual: Filter | undefined): Promise<SearchResult<T> | undefined> => {
      let candidates = await source.lookup(kind, value);
      if (candidates && !Array.isArray(candidates)) {
        const lazy = candidates as LazyCandidates<T>;
        if (!residual && !query.sortBy) {
          // Page the ids, load only the window.
          const page = windowOf([...lazy.ids], query, source.listPartition, digest);
          return { ...page, items: await lazy.load(page.items) };
        }
        candidates = await lazy.load(lazy.ids);
      }
      // The key already guarantees its own term (some, like group membership, are not in the
      // representation); the rest of the filter is checked on the items it fetched.
      return candidates ? windowOf(sorted((candidates as T[]).filter(matching(residual))), query, source.listPartition, digest) : undefined;
    };
    if (planned) {
      const { kind, value } = planned.lookup;
      const keyed = await fromKeys(kind, value, planned.residual);
      // Entra's `displayName+eq+%22Sales+Team%22` behind a front door that left the `+`: one more key read, on a miss only.
      if (keyed && keyed.totalResults === 0 && query.plusMayBeSpace && hasSpaceReading(value)) {
        return (await fromKeys(kind, spaceReading(value), planned.residual)) ?? keyed;
      }
      if (keyed) return keyed;
    }

    // 2. Plain listing: page the index itself.
    if (!query.filter && !query.sortBy) {
      const totalResults = await countQuery(client, listQuery(source.listPartition));
      let startKey: StartKey | undefined;
      let startIndex = query.startIndex;
      if (query.cursor !== undefined) {
        startKey = query.cursor ? listStartKey(decodeListCursor(query.cursor, source.listPartition, digest).key, source.listPartition) : undefined;
        startIndex = 1;
      } else if (query.startIndex > 1) {
        startKey = await skip(listQuery(source.listPartition), query.startIndex - 1);
        if (startKey === undefined) return { items: [], totalResults, startIndex };
      }
      if (query.count === 0) return { items: [], totalResults, startIndex };
      const items: T[] = [];
      let lastKey = startKey;
      for await (const page of itemPages<Record<string, unknown>>(client, tableName, { ...listQuery(source.listPartition), ExclusiveStartKey: startKey, Limit: query.count })) {
        items.push(...page.items.map(source.fromItem));
        lastKey = page.lastKey;
        if (items.length >= query.count || !lastKey) break;
      }
      const result: SearchResult<T> = { items: items.slice(0, query.count), totalResults, startIndex };
      if (query.cursor !== undefined && lastKey) result.nextCursor = encodeListCursor({ p: source.listPartition, q: digest, k: lastKey });
      return result;
    }

    // 3. Scan with a filter and/or a sort.
    const offset = query.cursor !== undefined ? (query.cursor ? decodeListCursor(query.cursor, source.listPartition, digest).offset : 0) : query.startIndex - 1;
    const kept: T[] = [];
    let total = 0;
    for await (const page of itemPages<Record<string, unknown>>(client, tableName, { ...listQuery(source.listPartition), Limit: SCAN_PAGE })) {
      for (const raw of page.items) {
        const item = source.fromItem(raw);
        if (!matchesFilter(item)) continue;
        total++;
        if (query.sortBy) {
          if (total > MAX_SORTED) throw ScimError.tooMany(`sortBy is supported for at most ${MAX_SORTED} results; narrow the filter.`);
          kept.push(item);
        } else if (total > offset && kept.length < query.count) {
          kept.push(item);
        }
      }
    }
    if (query.sortBy) return windowOf(sorted(kept), query, source.listPartition, digest);
    const more = offset + kept.length < total;
    return {
      items: kept,
      totalResults: total,
      startIndex: query.cursor !== undefined ? offset + 1 : query.startIndex,
      nextCursor: query.cursor !== undefined && more ? encodeListCursor({ p: source.listPartition, q: digest, o: offset + kept.length }) : undefined,
    };
  };

  /** The key after the first n items of a query, without reading their attributes back. */
  async function skip(input: ReturnType<typeof listQuery>, n: number): Promise<StartKey | undefined> {
    let remaining = n;
    for await (const page of queryPages(client, { ...input, Select: 'COUNT' }, { pageLimit: () => Math.min(remaining, SKIP_PAGE) })) {
      remaining -= page.count;
      if (!page.lastKey) return undefined;
      if (remaining <= 0) return page.lastKey;
    }
    return undefined;
  }
};
