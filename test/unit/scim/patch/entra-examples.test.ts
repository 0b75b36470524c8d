/**
 * Every PATCH body of entra-scim.md (§3.5–§3.7, §3.12–§3.14, §3.17, §4.1–§4.3, §16), verbatim,
 * applied to the stored form of the documented resources.
 */
import { applyPatch } from '../../../../lambdas/scim/patch';
import { body, ENTERPRISE, entraGroup, entraUser, PATCH_OP } from './helpers';

describe('applyPatch: entra-scim.md §3 examples', () => {
  it('§3.5 replaces the work email value and name.familyName', () => {
    // Prepare
    const user = entraUser();
    // Act
    const result = applyPatch('User', user, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ],
    });
    // Assess
    expect(result.data).toEqual({
      ...user,
      name: { formatted: 'givenName familyName', familyName: 'updatedFamilyName', givenName: 'givenName' },
      emails: [{ value: 'updatedEmail@microsoft.com', type: 'work', primary: true }],
    });
    expect(result.changed).toBe(true);
    expect(result.memberChanges).toEqual([]);
  });

  it('§3.6 replaces userName', () => {
    const result = applyPatch('User', entraUser(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' }],
    });
    expect(result.data.userName).toBe('5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');
  });

  it('§3.7 disables a user with a JSON boolean and capitalised Replace', () => {
    const result = applyPatch('User', entraUser(), {
      Operations: [{ op: 'Replace', path: 'active', value: false }],
      schemas: [PATCH_OP],
    });
    expect(result.data).toEqual({ ...entraUser(), active: false });
  });

  it('§3.12 replaces a group displayName', () => {
    const result = applyPatch('Group', entraGroup(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'displayName', value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' }],
    });
    expect(result.data).toEqual({ ...entraGroup(), displayName: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' });
    expect(result.memberChanges).toEqual([]);
  });

  it('§3.13 adds a member sent with "$ref": null, without touching data', () => {
    const group = entraGroup();
    const result = applyPatch('Group', group, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }] }],
    });
    expect(result.memberChanges).toEqual([{ op: 'add', members: [{ value: 'f648f8d5ea4e4cd38e9c' }] }]);
    expect(result.data).toEqual(group);
    expect(result.changed).toBe(true);
  });

  it('§3.14 removes only the listed member (default dialect: remove with a value list)', () => {
    const result = applyPatch('Group', entraGroup(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }] }],
    });
    expect(result.memberChanges).toEqual([{ op: 'remove', values: ['f648f8d5ea4e4cd38e9c'] }]);
  });

  it('§3.17 sets the manager from the legacy unqualified path with an array value and $ref', () => {
    const result = applyPatch('User', entraUser(), {
      schemas: [PATCH_OP],
      Operations: [
        {
          op: 'Add',
          path: 'manager',
          value: [{ $ref: 'http://.../scim/Users/00aa00aa-bb11-cc22-dd33-44ee44ee44ee', value: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee' }],
        },
      ],
    });
    expect(result.data[ENTERPRISE]).toEqual({
      manager: { value: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee', $ref: 'http://.../scim/Users/00aa00aa-bb11-cc22-dd33-44ee44ee44ee' },
    });
  });
});

describe('applyPatch: entra-scim.md §4.1 both dialects', () => {
  it('disables a user without the flag: "Replace" with the string "False"', () => {
    const result = applyPatch('User', entraUser(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(result.data.active).toBe(false);
  });

  it('disables a user with the flag: "replace" with false', () => {
    const result = applyPatch('User', entraUser(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    expect(result.data.active).toBe(false);
  });

  it.each([
    ['without the flag', 'Add'],
    ['with the flag', 'add'],
  ])('adds the single-valued nickName %s', (_dialect, op) => {
    const result = applyPatch('User', entraUser(), { schemas: [PATCH_OP], Operations: [{ op, path: 'nickName', value: 'Babs' }] });
    expect(result.data).toEqual({ ...entraUser(), nickName: 'Babs' });
  });

  it('replaces multiple attributes without the flag: one op per attribute', () => {
    const result = applyPatch('User', entraUser(), {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'displayName', value: 'Pvlo' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
        { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
        { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
        { op: 'Replace', path: 'externalId', value: 'Eqpj' },
        { op: 'Replace', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber', value: 'Eqpj' },
      ],
    });
    expect(result.data).toEqual({
      externalId: 'Eqpj',
      userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
      active: true,
      displayName: 'Pvlo',
      emails: [{ primary: true, type: 'work', value: 'TestBcwqnm@test.microsoft.com' }],
      name: { formatted: 'givenName familyName', familyName: 'Pkqf', givenName: 'Gtfd' },
      [ENTERPRISE]: { employeeNumber: 'Eqpj' },
    });
  });

  it('replaces multiple attributes with the flag: a filtered op plus one pathless op with dotted and URN keys', () => {
    const result = applyPatch('User', entraUser(), {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'TestMhvaes@test.microsoft.com' },
        {
          op: 'replace',
          value: {
            displayName: 'Bjfe',
            'name.givenName': 'Kkom',
            'name.familyName': 'Unua',
            'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber': 'Aklq',
          },
        },
      ],
    });
    expect(result.data).toEqual({
      ...entraUser(),
      displayName: 'Bjfe',
      emails: [{ primary: true, type: 'work', value: 'TestMhvaes@test.microsoft.com' }],
      name: { formatted: 'givenName familyName', familyName: 'Unua', givenName: 'Kkom' },
      [ENTERPRISE]: { employeeNumber: 'Aklq' },
    });
  });

  it('removes a group member without the flag: "Remove" with a value list', () => {
    const result = applyPatch('Group', entraGroup(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Remove', path: 'members', value: [{ value: 'u1091' }] }],
    });
    expect(result.memberChanges).toEqual([{ op: 'remove', values: ['u1091'] }]);
    expect(result.data).toEqual(entraGroup());
  });

  it('removes a group member with the flag: members[value eq "…"]', () => {
    const result = applyPatch('Group', entraGroup(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: 'members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]' }],
    });
    expect(result.memberChanges).toEqual([{ op: 'remove', values: ['7f4bc1a3-285e-48ae-8202-5accb43efb0e'] }]);
  });
});

describe('applyPatch: entra-scim.md §4.2 flag-mode shapes (2020)', () => {
  it('removes a member by value filter', () => {
    const result = applyPatch('Group', entraGroup(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: 'members[value eq "16b083c0-f1e8-4544-b6ee-27a28dc98761"]' }],
    });
    expect(result.memberChanges).toEqual([{ op: 'remove', values: ['16b083c0-f1e8-4544-b6ee-27a28dc98761'] }]);
  });

  it('adds the enterprise department by URN path', () => {
    const result = applyPatch('User', entraUser(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'Tech Infrastructure' }],
    });
    expect(result.data).toEqual({ ...entraUser(), [ENTERPRISE]: { department: 'Tech Infrastructure' } });
  });

  it('adds a member without $ref', () => {
    const result = applyPatch('Group', entraGroup(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: [{ value: '10263a6910a84ef9a581dd9b8dcc0eae' }] }],
    });
    expect(result.memberChanges).toEqual([{ op: 'add', members: [{ value: '10263a6910a84ef9a581dd9b8dcc0eae' }] }]);
  });

  it('replaces the work email, its primary flag, and active plus userName in one pathless op', () => {
    const user = { ...entraUser(), emails: [{ type: 'work', value: 'old@contoso.com' }, { type: 'home', value: 'h@x.com', primary: true }] };
    const result = applyPatch('User', user, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'someone@contoso.com' },
        { op: 'replace', path: 'emails[type eq "work"].primary', value: true },
        { op: 'replace', value: { active: false, userName: 'someone' } },
      ],
    });
    expect(result.data).toEqual({
      ...entraUser(),
      active: false,
      userName: 'someone',
      emails: [
        { type: 'work', value: 'someone@contoso.com', primary: true },
        { type: 'home', value: 'h@x.com', primary: false },
      ],
    });
  });
});

describe('applyPatch: entra-scim.md §4.3 manager, roles and phone numbers', () => {
  const managerPath = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager';
  const managerOf = (data: Record<string, unknown>) => (data[ENTERPRISE] as Record<string, unknown> | undefined)?.manager;

  it('sets the manager from a bare string id (observed from Entra, lowercase add)', () => {
    const result = applyPatch('User', entraUser(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: managerPath, value: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' }],
    });
    expect(managerOf(result.data)).toEqual({ value: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' });
  });

  it('runs SCIM_Update_Manager_Test: set, change, then remove with ""', () => {
    const set = applyPatch('User', entraUser(), body({ op: 'Add', path: managerPath, value: 'manager-1' }));
    expect(managerOf(set.data)).toEqual({ value: 'manager-1' });
    const changed = applyPatch('User', set.data, body({ op: 'replace', path: managerPath, value: 'manager-2' }));
    expect(managerOf(changed.data)).toEqual({ value: 'manager-2' });
    const removed = applyPatch('User', changed.data, body({ op: 'replace', path: managerPath, value: '' }));
    expect(removed.data).toEqual(entraUser());
  });

  it.each([
    ['a bare string', 'manager-1'],
    ['a {value} object', { value: 'manager-1' }],
    ['a one-element array with $ref', [{ $ref: 'https://x/Users/manager-1', value: 'manager-1' }]],
  ])('sets and changes the manager given as %s', (_shape, value) => {
    const set = applyPatch('User', entraUser(), body({ op: 'add', path: managerPath, value }));
    expect((managerOf(set.data) as { value: string }).value).toBe('manager-1');
    const changed = applyPatch('User', set.data, body({ op: 'replace', path: managerPath, value: { value: 'manager-2' } }));
    expect(managerOf(changed.data)).toEqual({ value: 'manager-2' });
  });

  it.each([
    ['""', ''],
    ['null', null],
    ['{"value": ""} (the web validator)', { value: '' }],
    ['[]', []],
  ])('removes the manager on replace with %s', (_shape, value) => {
    const user = { ...entraUser(), [ENTERPRISE]: { manager: { value: 'manager-1' }, department: 'R&D' } };
    const result = applyPatch('User', user, body({ op: 'replace', path: managerPath, value }));
    expect(result.data[ENTERPRISE]).toEqual({ department: 'R&D' });
  });

  it('drops the enterprise object when removing the manager empties it', () => {
    const user = { ...entraUser(), [ENTERPRISE]: { manager: { value: 'manager-1' } } };
    const result = applyPatch('User', user, body({ op: 'remove', path: managerPath }));
    expect(result.data).toEqual(entraUser());
  });

  it('sets the manager id through manager.value', () => {
    const result = applyPatch('User', entraUser(), body({ op: 'replace', path: `${managerPath}.value`, value: 'manager-3' }));
    expect(managerOf(result.data)).toEqual({ value: 'manager-3' });
  });

  it('keeps the SingleAppRoleAssignment JSON-string role value exactly as sent', () => {
    const value = '{"id":"06b07648-ecfe-589f-9d2f-6325724a46ee","value":"25","displayName":"Role1234"}';
    const result = applyPatch('User', entraUser(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'roles', value: [{ value }] }],
    });
    expect(result.data.roles).toEqual([{ value }]);
  });

  it('adds the AppRoleAssignmentsComplex roles', () => {
    const roles = [
      { value: '{"id":"06b07648-ecfe-589f-9d2f-6325724a46ee","value":"Admin","displayName":"Admin"}' },
      { value: '{"id":"06b07648-ecfe-599f-9d2f-6325724a46ee","value":"User","displayName":"User"}' },
    ];
    const result = applyPatch('User', entraUser(), { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'roles', value: roles }] });
    expect(result.data.roles).toEqual(roles);
  });

  it('replaces the whole role set (AssertiveAppRoleAssignmentsComplex)', () => {
    const user = { ...entraUser(), roles: [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'Old', value: 'Old' }] };
    const roles = [
      { primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'User', value: 'User' },
      { primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'Test', value: 'Test' },
    ];
    const result = applyPatch('User', user, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'roles', value: roles }] });
    expect(result.data.roles).toEqual(roles);
  });

  it('creates the primary role from roles[primary eq "True"] paths and then updates it', () => {
    const result = applyPatch(
      'User',
      entraUser(),
      body(
        { op: 'replace', path: 'roles[primary eq "True"].value', value: 'Admin' },
        { op: 'replace', path: 'roles[primary eq "True"].display', value: 'Administrator' },
        { op: 'replace', path: 'roles[primary eq "True"].type', value: 'WindowsAzureActiveDirectoryRole' },
      ),
    );
    expect(result.data.roles).toEqual([{ primary: true, value: 'Admin', display: 'Administrator', type: 'WindowsAzureActiveDirectoryRole' }]);
  });

  it.each(['work', 'mobile', 'fax'])('creates and then updates phoneNumbers[type eq "%s"].value', (type) => {
    const created = applyPatch('User', entraUser(), body({ op: 'replace', path: `phoneNumbers[type eq "${type}"].value`, value: '+1 555 0100' }));
    expect(created.data.phoneNumbers).toEqual([{ type, value: '+1 555 0100' }]);
    const updated = applyPatch('User', created.data, body({ op: 'replace', path: `phoneNumbers[type eq "${type}"].value`, value: '+1 555 0199' }));
    expect(updated.data.phoneNumbers).toEqual([{ type, value: '+1 555 0199' }]);
  });

  it('stores a custom extension attribute under its schema URN', () => {
    const urn = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User';
    const result = applyPatch('User', entraUser(), body({ op: 'add', path: `${urn}:CustomAttribute`, value: 'x1' }));
    expect(result.data[urn]).toEqual({ CustomAttribute: 'x1' });
  });
});

describe('applyPatch: entra-scim.md §4.4 mapped paths in any case', () => {
  it('resolves emails[type eq "other"].Value and addresses[type eq "other"].Formatted to canonical names', () => {
    const result = applyPatch(
      'User',
      entraUser(),
      body(
        { op: 'Add', path: 'emails[type eq "other"].Value', value: 'o@x.com' },
        { op: 'Add', path: 'addresses[type eq "other"].Formatted', value: '1 Main St' },
      ),
    );
    expect(result.data.emails).toEqual([...(entraUser().emails as object[]), { type: 'other', value: 'o@x.com' }]);
    expect(result.data.addresses).toEqual([{ type: 'other', formatted: '1 Main St' }]);
  });

  it.each(['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country'])(
    'builds one work address from addresses[type eq "work"].%s',
    (sub) => {
      const result = applyPatch(
        'User',
        entraUser(),
        body(
          { op: 'Replace', path: 'addresses[type eq "work"].locality', value: 'Redmond' },
          { op: 'Replace', path: `addresses[type eq "work"].${sub}`, value: 'V' },
        ),
      );
      expect(result.data.addresses).toEqual([{ type: 'work', locality: 'Redmond', [sub]: 'V' }]);
    },
  );
});

describe('applyPatch: entra-scim.md §16 validator and reference-collection shapes', () => {
  it('replaces group attributes with pathless ops ({externalId} / {displayName})', () => {
    const result = applyPatch(
      'Group',
      entraGroup(),
      body({ op: 'replace', value: { externalId: 'ext-2' } }, { op: 'replace', value: { displayName: 'Renamed' } }),
    );
    expect(result.data).toEqual({ externalId: 'ext-2', displayName: 'Renamed' });
  });

  it('"Add Member" via replace on members sets the member list exactly', () => {
    const result = applyPatch('Group', entraGroup(), body({ op: 'replace', path: 'members', value: [{ value: 'user-1' }] }));
    expect(result.memberChanges).toEqual([{ op: 'replace', members: [{ value: 'user-1' }] }]);
  });

  it('"Remove Member" via members[value eq "<id>"]', () => {
    const result = applyPatch('Group', entraGroup(), body({ op: 'remove', path: 'members[value eq "user-1"]' }));
    expect(result.memberChanges).toEqual([{ op: 'remove', values: ['user-1'] }]);
  });

  it('"Multiple Ops same attr": add then remove the same member, in order', () => {
    const result = applyPatch(
      'Group',
      entraGroup(),
      body({ op: 'add', path: 'members', value: [{ value: 'user-1' }] }, { op: 'remove', path: 'members[value eq "user-1"]' }),
    );
    expect(result.memberChanges).toEqual([
      { op: 'add', members: [{ value: 'user-1' }] },
      { op: 'remove', values: ['user-1'] },
    ]);
  });

  it('"Multiple Ops different attrs" and "same attr" on a user apply in order', () => {
    const result = applyPatch(
      'User',
      entraUser(),
      body(
        { op: 'replace', path: 'displayName', value: 'A' },
        { op: 'replace', path: 'title', value: 'T' },
        { op: 'replace', path: 'displayName', value: 'B' },
      ),
    );
    expect(result.data).toMatchObject({ displayName: 'B', title: 'T' });
  });

  it('reference collection: add member with an extra "name" key and a display, then remove all members', () => {
    const result = applyPatch(
      'Group',
      entraGroup(),
      body(
        { name: 'addMember', op: 'add', path: 'members', value: [{ displayName: 'new User', value: 'id4' }] },
        { op: 'remove', path: 'members' },
      ),
    );
    expect(result.memberChanges).toEqual([{ op: 'add', members: [{ value: 'id4' }] }, { op: 'removeAll' }]);
  });

  it('reference collection: add a member given as a bare string value', () => {
    const result = applyPatch('Group', entraGroup(), body({ op: 'add', path: 'members', value: 'string id 1' }));
    expect(result.memberChanges).toEqual([{ op: 'add', members: [{ value: 'string id 1' }] }]);
  });

  it('reference collection: lowercase replace of userName and Replace of active false', () => {
    const result = applyPatch(
      'User',
      entraUser(),
      body({ op: 'replace', path: 'userName', value: 'omalley' }, { op: 'Replace', path: 'active', value: false }),
    );
    expect(result.data).toMatchObject({ userName: 'omalley', active: false });
  });

  it('SCIM_Null_Update_Test: "" then null clear optional attributes', () => {
    const user = { ...entraUser(), title: 'T', [ENTERPRISE]: { department: 'D' } };
    const first = applyPatch(
      'User',
      user,
      body({ op: 'replace', path: 'title', value: '' }, { op: 'replace', path: `${ENTERPRISE}:department`, value: '' }),
    );
    expect(first.data).toEqual(entraUser());
    const second = applyPatch('User', user, body({ op: 'replace', value: { title: null, [`${ENTERPRISE}:department`]: null } }));
    expect(second.data).toEqual(entraUser());
  });
});
