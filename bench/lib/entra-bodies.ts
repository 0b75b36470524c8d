/**
 * Request bodies as Microsoft Entra ID sends them (entra-scim.md §3 and §4.1), parameterised so
 * every user and group the benchmark writes is distinct.
 */

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export const userNameOf = (tag: string, n: number) => `${tag}.user${n}@bench.example`;
export const workEmailOf = (tag: string, n: number) => `${tag}.mail${n}@bench.example`;
export const externalIdOf = (tag: string, n: number) => `${tag}-ext-${n}`;

/** POST /Users with the attributes of Entra's default mapping (§3.1, §11.2). */
export const entraCreateUser = (tag: string, n: number) => ({
  schemas: [USER_SCHEMA, ENTERPRISE],
  externalId: externalIdOf(tag, n),
  userName: userNameOf(tag, n),
  active: true,
  displayName: `Bench User ${n}`,
  emails: [{ primary: true, type: 'work', value: workEmailOf(tag, n) }],
  meta: { resourceType: 'User' },
  name: { formatted: `Bench User${n}`, familyName: `User${n}`, givenName: 'Bench' },
  title: 'Engineer',
  roles: [],
  [ENTERPRISE]: { employeeNumber: String(100_000 + n), department: 'Research' },
});

/** PUT /Users/{id}: the whole resource again, one attribute changed. */
export const replaceUser = (tag: string, n: number) => ({ ...entraCreateUser(tag, n), title: 'Senior Engineer' });

/** "Replace multiple attributes — without flag" (§4.1): one op per attribute, each with a path. */
export const entraPatchDefaultDialect = (tag: string, n: number, round: number) => ({
  schemas: [PATCH_OP],
  Operations: [
    { op: 'Replace', path: 'displayName', value: `Bench User ${n} r${round}` },
    { op: 'Replace', path: 'emails[type eq "work"].value', value: workEmailOf(`${tag}r${round}`, n) },
    { op: 'Replace', path: 'name.givenName', value: `Given${round}` },
    { op: 'Replace', path: 'name.familyName', value: `Family${round}` },
    { op: 'Replace', path: 'externalId', value: externalIdOf(`${tag}r${round}`, n) },
    { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: String(200_000 + n + round) },
  ],
});

/**
 * An update that changes no key (issue 18's "PATCH that does not change userName/externalId/
 * displayName"), default dialect: job attributes, the name, and `userName` replaced with the value
 * it already has (Entra sends the matching attribute again; that is no rename).
 */
export const entraPatchDefaultNoKeyChange = (tag: string, n: number, round: number) => ({
  schemas: [PATCH_OP],
  Operations: [
    { op: 'Replace', path: 'userName', value: userNameOf(tag, n) },
    { op: 'Replace', path: 'title', value: `Engineer ${round}` },
    { op: 'Replace', path: 'name.givenName', value: `Given${round}` },
    { op: 'Replace', path: 'name.familyName', value: `Family${round}` },
    { op: 'Replace', path: `${ENTERPRISE}:department`, value: `Research ${round}` },
    { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: String(400_000 + n + round) },
  ],
});

/** The same no-key change in the flag dialect (`aadOptscim062020`): one pathless op. */
export const entraPatchFlagNoKeyChange = (tag: string, n: number, round: number) => ({
  schemas: [PATCH_OP],
  Operations: [
    {
      op: 'replace',
      value: {
        userName: userNameOf(tag, n),
        title: `Engineer f${round}`,
        'name.givenName': `Given f${round}`,
        'name.familyName': `Family f${round}`,
        [`${ENTERPRISE}:department`]: `Research f${round}`,
      },
    },
  ],
});

/** The same change "with flag" (`aadOptscim062020`, §4.1): simple attributes batched in one pathless op. */
export const entraPatchFlagDialect = (tag: string, n: number, round: number) => ({
  schemas: [PATCH_OP],
  Operations: [
    { op: 'replace', path: 'emails[type eq "work"].value', value: workEmailOf(`${tag}f${round}`, n) },
    {
      op: 'replace',
      value: {
        displayName: `Bench User ${n} f${round}`,
        'name.givenName': `Given${round}`,
        'name.familyName': `Family${round}`,
        [`${ENTERPRISE}:employeeNumber`]: String(300_000 + n + round),
      },
    },
  ],
});

/** Disable user — default dialect: "Replace", active as the string "False" (§4.1). */
export const entraDisableUser = () => ({
  schemas: [PATCH_OP],
  Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
});

/** POST /Groups: created without members, Entra's way (§3.9). */
export const entraCreateGroup = (tag: string, n: number) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
  externalId: `${tag}-group-ext-${n}`,
  displayName: `${tag} Group ${n}`,
  meta: { resourceType: 'Group' },
});

export const groupNameOf = (tag: string, n: number) => `${tag} Group ${n}`;

/** Add members (§3.13): several values in one operation, `$ref: null` as Entra sends it. */
export const entraAddMembers = (userIds: readonly string[]) => ({
  schemas: [PATCH_OP],
  Operations: [{ op: 'Add', path: 'members', value: userIds.map((value) => ({ $ref: null, value })) }],
});

/** Remove members — default dialect: a value array on `members` (§4.1). */
export const entraRemoveMembersDefault = (userIds: readonly string[]) => ({
  schemas: [PATCH_OP],
  Operations: [{ op: 'Remove', path: 'members', value: userIds.map((value) => ({ value })) }],
});

/** Remove one member — flag dialect: a filtered path, no value (§4.1). */
export const entraRemoveMemberFlag = (userId: string) => ({
  schemas: [PATCH_OP],
  Operations: [{ op: 'remove', path: `members[value eq "${userId}"]` }],
});

/** `GET /Users?filter=userName eq "<name>"`, URL-encoded as Entra sends it. */
export const userNameFilter = (userName: string) => `filter=${encodeURIComponent(`userName eq "${userName}"`)}`;
export const externalIdFilter = (externalId: string) => `filter=${encodeURIComponent(`externalId eq "${externalId}"`)}`;
export const workEmailFilter = (email: string) => `filter=${encodeURIComponent(`emails[type eq "work"].value eq "${email}"`)}`;
export const displayNameFilter = (name: string) => `filter=${encodeURIComponent(`displayName eq "${name}"`)}`;
