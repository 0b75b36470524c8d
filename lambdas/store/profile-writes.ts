/**
 * How the store writes a user's profile without knowing what a profile is: the handler hands it
 * a `ProfileWriter` (the application's compiled mapping, through profiles/), and the store calls
 * it with the user it is about to write and the user's groups, then puts the result on the user
 * item in the same write as the resource. The groups come from the stored profile (membership
 * writes keep `profile.groups` current), so a user write needs no extra read; an item written
 * before profiles existed has none, and its groups are read from its membership items once.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ItemType, type ProfileGroupRef, type UserItem } from '../domain/items';
import { groupsOfStored } from '../domain/stored-groups';
import { keys } from './keys';
import { queryPages } from './paging';

export interface ProfileWriter {
  /** The mapping version the profile is computed with; stored as `profileMappingVersion`. */
  readonly mappingVersion: number;
  /**
   * What the item stores of the profile of `user` (a SCIM user as stored) in `groups`: the fields
   * the item does not already hold (profiles/stored-profile.ts); throws the ScimError the client
   * gets when a value cannot become its profile type (400).
   */
  compute(user: { id: string; data: Record<string, unknown>; version: number; lastModified: string }, groups: ProfileGroupRef[]): Record<string, unknown>;
}

/** The groups a stored profile lists (in the profile's order), or undefined when the item has no profile. */
export const storedProfileGroups = (item: Pick<UserItem, 'profile'> | undefined): ProfileGroupRef[] | undefined =>
  item?.profile ? (groupsOfStored(item.profile.groups ?? {}) ?? []) : undefined;

/** A user's groups from its membership items (names as of each membership's write): for items without a profile. */
export const membershipGroups = async (client: DynamoDBDocumentClient, tableName: string, appId: string, userId: string): Promise<ProfileGroupRef[]> => {
  const groups: ProfileGroupRef[] = [];
  for await (const page of queryPages<Record<string, unknown>>(client, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
    ExpressionAttributeValues: { ':pk': keys.userPartition(appId, userId), ':member': keys.membershipSkPrefix },
    ConsistentRead: true,
  })) {
    for (const row of page.items) {
      if (row.type !== ItemType.membership) continue;
      groups.push({ id: String(row.groupId), displayName: typeof row.groupDisplayName === 'string' ? row.groupDisplayName : '' });
    }
  }
  return groups;
};

/** The profile attributes of a user item: the profile and the mapping version it was computed with. */
export const profileAttributes = (
  writer: ProfileWriter | undefined,
  user: Parameters<ProfileWriter['compute']>[0],
  groups: ProfileGroupRef[],
): { profile?: Record<string, unknown>; profileMappingVersion?: number } =>
  writer ? { profile: writer.compute(user, groups), profileMappingVersion: writer.mappingVersion } : {};
