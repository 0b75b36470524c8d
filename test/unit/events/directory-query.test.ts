import fc from 'fast-check';
import { EVENT_LIMIT, LIST_LIMIT, parseEventQuery, parseListQuery, parseMemberQuery, parseRecentEventQuery, type QueryParse } from '../../../lambdas/events/directory-query';
import { isScimError } from '../../../lambdas/scim/errors';

const EVENT_ID = 'evt_8f14e45fceea167a5a36dedd4bea2543';

const detailOf = <T>(parsed: QueryParse<T>): string => {
  if (parsed.ok) throw new Error(`expected a refusal, got ${JSON.stringify(parsed.query)}`);
  expect(parsed.error.toBody()).toMatchObject({ status: '400', scimType: 'invalidValue' });
  return parsed.error.detail;
};

describe('parseListQuery (users, groups)', () => {
  it('defaults: the first page of everything', () => {
    expect(parseListQuery({})).toEqual({ ok: true, query: { limit: LIST_LIMIT.default } });
  });

  it('reads updatedAfter in UTC with milliseconds, a cursor and a limit', () => {
    expect(parseListQuery({ updatedAfter: '2024-05-31T09:00:00+02:00', cursor: 'eyJrIjoxfQ', limit: '50' })).toEqual({
      ok: true,
      query: { updatedAfter: '2024-05-31T07:00:00.000Z', cursor: 'eyJrIjoxfQ', limit: 50 },
    });
    expect(parseListQuery({ updatedAfter: '2024-05-31' })).toEqual({ ok: true, query: { updatedAfter: '2024-05-31T00:00:00.000Z', limit: LIST_LIMIT.default } });
  });

  it('takes empty values as absent', () => {
    expect(parseListQuery({ updatedAfter: '', cursor: ' ', limit: '' })).toEqual({ ok: true, query: { limit: LIST_LIMIT.default } });
  });

  it.each([
    [{ limit: '0' }, 'limit must be a whole number from 1 to 200, not "0".'],
    [{ limit: '201' }, 'limit must be a whole number from 1 to 200, not "201".'],
    [{ limit: '1e2' }, 'limit must be a whole number from 1 to 200, not "1e2".'],
    [{ updatedAfter: 'yesterday' }, 'updatedAfter must be an ISO 8601 date or date-time with a zone, such as 2024-05-31T07:00:00Z, not "yesterday".'],
    [{ updatedAfter: '2024-05-31T07:00:00' }, 'updatedAfter must be an ISO 8601 date or date-time with a zone, such as 2024-05-31T07:00:00Z, not "2024-05-31T07:00:00".'],
    [{ updatedAfter: '2024-02-31' }, 'updatedAfter must be an ISO 8601 date or date-time with a zone, such as 2024-05-31T07:00:00Z, not "2024-02-31".'],
    [{ cursor: 'not/a+cursor' }, 'cursor is not one this API issued; pass nextCursor from the previous page as it is, or leave it out to start again.'],
    [{ filter: 'userName eq "a"' }, 'Unknown query parameter "filter"; use updatedAfter, cursor, limit.'],
  ])('refuses %j', (query, detail) => {
    expect(detailOf(parseListQuery(query))).toBe(detail);
  });
});

describe('parseMemberQuery', () => {
  it('takes a cursor and a limit, nothing else', () => {
    expect(parseMemberQuery({ cursor: 'abc', limit: '10' })).toEqual({ ok: true, query: { cursor: 'abc', limit: 10 } });
    expect(detailOf(parseMemberQuery({ updatedAfter: '2024-05-31' }))).toBe('Unknown query parameter "updatedAfter"; use cursor, limit.');
  });
});

describe('parseEventQuery', () => {
  it('defaults: from the oldest event kept, every type', () => {
    expect(parseEventQuery({})).toEqual({ ok: true, query: { limit: EVENT_LIMIT.default } });
  });

  it('reads after, types (each once) and a limit up to 500', () => {
    expect(parseEventQuery({ after: EVENT_ID, types: 'user.deactivated, group.*,user.deactivated', limit: '500' })).toEqual({
      ok: true,
      query: { after: EVENT_ID, types: ['user.deactivated', 'group.*'], limit: 500 },
    });
  });

  it.each([
    [{ after: '42' }, 'after must be an event id such as evt_8f14e45fceea167a5a36dedd4bea2543 (the id of the last event you read), not "42".'],
    [{ types: 'user.created,user.moved' }, 'types: "user.moved" is not an event type; use user.created, user.updated, user.deactivated, user.reactivated, user.deleted, group.created, group.updated, group.deleted, group.member_added, group.member_removed, user.*, group.*.'],
    [{ types: 'user.created,' }, 'types: "" is not an event type; use user.created, user.updated, user.deactivated, user.reactivated, user.deleted, group.created, group.updated, group.deleted, group.member_added, group.member_removed, user.*, group.*.'],
    [{ limit: '501' }, 'limit must be a whole number from 1 to 500, not "501".'],
    [{ since: '2024-05-31' }, 'Unknown query parameter "since"; use after, types, limit.'],
  ])('refuses %j', (query, detail) => {
    expect(detailOf(parseEventQuery(query))).toBe(detail);
  });

  it('quotes a long bad value shortened', () => {
    expect(detailOf(parseEventQuery({ after: 'x'.repeat(500) }))).toContain(`"${'x'.repeat(63)}…"`);
  });
});

describe('parseRecentEventQuery (the admin\'s newest first)', () => {
  it('takes order=newest, before, types and a limit', () => {
    expect(parseRecentEventQuery({ order: 'newest' })).toEqual({ ok: true, query: { limit: EVENT_LIMIT.default } });
    expect(parseRecentEventQuery({ order: 'newest', before: EVENT_ID, types: 'user.*', limit: '25' })).toEqual({
      ok: true,
      query: { before: EVENT_ID, types: ['user.*'], limit: 25 },
    });
  });

  it.each([
    [{ order: 'oldest' }, 'order must be "newest" (or left out for the oldest first, with after), not "oldest".'],
    [{ order: 'newest', before: 'evt_1' }, 'before must be an event id such as evt_8f14e45fceea167a5a36dedd4bea2543 (the id of the last event you read), not "evt_1".'],
    [{ order: 'newest', after: EVENT_ID }, 'Unknown query parameter "after"; use order, before, types, limit.'],
  ])('refuses %j', (query, detail) => {
    expect(detailOf(parseRecentEventQuery(query))).toBe(detail);
  });
});

describe('directory query parsing (fast-check)', () => {
  const query = fc.dictionary(fc.constantFrom('updatedAfter', 'cursor', 'limit', 'after', 'before', 'order', 'types', 'filter', '__proto__', 'constructor'), fc.oneof(fc.string(), fc.constant(undefined)));
  const anyQuery = fc.oneof(query, fc.dictionary(fc.string(), fc.string()));

  it('never throws: every query string ends in a query or a 400 invalidValue', () => {
    fc.assert(
      fc.property(anyQuery, (q) => {
        for (const parse of [parseListQuery, parseMemberQuery, parseEventQuery, parseRecentEventQuery]) {
          const parsed = parse(q);
          if (!parsed.ok) expect(isScimError(parsed.error) && parsed.error.status === 400).toBe(true);
        }
      }),
    );
  });

  it('an accepted limit is always within bounds', () => {
    fc.assert(
      fc.property(fc.string(), (limit) => {
        const list = parseListQuery({ limit });
        if (list.ok) expect(list.query.limit >= 1 && list.query.limit <= LIST_LIMIT.max).toBe(true);
        const events = parseEventQuery({ limit });
        if (events.ok) expect(events.query.limit >= 1 && events.query.limit <= EVENT_LIMIT.max).toBe(true);
      }),
    );
  });
});
