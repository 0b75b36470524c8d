/**
 * How many users and groups an application has, for its health panel: a key-only COUNT over the
 * application's list partition (one item a user or group, read as keys), stopped after `cap`
 * so a very large application costs a bounded read and reads as "10,000+".
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Attr, Index, keys } from './keys';

export interface ListCount {
  count: number;
  /** More than `count` exist: counting stopped at the cap. */
  capped?: boolean;
}

const countPartition = async (client: DynamoDBDocumentClient, tableName: string, gsi1pk: string, cap: number): Promise<ListCount> => {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: Index.lists,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': Attr.gsi1pk },
        ExpressionAttributeValues: { ':pk': gsi1pk },
        Select: 'COUNT',
        Limit: cap - count + 1,
        ExclusiveStartKey: start,
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start && count <= cap);
  return count > cap ? { count: cap, capped: true } : { count };
};

export const countAppResources = async (client: DynamoDBDocumentClient, tableName: string, appId: string, cap: number): Promise<{ users: ListCount; groups: ListCount }> => {
  const [users, groups] = await Promise.all([
    countPartition(client, tableName, keys.userList(appId).gsi1pk, cap),
    countPartition(client, tableName, keys.groupList(appId).gsi1pk, cap),
  ]);
  return { users, groups };
};
