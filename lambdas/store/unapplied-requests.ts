/**
 * Unapplied-request items: a request the provisioning features answered with success but that
 * wrote nothing (a `DELETE` under `"delete": "ignore"`). The report is fed by the main table's
 * stream, which only carries writes, so the request leaves a short-lived item there — as a refused
 * request leaves a failure item (failure-items.ts) — and the stream takes it to the report table
 * like every other event. The request's only write: it costs what a failure row costs.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ItemType, type RequestStamp, type UnappliedItem } from '../domain/items';
import { keys } from './keys';

/** Longer than the stream keeps records (24 h): the item only has to reach the stream consumer. */
const UNAPPLIED_TTL_SECONDS = 86_400;

/** What the request asked for and why nothing was written: the item's own fields, and the request's stamp (its `at` is the row's time). */
export type UnappliedRequest = Pick<UnappliedItem, 'resourceType' | 'resourceId' | 'userName' | 'externalId' | 'action' | 'detail'> & { stamp: RequestStamp };

export const unappliedItemOf = (appId: string, request: UnappliedRequest, now = new Date()): UnappliedItem => ({
  ...keys.unapplied(appId, request.stamp.requestId),
  type: ItemType.unapplied,
  appId,
  resourceType: request.resourceType,
  resourceId: request.resourceId,
  ...(request.userName ? { userName: request.userName } : {}),
  ...(request.externalId ? { externalId: request.externalId } : {}),
  action: request.action,
  detail: request.detail,
  lastRequest: request.stamp,
  ttl: Math.floor(now.getTime() / 1000) + UNAPPLIED_TTL_SECONDS,
});

export type RecordUnapplied = (appId: string, request: UnappliedRequest) => Promise<void>;

export const unappliedRecorder =
  (client: DynamoDBDocumentClient, tableName: string): RecordUnapplied =>
  async (appId, request) => {
    await client.send(new PutCommand({ TableName: tableName, Item: unappliedItemOf(appId, request) }));
  };
