/**
 * When, from where and with what answer each Secret Token was last used, so an admin knows which
 * token Entra uses before revoking one, and when Entra's Test Connection last came.
 *
 * Not a write per SCIM request: a container writes a token's item at most once per
 * USAGE_INTERVAL_MS, and the write is conditional on the stored time being older than that, so
 * several containers add at most one write per interval between them (a refused condition is
 * dropped). The stored time is therefore up to USAGE_INTERVAL_MS behind the newest request; the
 * console says so. A Test Connection (a rare, telling request) is written when it comes, at most
 * once a minute per container and token. Recording never throws and never waits long.
 */
import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ItemType } from '../domain/items';
import { Attr, keys } from './keys';

/** Granularity of "last used". */
export const USAGE_INTERVAL_MS = 5 * 60_000;
const TEST_CONNECTION_INTERVAL_MS = 60_000;
/** An item not renewed for this long (the token is gone or idle) is left to DynamoDB's TTL. */
const USAGE_TTL_SECONDS = 90 * 86_400;
const RECORD_TIMEOUT_MS = 300;
const MAX_TEXT = 256;

export interface TokenUse {
  appId: string;
  tokenId: string;
  at: Date;
  sourceIp?: string;
  userAgent?: string;
  /** The HTTP status the request was answered with. */
  status: number;
  /** The request was Entra's Test Connection (a user lookup by a random GUID). */
  testConnection?: boolean;
}

export interface TokenUsage {
  tokenId: string;
  lastUsedAt: string;
  sourceIp?: string;
  userAgent?: string;
  lastStatus?: number;
  lastTestConnectionAt?: string;
  lastTestConnectionStatus?: number;
}

export interface TokenUsageRecorder {
  /** Resolves false (and tells `onError`) instead of throwing; true when nothing needed writing too. */
  record(use: TokenUse): Promise<boolean>;
}

const clip = (text: string | undefined) => (text === undefined ? undefined : text.slice(0, MAX_TEXT));

export const createTokenUsageRecorder = (
  client: DynamoDBDocumentClient,
  tableName: string,
  options: { onError?: (error: unknown, use: TokenUse) => void } = {},
): TokenUsageRecorder => {
  /** `<appId>|<tokenId>` → when this container last wrote it (and last wrote a Test Connection). */
  const written = new Map<string, number>();
  const testWritten = new Map<string, number>();
  return {
    async record(use) {
      const id = `${use.appId}|${use.tokenId}`;
      const now = use.at.getTime();
      const dueUse = now - (written.get(id) ?? 0) >= USAGE_INTERVAL_MS;
      const dueTest = use.testConnection === true && now - (testWritten.get(id) ?? 0) >= TEST_CONNECTION_INTERVAL_MS;
      if (!dueUse && !dueTest) return true;
      written.set(id, now);
      if (dueTest) testWritten.set(id, now);
      const at = use.at.toISOString();
      const sets = ['#type = :type', 'appId = :appId', 'tokenId = :tokenId', 'lastUsedAt = :at', 'lastStatus = :status', '#ttl = :ttl'];
      const values: Record<string, unknown> = {
        ':type': ItemType.tokenUsage,
        ':appId': use.appId,
        ':tokenId': use.tokenId,
        ':at': at,
        ':status': use.status,
        ':ttl': Math.ceil(now / 1000) + USAGE_TTL_SECONDS,
      };
      const ip = clip(use.sourceIp);
      const agent = clip(use.userAgent);
      if (ip) (sets.push('sourceIp = :ip'), (values[':ip'] = ip));
      if (agent) (sets.push('userAgent = :ua'), (values[':ua'] = agent));
      if (dueTest) (sets.push('lastTestConnectionAt = :at', 'lastTestConnectionStatus = :status'));
      // Another container may have written it within the interval: then this write is not needed.
      // A Test Connection is written regardless (it is rare, and the admin is waiting to see it).
      const olderThanInterval = 'attribute_not_exists(lastUsedAt) OR lastUsedAt < :stale';
      if (!dueTest) values[':stale'] = new Date(now - USAGE_INTERVAL_MS).toISOString();
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), RECORD_TIMEOUT_MS);
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.tokenUsage(use.appId, use.tokenId),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: dueTest ? undefined : olderThanInterval,
            ExpressionAttributeNames: { '#type': Attr.type, '#ttl': Attr.ttl },
            ExpressionAttributeValues: values,
          }),
          { abortSignal: abort.signal },
        );
        return true;
      } catch (error) {
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return true;
        options.onError?.(error, use);
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
  };
};

/** Every recorded token of one application (one small partition). */
export const readTokenUsage = async (client: DynamoDBDocumentClient, tableName: string, appId: string): Promise<TokenUsage[]> => {
  const result = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': Attr.pk },
      ExpressionAttributeValues: { ':pk': keys.tokenUsagePartition(appId) },
    }),
  );
  return (result.Items ?? [])
    .filter((item) => item.type === ItemType.tokenUsage && typeof item.lastUsedAt === 'string')
    .map((item) => ({
      tokenId: String(item.tokenId),
      lastUsedAt: String(item.lastUsedAt),
      sourceIp: item.sourceIp as string | undefined,
      userAgent: item.userAgent as string | undefined,
      lastStatus: item.lastStatus as number | undefined,
      lastTestConnectionAt: item.lastTestConnectionAt as string | undefined,
      lastTestConnectionStatus: item.lastTestConnectionStatus as number | undefined,
    }));
};
