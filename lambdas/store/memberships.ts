/**
 * Group memberships: one item per (group, user), stored in the user's partition and indexed by
 * group on the lookups index. Adding or removing k members costs O(k) writes and never reads the
 * group's member list; only "replace" and "remove all" have to list it.
 *
 * Each added member is two actions in one transaction: a counter bump on the user item (which
 * fails if the user does not exist, and makes a concurrent user delete start over) and the
 * membership put. Every chunk also checks the group still exists, so a deleted group never gains
 * members. A chunk therefore holds up to 49 additions (2 × 49 + 1 ≤ 100 actions). A chunk that
 * removes members also writes their removal note (store/notes.ts), for the report. Unknown users
 * are found before anything is written (one BatchGet per 100 ids), so a bad id changes nothing.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ItemType, type MembershipItem, type RequestStamp } from '../domain/items';
import { ScimError } from '../scim/errors';
import type { MemberChange } from '../scim/patch';
import { batchGetAll } from './batch-get';
import { Index, keys } from './keys';
import { removalNotePut } from './notes';
import { queryPages } from './paging';
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

export const createMembershipStore = (client: DynamoDBDocumentClient, tableName: string) => {
  const membershipKey = (appId: string, groupId: string, userId: string) => {
    const { pk, sk } = keys.membership(appId, groupId, userId);
    return { pk, sk };
  };

  /** The userNames of those of these ids that are users of the application: one BatchGet per 100 ids. */
  const userNamesOf = async (appId: string, ids: readonly string[]): Promise<Map<string, string>> => {
    const items = await batchGetAll(client, tableName, ids.map((id) => keys.user(appId, id)), { projection: ['id', 'userName'] });
    return new Map(items.map((item) => [String(item.id), String(item.userName)]));
  };

  const invalidMember = (id: string) =>
    ScimError.invalidValue(`Member "${id}" is not a user of this application; no member of this request was changed.`);

  return {
    /**
     * Refuses the whole request when any id is not a user (one BatchGet per 100 ids); returns their
     * userNames, which membership items carry for the provisioning report.
     */
    async assertUsersExist(appId: string, ids: readonly string[]): Promise<Map<string, string>> {
      const userNames = ids.length ? await userNamesOf(appId, ids) : new Map<string, string>();
      const missing = ids.find((id) => !userNames.has(id));
      if (missing !== undefined) throw invalidMember(missing);
      return userNames;
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
      context: { stamp: RequestStamp; groupDisplayName: string; userNames: Map<string, string>; groupGuard: (first: boolean) => NamedAction | NamedAction[] },
    ): Promise<void> {
      const now = new Date().toISOString();
      const addActions = (userId: string): NamedAction[] => [
        {
          item: {
            Update: {
              TableName: tableName,
              Key: keys.user(appId, userId),
              UpdateExpression: 'ADD membershipVersion :one',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
          onConditionFailed: () => invalidMember(userId),
        },
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
                userName: context.userNames.get(userId),
                added: now,
                lastRequest: context.stamp,
              } satisfies MembershipItem & Record<string, unknown>,
            },
          },
        },
      ];
      const removeAction = (userId: string): NamedAction => ({
        item: { Delete: { TableName: tableName, Key: membershipKey(appId, groupId, userId) } },
      });

      // A chunk that removes members also writes their removal note (the request's time and
      // stamp, for the report; store/notes.ts), so one action of it stays free for that.
      type Step = { actions: NamedAction[]; removes?: string };
      const pending: Step[] = [...delta.add.map((id) => ({ actions: addActions(id) })), ...delta.remove.map((id) => ({ actions: [removeAction(id)], removes: id }))];
      let first = true;
      for (let chunkIndex = 0; pending.length || first; chunkIndex++) {
        const chunk: NamedAction[] = [context.groupGuard(first)].flat();
        const removed: string[] = [];
        const fits = (step: Step) => chunk.length + step.actions.length + (removed.length || step.removes !== undefined ? 1 : 0) <= MAX_TRANSACTION_ACTIONS;
        while (pending.length && fits(pending[0])) {
          const step = pending.shift()!;
          chunk.push(...step.actions);
          if (step.removes !== undefined) removed.push(step.removes);
        }
        if (removed.length) chunk.push(removalNotePut(tableName, appId, groupId, removed, { at: now, request: context.stamp }, chunkIndex));
        await transact(client, chunk);
        first = false;
      }
    },
  };
};
