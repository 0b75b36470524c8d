/**
 * Users in the single table. Uniqueness of `userName` (case-insensitive) per application is
 * enforced by a sentinel item written in the same transaction as the user, so no race can create
 * two. `externalId` is not unique (RFC 7643 §3.1): its holder entries (external-ids.ts) are written
 * in the same transaction. Every write is conditioned on the version it read (optimistic locking).
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ItemType, type ProfileGroupRef, type RequestStamp, type UserItem } from '../domain/items';
import { ScimError } from '../scim/errors';
import type { ScimData } from '../scim/resource';
import { batchGetAll } from './batch-get';
import { createExternalIds, externalIdOf, storedExternalId } from './external-ids';
import { itemPages } from './index-items';
import { Index, keys, UniqueKind } from './keys';
import { deletionNotePut } from './notes';
import { createOwnerHints } from './owner-hints';
import { queryPages } from './paging';
import { membershipGroups, profileAttributes, storedProfileGroups, type ProfileWriter } from './profile-writes';
import { assertItemSize, MAX_TRANSACTION_ACTIONS, transact, type NamedAction } from './transactions';
import { backoffDelay, pause, STALE_READ_RETRY } from './retry';
import { claimName, releaseName } from './unique-names';

export interface StoredUser {
  id: string;
  data: ScimData;
  version: number;
  created: string;
  lastModified: string;
}

/** A user with the ids of the groups it belongs to (from the same partition). */
export interface UserWithGroups {
  user: StoredUser;
  groupIds: string[];
}

const WORK = 'work';

export const userNameOf = (data: ScimData): string => String(data.userName);
/** The work e-mail Entra matches on (`emails[type eq "work"].value`). */
export const workEmailOf = (data: ScimData): string | undefined => {
  const emails = Array.isArray(data.emails) ? (data.emails as Record<string, unknown>[]) : [];
  const work = emails.find((e) => typeof e?.type === 'string' && e.type.toLowerCase() === WORK && typeof e.value === 'string' && e.value);
  return work ? String(work.value) : undefined;
};

const toStored = (item: UserItem): StoredUser => ({
  id: item.id,
  data: item.resource,
  version: item.version,
  created: item.created,
  lastModified: item.lastModified,
});

/**
 * After a write whose version condition failed (412: another request changed the user since the
 * read): pauses before the caller reads again, or rethrows once the retry budget is spent or the
 * error is anything else.
 */
const pauseBeforeReread = async (error: unknown, attempt: number): Promise<void> => {
  const stale = error instanceof ScimError && error.status === 412;
  if (!stale || attempt + 1 >= STALE_READ_RETRY.maxAttempts) throw error;
  await pause(backoffDelay(STALE_READ_RETRY, attempt + 1));
};

export const createUserStore = (client: DynamoDBDocumentClient, tableName: string) => {
  const externalIds = createExternalIds(client, tableName, 'User');
  /** userName → the id that last held it, so a lookup by userName usually takes one read (owner-hints.ts). */
  const nameHints = createOwnerHints();

  const itemOf = (
    appId: string,
    user: StoredUser,
    stamp: RequestStamp,
    membershipVersion: number,
    profile: ReturnType<typeof profileAttributes> = {},
  ): UserItem & Record<string, unknown> => {
    const email = workEmailOf(user.data);
    const item = {
      ...keys.user(appId, user.id),
      ...keys.userListEntry(appId, user.id),
      ...(email ? keys.userByEmailEntry(appId, email, user.id) : {}),
      type: ItemType.user,
      appId,
      id: user.id,
      userName: userNameOf(user.data),
      externalId: externalIdOf(user.data),
      externalIdIndexed: true,
      active: user.data.active !== false,
      resource: user.data,
      version: user.version,
      created: user.created,
      lastModified: user.lastModified,
      lastRequest: stamp,
      membershipVersion,
      ...profile,
    } as UserItem & Record<string, unknown>;
    assertItemSize(item, 'user');
    return item;
  };

  /**
   * The key items that go with a change of a user (`stored` undefined: a new user; `after`
   * undefined: a deleted one): the userName sentinel (case-only changes keep the same key) and
   * the externalId holder entry.
   */
  const keyChanges = (appId: string, id: string, stored: UserItem | undefined, after: ScimData | undefined): NamedAction[] => {
    const actions: NamedAction[] = [];
    const oldName = stored ? userNameOf(stored.resource) : undefined;
    const newName = after ? userNameOf(after) : undefined;
    if (oldName?.toLowerCase() !== newName?.toLowerCase()) {
      if (newName !== undefined) actions.push(claimName(tableName, appId, UniqueKind.userName, newName, id));
      if (oldName !== undefined) actions.push(releaseName(tableName, appId, UniqueKind.userName, oldName, id));
    }
    const before = stored ? storedExternalId(stored) : { value: undefined, legacy: false };
    actions.push(...externalIds.changes(appId, id, before, after ? externalIdOf(after) : undefined));
    return actions;
  };

  const readUserItem = async (appId: string, id: string): Promise<UserItem | undefined> => {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.user(appId, id), ConsistentRead: true }));
    return Item?.type === ItemType.user ? (Item as UserItem) : undefined;
  };

  /** The user item and its memberships: one strongly consistent query of the user's partition. */
  const readPartition = async (appId: string, id: string): Promise<{ item?: UserItem & { membershipVersion?: number }; groupIds: string[] }> => {
    let item: (UserItem & { membershipVersion?: number }) | undefined;
    const groupIds: string[] = [];
    for await (const page of queryPages<Record<string, unknown>>(client, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.userPartition(appId, id) },
      ConsistentRead: true,
    })) {
      for (const row of page.items) {
        if (row.type === ItemType.user) item = row as unknown as UserItem;
        else if (row.type === ItemType.membership) groupIds.push(keys.groupIdOfMembershipSk(String(row.sk)));
      }
    }
    return { item, groupIds };
  };

  return {
    /** GET by id: the user and its group ids, one round trip. */
    async get(appId: string, id: string): Promise<UserWithGroups | undefined> {
      const { item, groupIds } = await readPartition(appId, id);
      return item ? { user: toStored(item), groupIds } : undefined;
    },

    /** Only the user item (no memberships): one GetItem. */
    async getUser(appId: string, id: string): Promise<StoredUser | undefined> {
      const item = await readUserItem(appId, id);
      return item ? toStored(item) : undefined;
    },

    /** `userName eq`: the sentinel (case folded in its key) names the owner; strongly consistent, two reads. */
    async findByUserName(appId: string, userName: string): Promise<StoredUser | undefined> {
      const sentinel = keys.unique(appId, UniqueKind.userName, userName);
      // A known holder: one read, kept only if that user still holds the name (owner-hints.ts says why that is exact).
      const hinted = nameHints.get(sentinel.pk);
      if (hinted !== undefined) {
        const item = await readUserItem(appId, hinted);
        if (item && keys.unique(appId, UniqueKind.userName, userNameOf(item.resource)).pk === sentinel.pk) return toStored(item);
        nameHints.forget(sentinel.pk);
      }
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: sentinel, ConsistentRead: true }));
      if (!Item) return undefined;
      const user = await readUserItem(appId, String(Item.ownerId));
      if (user) nameHints.set(sentinel.pk, user.id);
      return user ? toStored(user) : undefined;
    },

    /** `externalId eq` (caseExact, not unique): the ids of every holder, in id order; strongly consistent. */
    externalIdHolders: (appId: string, externalId: string): Promise<string[]> => externalIds.holders(appId, externalId),

    /** `emails[type eq "work"].value eq`: one query of the lookups index (eventually consistent), then the users' items. */
    async findByWorkEmail(appId: string, email: string): Promise<StoredUser[]> {
      const found: StoredUser[] = [];
      for await (const page of itemPages<UserItem>(client, tableName, {
        TableName: tableName,
        IndexName: Index.lookups,
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.userByEmail(appId, email).gsi2pk },
      })) {
        found.push(...page.items.filter((i) => i.type === ItemType.user).map(toStored));
      }
      return found;
    },

    /** Writes a new user; with `profile`, its profile goes on the same item in the same write. */
    async create(appId: string, user: StoredUser, stamp: RequestStamp, profile?: ProfileWriter): Promise<void> {
      await transact(client, [
        {
          item: {
            Put: {
              TableName: tableName,
              Item: itemOf(appId, user, stamp, 0, profileAttributes(profile, user, [])),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          onConditionFailed: () => ScimError.uniqueness(`A user with id "${user.id}" already exists.`),
        },
        ...keyChanges(appId, user.id, undefined, user.data),
      ]);
      // Entra looks a user up by userName right before and after creating it.
      nameHints.set(keys.unique(appId, UniqueKind.userName, userNameOf(user.data)).pk, user.id);
    },

    /**
     * Read-modify-write of one user: `change` gets the stored user and returns the new data.
     * The write is conditioned on the version read; when another writer got there first the
     * change is re-applied to the fresh state. `stamp` may be computed from the change (the
     * provisioning features' decision is made inside `change`). With `profile`, the profile is
     * recomputed and written in the same write, in the groups the stored profile lists.
     */
    async update(
      appId: string,
      id: string,
      change: (current: StoredUser) => ScimData,
      stamp: RequestStamp | ((before: StoredUser, data: ScimData) => RequestStamp),
      options: { now?: () => string; profile?: ProfileWriter } = {},
    ): Promise<{ before: StoredUser; after: StoredUser; changed: boolean }> {
      const now = options.now ?? (() => new Date().toISOString());
      for (let attempt = 0; ; attempt++) {
        const item = await readUserItem(appId, id);
        if (!item) throw ScimError.resourceNotFound('User', id);
        const before = toStored(item);
        const data = change(before);
        if (JSON.stringify(data) === JSON.stringify(before.data)) return { before, after: before, changed: false };
        const after: StoredUser = { ...before, data, version: before.version + 1, lastModified: now() };
        const membershipVersion = item.membershipVersion ?? 0;
        const groups: ProfileGroupRef[] | undefined = options.profile
          ? (storedProfileGroups(item) ?? (await membershipGroups(client, tableName, appId, id)))
          : undefined;
        const requestStamp = typeof stamp === 'function' ? stamp(before, data) : stamp;
        try {
          await transact(client, [
            {
              item: {
                Put: {
                  TableName: tableName,
                  Item: itemOf(appId, after, requestStamp, membershipVersion, profileAttributes(options.profile, after, groups ?? [])),
                  // The membership counter is part of the condition: a Put must not reset a bump made
                  // by a concurrent member add (a concurrent user delete relies on it).
                  ConditionExpression: 'attribute_exists(pk) AND version = :v AND (attribute_not_exists(membershipVersion) OR membershipVersion = :mv)',
                  ExpressionAttributeValues: { ':v': before.version, ':mv': membershipVersion },
                },
              },
              onConditionFailed: () => ScimError.preconditionFailed(),
            },
            ...keyChanges(appId, id, item, data),
          ]);
          return { before, after, changed: true };
        } catch (error) {
          // Someone else wrote first: re-read and re-apply (an If-Match check inside `change`
          // then refuses with 412 if the version the client pinned is gone).
          await pauseBeforeReread(error, attempt);
        }
      }
    },

    /**
     * Deletes a user, its key items (userName sentinel, externalId entry) and its memberships, leaving
     * a deletion note (store/notes.ts) in the same transaction. Memberships beyond one
     * transaction are deleted first, so no read ever shows a membership of a deleted user.
     * The final transaction is conditioned on the membership counter it read: a member added
     * concurrently makes it fail and the delete starts over (no dangling membership).
     */
    async remove(appId: string, id: string, stamp: RequestStamp, assertVersion?: (version: number) => void): Promise<StoredUser> {
      // Every transaction of the delete carries its note: the stream consumer reads the request's
      // time and stamp from it, and knows the memberships removed with the user are part of it.
      const note = deletionNotePut(tableName, appId, 'User', id, { at: new Date().toISOString(), request: stamp });
      for (let attempt = 0; ; attempt++) {
        const { item, groupIds } = await readPartition(appId, id);
        if (!item) throw ScimError.resourceNotFound('User', id);
        assertVersion?.(item.version);
        const membershipDeletes = groupIds.map((groupId): NamedAction => {
          const { pk, sk } = keys.membership(appId, groupId, id);
          return { item: { Delete: { TableName: tableName, Key: { pk, sk } } } };
        });
        const sentinels = keyChanges(appId, id, item, undefined);
        const room = MAX_TRANSACTION_ACTIONS - 2 - sentinels.length;
        while (membershipDeletes.length > room) await transact(client, [...membershipDeletes.splice(0, MAX_TRANSACTION_ACTIONS - 1), note]);
        try {
          await transact(client, [
            {
              item: {
                Delete: {
                  TableName: tableName,
                  Key: keys.user(appId, id),
                  ConditionExpression: 'attribute_exists(pk) AND version = :v AND (attribute_not_exists(membershipVersion) OR membershipVersion = :mv)',
                  ExpressionAttributeValues: { ':v': item.version, ':mv': item.membershipVersion ?? 0 },
                },
              },
              onConditionFailed: () => ScimError.preconditionFailed(),
            },
            ...sentinels,
            ...membershipDeletes,
            note,
          ]);
          return toStored(item);
        } catch (error) {
          await pauseBeforeReread(error, attempt);
        }
      }
    },

    /** Users by id, in the order given (missing ones skipped): one BatchGet per 100 distinct ids. */
    async getMany(appId: string, ids: readonly string[], options: { consistent?: boolean } = {}): Promise<StoredUser[]> {
      const items = await batchGetAll(client, tableName, ids.map((id) => keys.user(appId, id)), { consistentRead: options.consistent });
      const byId = new Map((items as unknown as UserItem[]).filter((item) => item.type === ItemType.user).map((item) => [item.id, toStored(item)]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    },

    listPartitionKey: (appId: string) => keys.userList(appId).gsi1pk,
    toStored,
  };
};

export type UserStore = ReturnType<typeof createUserStore>;
