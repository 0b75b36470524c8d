import { diffResources, flattenResource, isSensitivePath, truncate } from '../../../lambdas/reports/changes';

describe('flattenResource', () => {
  it('addresses multi-valued attributes by type, by value, or as a whole', () => {
    const flat = flattenResource({
      emails: [
        { type: 'work', value: 'a@contoso.com', primary: true },
        { type: 'home', value: 'a@example.com' },
      ],
      roles: [{ value: 'admin' }, { value: 'reader', primary: true }],
      phoneNumbers: [{ value: '1' }, { value: '1' }],
      tags: ['x', 'y'],
    });
    expect([...flat]).toEqual([
      ['emails[type eq "work"].value', 'a@contoso.com'],
      ['emails[type eq "work"].primary', 'true'],
      ['emails[type eq "home"].value', 'a@example.com'],
      ['roles[value eq "admin"].value', 'admin'],
      ['roles[value eq "reader"].value', 'reader'],
      ['roles[value eq "reader"].primary', 'true'],
      ['phoneNumbers', '[{"value":"1"},{"value":"1"}]'],
      ['tags', '["x","y"]'],
    ]);
  });

  it('prefixes extension attributes with their schema URN and skips schemas, id, meta and nulls', () => {
    const urn = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    const flat = flattenResource({
      schemas: ['x'],
      id: '1',
      meta: { version: 'W/"1"' },
      title: null,
      [urn]: { manager: { value: 'boss-id' }, department: 'Sales' },
    });
    expect([...flat]).toEqual([
      [`${urn}:manager.value`, 'boss-id'],
      [`${urn}:department`, 'Sales'],
    ]);
  });
});

describe('diffResources', () => {
  it('lists added, changed and removed attributes, new ones first in resource order', () => {
    expect(diffResources({ title: 'Rep', nickName: 'Al' }, { title: 'Lead', locale: 'en-US' })).toEqual([
      { name: 'title', old: 'Rep', new: 'Lead' },
      { name: 'locale', new: 'en-US' },
      { name: 'nickName', old: 'Al' },
    ]);
  });

  it('sees a changed work e-mail as one change of its value', () => {
    const before = { emails: [{ type: 'work', value: 'a@contoso.com' }] };
    const after = { emails: [{ type: 'work', value: 'alice@contoso.com' }] };
    expect(diffResources(before, after)).toEqual([{ name: 'emails[type eq "work"].value', old: 'a@contoso.com', new: 'alice@contoso.com' }]);
  });

  it('masks token- and secret-like attributes but still reports that they changed', () => {
    const changes = diffResources({ 'urn:x:ext:2.0:User': { apiToken: 'old-tok' } }, { password: 'p', 'urn:x:ext:2.0:User': { apiToken: 'new-tok' } });
    expect(changes).toEqual([
      { name: 'password', new: '***' },
      { name: 'urn:x:ext:2.0:User:apiToken', old: '***', new: '***' },
    ]);
  });
});

describe('isSensitivePath', () => {
  it.each(['password', 'urn:x:User:clientSecret', 'credentials.value', 'x509.privateKey', 'api_key', 'pin'])('masks %s', (path) => {
    expect(isSensitivePath(path)).toBe(true);
  });
  it.each(['userName', 'emails[type eq "work"].value', 'shipping', 'name.givenName', 'x509Certificates'])('keeps %s', (path) => {
    expect(isSensitivePath(path)).toBe(false);
  });
});

describe('truncate', () => {
  it('keeps short values and cuts long ones on a code point with an ellipsis', () => {
    expect(truncate('abc', 5)).toBe('abc');
    expect(truncate('😀😀😀😀😀😀', 4)).toBe('😀😀😀…');
  });
});
