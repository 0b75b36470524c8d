import { normaliseFilterText } from '../../../../lambdas/scim/filter';

describe('normaliseFilterText', () => {
  it.each([
    ['DisplayName+eq+"BobIsAmazing"', 'DisplayName eq "BobIsAmazing"'],
    ['userName+eq+"a+b@x.com"', 'userName eq "a+b@x.com"'],
    ['userName+eq+"say \\"a+b\\""+and+x+pr', 'userName eq "say \\"a+b\\"" and x pr'],
    ['emails[type+eq+"work"].value+eq+"John Smith"', 'emails[type eq "work"].value eq "John Smith"'],
    ['userName+eq+"unclosed+string', 'userName eq "unclosed+string'],
  ])('reads + outside strings as spaces when there is no whitespace outside strings: %s', (text, expected) => {
    expect(normaliseFilterText(text)).toBe(expected);
  });

  it.each([
    ['userName eq "x"'],
    ['meta.created gt 2024-01-01T00:00:00+02:00'],
    ['userName eq a+b'],
    ['userName\teq+x'],
    ['"a+b"'],
    ['title[x]'],
    [''],
  ])('leaves %j unchanged', (text) => {
    expect(normaliseFilterText(text)).toBe(text);
  });
});
