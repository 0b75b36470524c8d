/**
 * Who holds an externalId. RFC 7643 §3.1: "While the server does not enforce uniqueness, it is
 * assumed that the value's uniqueness is controlled by the client setting the value." So any
 * number of users (or groups) may share one, and `filter=externalId eq "x"` must list them all.
 *
 * Each holder has one entry in the value's partition (keys.externalIdEntry), written in the same
 * transaction as the resource, so one strongly consistent Query answers the filter: every holder,
 * in id order, without a scan or an eventually consistent index.
 *
 * Data written before: versions that kept externalId unique wrote one uniqueness record per user
 * value instead (sk UNIQUE, `ownerId`), in the very partition users' entries now use, so the Query
 * returns it too and its owner counts as a holder. Those users (and groups of that time) carry no
 * `externalIdIndexed` mark; the first write of one by this version swaps the record for an entry
 * (a group, which never had a record, just gains its entry). No migration step is needed.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ItemType, type ExternalIdItem } from '../domain/items';
import { ScimError } from '../scim/errors';
import type { ScimData } from '../scim/resource';
import type { ResourceType } from '../scim/schemas';
import { keys, UniqueKind } from './keys';
import { queryPages } from './paging';
import type { NamedAction } from './transactions';

/** A resource's externalId as stored: its value, and whether the stored item predates entries. */
export interface StoredExternalId {
  value: string | undefined;
  /** The item has no `externalIdIndexed` mark: its value is in a uniqueness record (users) or nowhere (groups). */
  legacy: boolean;
}

export const createExternalIds = (client: DynamoDBDocumentClient, tableName: string, holder: ResourceType) => {
  const entryPut = (appId: string, value: string, id: string): NamedAction => ({
    item: {
      Put: {
        TableName: tableName,
        Item: { ...keys.externalIdEntry(appId, holder, value, id), type: ItemType.externalId, appId, holder, id } satisfies ExternalIdItem,
      },
    },
  });

  const entryDelete = (appId: string, value: string, id: string): NamedAction => ({
    item: { Delete: { TableName: tableName, Key: keys.externalIdEntry(appId, holder, value, id) } },
  });

  /** The uniqueness record an older version wrote for this user's value; only the owner may drop it. */
  const recordDelete = (appId: string, value: string, id: string): NamedAction => ({
    item: {
      Delete: {
        TableName: tableName,
        Key: keys.unique(appId, UniqueKind.externalId, value),
        ConditionExpression: 'attribute_not_exists(pk) OR ownerId = :owner',
        ExpressionAttributeValues: { ':owner': id },
      },
    },
    onConditionFailed: () => ScimError.conflict(`The ${holder.toLowerCase()} changed while it was being written; retry the request.`),
  });

  return {
    /**
     * The actions that take resource `id` from its stored externalId to `after` (undefined: none,
     * or the resource is deleted). Nothing when the value stays and the item is current.
     */
    changes(appId: string, id: string, before: StoredExternalId, after: string | undefined): NamedAction[] {
      const actions: NamedAction[] = [];
      if (before.value !== undefined && (before.value !== after || before.legacy)) {
        if (before.legacy && holder === 'User') actions.push(recordDelete(appId, before.value, id));
        else if (before.value !== after) actions.push(entryDelete(appId, before.value, id));
      }
      if (after !== undefined && (after !== before.value || before.legacy)) actions.push(entryPut(appId, after, id));
      return actions;
    },

    /** Ids of every holder of `value`, in id order: one strongly consistent Query of its partition. */
    async holders(appId: string, value: string): Promise<string[]> {
      const ids = new Set<string>();
      for await (const page of queryPages<Record<string, unknown>>(client, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.externalIdHolders(appId, holder, value) },
        ExpressionAttributeNames: { '#type': 'type' },
        ProjectionExpression: 'sk, #type, ownerId',
        ConsistentRead: true,
      })) {
        for (const row of page.items) {
          if (row.type === ItemType.externalId) ids.add(String(row.sk));
          else if (row.type === ItemType.unique && typeof row.ownerId === 'string') ids.add(row.ownerId); // an older version's record
        }
      }
      return [...ids].sort();
    },
  };
};

/** A resource's externalId, when it has one (an empty string is none). */
export const externalIdOf = (data: ScimData): string | undefined =>
  typeof data.externalId === 'string' && data.externalId !== '' ? data.externalId : undefined;

/** What a stored user or group item says about its externalId. */
export const storedExternalId = (item: { externalId?: string; externalIdIndexed?: true }): StoredExternalId => ({
  value: typeof item.externalId === 'string' && item.externalId !== '' ? item.externalId : undefined,
  legacy: item.externalIdIndexed !== true,
});
