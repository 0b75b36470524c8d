import * as z from 'zod/mini';
import { decodeCursor, encodeCursor, queryDigest } from '../../../lambdas/domain/cursor';
import { decodeListCursor, encodeListCursor } from '../../../lambdas/store/paging';

const Schema = z.object({ q: z.string(), o: z.optional(z.int()) });

describe('domain/cursor', () => {
  it('decodes what it encoded, and nothing of another shape', () => {
    expect(decodeCursor(encodeCursor({ q: 'abc', o: 3 }), Schema)).toEqual({ q: 'abc', o: 3 });
    expect(decodeCursor(encodeCursor({ q: 1 }), Schema)).toBeUndefined();
    expect(decodeCursor(encodeCursor([1, 2]), Schema)).toBeUndefined();
    expect(decodeCursor('bm90LWpzb24', Schema)).toBeUndefined(); // "not-json"
    expect(decodeCursor('', Schema)).toBeUndefined();
  });

  it('queryDigest tells every query apart, an absent part from an empty one and from a moved one', () => {
    const digests = [
      queryDigest(undefined, undefined, 'ascending'),
      queryDigest('', undefined, 'ascending'),
      queryDigest(undefined, 'ascending', undefined),
      queryDigest('userName eq "a"', undefined, 'ascending'),
      queryDigest('root', undefined, undefined, 'ascending'),
    ];
    expect(new Set(digests).size).toBe(digests.length);
    expect(queryDigest(undefined, undefined, 'ascending')).toBe(digests[0]);
  });
});

describe('list cursors (store/paging.ts)', () => {
  const partition = 'APP#abcdefghij12#USERS';
  const digest = queryDigest(undefined, undefined, 'ascending');

  it('continue the list and query they were issued for', () => {
    const key = { gsi1pk: partition, gsi1sk: 'u1', pk: 'APP#abcdefghij12#USER#u1', sk: 'USER' };
    expect(decodeListCursor(encodeListCursor({ p: partition, q: digest, k: key }), partition, digest)).toEqual({ key, offset: 0 });
    expect(decodeListCursor(encodeListCursor({ p: partition, q: digest, o: 40 }), partition, digest)).toEqual({ offset: 40 });
  });

  it.each([
    ['another list', { p: 'APP#zzzzzzzzzzzz#USERS', q: digest }],
    ['another query', { p: partition, q: queryDigest('userName eq "x"', undefined, 'ascending') }],
    ['a start key that is null', { p: partition, q: digest, k: null }],
    ['a start key with a number in it', { p: partition, q: digest, k: { gsi1pk: partition, gsi1sk: 7 } }],
    ['a negative offset', { p: partition, q: digest, o: -1 }],
    ['an offset that is not whole', { p: partition, q: digest, o: 1.5 }],
  ])('refuse a cursor of %s with 400 invalidValue, never a 500', (_what, body) => {
    expect(() => decodeListCursor(encodeCursor(body), partition, digest)).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidValue' }));
  });
});
