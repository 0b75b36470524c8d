/**
 * Which Entra tenants (and audiences) an application accepts Entra-issued JWTs from: one small item
 * per application, absent when it accepts none (the default). Tenant ids are not secret.
 */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ItemType } from '../domain/items';
import type { EntraAcceptance } from '../oauth/entra-tokens';
import { keys } from './keys';

export interface EntraAcceptanceStore {
  get(appId: string): Promise<EntraAcceptance | undefined>;
  /** An empty tenant list removes the setting. */
  put(appId: string, acceptance: EntraAcceptance): Promise<void>;
  remove(appId: string): Promise<void>;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

export const createEntraAcceptanceStore = (client: DynamoDBDocumentClient, tableName: string): EntraAcceptanceStore => ({
  async get(appId) {
    const out = await client.send(new GetCommand({ TableName: tableName, Key: keys.entraAcceptance(appId) }));
    if (!out.Item || out.Item.type !== ItemType.entraAcceptance) return undefined;
    const tenantIds = strings(out.Item.tenantIds);
    const audiences = strings(out.Item.audiences);
    return audiences.length ? { tenantIds, audiences } : { tenantIds };
  },
  async put(appId, acceptance) {
    if (acceptance.tenantIds.length === 0) {
      await client.send(new DeleteCommand({ TableName: tableName, Key: keys.entraAcceptance(appId) }));
      return;
    }
    const item: Record<string, unknown> = { ...keys.entraAcceptance(appId), type: ItemType.entraAcceptance, appId, tenantIds: [...acceptance.tenantIds] };
    if (acceptance.audiences?.length) item.audiences = [...acceptance.audiences];
    await client.send(new PutCommand({ TableName: tableName, Item: item }));
  },
  async remove(appId) {
    await client.send(new DeleteCommand({ TableName: tableName, Key: keys.entraAcceptance(appId) }));
  },
});
