/**
 * Group memberships: one item per (group, user), stored in the user's partition and indexed by
 * group on the lookups index. Adding or removing k members costs O(k) writes and never reads the
 * group's member list; only "replace" and "remove all" have to list it.
 *
 * Each added or removed member is two actions in one transaction: the user item's update and the
 * membership put (or delete). The user update changes the user's `profile.groups` and grows
 * `membershipVersion` by one: so the profile never disagrees with the memberships, directory
 * events see one counter step per group joined or left (events/sequence.ts), and a concurrent user
 * write or delete starts over. Added members are read first (one BatchGet per 100 ids), so an
 * unknown id changes nothing and membership items carry the userName for the report; their update
 * is pinned to the counter read, and a chunk whose condition fails because another request changed
 * the same user re-reads those users and is tried again. Removed members are not read: their
 * update removes the group's key from the stored map (domain/stored-groups.ts) and steps the
 * counter, on condition that the map lists the group; a user for which it does not (an item
 * written before that format, a user who is no member, a deleted user) fails the chunk, which is
 * then read and written the pinned way. Every chunk also checks the group still exists, so a
 * deleted group never gains members. A chunk therefore holds up to 49 changes (2 × 49 + 1 ≤ 100
 * actions). A chunk that removes members also writes their removal note (store/notes.ts), for the report.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ItemType, type MembershipItem, type ProfileGroupRef, type RequestStamp } from '../domain/items';
import { storedGroupsOf } from '../domain/stored-groups';
import { ScimError } from '../scim/errors';
import type { MemberChange } from '../scim/patch';
import { batchGetAll } from './batch-get';
import { Index, keys } from './keys';
import { removalNotePut } from './notes';
import { queryPages } from './paging';
import { storedProfileGroups } from './profile-writes';
import { MAX_TRANSACTION_ACTIONS, transact, type NamedAction } from './transactions';

/** The net effect of an ordered list of member changes, as sets of ids to add and remove. */
export interface MemberDelta {
  add: string[];
  remove: string[];
}

/**
 * Folds ordered changes into a delta. "replace" and "remove all" need the current members, which
 * are fetched only then (`currentMembers`).
 */
export const foldMemberChanges = async (changes: readonly MemberChange[], currentMembers: () => Promise<string[]>): Promise<MemberDelta> => {
  const state = new Map<string, 'add' | 'remove'>();
  let current: Set<string> | undefined;
  const loadCurrent = async () => (current ??= new Set(await currentMembers()));
  for (const change of changes) {
    switch (change.op) {
      case 'add':
        for (const m of change.members) state.set(m.value, 'add');
        break;
      case 'remove':
        for (const v of change.values) state.set(v, 'remove');
        break;
      case 'removeAll': {
        for (const v of await loadCurrent()) state.set(v, 'remove');
        for (const [v, s] of state) if (s === 'add') state.set(v, 'remove');
        break;
      }
      case 'replace': {
        const wanted = new Set(change.members.map((m) => m.value));
        for (const v of await loadCurrent()) if (!wanted.has(v)) state.set(v, 'remove');
        for (const [v, s] of state) if (s === 'add' && !wanted.has(v)) state.set(v, 'remove');
        for (const v of wanted) state.set(v, 'add');
        break;
      }
    }
  }
  const delta: MemberDelta = { add: [], remove: [] };
  for (const [value, s] of state) delta[s].push(value);
  return delta;
};

/** What a membership write needs to know about a user: the name for the report, the counter and the profile's groups. */
export interface MemberState {
  userName: string;
  membershipVersion: number;
  /** Undefined: the user item has no profile yet (written before profiles); only the counter moves. */
  groups?: ProfileGroupRef[];
}

/** The user's groups after joining (or leaving) `group`. */
const groupsAfter = (groups: readonly ProfileGroupRef[], group: ProfileGroupRef, join: boolean): ProfileGroupRef[] => {
  const rest = groups.filter((g) => g.id !== group.id);
  return join ? [...rest, group] : rest;
};

/** Thrown (and caught) when a user changed between the read and the chunk's write, or a removed member's unread update did not apply. */
class MemberRaced extends ScimError {
  constructor(readonly userId: string) {
    super(409, 'Another request changed a member at the same time; retry.');
  }
}

/** Attempts of one chunk when members race with other writes. */
const CHUNK_ATTEMPTS = 5;

export const createMembershipStore = (client: DynamoDBDocumentClient, tableName: string) => {
  const membershipKey = (appId: string, groupId: string, userId: string) => {
    const { pk, sk } = keys.membership(appId, groupId, userId);
    return { pk, sk };
  };

  /** The state of those of these ids that are users of the application: one strongly consistent BatchGet per 100 ids. */
  const statesOf = async (appId: string, ids: readonly string[]): Promise<Map<string, MemberState>> => {
    const items = await batchGetAll(client, tableName, ids.map((id) => keys.user(appId, id)), {
      projection: ['id', 'userName', 'membershipVersion', 'profile'],
      consistentRead: true,
    });
    return new Map(
      items.map((item) => [
        String(item.id),
        {
          userName: String(item.userName),
          membershipVersion: typeof item.membershipVersion === 'number' ? item.membershipVersion : 0,
          groups: storedProfileGroups(item as { profile?: { groups?: ProfileGroupRef[] } }),
        },
      ]),
    );
  };

  const invalidMember = (id: string) =>
    ScimError.invalidValue(`Member "${id}" is not a user of this application; no member of this request was changed.`);

  return {
    /**
     * Refuses the whole request when any id is not a user (one BatchGet per 100 ids); returns their
     * userNames, which membership items carry for the provisioning report.
     */
    async assertUsersExist(appId: string, ids: readonly string[]): Promise<Map<string, MemberState>> {
      const states = ids.length ? await statesOf(appId, ids) : new Map<string, MemberState>();
      const missing = ids.find((id) => !states.has(id));
      if (missing !== undefined) throw invalidMember(missing);
      return states;
    },

    /** Members of a group, in user-id order, page by page (lookups index). */
    async *members(appId: string, groupId: string): AsyncGenerator<string[]> {
      for await (const page of queryPages<{ gsi2sk: string; type: string }>(client, {
        TableName: tableName,
        IndexName: Index.lookups,
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.groupMembers(appId, groupId).gsi2pk },
        ProjectionExpression: 'gsi2sk, #t',
        ExpressionAttributeNames: { '#t': 'type' },
      })) {
        yield page.items.filter((i) => i.type === ItemType.membership).map((i) => i.gsi2sk);
      }
    },

    /**
     * Applies a delta. Callers check `assertUsersExist` first (all or nothing); a user deleted
     * in between still fails its chunk. Beyond one transaction the chunks are idempotent, so a
     * client retry completes the request.
     * `groupGuard` is the action that checks (or updates) the group item in each chunk; the first
     * chunk's may be the group's own write (several actions), which then commits with it.
     */
    async apply(
      appId: string,
      groupId: string,
      delta: MemberDelta,
      context: { stamp: RequestStamp; groupDisplayName: string; userNames: Map<string, MemberState>; groupGuard: (first: boolean) => NamedAction | NamedAction[] },
    ): Promise<void> {
      const now = new Date().toISOString();
      const group: ProfileGroupRef = { id: groupId, displayName: context.groupDisplayName };
      const states = new Map(context.userNames);
      // Removed members written without a read until a chunk finds otherwise (see the module's comment).
      const unread = new Set(delta.remove.filter((id) => !states.has(id)));

      /** The user item's side of a join or leave: new groups and one counter step, pinned to the counter read. */
      const userUpdate = (userId: string, join: boolean): NamedAction | undefined => {
        const state = states.get(userId);
        // A removed member whose user is gone (deleted meanwhile) has no item to update.
        if (!state) return join ? conditionMissingUser(userId) : undefined;
        const pinned = state.membershipVersion === 0 ? '(attribute_not_exists(membershipVersion) OR membershipVersion = :mv)' : 'membershipVersion = :mv';
        const setGroups = state.groups ? ', #profile.#groups = :groups' : '';
        return {
          item: {
            Update: {
              TableName: tableName,
              Key: keys.user(appId, userId),
              UpdateExpression: `SET membershipVersion = :next${setGroups}`,
              ConditionExpression: `attribute_exists(pk) AND ${pinned}${state.groups ? ' AND attribute_exists(#profile)' : ''}`,
              ...(state.groups ? { ExpressionAttributeNames: { '#profile': 'profile', '#groups': 'groups' } } : {}),
              ExpressionAttributeValues: {
                ':mv': state.membershipVersion,
                ':next': state.membershipVersion + 1,
                ...(state.groups ? { ':groups': storedGroupsOf(groupsAfter(state.groups, group, join)) } : {}),
              },
            },
          },
          onConditionFailed: () => new MemberRaced(userId),
        };
      };
      /** A leave written without reading the user: the group's key out of its stored map, one counter step. */
      const unreadLeave = (userId: string): NamedAction => ({
        item: {
          Update: {
            TableName: tableName,
            Key: keys.user(appId, userId),
            UpdateExpression: 'REMOVE #profile.#groups.#group SET membershipVersion = if_not_exists(membershipVersion, :zero) + :one',
            ConditionExpression: 'attribute_type(#profile.#groups, :map) AND attribute_exists(#profile.#groups.#group)',
            ExpressionAttributeNames: { '#profile': 'profile', '#groups': 'groups', '#group': groupId },
            ExpressionAttributeValues: { ':map': 'M', ':zero': 0, ':one': 1 },
          },
        },
        onConditionFailed: () => new MemberRaced(userId),
      });
      const conditionMissingUser = (userId: string): NamedAction => ({
        item: { ConditionCheck: { TableName: tableName, Key: keys.user(appId, userId), ConditionExpression: 'attribute_exists(pk)' } },
        onConditionFailed: () => invalidMember(userId),
      });
      const addActions = (userId: string): NamedAction[] => [
        userUpdate(userId, true)!,
        {
          item: {
            Put: {
              TableName: tableName,
              Item: {
                ...keys.membership(appId, groupId, userId),
                type: ItemType.membership,
                appId,
                groupId,
                userId,
                groupDisplayName: context.groupDisplayName,
                userName: states.get(userId)?.userName,
                added: now,
                lastRequest: context.stamp,
              } satisfies MembershipItem & Record<string, unknown>,
            },
          },
        },
      ];
      const removeActions = (userId: string): NamedAction[] => [
        ...[unread.has(userId) ? unreadLeave(userId) : userUpdate(userId, false)].filter((a): a is NamedAction => a !== undefined),
        { item: { Delete: { TableName: tableName, Key: membershipKey(appId, groupId, userId) } } },
      ];

      // A chunk that removes members also writes their removal note (the request's time and
      // stamp, for the report; store/notes.ts), so one action of it stays free for that.
      type Step = { userId: string; join: boolean };
      const pending: Step[] = [...delta.add.map((userId) => ({ userId, join: true })), ...delta.remove.map((userId) => ({ userId, join: false }))];
      const actionsOf = (step: Step) => (step.join ? addActions(step.userId) : removeActions(step.userId));
      let first = true;
      for (let chunkIndex = 0; pending.length || first; chunkIndex++) {
        const head: NamedAction[] = [context.groupGuard(first)].flat();
        const steps: Step[] = [];
        let size = head.length;
        while (pending.length && size + 2 + (steps.some((s) => !s.join) || !pending[0].join ? 1 : 0) <= MAX_TRANSACTION_ACTIONS) {
          steps.push(pending.shift()!);
          size += 2;
        }
        for (let attempt = 1; ; attempt++) {
          const chunk = [...head, ...steps.flatMap(actionsOf)];
          const removed = steps.filter((s) => !s.join).map((s) => s.userId);
          if (removed.length) chunk.push(removalNotePut(tableName, appId, groupId, removed, { at: now, request: context.stamp }, chunkIndex));
          try {
            await transact(client, chunk);
            break;
          } catch (error) {
            if (!(error instanceof MemberRaced) || attempt >= CHUNK_ATTEMPTS) throw error instanceof MemberRaced ? ScimError.conflict(error.message) : error;
            // Another request changed these users (or deleted one), or an unread leave did not apply:
            // read them and retry the chunk, pinned to what was read.
            const fresh = await statesOf(appId, steps.map((s) => s.userId));
            for (const step of steps) {
              unread.delete(step.userId);
              const state = fresh.get(step.userId);
              if (state) states.set(step.userId, state);
              else if (step.join) throw invalidMember(step.userId);
              else states.delete(step.userId);
            }
          }
        }
        first = false;
      }
    },
  };
};
