/**
 * Main-table upkeep done by the stream consumer, after the request that caused it has answered:
 * deleting the memberships of a deleted group (a group may have 100,000 members, far too many
 * for the DELETE request's transaction) and taking it out of its members' profiles first,
 * putting a renamed group's new name in its members' profiles (profile-groups.ts), and recording
 * which custom extension attributes an application's users carry. All are idempotent, so a
 * retried record repeats them harmlessly.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ItemType } from '../domain/items';
import { deleteRequest, writeAll } from './batch-write';
import { Attr, Index, keys } from './keys';
import { queryPages } from './paging';
import { createProfileGroups } from './profile-groups';

/** Keys read per page while deleting memberships (each page is then deleted in chunks of 25). */
const MEMBERSHIP_PAGE = 500;

export interface StreamUpkeep {
  /**
   * Deletes every membership item of a group, page by page. Stops early (returns false) when
   * `shouldStop` says time is short; a retry continues, since deleted items leave the index.
   */
  deleteGroupMemberships(appId: string, groupId: string, shouldStop: () => boolean): Promise<boolean>;
  /** Puts a renamed group's name in its members' profiles; false when stopped early (a retry continues). */
  renameGroupInProfiles(appId: string, groupId: string, displayName: string, shouldStop: () => boolean): Promise<boolean>;
  /** Adds `<urn>:<attribute>` entries to the application's `extensionAttributes` set. */
  addExtensionAttributes(appId: string, entries: string[]): Promise<void>;
}

export const createStreamUpkeep = (client: DynamoDBDocumentClient, tableName: string): StreamUpkeep => {
  const profiles = createProfileGroups(client, tableName);
  /** The group's membership items, page by page (keys, type and the member's id). */
  const memberPages = (appId: string, groupId: string) =>
    queryPages<Record<string, unknown>>(client, {
      TableName: tableName,
      IndexName: Index.lookups,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': Attr.gsi2pk, '#key': Attr.pk, '#sort': Attr.sk, '#type': Attr.type, '#member': Attr.gsi2sk },
      ExpressionAttributeValues: { ':pk': keys.groupMembers(appId, groupId).gsi2pk },
      ProjectionExpression: '#key, #sort, #type, #member',
      Limit: MEMBERSHIP_PAGE,
    });

  return {
    deleteGroupMemberships: async (appId, groupId, shouldStop) => {
      for await (const page of memberPages(appId, groupId)) {
        const members = page.items.filter((item) => item.type === ItemType.membership);
        // Profiles first: a retry finds the memberships still there, and the profiles already right.
        await profiles.removed(appId, groupId, members.map((item) => String(item[Attr.gsi2sk])));
        await writeAll(client, tableName, members.map((item) => deleteRequest({ [Attr.pk]: item.pk, [Attr.sk]: item.sk })));
        if (page.lastKey && shouldStop()) return false;
      }
      return true;
    },

    renameGroupInProfiles: async (appId, groupId, displayName, shouldStop) => {
      for await (const page of memberPages(appId, groupId)) {
        const members = page.items.filter((item) => item.type === ItemType.membership);
        await profiles.renamed(appId, { id: groupId, displayName }, members.map((item) => String(item[Attr.gsi2sk])));
        if (page.lastKey && shouldStop()) return false;
      }
      return true;
    },

    addExtensionAttributes: async (appId, entries) => {
      if (!entries.length) return;
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.app(appId),
            UpdateExpression: 'ADD extensionAttributes :entries',
            // Never create a half application item for an application deleted meanwhile.
            ConditionExpression: 'attribute_exists(#pk) AND #type = :app',
            ExpressionAttributeNames: { '#pk': Attr.pk, '#type': Attr.type },
            ExpressionAttributeValues: { ':entries': new Set(entries), ':app': ItemType.app },
          }),
        );
      } catch (error) {
        if ((error as Error)?.name !== 'ConditionalCheckFailedException') throw error;
      }
    },
  };
};
