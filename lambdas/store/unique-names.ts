/**
 * The sentinel items that keep a name unique within an application (a user's userName, a group's
 * displayName; keys.unique, case-insensitive): claimed and released inside the transaction that
 * changes the name, so two writers can never both hold it.
 */
import { ItemType, type UniqueItem } from '../domain/items';
import { ScimError } from '../scim/errors';
import { keys, UniqueKind } from './keys';
import type { NamedAction } from './transactions';

/** The kinds of sentinel that hold a name (externalIds are not unique: external-ids.ts). */
type NameKind = typeof UniqueKind.userName | typeof UniqueKind.groupName;

const NOUN: Record<NameKind, { resource: string; attribute: string }> = {
  [UniqueKind.userName]: { resource: 'user', attribute: 'userName' },
  [UniqueKind.groupName]: { resource: 'group', attribute: 'displayName' },
};

/** Claims `value` for `ownerId`: free, or already its own (a rename that only changes letter case keeps the same sentinel). */
export const claimName = (tableName: string, appId: string, kind: NameKind, value: string, ownerId: string): NamedAction => ({
  item: {
    Put: {
      TableName: tableName,
      Item: { ...keys.unique(appId, kind, value), type: ItemType.unique, appId, ownerId } satisfies UniqueItem,
      ConditionExpression: 'attribute_not_exists(pk) OR ownerId = :owner',
      ExpressionAttributeValues: { ':owner': ownerId },
    },
  },
  onConditionFailed: () => ScimError.uniqueness(`A ${NOUN[kind].resource} with ${NOUN[kind].attribute} "${value}" already exists in this application.`),
});

/** Releases `value`, only when `ownerId` holds it. */
export const releaseName = (tableName: string, appId: string, kind: NameKind, value: string, ownerId: string): NamedAction => ({
  item: {
    Delete: {
      TableName: tableName,
      Key: keys.unique(appId, kind, value),
      ConditionExpression: 'attribute_not_exists(pk) OR ownerId = :owner',
      ExpressionAttributeValues: { ':owner': ownerId },
    },
  },
  onConditionFailed: () => ScimError.conflict(`The ${NOUN[kind].resource} changed while it was being written; retry the request.`),
});
