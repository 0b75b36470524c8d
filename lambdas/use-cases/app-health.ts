/**
 * An application's connection health, for the console: users and groups (counted up to a cap),
 * provisioning events and failures in the last 24 hours (from the report), the newest event, the
 * newest request and Test Connection any token made, each token's last use, and how long a revoked
 * token may still pass (the authorizer's caches, from the configuration).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppHealthJson, CountJson } from '../admin/api-json';
import { countAppResources } from '../store/app-counts';
import type { ReportStore } from '../store/reports';
import { readTokenUsage, USAGE_INTERVAL_MS } from '../store/token-usage';

/** Users and groups are counted up to this many. */
const COUNT_CAP = 10_000;
/** Report rows of the last 24 hours are counted up to this many (one page of the report store). */
const EVENT_CAP = 500;
const DAY_MS = 86_400_000;

export interface AppHealthDeps {
  dynamo: DynamoDBDocumentClient;
  tableName: string;
  reports: ReportStore;
  /** API Gateway's authorizer result cache and the authorizer's own, in seconds. */
  authorizerCacheSeconds: number;
  authCacheSeconds: number;
}

const newest = <T>(items: T[], time: (item: T) => string | undefined): T | undefined =>
  items.reduce<T | undefined>((best, item) => ((time(item) ?? '') > (best ? (time(best) ?? '') : '') ? item : best), undefined);

export const createAppHealth = (deps: AppHealthDeps) => async (appId: string, now: Date): Promise<AppHealthJson> => {
  const span = { appIds: [appId], from: new Date(now.getTime() - DAY_MS).toISOString(), to: now.toISOString(), now, limit: EVENT_CAP };
  const [counts, tokens, events, failures] = await Promise.all([
    countAppResources(deps.dynamo, deps.tableName, appId, COUNT_CAP),
    readTokenUsage(deps.dynamo, deps.tableName, appId),
    deps.reports.query(span),
    deps.reports.query({ ...span, status: 'failure' }),
  ]);
  const counted = (rows: unknown[], more: boolean): CountJson => (more ? { count: rows.length, capped: true } : { count: rows.length });
  const health: AppHealthJson = {
    appId,
    users: counts.users,
    groups: counts.groups,
    last24h: { events: counted(events.rows, events.lastKey !== undefined), failures: counted(failures.rows, failures.lastKey !== undefined) },
    tokens: tokens.map(({ tokenId, lastUsedAt, sourceIp, userAgent, lastStatus }) => ({ tokenId, lastUsedAt, sourceIp, userAgent, lastStatus })),
    usageGranularityMinutes: USAGE_INTERVAL_MS / 60_000,
    revocationSeconds: deps.authorizerCacheSeconds + deps.authCacheSeconds,
  };
  const event = events.rows[0];
  if (event) health.lastEvent = { time: event.time, action: event.action, status: event.status, httpStatus: event.httpStatus };
  const request = newest(tokens, (t) => t.lastUsedAt);
  if (request) health.lastRequest = { time: request.lastUsedAt, status: request.lastStatus, tokenId: request.tokenId, sourceIp: request.sourceIp };
  const test = newest(tokens, (t) => t.lastTestConnectionAt);
  if (test?.lastTestConnectionAt) health.lastTestConnection = { time: test.lastTestConnectionAt, status: test.lastTestConnectionStatus, tokenId: test.tokenId };
  return health;
};
