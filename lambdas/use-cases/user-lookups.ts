/**
 * Finding the users of one application and naming their groups. Shared by the SCIM Users handler
 * (`GET /Users`) and the admin console's user search (`GET /admin/apps/{appId}/users`), so both
 * plan a filter the same way: key lookups where the filter allows, a bounded scan otherwise.
 */
import type { ReferenceOut } from '../scim/representation';
import type { GroupStore } from '../store/groups';
import type { SearchSource } from '../store/search';
import type { StoredUser, UserStore } from '../store/users';

/** The search source over one application's users; `represent` gives the JSON filters are evaluated on. */
export const userSearchSource = (
  users: UserStore,
  groups: GroupStore,
  appId: string,
  represent: (user: StoredUser) => Record<string, unknown>,
): SearchSource<StoredUser> => ({
  resourceType: 'User',
  listPartition: users.listPartitionKey(appId),
  represent,
  fromItem: (item) => users.toStored(item as never),
  lookup: async (kind, value) => {
    switch (kind) {
      case 'id': {
        const user = await users.getUser(appId, value);
        return user ? [user] : [];
      }
      case 'userName': {
        const user = await users.findByUserName(appId, value);
        return user ? [user] : [];
      }
      case 'externalId': {
        // Not unique: every holder, paged like any list; the window is read strongly consistent.
        const ids = await users.externalIdHolders(appId, value);
        return { ids, load: (window) => users.getMany(appId, window, { consistent: true }) };
      }
      case 'workEmail':
        return users.findByWorkEmail(appId, value);
      case 'group': {
        // A deleted group has no members, even while its memberships are being swept.
        if (!(await groups.get(appId, value))) return [];
        return { ids: await groups.memberIds(appId, value), load: (ids) => users.getMany(appId, ids) };
      }
      default:
        return undefined;
    }
  },
});

/**
 * Whether a list response should carry each user's `groups`: only when `attributes` asks for them,
 * since they cost a read per user (a single user read always carries them).
 */
export const asksForGroups = (params: { attributes?: string }): boolean =>
  (params.attributes ?? '').split(',').some((a) => a.trim().toLowerCase().startsWith('groups'));

/** Group ids → `{value, display, $ref}` under a Tenant URL; deleted groups (memberships not yet swept) drop out. */
export const groupRefsOf = async (groups: GroupStore, tenantUrl: string, appId: string, groupIds: readonly string[]): Promise<ReferenceOut[]> => {
  if (!groupIds.length) return [];
  const found = await groups.getMany(appId, groupIds);
  return found.map((g) => ({ value: g.id, display: String(g.data.displayName), $ref: `${tenantUrl}/Groups/${g.id}` }));
};
