import { MAX_MEMBERS_PER_REQUEST, parseGroupInput, parseMemberRefs } from '../../../lambdas/scim/resource';
import { scimErrorOf } from './scim-error-of';

describe('parseGroupInput', () => {
  it('reads the §3.9 Create Group body: displayName, externalId, no members', () => {
    const body = {
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Group1DisplayName',
      meta: { resourceType: 'Group' },
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group'],
    };

    expect(parseGroupInput(body)).toEqual({
      data: { externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'Group1DisplayName' },
      members: [],
    });
  });

  it("reads the Postman 'Create filled group 2' members, dropping display", () => {
    const { data, members } = parseGroupInput({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      externalId: '${__UUID}',
      displayName: 'GroupDisplayName2',
      members: [{ value: 'u-3', display: 'VP' }],
    });

    expect(data).toEqual({ externalId: '${__UUID}', displayName: 'GroupDisplayName2' });
    expect(members).toEqual([{ value: 'u-3' }]);
  });

  it('matches names case-insensitively, keeps the displayName as sent and ignores id, meta and unknown attributes', () => {
    const { data } = parseGroupInput({ id: 'g', DISPLAYNAME: ' Sales  Team ', meta: { version: 'W/"1"' }, owner: 'x', members: null });

    expect(data).toEqual({ displayName: ' Sales  Team ' });
  });

  it.each([
    ['missing', {}],
    ['null', { displayName: null }],
    ['blank', { displayName: ' ' }],
  ])('refuses displayName when %s with 400 invalidValue naming it', (_name, body) => {
    const error = scimErrorOf(() => parseGroupInput({ externalId: 'x', ...body }));

    expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(error.detail).toContain('"displayName"');
  });

  it('refuses a body that is not an object with 400 invalidSyntax', () => {
    expect(scimErrorOf(() => parseGroupInput('Group 1'))).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
  });

  it('reads URN-qualified group attributes', () => {
    const { data } = parseGroupInput({ 'urn:ietf:params:scim:schemas:core:2.0:Group:displayName': 'G' });

    expect(data).toEqual({ displayName: 'G' });
  });
});

describe('parseMemberRefs', () => {
  it.each([
    ['objects', [{ value: 'a' }, { value: 'b', $ref: null }], [{ value: 'a' }, { value: 'b' }]],
    ['bare strings (Postman garbage test)', ['string id 1', 'string id 2'], [{ value: 'string id 1' }, { value: 'string id 2' }]],
    ['a single bare string', 'string id 1', [{ value: 'string id 1' }]],
    ['a single object', { value: 'a', $ref: 'https://x/Users/a', display: 'A' }, [{ value: 'a' }]],
    ['typed members in any case', [{ value: 'a', type: 'user' }, { Value: 'g', TYPE: 'GROUP' }], [{ value: 'a', type: 'User' }, { value: 'g', type: 'Group' }]],
    ['duplicates, collapsed and typed when any copy is', [{ value: 'a' }, 'a', { value: 'a', type: 'User' }], [{ value: 'a', type: 'User' }]],
    ['null and empty lists', null, []],
    ['null entries', [null, { value: 'a' }], [{ value: 'a' }]],
  ])('accepts %s', (_name, raw, expected) => {
    expect(parseMemberRefs(raw)).toEqual(expected);
  });

  it('keeps ids exactly as sent (ids are case-exact)', () => {
    expect(parseMemberRefs(['ABC', 'abc'])).toEqual([{ value: 'ABC' }, { value: 'abc' }]);
  });

  it.each([
    ['an empty value', [{ value: '' }]],
    ['a missing value', [{ display: 'x' }]],
    ['an object value', [{ value: { id: 'x' } }]],
    ['a boolean entry', [true]],
  ])('refuses %s with 400 invalidValue naming members.value', (_name, raw) => {
    const error = scimErrorOf(() => parseMemberRefs(raw));

    expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(error.detail).toContain('"members.value"');
  });

  it('refuses an unknown member type with 400 invalidValue naming members.type', () => {
    const error = scimErrorOf(() => parseMemberRefs([{ value: 'a', type: 'Device' }]));

    expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(error.detail).toContain('"members.type"');
  });

  it(`accepts ${MAX_MEMBERS_PER_REQUEST} members and refuses more with 400 tooMany telling the client to PATCH in chunks`, () => {
    const many = Array.from({ length: MAX_MEMBERS_PER_REQUEST + 1 }, (_, i) => ({ value: `u${i}` }));

    expect(parseGroupInput({ displayName: 'G', members: many.slice(0, MAX_MEMBERS_PER_REQUEST) }).members).toHaveLength(MAX_MEMBERS_PER_REQUEST);
    const error = scimErrorOf(() => parseGroupInput({ displayName: 'G', members: many }));
    expect(error).toMatchObject({ status: 400, scimType: 'tooMany' });
    expect(error.detail).toContain('PATCH');
  });
});
