/**
 * Finding the groups of one application and rendering their members. Shared by the SCIM Groups
 * handler (`GET /Groups`) and the root search (`POST /.search`), so both plan a filter the same way
 * and return the same member lists.
 */
import { ScimError } from '../scim/errors';
import type { ReferenceOut } from '../scim/representation';
import { groupRepresentation } from '../scim/resource';
import type { GroupStore, StoredGroup } from '../store/groups';
import type { SearchSource } from '../store/search';
import type { UserStore } from '../store/users';

/**
 * Largest member list a response carries: ~120 bytes a member keeps a response far below
 * Lambda's 6 MB limit. Bigger groups must be read with excludedAttributes=members and their
 * members paged through /Users?filter=groups.value eq "<id>".
 */
export const MAX_MEMBERS_IN_RESPONSE = 10_000;

/** The search source over one application's groups; `represent` gives the JSON filters are evaluated on. */
export const groupSearchSource = (
  groups: GroupStore,
  users: UserStore,
  appId: string,
  represent: (group: StoredGroup) => Record<string, unknown>,
): SearchSource<StoredGroup> => ({
  resourceType: 'Group',
  listPartition: groups.listPartitionKey(appId),
  represent,
  fromItem: (item) => groups.toStored(item as never),
  lookup: async (kind, value) => {
    switch (kind) {
      case 'id': {
        const group = await groups.get(appId, value);
        return group ? [group] : [];
      }
      case 'displayName': {
        const group = await groups.findByDisplayName(appId, value);
        return group ? [group] : [];
      }
      case 'externalId': {
        // Not unique: every holder, paged like any list, read strongly consistent, never a scan.
        const ids = await groups.externalIdHolders(appId, value);
        return { ids, load: (window) => groups.getMany(appId, window, { consistent: true }) };
      }
      case 'member': {
        const user = await users.get(appId, value);
        return user ? groups.getMany(appId, user.groupIds) : [];
      }
      default:
        return undefined;
    }
  },
});

/** Whether a response leaves `members` out, so they need not be read. */
export const excludesMembers = (params: { attributes?: string; excludedAttributes?: string }): boolean => {
  const names = (list?: string) => (list ?? '').split(',').map((a) => a.trim().toLowerCase());
  if (params.attributes) return !names(params.attributes).some((a) => a === 'members' || a.startsWith('members.') || a.startsWith('members['));
  return names(params.excludedAttributes).includes('members');
};

/** The member ids of a group, refusing groups too large to return in one response. */
export const membersForResponse = async (groups: GroupStore, appId: string, group: StoredGroup): Promise<string[]> => {
  const ids: string[] = [];
  for await (const page of groups.memberships.members(appId, group.id)) {
    ids.push(...page);
    if (ids.length > MAX_MEMBERS_IN_RESPONSE) {
      throw ScimError.tooMany(
        `Group ${group.id} has more than ${MAX_MEMBERS_IN_RESPONSE} members, too many to return at once. ` +
          `Request it with excludedAttributes=members and page its members with GET /Users?filter=groups.value eq "${group.id}".`,
      );
    }
  }
  return ids;
};

const memberRefs = (tenantUrl: string, ids: readonly string[]): ReferenceOut[] =>
  ids.map((value) => ({ value, $ref: `${tenantUrl}/Users/${value}`, type: 'User' }));

/**
 * A group as SCIM JSON under a Tenant URL, with its members unless the response leaves them out.
 * `members` are the ids the caller already knows (after a create or replace); otherwise they are read.
 */
export const groupWithMembers = async (
  groups: GroupStore,
  tenantUrl: string,
  appId: string,
  group: StoredGroup,
  params: { attributes?: string; excludedAttributes?: string },
  members?: readonly string[],
) => {
  const ids = excludesMembers(params) ? undefined : (members ?? (await membersForResponse(groups, appId, group)));
  return groupRepresentation(group, { location: `${tenantUrl}/Groups/${group.id}`, members: ids && memberRefs(tenantUrl, ids) });
};
