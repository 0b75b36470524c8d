/**
 * The query strings of the directory read API (`/apps/{appId}/directory/v1/…`), validated. The
 * customer's application calls it with a directory token; a typo must fail loudly rather than
 * silently return everything, so unknown parameters are refused and each refusal says what to send.
 * Returns a result instead of throwing (every input ends in a query or a 400 `invalidValue`).
 *
 * Cursors are opaque here: the store issues and checks them (bound to the list and the query, as
 * for SCIM lists); this module only refuses what cannot be one. `after` is an event id: events
 * are read in log order from the one after it.
 */
import { ScimError } from '../scim/errors';
import { isTypePattern, normalizePatterns, typePatternProblem, type TypePattern } from './event-filter';
import { isEventId } from './event-id';

export const LIST_LIMIT = { default: 100, max: 200 } as const;
export const EVENT_LIMIT = { default: 100, max: 500 } as const;
export const MAX_CURSOR_LENGTH = 2048;

/** The parameters each read takes (the OpenAPI document lists the same). */
export const DIRECTORY_QUERY_PARAMS = {
  users: ['updatedAfter', 'cursor', 'limit'],
  groups: ['updatedAfter', 'cursor', 'limit'],
  members: ['cursor', 'limit'],
  events: ['after', 'types', 'limit'],
} as const;

/** The admin's newest-first reading of the log (the console's Events view): `order=newest`, then `before` pages back. */
const RECENT_EVENT_PARAMS = ['order', 'before', 'types', 'limit'] as const;

export interface ListQuery {
  /** ISO 8601 (milliseconds, UTC): only resources written after it. */
  updatedAfter?: string;
  cursor?: string;
  limit: number;
}

export interface MemberQuery {
  cursor?: string;
  limit: number;
}

export interface EventQuery {
  /** An event id: events after it; absent: from the oldest kept. */
  after?: string;
  /** Absent: every type. */
  types?: TypePattern[];
  limit: number;
}

export interface RecentEventQuery {
  /** An event id: events logged before it; absent: from the newest. */
  before?: string;
  types?: TypePattern[];
  limit: number;
}

export type QueryParse<T> = { ok: true; query: T } | { ok: false; error: ScimError };

type Query = Readonly<Record<string, string | undefined>>;

class QueryProblem extends Error {}

const refuse = (detail: string): never => {
  throw new QueryProblem(detail);
};

/** Runs a parser; its one refusal becomes the 400. Nothing else is caught: a bug stays a bug. */
const parsing = <T>(parse: () => T): QueryParse<T> => {
  try {
    return { ok: true, query: parse() };
  } catch (error) {
    if (error instanceof QueryProblem) return { ok: false, error: ScimError.invalidValue(error.message) };
    throw error;
  }
};

const quoted = (value: string) => JSON.stringify(value.length > 64 ? `${value.slice(0, 63)}…` : value);

/** A parameter's trimmed value; empty counts as absent. */
const valueOf = (query: Query, name: string): string | undefined => {
  const value = Object.hasOwn(query, name) ? query[name]?.trim() : undefined;
  return value ? value : undefined;
};

const checkNames = (query: Query, allowed: readonly string[]) => {
  const unknown = Object.keys(query).filter((name) => !allowed.includes(name));
  if (unknown.length) refuse(`Unknown query parameter ${unknown.map(quoted).join(', ')}; use ${allowed.join(', ')}.`);
};

const limitOf = (query: Query, bounds: { default: number; max: number }): number => {
  const text = valueOf(query, 'limit');
  if (text === undefined) return bounds.default;
  const limit = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(limit >= 1 && limit <= bounds.max)) refuse(`limit must be a whole number from 1 to ${bounds.max}, not ${quoted(text)}.`);
  return limit;
};

const cursorOf = (query: Query): string | undefined => {
  const cursor = valueOf(query, 'cursor');
  if (cursor !== undefined && !(cursor.length <= MAX_CURSOR_LENGTH && /^[A-Za-z0-9_-]+$/.test(cursor))) {
    refuse('cursor is not one this API issued; pass nextCursor from the previous page as it is, or leave it out to start again.');
  }
  return cursor;
};

/** `2024-05-31`, or a date-time with seconds and a zone: `2024-05-31T07:00:00Z`, `…T09:00:00.5+02:00`. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2}))?$/i;

/** Date.parse rolls 2024-02-31 over to March; a date that does not exist is refused instead. */
const isCalendarDate = (text: string): boolean => {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

const updatedAfterOf = (query: Query): string | undefined => {
  const text = valueOf(query, 'updatedAfter');
  if (text === undefined) return undefined;
  const time = DATE_TIME.test(text) && isCalendarDate(text) ? Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text) : NaN;
  if (Number.isNaN(time)) refuse(`updatedAfter must be an ISO 8601 date or date-time with a zone, such as 2024-05-31T07:00:00Z, not ${quoted(text)}.`);
  return new Date(time).toISOString();
};

export const parseListQuery = (query: Query): QueryParse<ListQuery> =>
  parsing(() => {
    checkNames(query, DIRECTORY_QUERY_PARAMS.users);
    const parsed: ListQuery = { limit: limitOf(query, LIST_LIMIT) };
    const updatedAfter = updatedAfterOf(query);
    const cursor = cursorOf(query);
    if (updatedAfter !== undefined) parsed.updatedAfter = updatedAfter;
    if (cursor !== undefined) parsed.cursor = cursor;
    return parsed;
  });

export const parseMemberQuery = (query: Query): QueryParse<MemberQuery> =>
  parsing(() => {
    checkNames(query, DIRECTORY_QUERY_PARAMS.members);
    const parsed: MemberQuery = { limit: limitOf(query, LIST_LIMIT) };
    const cursor = cursorOf(query);
    if (cursor !== undefined) parsed.cursor = cursor;
    return parsed;
  });

const eventIdOf = (query: Query, name: 'after' | 'before'): string | undefined => {
  const id = valueOf(query, name);
  if (id !== undefined && !isEventId(id)) refuse(`${name} must be an event id such as evt_8f14e45fceea167a5a36dedd4bea2543 (the id of the last event you read), not ${quoted(id)}.`);
  return id;
};

const typesOf = (query: Query): TypePattern[] | undefined => {
  const types = valueOf(query, 'types');
  if (types === undefined) return undefined;
  const entries = types.split(',').map((t) => t.trim());
  const bad = entries.find((t) => !isTypePattern(t));
  if (bad !== undefined) refuse(`types: ${typePatternProblem(bad)}.`);
  return normalizePatterns(entries as TypePattern[]);
};

export const parseEventQuery = (query: Query): QueryParse<EventQuery> =>
  parsing(() => {
    checkNames(query, DIRECTORY_QUERY_PARAMS.events);
    const parsed: EventQuery = { limit: limitOf(query, EVENT_LIMIT) };
    const after = eventIdOf(query, 'after');
    if (after !== undefined) parsed.after = after;
    const types = typesOf(query);
    if (types !== undefined) parsed.types = types;
    return parsed;
  });

/** `order=newest&before=&types=&limit=`: the log newest first (the admin API only). */
export const parseRecentEventQuery = (query: Query): QueryParse<RecentEventQuery> =>
  parsing(() => {
    checkNames(query, RECENT_EVENT_PARAMS);
    const order = valueOf(query, 'order');
    if (order !== 'newest') refuse(`order must be "newest" (or left out for the oldest first, with after), not ${quoted(order ?? '')}.`);
    const parsed: RecentEventQuery = { limit: limitOf(query, EVENT_LIMIT) };
    const before = eventIdOf(query, 'before');
    if (before !== undefined) parsed.before = before;
    const types = typesOf(query);
    if (types !== undefined) parsed.types = types;
    return parsed;
  });
