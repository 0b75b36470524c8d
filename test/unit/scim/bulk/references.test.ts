import { referencesIn, substituteReferences } from '../../../../lambdas/scim/bulk';
import { scimErrorOf } from '../scim-error-of';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('referencesIn', () => {
  it('finds whole-string references anywhere in data, each once, in document order', () => {
    const data = {
      members: [{ value: 'bulkId:u1', type: 'User' }, 'bulkId:u2', { value: 'bulkId:u1' }],
      [ENTERPRISE]: { manager: { value: 'bulkId:m' } },
      'urn:ietf:params:scim:schemas:extension:Acme:2.0:User': { buddy: 'bulkId:b' },
    };
    expect(referencesIn(data)).toEqual(['u1', 'u2', 'm', 'b']);
  });

  it('finds the quoted form inside a PATCH path filter', () => {
    const patch = { Operations: [{ op: 'remove', path: 'members[value eq "bulkId:u1"]' }] };
    expect(referencesIn(patch)).toEqual(['u1']);
  });

  it.each([
    ['the bare prefix', 'bulkId:'],
    ['another letter case', 'BULKID:x'],
    ['text around an unquoted reference', 'see bulkId:x'],
    ['a key', { 'bulkId:x': 1 }],
    ['a number', 7],
  ])('does not read %s as a reference', (_name, value) => {
    expect(referencesIn(value)).toEqual([]);
  });

  it('refuses data nested deeper than 32 levels instead of overflowing the stack', () => {
    let deep: unknown = 'bulkId:x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(scimErrorOf(() => referencesIn(deep)).scimType).toBe('invalidValue');
  });
});

describe('substituteReferences', () => {
  const ids: Record<string, string> = { u1: 'id-1', m: 'id-"2"' };
  const idOf = (bulkId: string) => ids[bulkId];

  it('replaces whole strings and quoted filter literals, leaving the input untouched', () => {
    const input = {
      members: [{ value: 'bulkId:u1', display: 'Alice, bulkId:u1' }],
      [ENTERPRISE]: { manager: { value: 'bulkId:m' } },
      path: 'members[value eq "bulkId:m"]',
    };
    const before = structuredClone(input);

    const output = substituteReferences(input, idOf);

    expect(output).toEqual({
      members: [{ value: 'id-1', display: 'Alice, bulkId:u1' }],
      [ENTERPRISE]: { manager: { value: 'id-"2"' } },
      path: 'members[value eq "id-\\"2\\""]',
    });
    expect(input).toEqual(before);
  });
});
