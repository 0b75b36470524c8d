/**
 * The stored state of one application, read straight from the table (strongly consistent scan),
 * so "a 4xx changed nothing" can be checked item by item. Failure items are left out: recording a
 * refused request for the provisioning report is the one write a 4xx is meant to make.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ItemType } from '../../../lambdas/domain/items';

export type Snapshot = Map<string, string>;

const stable = (value: unknown): string =>
  JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );

export const createSnapshots = (client: DynamoDBClient, tableName: string) => {
  const doc = DynamoDBDocumentClient.from(client);

  /** Every item of the application (or of the whole table when appId is undefined). */
  const items = async (appId?: string): Promise<Record<string, unknown>[]> => {
    const out: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new ScanCommand({
          TableName: tableName,
          ConsistentRead: true,
          ExclusiveStartKey: start,
          ...(appId ? { FilterExpression: 'appId = :a', ExpressionAttributeValues: { ':a': appId } } : {}),
        }),
      );
      out.push(...((page.Items ?? []) as Record<string, unknown>[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  };

  const take = async (appId?: string): Promise<Snapshot> => {
    const snap: Snapshot = new Map();
    for (const item of await items(appId)) {
      if (item.type === ItemType.failure) continue;
      snap.set(`${item.pk}|${item.sk}`, stable(item));
    }
    return snap;
  };

  return { items, take };
};

/** Keys added, removed or changed between two snapshots (empty when equal). */
export const diffSnapshots = (before: Snapshot, after: Snapshot): string[] => {
  const out: string[] = [];
  for (const [key, value] of before) {
    if (!after.has(key)) out.push(`removed ${key}`);
    else if (after.get(key) !== value) out.push(`changed ${key}`);
  }
  for (const key of after.keys()) if (!before.has(key)) out.push(`added ${key}`);
  return out;
};
