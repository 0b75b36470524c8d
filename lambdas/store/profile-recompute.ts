/**
 * The store side of recomputing an application's profiles after a mapping change: a page of user
 * items (the users list index, then a BatchGet of the page's items), and the rewrite of one user's profile,
 * conditioned on the user being as read (same resource version, same membership counter), so a
 * concurrent SCIM or membership write is never overwritten with an older state.
 *
 * The rewrite grows `membershipVersion` by one: a recomputed profile is a change directory events
 * deliver (`user.updated`), and its event needs a sequence number of its own (events/sequence.ts:
 * a user's sequence is `version + membershipVersion`, and the SCIM `version` must not move).
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ItemType, type UserItem } from '../domain/items';
import { keys } from './keys';
import { itemPages } from './index-items';
import { listPartitionQuery } from './paging';

export interface UserItemPage {
  items: UserItem[];
  /** Where the next page starts; absent: this was the last. */
  lastKey?: Record<string, string>;
}

export const createProfileRecomputeStore = (client: DynamoDBDocumentClient, tableName: string) => ({
  /** Up to `limit` user items of the application, from `cursor` (eventually consistent: the job's second pass covers the gap). */
  async usersPage(appId: string, cursor: Record<string, string> | undefined, limit: number): Promise<UserItemPage> {
    for await (const page of itemPages<UserItem>(client, tableName, { ...listPartitionQuery(tableName, keys.userList(appId).gsi1pk), ExclusiveStartKey: cursor, Limit: limit })) {
      return { items: page.items.filter((item) => item.type === ItemType.user), lastKey: page.lastKey };
    }
    return { items: [] };
  },

  /** One user item, strongly consistent (after a rewrite lost a race). */
  async user(appId: string, id: string): Promise<UserItem | undefined> {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.user(appId, id), ConsistentRead: true }));
    return Item?.type === ItemType.user ? (Item as UserItem) : undefined;
  },

  /** Writes the recomputed profile if the user is still as read; false when it moved on (re-read it). */
  async rewrite(appId: string, item: UserItem, profile: Record<string, unknown>, mappingVersion: number): Promise<boolean> {
    const mv = item.membershipVersion ?? 0;
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.user(appId, item.id),
          UpdateExpression: 'SET profile = :profile, profileMappingVersion = :mapping, membershipVersion = :next',
          ConditionExpression: `attribute_exists(pk) AND version = :v AND ${mv === 0 ? '(attribute_not_exists(membershipVersion) OR membershipVersion = :mv)' : 'membershipVersion = :mv'}`,
          ExpressionAttributeValues: { ':profile': profile, ':mapping': mappingVersion, ':v': item.version, ':mv': mv, ':next': mv + 1 },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error)?.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  },
});
