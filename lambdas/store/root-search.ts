/**
 * One query over several resource types (`POST <Tenant URL>/.search`, RFC 7644 §3.4.3): the result
 * is every User, then every Group, that matches, paged as one list. Each type is searched with the
 * planner of its own endpoint (store/search.ts: key lookups, list paging, bounded scans), so a root
 * query costs what the per-type queries cost; a type the filter excludes is not read at all.
 *
 * - index paging: `startIndex`/`count` walk the concatenated list; `totalResults` is the sum.
 * - cursor paging (RFC 9865): the cursor names the type it continues and that type's own cursor.
 * - `sortBy`: every match of every type in memory (at most MAX_SORTED), sorted as one list.
 */
import * as z from 'zod/mini';
import { decodeCursor, encodeCursor, queryDigest } from '../domain/cursor';
import { ScimError } from '../scim/errors';
import { compareForSort, stringifyFilter } from '../scim/filter';
import type { ResourceType } from '../scim/schemas';
import type { SearchQuery, SearchResult } from './search';

/** One resource type of a root query, already narrowed to what the filter can match in it. */
export interface RootSearchPart<T> {
  readonly resourceType: ResourceType;
  /** This type's search with the narrowed filter (sortBy and paging come from the query). */
  run(query: Omit<SearchQuery, 'filter'>): Promise<SearchResult<T>>;
  /** The SCIM representation sorting compares. */
  represent(item: T): Record<string, unknown>;
  /** Whether string comparisons on a path are case-sensitive for this type. */
  caseExact(path: string): boolean;
}

export interface RootSearchResult<T> {
  items: { resourceType: ResourceType; item: T }[];
  totalResults: number;
  startIndex: number;
  nextCursor?: string;
}

/** Most matches a sorted root query may hold in memory (the per-type limit of store/search.ts). */
export const MAX_SORTED_ROOT = 10_000;

/** `t`/`c`: the type being paged and its own cursor; `o`/`q`: an offset into a sorted result. */
const RootCursorSchema = z.object({
  t: z.optional(z.enum(['User', 'Group'])),
  c: z.optional(z.string()),
  o: z.optional(z.int().check(z.minimum(0))),
  q: z.optional(z.string()),
});
type RootCursor = z.infer<typeof RootCursorSchema>;

const invalidCursor = () => ScimError.invalidValue('The cursor is invalid or expired; start again without a cursor.');

const encode = (cursor: RootCursor): string => encodeCursor(cursor);

const decode = (text: string): RootCursor => {
  const body = decodeCursor(text, RootCursorSchema);
  if (!body) throw invalidCursor();
  return body;
};

type Tagged<T> = RootSearchResult<T>['items'];
const tag = <T>(part: RootSearchPart<T>, items: T[]): Tagged<T> => items.map((item) => ({ resourceType: part.resourceType, item }));

/** How many resources of a part match, without loading any. */
const countOf = async <T>(part: RootSearchPart<T>): Promise<number> => (await part.run({ startIndex: 1, count: 0 })).totalResults;

const byIndex = async <T>(parts: readonly RootSearchPart<T>[], query: SearchQuery): Promise<RootSearchResult<T>> => {
  const items: Tagged<T> = [];
  let skip = query.startIndex - 1;
  let totalResults = 0;
  for (const part of parts) {
    const remaining = query.count - items.length;
    // A full page only needs this part's total, which does not depend on where it would start.
    const page = await part.run(remaining > 0 ? { startIndex: skip + 1, count: remaining } : { startIndex: 1, count: 0 });
    items.push(...tag(part, page.items));
    totalResults += page.totalResults;
    skip = Math.max(0, skip - page.totalResults);
  }
  return { items, totalResults, startIndex: query.startIndex };
};

const byCursor = async <T>(parts: readonly RootSearchPart<T>[], query: SearchQuery): Promise<RootSearchResult<T>> => {
  const cursor: RootCursor = query.cursor ? decode(query.cursor) : { t: parts[0]?.resourceType, c: '' };
  const from = parts.findIndex((p) => p.resourceType === cursor.t);
  if (parts.length && (from === -1 || cursor.c === undefined || cursor.o !== undefined)) throw invalidCursor();
  const items: Tagged<T> = [];
  let totalResults = 0;
  let nextCursor: string | undefined;
  for (const [index, part] of parts.entries()) {
    const remaining = query.count - items.length;
    if (index < from || nextCursor !== undefined || remaining === 0) {
      // Before the cursor's type, or after the page is full: only counted. A page that filled up
      // before this part continues where this part starts (or, for `count=0`, where it was).
      const count = await countOf(part);
      totalResults += count;
      if (index >= from && nextCursor === undefined && count > 0) nextCursor = encode({ t: part.resourceType, c: index === from ? cursor.c : '' });
      continue;
    }
    const page = await part.run({ startIndex: 1, count: remaining, cursor: index === from ? cursor.c : '' });
    items.push(...tag(part, page.items));
    totalResults += page.totalResults;
    if (page.nextCursor !== undefined) nextCursor = encode({ t: part.resourceType, c: page.nextCursor });
  }
  return { items, totalResults, startIndex: 1, nextCursor };
};

const bySort = async <T>(parts: readonly RootSearchPart<T>[], query: SearchQuery & { sortBy: string }): Promise<RootSearchResult<T>> => {
  const digest = queryDigest('root', query.filter && stringifyFilter(query.filter), query.sortBy, query.sortOrder);
  const all: (Tagged<T>[number] & { resource: Record<string, unknown> })[] = [];
  for (const part of parts) {
    const page = await part.run({ startIndex: 1, count: MAX_SORTED_ROOT, sortBy: query.sortBy, sortOrder: query.sortOrder });
    if (all.length + page.totalResults > MAX_SORTED_ROOT) {
      throw ScimError.tooMany(`sortBy is supported for at most ${MAX_SORTED_ROOT} results; narrow the filter.`);
    }
    all.push(...page.items.map((item) => ({ resourceType: part.resourceType, item, resource: part.represent(item) })));
  }
  // A path is compared case-sensitively only where every type says so.
  const compare = compareForSort(query.sortBy, query.sortOrder, { caseExact: (path) => parts.every((p) => p.caseExact(path)) });
  all.sort((a, b) => compare(a.resource, b.resource));

  let offset = query.startIndex - 1;
  if (query.cursor !== undefined) {
    const cursor = query.cursor ? decode(query.cursor) : { o: 0, q: digest };
    if (cursor.o === undefined || cursor.q !== digest) throw invalidCursor();
    offset = cursor.o;
  }
  const window = all.slice(offset, offset + query.count);
  const more = offset + window.length < all.length;
  return {
    items: window.map(({ resourceType, item }) => ({ resourceType, item })),
    totalResults: all.length,
    startIndex: query.cursor !== undefined ? offset + 1 : query.startIndex,
    nextCursor: query.cursor !== undefined && more ? encode({ o: offset + window.length, q: digest }) : undefined,
  };
};

/** Searches `parts` in order as one list. */
export const rootSearch = <T>(parts: readonly RootSearchPart<T>[], query: SearchQuery): Promise<RootSearchResult<T>> => {
  if (query.sortBy) return bySort(parts, { ...query, sortBy: query.sortBy });
  return query.cursor !== undefined ? byCursor(parts, query) : byIndex(parts, query);
};
