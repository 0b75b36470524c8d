import { ScimError } from '../../../lambdas/scim/errors';
import type { ResourceType } from '../../../lambdas/scim/schemas';
import { MAX_SORTED_ROOT, rootSearch, type RootSearchPart } from '../../../lambdas/store/root-search';
import type { SearchQuery } from '../../../lambdas/store/search';

type Item = { id: string; displayName: string };

/** A part over a fixed list, paged like store/search.ts: its cursor is the offset as text. */
const part = (resourceType: ResourceType, names: string[]): RootSearchPart<Item> & { calls: Omit<SearchQuery, 'filter'>[] } => {
  const items = names.map((displayName, i) => ({ id: `${resourceType[0]}${i}`, displayName }));
  const calls: Omit<SearchQuery, 'filter'>[] = [];
  return {
    resourceType,
    calls,
    run: async (query) => {
      calls.push(query);
      const sorted = query.sortBy ? [...items].sort((a, b) => a.displayName.localeCompare(b.displayName)) : items;
      const offset = query.cursor !== undefined ? Number(query.cursor || 0) : query.startIndex - 1;
      const window = sorted.slice(offset, offset + query.count);
      const more = offset + window.length < items.length;
      return { items: window, totalResults: items.length, startIndex: query.startIndex, nextCursor: query.cursor !== undefined && more ? String(offset + window.length) : undefined };
    },
    represent: (item) => item,
    caseExact: () => false,
  };
};

const ids = (result: { items: { item: Item }[] }) => result.items.map((i) => i.item.id);
const query = (q: Partial<SearchQuery>): SearchQuery => ({ startIndex: 1, count: 100, ...q });

describe('rootSearch', () => {
  const users = () => part('User', ['ann', 'bob', 'cy']);
  const groups = () => part('Group', ['Sales', 'Eng']);

  it('index paging: pages cross from users into groups; totalResults is the sum', async () => {
    const parts = [users(), groups()];
    expect(ids(await rootSearch(parts, query({ startIndex: 1, count: 2 })))).toEqual(['U0', 'U1']);
    expect(ids(await rootSearch(parts, query({ startIndex: 3, count: 2 })))).toEqual(['U2', 'G0']);
    const last = await rootSearch(parts, query({ startIndex: 5, count: 2 }));
    expect([ids(last), last.totalResults, last.startIndex]).toEqual([['G1'], 5, 5]);
    expect(ids(await rootSearch(parts, query({ startIndex: 9, count: 2 })))).toEqual([]);
  });

  it('a full page asks the remaining parts only for their totals', async () => {
    const parts = [users(), groups()];
    const result = await rootSearch(parts, query({ startIndex: 1, count: 3 }));
    expect([ids(result), result.totalResults]).toEqual([['U0', 'U1', 'U2'], 5]);
    expect(parts[1].calls).toEqual([{ startIndex: 1, count: 0 }]);
  });

  it('cursor paging visits every resource once, also when a page ends exactly at the end of users', async () => {
    for (const count of [1, 2, 3, 4, 5, 6]) {
      const parts = [users(), groups()];
      const seen: string[] = [];
      let cursor = '';
      for (let i = 0; i < 10; i++) {
        const page = await rootSearch(parts, query({ cursor, count }));
        expect(page.totalResults).toBe(5);
        seen.push(...ids(page));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect([count, seen]).toEqual([count, ['U0', 'U1', 'U2', 'G0', 'G1']]);
    }
  });

  it('count=0 with a cursor returns no resources and a cursor to the same place', async () => {
    const parts = [users(), groups()];
    const first = await rootSearch(parts, query({ cursor: '', count: 2 }));
    const none = await rootSearch(parts, query({ cursor: first.nextCursor, count: 0 }));
    expect([ids(none), none.totalResults]).toEqual([[], 5]);
    expect(ids(await rootSearch(parts, query({ cursor: none.nextCursor, count: 2 })))).toEqual(['U2', 'G0']);
  });

  it('only the parts given are searched (a type the filter excludes is not a part)', async () => {
    const result = await rootSearch([groups()], query({}));
    expect([ids(result), result.totalResults]).toEqual([['G0', 'G1'], 2]);
    expect(await rootSearch([], query({ cursor: '' }))).toMatchObject({ items: [], totalResults: 0 });
  });

  it('sortBy sorts across types and pages the sorted list by index and by cursor', async () => {
    const parts = [users(), groups()];
    const sorted = await rootSearch(parts, query({ sortBy: 'displayName' }));
    expect(sorted.items.map((i) => i.item.displayName)).toEqual(['ann', 'bob', 'cy', 'Eng', 'Sales']);
    expect(ids(await rootSearch(parts, query({ sortBy: 'displayName', startIndex: 3, count: 2 })))).toEqual(['U2', 'G1']);
    const first = await rootSearch(parts, query({ sortBy: 'displayName', cursor: '', count: 4 }));
    const second = await rootSearch(parts, query({ sortBy: 'displayName', cursor: first.nextCursor, count: 4 }));
    expect([ids(first), ids(second), second.nextCursor]).toEqual([['U0', 'U1', 'U2', 'G1'], ['G0'], undefined]);
  });

  it('refuses forged cursors, cursors of another mode or query, and sorting beyond MAX_SORTED_ROOT', async () => {
    const parts = [users(), groups()];
    const b64 = (body: unknown) => Buffer.from(JSON.stringify(body)).toString('base64url');
    const refused = async (q: SearchQuery) => (await rootSearch(parts, q).catch((e: unknown) => e)) as ScimError;
    for (const cursor of ['%%%', b64([1]), b64({ t: 'Role', c: '' }), b64({ t: 'User', c: 5 }), b64({ t: 'User' }), b64({ o: -1, q: 'x' })]) {
      const error = await refused(query({ cursor }));
      expect([cursor, error instanceof ScimError && error.status, error.scimType]).toEqual([cursor, 400, 'invalidValue']);
    }
    const sortedCursor = (await rootSearch(parts, query({ sortBy: 'displayName', cursor: '', count: 1 }))).nextCursor;
    expect((await refused(query({ cursor: sortedCursor }))).scimType).toBe('invalidValue');
    expect((await refused(query({ sortBy: 'userName', cursor: sortedCursor }))).scimType).toBe('invalidValue');

    const many = part('User', Array.from({ length: MAX_SORTED_ROOT }, (_, i) => `u${i}`));
    expect((await rootSearch([many, groups()], query({ sortBy: 'displayName' })).catch((e: ScimError) => e)) as ScimError).toMatchObject({ status: 400, scimType: 'tooMany' });
  });
});
