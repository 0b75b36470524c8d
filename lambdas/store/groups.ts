/**
 * Groups in the single table. `displayName` is unique per application, case-insensitively (Entra
 * matches groups by it), through a sentinel written in the same transaction; `externalId` is not
 * unique (RFC 7643 §3.1) and gets a holder entry in the same transaction (external-ids.ts).
 * Members are separate items (memberships.ts); a group item never holds its member list.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ItemType, type GroupItem, type RequestStamp, type UniqueItem } from '../domain/items';
import { ScimError } from '../scim/errors';
import type { ScimData } from '../scim/resource';
import { batchGetAll } from './batch-get';
import { createExternalIds, externalIdOf, storedExternalId } from './external-ids';
import { keys, UniqueKind } from './keys';
import { createMembershipStore, type MemberDelta, type MemberState } from './memberships';
import { deletionNotePut } from './notes';
import { assertItemSize, transact, type NamedAction } from './transactions';
import { claimName, releaseName } from './unique-names';

export interface StoredGroup {
  id: string;
  data: ScimData;
  version: number;
  created: string;
  lastModified: string;
}

export const displayNameOf = (data: ScimData): string => String(data.displayName);

const toStored = (item: GroupItem): StoredGroup => ({
  id: item.id,
  data: item.resource,
  version: item.version,
  created: item.created,
  lastModified: item.lastModified,
});

export const createGroupStore = (client: DynamoDBDocumentClient, tableName: string) => {
  const memberships = createMembershipStore(client, tableName);
  const externalIds = createExternalIds(client, tableName, 'Group');

  const itemOf = (appId: string, group: StoredGroup, stamp: RequestStamp): GroupItem & Record<string, unknown> => {
    const item = {
      ...keys.group(appId, group.id),
      ...keys.groupListEntry(appId, group.id),
      type: ItemType.group,
      appId,
      id: group.id,
      displayName: displayNameOf(group.data),
      externalId: externalIdOf(group.data),
      externalIdIndexed: true,
      resource: group.data,
      version: group.version,
      created: group.created,
      lastModified: group.lastModified,
      lastRequest: stamp,
    } as GroupItem & Record<string, unknown>;
    assertItemSize(item, 'group');
    return item;
  };

  /**
   * The key items that go with a change of a group (`stored` undefined: a new group; `after`
   * undefined: a deleted one): the displayName sentinel and the externalId holder entry.
   */
  const keyChanges = (appId: string, id: string, stored: GroupItem | undefined, after: ScimData | undefined): NamedAction[] => {
    const before = stored ? storedExternalId(stored) : { value: undefined, legacy: false };
    return [...nameChange(appId, id, stored?.resource, after), ...externalIds.changes(appId, id, before, after ? externalIdOf(after) : undefined)];
  };

  const nameChange = (appId: string, id: string, before: ScimData | undefined, after: ScimData | undefined): NamedAction[] => {
    const oldName = before ? displayNameOf(before) : undefined;
    const newName = after ? displayNameOf(after) : undefined;
    if (oldName?.toLowerCase() === newName?.toLowerCase()) return [];
    const actions: NamedAction[] = [];
    if (newName !== undefined) actions.push(claimName(tableName, appId, UniqueKind.groupName, newName, id));
    if (oldName !== undefined) actions.push(releaseName(tableName, appId, UniqueKind.groupName, oldName, id));
    return actions;
  };

  const readItem = async (appId: string, id: string): Promise<GroupItem | undefined> => {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.group(appId, id), ConsistentRead: true }));
    return Item?.type === ItemType.group ? (Item as GroupItem) : undefined;
  };

  /**
   * Checks (and on the first chunk, bumps) the group item in every membership transaction. An
   * unpinned bump (member adds and removes commute) increments whatever version is stored, so
   * parallel member changes of one group all succeed instead of all but one failing with 412.
   */
  const groupGuard =
    (appId: string, group: StoredGroup, bump: { version: number; lastModified: string; stamp: RequestStamp; pinned: boolean } | undefined) =>
    (first: boolean): NamedAction => {
      if (first && bump && !bump.pinned) {
        return {
          item: {
            Update: {
              TableName: tableName,
              Key: keys.group(appId, group.id),
              UpdateExpression: 'SET version = version + :one, lastModified = :now, lastRequest = :stamp',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':one': 1, ':now': bump.lastModified, ':stamp': bump.stamp },
            },
          },
          onConditionFailed: () => ScimError.resourceNotFound('Group', group.id),
        };
      }
      if (first && bump) {
        return {
          item: {
            Update: {
              TableName: tableName,
              Key: keys.group(appId, group.id),
              UpdateExpression: 'SET version = :next, lastModified = :now, lastRequest = :stamp',
              ConditionExpression: 'attribute_exists(pk) AND version = :v',
              ExpressionAttributeValues: { ':next': bump.version, ':now': bump.lastModified, ':stamp': bump.stamp, ':v': group.version },
            },
          },
          onConditionFailed: () => ScimError.preconditionFailed(),
        };
      }
      return {
        item: { ConditionCheck: { TableName: tableName, Key: keys.group(appId, group.id), ConditionExpression: 'attribute_exists(pk)' } },
        onConditionFailed: () => ScimError.resourceNotFound('Group', group.id),
      };
    };

  const memberIds = async (appId: string, groupId: string): Promise<string[]> => {
    const all: string[] = [];
    for await (const page of memberships.members(appId, groupId)) all.push(...page);
    return all;
  };

  return {
    memberships,
    memberIds,

    async get(appId: string, id: string): Promise<StoredGroup | undefined> {
      const item = await readItem(appId, id);
      return item ? toStored(item) : undefined;
    },

    /** Groups by id, in the order given (missing ones skipped): one BatchGet per 100 distinct ids. */
    async getMany(appId: string, ids: readonly string[], options: { consistent?: boolean } = {}): Promise<StoredGroup[]> {
      const items = await batchGetAll(client, tableName, ids.map((id) => keys.group(appId, id)), { consistentRead: options.consistent });
      const byId = new Map((items as unknown as GroupItem[]).filter((item) => item.type === ItemType.group).map((item) => [item.id, toStored(item)]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    },

    /** `externalId eq` (caseExact, not unique): the ids of every holder, in id order; strongly consistent. */
    externalIdHolders: (appId: string, externalId: string): Promise<string[]> => externalIds.holders(appId, externalId),

    /** `displayName eq`: the sentinel names the owner (strongly consistent, two reads). */
    async findByDisplayName(appId: string, displayName: string): Promise<StoredGroup | undefined> {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.unique(appId, UniqueKind.groupName, displayName), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      const item = await readItem(appId, String(Item.ownerId));
      return item ? toStored(item) : undefined;
    },

    /**
     * Creates the group; with `members` (ids → member states from `assertUsersExist`) the group and its
     * first members commit in one transaction (all of them up to 48), so a failure leaves no
     * memberless group behind. Larger lists continue in chunks that each re-check the group.
     */
    async create(appId: string, group: StoredGroup, stamp: RequestStamp, members: Map<string, MemberState> = new Map()): Promise<void> {
      const write: NamedAction[] = [
        {
          item: { Put: { TableName: tableName, Item: itemOf(appId, group, stamp), ConditionExpression: 'attribute_not_exists(pk)' } },
          onConditionFailed: () => ScimError.uniqueness(`A group with id "${group.id}" already exists.`),
        },
        ...keyChanges(appId, group.id, undefined, group.data),
      ];
      if (members.size === 0) return transact(client, write);
      const guard = groupGuard(appId, group, undefined);
      await memberships.apply(appId, group.id, { add: [...members.keys()], remove: [] }, {
        stamp,
        userNames: members,
        groupDisplayName: displayNameOf(group.data),
        groupGuard: (first) => (first ? write : guard(first)),
      });
    },

    /**
     * Read-modify-write of a group's attributes and members. `change` returns the new data and
     * the member delta; attributes (with the name sentinel) and the first member changes are
     * written in one transaction, further members in chunks that each re-check the group. A member-only change is conditioned on
     * the version it read only when `pinVersion` (the default): the client sent If-Match, or the
     * delta was computed from the current members (replace, remove all). Plain adds and removes
     * commute, so they are not refused because another writer got there first.
     */
    async update(
      appId: string,
      id: string,
      change: (current: StoredGroup) => Promise<{ data: ScimData; delta: MemberDelta; pinVersion?: boolean }>,
      stamp: RequestStamp,
    ): Promise<{ before: StoredGroup; after: StoredGroup }> {
      for (let attempt = 0; ; attempt++) {
        const item = await readItem(appId, id);
        if (!item) throw ScimError.resourceNotFound('Group', id);
        const before = toStored(item);
        const { data, delta, pinVersion = true } = await change(before);
        const dataChanged = JSON.stringify(data) !== JSON.stringify(before.data);
        const membersChange = delta.add.length + delta.remove.length > 0;
        if (!dataChanged && !membersChange) return { before, after: before };
        const after: StoredGroup = { ...before, data, version: before.version + 1, lastModified: new Date().toISOString() };
        try {
          // Refuse unknown members before the attributes are written: all or nothing.
          const userNames = await memberships.assertUsersExist(appId, delta.add);
          const attributes: NamedAction[] = dataChanged
            ? [
                {
                  item: {
                    Put: {
                      TableName: tableName,
                      Item: itemOf(appId, after, stamp),
                      ConditionExpression: 'attribute_exists(pk) AND version = :v',
                      ExpressionAttributeValues: { ':v': before.version },
                    },
                  },
                  onConditionFailed: () => ScimError.preconditionFailed(),
                },
                ...keyChanges(appId, id, item, data),
              ]
            : [];
          if (!membersChange) {
            await transact(client, attributes);
          } else {
            const bump = dataChanged ? undefined : { version: after.version, lastModified: after.lastModified, stamp, pinned: pinVersion };
            const guard = groupGuard(appId, dataChanged ? after : before, bump);
            // New attributes commit with the first member changes: a failure leaves neither.
            await memberships.apply(appId, id, delta, {
              stamp,
              userNames,
              groupDisplayName: displayNameOf(data),
              groupGuard: (first) => (first && dataChanged ? attributes : guard(first)),
            });
          }
          return { before, after };
        } catch (error) {
          const versionClash = error instanceof ScimError && error.status === 412;
          if (!versionClash || attempt >= 3) throw error;
        }
      }
    },

    /**
     * Deletes the group, its name sentinel and its externalId entry in one transaction, with a deletion
     * note (the request's time and stamp, for the report; store/notes.ts). Its memberships are removed
     * asynchronously by the stream consumer; reads never show them because every read of a
     * user's groups resolves the group items, and a deleted group has none.
     */
    async remove(appId: string, id: string, stamp: RequestStamp, assertVersion?: (version: number) => void): Promise<StoredGroup> {
      const item = await readItem(appId, id);
      if (!item) throw ScimError.resourceNotFound('Group', id);
      assertVersion?.(item.version);
      await transact(client, [
        {
          item: {
            Delete: {
              TableName: tableName,
              Key: keys.group(appId, id),
              ConditionExpression: 'attribute_exists(pk) AND version = :v',
              ExpressionAttributeValues: { ':v': item.version },
            },
          },
          onConditionFailed: () => ScimError.preconditionFailed(),
        },
        ...keyChanges(appId, id, item, undefined),
        deletionNotePut(tableName, appId, 'Group', id, { at: new Date().toISOString(), request: stamp }),
      ]);
      return toStored(item);
    },

    listPartitionKey: (appId: string) => keys.groupList(appId).gsi1pk,
    toStored,
  };
};

export type GroupStore = ReturnType<typeof createGroupStore>;
