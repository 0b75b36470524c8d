/** Random operation lists: the engine answers with a result or a ScimError, and never touches its input. */
import fc from 'fast-check';
import { isScimError } from '../../../../lambdas/scim/errors';
import { applyPatch, parsePatchRequest } from '../../../../lambdas/scim/patch';
import { ENTERPRISE, entraUser } from './helpers';

const realisticUser = (): Record<string, unknown> => ({
  ...entraUser(),
  displayName: 'Barbara Jensen',
  phoneNumbers: [{ value: '+1 555 0100', type: 'work' }, { value: '+1 555 0199', type: 'mobile', primary: true }],
  addresses: [{ type: 'work', locality: 'Redmond', country: 'US', primary: true }],
  roles: [{ primary: true, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }],
  [ENTERPRISE]: { department: 'R&D', manager: { value: 'm-1' } },
  'urn:ietf:params:scim:schemas:extension:Acme:2.0:User': { badge: '7' },
});

const paths = fc.oneof(
  { weight: 9, arbitrary: fc.constantFrom(
    'userName', 'displayName', 'active', 'title', 'nickName', 'name', 'name.givenName', 'Name.FamilyName', 'externalId',
    'emails', 'emails[type eq "work"].value', 'emails[type eq "work"].primary', 'emails[type eq "work"]', 'emails.value',
    'phoneNumbers[type eq "mobile"].value', 'addresses[type eq "work"].locality', 'roles[primary eq "True"].value', 'roles',
    `${ENTERPRISE}:manager`, `${ENTERPRISE}:manager.value`, `${ENTERPRISE}:department`, ENTERPRISE, 'manager',
    'urn:ietf:params:scim:schemas:extension:Acme:2.0:User:badge', 'urn:ietf:params:scim:schemas:extension:Acme:2.0:User',
    'members', 'members[value eq "x"]', 'members[value eq x].display', 'id', 'meta', 'groups', 'schemas', 'password',
    'emails[type eq "work"', 'emails[(type eq "work"].value', 'name.givenName.x', 'unknown', 'urn:x:y', '', 'emails[]',
  ) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
);

const scalar = fc.oneof(
  fc.constantFrom('', 'True', 'false', 'x', 'work', ' spaced '),
  fc.string({ maxLength: 10 }),
  fc.boolean(),
  fc.integer(),
  fc.constant(null),
);
const element = fc.dictionary(fc.constantFrom('value', 'Value', 'type', 'primary', 'display', 'givenName', '$ref', 'other'), scalar, { maxKeys: 4 });
const value = fc.oneof(scalar, element, fc.array(fc.oneof(element, scalar), { maxLength: 3 }), fc.dictionary(paths, fc.oneof(scalar, element), { maxKeys: 3 }));

const operation = fc.record(
  {
    op: fc.oneof(
      { weight: 19, arbitrary: fc.constantFrom('add', 'Add', 'replace', 'Replace', 'REMOVE', 'remove') },
      { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
    ),
    path: paths,
    value,
  },
  { requiredKeys: ['op'] },
);
const patchBody = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.record({
      schemas: fc.constant(['urn:ietf:params:scim:api:messages:2.0:PatchOp']),
      Operations: fc.array(operation, { minLength: 1, maxLength: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.anything() },
);

/** Returns whether the body was applied (true) or refused with a 400 ScimError (false). */
const neverThrowsAnythingButScimError = (resourceType: 'User' | 'Group', data: Record<string, unknown>, body: unknown): boolean => {
  const snapshot = structuredClone(data);
  let applied = false;
  try {
    const result = applyPatch(resourceType, data, body);
    expect(JSON.parse(JSON.stringify(result.data))).toEqual(result.data);
    expect(typeof result.changed).toBe('boolean');
    applied = true;
  } catch (error) {
    if (!isScimError(error)) throw error;
    expect(error.status).toBe(400);
  }
  expect(data).toEqual(snapshot);
  return applied;
};

describe('applyPatch: fuzzed operation lists', () => {
  it('answers random PATCH bodies on a realistic user with a result or a 400 ScimError, never mutating the input', () => {
    let applied = 0;
    fc.assert(
      fc.property(patchBody, (body) => {
        if (neverThrowsAnythingButScimError('User', realisticUser(), body)) applied += 1;
      }),
      { numRuns: 2000 },
    );
    // The property must not hold vacuously: a fair share of the random bodies is valid and applied.
    expect(applied).toBeGreaterThan(100);
  });

  it('answers random PATCH bodies on a group the same way', () => {
    fc.assert(
      fc.property(patchBody, (body) => {
        neverThrowsAnythingButScimError('Group', { displayName: 'g', externalId: 'e' }, body);
      }),
      { numRuns: 1000 },
    );
  });

  it('parsePatchRequest returns ops with lower-case op names, or throws a ScimError', () => {
    fc.assert(
      fc.property(patchBody, (body) => {
        try {
          for (const op of parsePatchRequest(body)) expect(['add', 'remove', 'replace']).toContain(op.op);
        } catch (error) {
          if (!isScimError(error)) throw error;
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parsePatchRequest', () => {
  it('returns the operations in order with lower-case op, trimmed path and value kept as sent', () => {
    const value = { a: [1] };
    const ops = parsePatchRequest({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'Replace', path: ' title ', value: 'T' },
        { op: 'REMOVE', path: 'members' },
        { op: 'add', value },
        { op: 'replace', path: 'title', value: null },
      ],
    });
    expect(ops).toEqual([
      { op: 'replace', path: 'title', value: 'T' },
      { op: 'remove', path: 'members' },
      { op: 'add', value },
      { op: 'replace', path: 'title', value: null },
    ]);
    expect('value' in ops[1]).toBe(false);
    expect('value' in ops[3]).toBe(true);
  });
});
