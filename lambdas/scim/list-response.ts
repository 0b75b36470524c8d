/**
 * Query responses (RFC 7644 §3.4.2) and the paging and sorting parameters that shape them:
 * index paging (`startIndex`/`count`, §3.4.2.4) and cursor paging (RFC 9865: `cursor`,
 * `nextCursor`, `previousCursor`). A ListResponse carries only those RFCs' fields.
 */
import { ScimError } from './errors';
import type { SortOrder } from './filter/sort';
import { SchemaUrn } from './schemas';

/** Page size when the client gives no `count`. */
export const DEFAULT_PAGE_SIZE = 100;
/** Largest page we serve; larger `count`s are lowered to it (RFC 7644 §3.4.2.4 allows that). */
export const MAX_PAGE_SIZE = 1_000;

export interface ListResponse<T> {
  schemas: [typeof SchemaUrn.listResponse];
  totalResults: number;
  itemsPerPage: number;
  startIndex?: number;
  nextCursor?: string;
  previousCursor?: string;
  Resources: T[];
}

export interface ListResponseInput<T> {
  resources: T[];
  totalResults: number;
  /** Index paging: the request's (normalised) startIndex; 1 when omitted. */
  startIndex?: number;
  /** Defaults to the number of resources. */
  itemsPerPage?: number;
  nextCursor?: string;
  previousCursor?: string;
  /** The request used cursor paging: no `startIndex` in the answer, even on the last page. */
  cursorPaging?: boolean;
}

export const listResponse = <T>(input: ListResponseInput<T>): ListResponse<T> => {
  const cursorPaging = input.cursorPaging || input.nextCursor !== undefined || input.previousCursor !== undefined;
  return {
    schemas: [SchemaUrn.listResponse],
    totalResults: input.totalResults,
    itemsPerPage: input.itemsPerPage ?? input.resources.length,
    ...(cursorPaging ? {} : { startIndex: input.startIndex ?? 1 }),
    ...(input.nextCursor !== undefined ? { nextCursor: input.nextCursor } : {}),
    ...(input.previousCursor !== undefined ? { previousCursor: input.previousCursor } : {}),
    // Always present, also when empty: Entra and Microsoft's collection read `Resources` on a miss.
    Resources: input.resources,
  };
};

export type QueryParams = Readonly<Record<string, string | undefined>>;

/** Query parameter names are matched in any letter case (`startindex` from hand-written clients). */
export const queryParam = (query: QueryParams, name: string): string | undefined => {
  if (query[name] !== undefined) return query[name];
  const lower = name.toLowerCase();
  const key = Object.keys(query).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : query[key];
};

const integerParam = (query: QueryParams, name: string): number | undefined => {
  const raw = queryParam(query, name)?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!/^[+-]?\d+$/.test(raw)) {
    throw ScimError.invalidValue(`The query parameter "${name}" must be an integer; got ${JSON.stringify(raw.slice(0, 40))}.`);
  }
  return Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, Number(raw)));
};

export interface Paging {
  /** 1-based; 1 in cursor mode. */
  startIndex: number;
  count: number;
  /** Present in cursor mode: `''` asks for the first page. */
  cursor?: string;
}

export interface PagingOptions {
  defaultCount?: number;
  maxCount?: number;
}

export const parsePaging = (query: QueryParams, options: PagingOptions = {}): Paging => {
  const { defaultCount = DEFAULT_PAGE_SIZE, maxCount = MAX_PAGE_SIZE } = options;
  const requested = integerParam(query, 'count');
  const count = requested === undefined ? Math.min(defaultCount, maxCount) : Math.min(Math.max(requested, 0), maxCount);
  const cursor = queryParam(query, 'cursor');
  const startIndexText = queryParam(query, 'startIndex');
  if (cursor !== undefined) {
    if (startIndexText !== undefined) {
      throw ScimError.invalidValue('Use either "cursor" or "startIndex" paging, not both in one request (RFC 9865).');
    }
    return { startIndex: 1, count, cursor: cursor.trim() };
  }
  const startIndex = Math.max(integerParam(query, 'startIndex') ?? 1, 1);
  return { startIndex, count };
};

export interface Sort {
  sortBy?: string;
  sortOrder: SortOrder;
}

/** `sortBy` is returned as written; the caller resolves it against the schema. */
export const parseSort = (query: QueryParams): Sort => {
  const sortBy = queryParam(query, 'sortBy')?.trim() || undefined;
  const raw = queryParam(query, 'sortOrder')?.trim() || 'ascending';
  const order = raw.toLowerCase();
  if (order !== 'ascending' && order !== 'descending') {
    throw ScimError.invalidValue(
      `The query parameter "sortOrder" must be "ascending" or "descending"; got ${JSON.stringify(raw.slice(0, 40))}.`,
    );
  }
  return sortBy ? { sortBy, sortOrder: order } : { sortOrder: order };
};
