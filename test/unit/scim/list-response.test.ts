import { DEFAULT_PAGE_SIZE, listResponse, MAX_PAGE_SIZE, parsePaging, parseSort } from '../../../lambdas/scim/list-response';
import { SchemaUrn } from '../../../lambdas/scim/schemas';
import { scimErrorOf } from './scim-error-of';

describe('listResponse', () => {
  it('answers an index page with RFC 7644 fields only', () => {
    expect(listResponse({ resources: [{ id: 'a' }, { id: 'b' }], totalResults: 5, startIndex: 3 })).toEqual({
      schemas: [SchemaUrn.listResponse],
      totalResults: 5,
      itemsPerPage: 2,
      startIndex: 3,
      Resources: [{ id: 'a' }, { id: 'b' }],
    });
  });

  it('always carries Resources, also for a miss and for count=0 (Entra reads it)', () => {
    expect(listResponse({ resources: [], totalResults: 0 })).toEqual({
      schemas: [SchemaUrn.listResponse],
      totalResults: 0,
      itemsPerPage: 0,
      startIndex: 1,
      Resources: [],
    });
    expect(listResponse({ resources: [], totalResults: 12, itemsPerPage: 0 }).Resources).toEqual([]);
  });

  it('answers a cursor page with nextCursor and without startIndex (RFC 9865)', () => {
    expect(listResponse({ resources: [{ id: 'a' }], totalResults: 9, nextCursor: 'c2', previousCursor: 'c0' })).toEqual({
      schemas: [SchemaUrn.listResponse],
      totalResults: 9,
      itemsPerPage: 1,
      nextCursor: 'c2',
      previousCursor: 'c0',
      Resources: [{ id: 'a' }],
    });
  });

  it('leaves out nextCursor and startIndex on the last cursor page', () => {
    const last = listResponse({ resources: [{ id: 'z' }], totalResults: 9, cursorPaging: true, nextCursor: undefined });

    expect(Object.keys(last)).toEqual(['schemas', 'totalResults', 'itemsPerPage', 'Resources']);
  });
});

describe('parsePaging', () => {
  it.each<[Record<string, string>, { startIndex: number; count: number; cursor?: string }]>([
    [{}, { startIndex: 1, count: DEFAULT_PAGE_SIZE }],
    [{ startIndex: '1', count: '5' }, { startIndex: 1, count: 5 }],
    [{ startIndex: '11', count: '2' }, { startIndex: 11, count: 2 }],
    [{ startIndex: '0' }, { startIndex: 1, count: DEFAULT_PAGE_SIZE }],
    [{ startIndex: '-4' }, { startIndex: 1, count: DEFAULT_PAGE_SIZE }],
    [{ count: '0' }, { startIndex: 1, count: 0 }],
    [{ count: '-3' }, { startIndex: 1, count: 0 }],
    [{ count: '5000' }, { startIndex: 1, count: MAX_PAGE_SIZE }],
    [{ startindex: '3', COUNT: '4' }, { startIndex: 3, count: 4 }],
    [{ startIndex: '', count: '' }, { startIndex: 1, count: DEFAULT_PAGE_SIZE }],
    [{ cursor: '' }, { startIndex: 1, count: DEFAULT_PAGE_SIZE, cursor: '' }],
    [{ cursor: 'abc', count: '10' }, { startIndex: 1, count: 10, cursor: 'abc' }],
    [{ aadOptscim062020: '' }, { startIndex: 1, count: DEFAULT_PAGE_SIZE }],
  ])('%p → %p', (query, expected) => {
    expect(parsePaging(query)).toEqual(expected);
  });

  it('honours the caller’s default and maximum', () => {
    expect(parsePaging({}, { defaultCount: 20, maxCount: 50 }).count).toBe(20);
    expect(parsePaging({ count: '70' }, { defaultCount: 20, maxCount: 50 }).count).toBe(50);
  });

  it.each([
    [{ startIndex: 'abc' }, 'startIndex'],
    [{ startIndex: '1.5' }, 'startIndex'],
    [{ count: 'ten' }, 'count'],
    [{ count: '1e3' }, 'count'],
  ])('refuses %p with 400 invalidValue naming the parameter', (query, name) => {
    const error = scimErrorOf(() => parsePaging(query));

    expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(error.detail).toContain(`"${name}"`);
  });

  it('refuses cursor together with startIndex with 400 invalidValue', () => {
    expect(scimErrorOf(() => parsePaging({ cursor: '', startIndex: '1' }))).toMatchObject({ status: 400, scimType: 'invalidValue' });
  });
});

describe('parseSort', () => {
  it.each<[Record<string, string>, { sortBy?: string; sortOrder: string }]>([
    [{}, { sortOrder: 'ascending' }],
    [{ sortBy: 'userName' }, { sortBy: 'userName', sortOrder: 'ascending' }],
    [{ sortBy: ' name.familyName ', sortOrder: 'Descending' }, { sortBy: 'name.familyName', sortOrder: 'descending' }],
    [{ sortby: 'meta.created', SORTORDER: 'ASCENDING' }, { sortBy: 'meta.created', sortOrder: 'ascending' }],
    [{ sortBy: '', sortOrder: '' }, { sortOrder: 'ascending' }],
  ])('%p → %p', (query, expected) => {
    expect(parseSort(query)).toEqual(expected);
  });

  it('refuses an unknown sortOrder with 400 invalidValue naming it', () => {
    const error = scimErrorOf(() => parseSort({ sortBy: 'userName', sortOrder: 'up' }));

    expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(error.detail).toContain('"sortOrder"');
  });
});
