/**
 * Keeping members' `profile.groups` right when a group changes under them: renamed (the new name)
 * or deleted (the group leaves every member's profile). Done by the stream consumer after the
 * group's own write, page by page, because a group may have 100,000 members — far more than one
 * transaction holds. Until it is done a member's profile shows the old name (or the deleted group),
 * for seconds; each user update is one conditional write, so no profile is ever half-written, and
 * each is idempotent (a user already right is skipped), so a retried record repeats nothing.
 *
 * A deletion grows `membershipVersion` by one (the user left a group: directory events emit
 * `group.member_removed`); a rename grows it too, so a concurrent user write that read the old
 * profile fails its condition and re-reads instead of writing the old name back (events see no
 * membership change and send nothing: sequences may have gaps, events/sequence.ts).
 *
 * A user whose item stores its groups as a map (domain/stored-groups.ts) is written without a read:
 * one update of the group's key, on condition that it needs one. Any other (an item written before
 * that format, a user already right, a user gone) is read and edited as a whole, pinned to the
 * counter read.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ProfileGroupRef } from '../domain/items';
import { storedGroupsOf } from '../domain/stored-groups';
import { keys } from './keys';
import { storedProfileGroups } from './profile-writes';

/** Attempts per user when it races with other writes. */
const ATTEMPTS = 5;
/** Users updated at once. */
const CONCURRENCY = 16;
/** One step of the membership counter, in an update that did not read it. */
const COUNTER_STEP = 'membershipVersion = if_not_exists(membershipVersion, :zero) + :one';

/** Runs `work` over `items`, at most `limit` at a time. */
export const inParallel = async <T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
};

export const createProfileGroups = (client: DynamoDBDocumentClient, tableName: string) => {
  /**
   * Changes one user's profile groups: first the `unread` update of the group's key; when its
   * condition fails, reads the user and rewrites its groups with `edit` (undefined: nothing to
   * change), conditioned on the counter read.
   */
  const editGroups = async (
    appId: string,
    userId: string,
    unread: { update: string; condition: string; values: Record<string, unknown>; groupId: string },
    edit: (groups: ProfileGroupRef[]) => ProfileGroupRef[] | undefined,
  ): Promise<void> => {
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.user(appId, userId),
          UpdateExpression: unread.update,
          ConditionExpression: `attribute_type(#profile.#groups, :map) AND ${unread.condition}`,
          ExpressionAttributeNames: { '#profile': 'profile', '#groups': 'groups', '#group': unread.groupId },
          ExpressionAttributeValues: { ...unread.values, ':map': 'M', ':zero': 0, ':one': 1 },
        }),
      );
      return;
    } catch (error) {
      if ((error as Error)?.name !== 'ConditionalCheckFailedException') throw error;
    }
    for (let attempt = 1; ; attempt++) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.user(appId, userId), ConsistentRead: true, ProjectionExpression: 'profile, membershipVersion' }),
      );
      const groups = storedProfileGroups(Item as { profile?: { groups?: ProfileGroupRef[] } } | undefined);
      if (!Item || !groups) return;
      const next = edit(groups);
      if (!next) return;
      const mv = typeof Item.membershipVersion === 'number' ? Item.membershipVersion : 0;
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.user(appId, userId),
            UpdateExpression: 'SET #profile.#groups = :groups, membershipVersion = :next',
            ConditionExpression: `attribute_exists(#profile) AND ${mv === 0 ? '(attribute_not_exists(membershipVersion) OR membershipVersion = :mv)' : 'membershipVersion = :mv'}`,
            ExpressionAttributeNames: { '#profile': 'profile', '#groups': 'groups' },
            ExpressionAttributeValues: { ':groups': storedGroupsOf(next), ':mv': mv, ':next': mv + 1 },
          }),
        );
        return;
      } catch (error) {
        if ((error as Error)?.name !== 'ConditionalCheckFailedException' || attempt >= ATTEMPTS) throw error;
      }
    }
  };

  return {
    /** The group's new name in these members' profiles. */
    renamed: (appId: string, group: ProfileGroupRef, userIds: readonly string[]) =>
      inParallel(userIds, CONCURRENCY, (userId) =>
        editGroups(
          appId,
          userId,
          { update: `SET #profile.#groups.#group = :name, ${COUNTER_STEP}`, condition: 'attribute_exists(#profile.#groups.#group) AND #profile.#groups.#group <> :name', values: { ':name': group.displayName }, groupId: group.id },
          (groups) => {
          const at = groups.findIndex((g) => g.id === group.id);
          if (at < 0 || groups[at].displayName === group.displayName) return undefined;
          return groups.map((g) => (g.id === group.id ? { id: g.id, displayName: group.displayName } : g));
          },
        ),
      ),

    /** The group out of these members' profiles (it was deleted). */
    removed: (appId: string, groupId: string, userIds: readonly string[]) =>
      inParallel(userIds, CONCURRENCY, (userId) =>
        editGroups(
          appId,
          userId,
          { update: `REMOVE #profile.#groups.#group SET ${COUNTER_STEP}`, condition: 'attribute_exists(#profile.#groups.#group)', values: {}, groupId },
          (groups) => (groups.some((g) => g.id === groupId) ? groups.filter((g) => g.id !== groupId) : undefined),
        ),
      ),
  };
};
