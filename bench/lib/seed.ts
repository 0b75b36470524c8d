/**
 * Fast seeding straight into the table: BatchWriteItem of 25 items, several batches in flight,
 * unprocessed items retried. Items are clones of ones the real handlers wrote (`templates`), with
 * keys from the key module, so seeded data has exactly the store's shape without a second copy
 * of its item builders.
 */
import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { keys, UniqueKind, type Key } from '../../lambdas/store/keys';
import type { Progress } from './progress';

type Item = Record<string, unknown>;

const BATCH = 25;

export const writeItems = async (
  client: DynamoDBClient,
  tableName: string,
  total: number,
  itemsOf: (n: number) => Item[],
  progress: Progress,
  inFlight = 8,
): Promise<void> => {
  let next = 0;
  const pending: Item[] = [];
  const take = (): Item[] | undefined => {
    while (pending.length < BATCH && next < total) pending.push(...itemsOf(next++));
    return pending.length ? pending.splice(0, BATCH) : undefined;
  };
  const worker = async () => {
    for (let batch = take(); batch; batch = take()) {
      let requests: WriteRequest[] = batch.map((item) => ({ PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) } }));
      for (let attempt = 0; requests.length; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
        const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
        requests = result.UnprocessedItems?.[tableName] ?? [];
      }
      progress.tick(batch.length);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
};

/** A stored item, read back to serve as a template. */
export const readTemplate = async (client: DynamoDBDocumentClient, tableName: string, key: Key): Promise<Item> => {
  const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true }));
  if (!Item) throw new Error(`no template item at ${key.pk} / ${key.sk}`);
  return Item;
};

export interface UserSeed {
  id: string;
  userName: string;
  email: string;
}

/** A user item and its userName sentinel, cloned from a user the handler created. */
export const userItems = (appId: string, template: { user: Item; sentinel: Item }, seed: UserSeed): Item[] => {
  const resource = template.user.resource as Item;
  const user: Item = {
    ...template.user,
    ...keys.user(appId, seed.id),
    ...keys.userListEntry(appId, seed.id),
    ...keys.userByEmailEntry(appId, seed.email, seed.id),
    appId,
    id: seed.id,
    userName: seed.userName,
    externalId: undefined,
    resource: { ...resource, userName: seed.userName, externalId: undefined, emails: [{ primary: true, type: 'work', value: seed.email }] },
  };
  const sentinel: Item = { ...template.sentinel, ...keys.unique(appId, UniqueKind.userName, seed.userName), appId, ownerId: seed.id };
  return [user, sentinel];
};

/** A membership item, cloned from one the handler wrote. */
export const membershipItem = (appId: string, template: Item, groupId: string, userId: string, userName: string): Item => ({
  ...template,
  ...keys.membership(appId, groupId, userId),
  appId,
  groupId,
  userId,
  userName,
});
