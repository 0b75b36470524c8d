import { parseAttrPath } from '../../../lambdas/scim/filter';
import { normaliseRequiredEntry } from '../../../lambdas/scim/required-policy';
import { formatValuePath, parseValuePath } from '../../../lambdas/scim/value-path';

const CUSTOM = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';

describe('parseValuePath (one attribute-path grammar with filters, sortBy and PATCH)', () => {
  it.each([
    'userName',
    'name.givenName',
    'emails[type eq "work"].value',
    'emails[ type eq "work" and primary eq true ]',
    'emails[value eq "a]b"].value',
    `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`,
    `${CUSTOM}:costCenter`,
  ])('reads %s, which the filter grammar reads too', (text) => {
    expect(() => parseAttrPath(text)).not.toThrow();
    expect(parseValuePath('User', text)).toBeDefined();
  });

  it.each([
    ['a value filter other than eq terms joined by and', 'emails[type eq "work" or type eq "home"].value'],
    ['a value filter with another operator', 'emails[type co "wo"].value'],
    ['a value filter on an attribute that is not multi-valued', 'name[givenName eq "x"]'],
    ['a sub-attribute that does not exist', 'emails[type eq "work"].nothing'],
    ['a filter that does not close', 'emails[type eq "work".value'],
  ])('refuses %s', (_what, text) => {
    expect(parseValuePath('User', text)).toBeUndefined();
  });

  it('refuses a custom extension attribute named outside RFC 7643 ATTRNAME (no request could ever carry it)', () => {
    expect(parseValuePath('User', `${CUSTOM}:cost center`)).toBeUndefined();
    expect(parseValuePath('User', `${CUSTOM}:1st`)).toBeUndefined();
    const result = normaliseRequiredEntry(`${CUSTOM}:cost center`);
    expect(result).toEqual({ problem: expect.stringContaining('"cost center" is not an attribute name') });
  });

  it('writes a bare literal back quoted, as the filter grammar read it', () => {
    const path = parseValuePath('User', 'emails[type eq work].value');
    expect(path && formatValuePath(path)).toBe('emails[type eq "work"].value');
  });
});
