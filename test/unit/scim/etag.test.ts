import { assertIfMatch, etagOf, isNotModified } from '../../../lambdas/scim/etag';
import { scimErrorOf } from './scim-error-of';

describe('etagOf', () => {
  it('is a weak tag over the version', () => {
    expect(etagOf(7)).toBe('W/"7"');
  });
});

describe('assertIfMatch', () => {
  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['*', '*'],
    ['the weak tag', 'W/"7"'],
    ['the strong spelling', '"7"'],
    ['a list holding the tag', 'W/"5", W/"7"'],
    ['a lower-case w/', 'w/"7"'],
    ['a bare value', '7'],
  ])('lets the request through when If-Match is %s', (_name, header) => {
    expect(() => assertIfMatch(header, 7)).not.toThrow();
  });

  it.each([
    ['another version', 'W/"6"'],
    ['a list without it', '"5", "6"'],
    ['garbage', 'W/'],
  ])('answers 412 when If-Match is %s', (_name, header) => {
    expect(scimErrorOf(() => assertIfMatch(header, 7)).status).toBe(412);
  });
});

describe('isNotModified', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['W/"7"', true],
    ['"1", W/"7"', true],
    ['*', true],
    ['W/"8"', false],
  ])('If-None-Match %p → %p', (header, expected) => {
    expect(isNotModified(header, 7)).toBe(expected);
  });
});
