/**
 * The authorizer's refusals for a known application, counted in the main table: one item per
 * application, reason and UTC minute, bumped with `ADD count :one`. A flood of bad tokens thus
 * updates one item a minute per reason, and the stream turns that item into one report row that
 * carries its latest count (reports/refusals.ts).
 *
 * Recording never throws and never waits long: the authorizer's answer must not depend on it.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ItemType } from '../domain/items';
import type { RefusalReason } from '../domain/refusal-reasons';
import { keys } from './keys';

/** The item only has to live until the stream has carried it (24 h). */
const REFUSAL_TTL_SECONDS = 2 * 86_400;
/** Longest the authorizer waits for the write; a slower one is left to finish (or fail) on its own. */
export const DEFAULT_RECORD_TIMEOUT_MS = 300;
const MAX_REQUEST_CHARS = 128;

export interface Refusal {
  appId: string;
  appName?: string;
  reason: RefusalReason;
  /** What the client was told: 401 (token refused) or 403 (token of another kind or application). */
  httpStatus: number;
  /** The refused request's method and resource, e.g. `GET /Users`. */
  request?: string;
  at: Date;
}

export interface RefusalRecorder {
  /** Counts the refusal; resolves false (and tells `onError`) instead of throwing. */
  record(refusal: Refusal): Promise<boolean>;
}

/** `yyyy-mm-ddThh:mm`, UTC: the aggregation bucket. */
export const minuteOf = (at: Date): string => at.toISOString().slice(0, 16);

export interface RefusalRecorderOptions {
  /** Longest wait for the write. @default DEFAULT_RECORD_TIMEOUT_MS */
  timeoutMs?: number;
  /** Told when a refusal could not be counted (the store logs nothing itself). */
  onError?: (error: unknown, refusal: Refusal) => void;
}

export const createRefusalRecorder = (
  client: DynamoDBDocumentClient,
  tableName: string,
  options: RefusalRecorderOptions = {},
): RefusalRecorder => {
  const timeoutMs = options.timeoutMs ?? DEFAULT_RECORD_TIMEOUT_MS;
  return {
    async record(refusal) {
      const minute = minuteOf(refusal.at);
      const at = refusal.at.toISOString();
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), timeoutMs);
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.authRefusal(refusal.appId, refusal.reason, minute),
            UpdateExpression:
              'ADD #count :one SET #type = :type, #appId = :appId, #appName = :appName, #reason = :reason, #minute = :minute, ' +
              '#firstAt = if_not_exists(#firstAt, :at), #lastAt = :at, #httpStatus = :status, #request = :request, #ttl = if_not_exists(#ttl, :ttl)',
            ExpressionAttributeNames: {
              '#count': 'count',
              '#type': 'type',
              '#appId': 'appId',
              '#appName': 'appName',
              '#reason': 'reason',
              '#minute': 'minute',
              '#firstAt': 'firstAt',
              '#lastAt': 'lastAt',
              '#httpStatus': 'httpStatus',
              '#request': 'request',
              '#ttl': 'ttl',
            },
            ExpressionAttributeValues: {
              ':one': 1,
              ':type': ItemType.authRefusal,
              ':appId': refusal.appId,
              ':appName': refusal.appName ?? '',
              ':reason': refusal.reason,
              ':minute': minute,
              ':at': at,
              ':status': refusal.httpStatus,
              ':request': (refusal.request ?? '').slice(0, MAX_REQUEST_CHARS),
              ':ttl': Math.ceil(refusal.at.getTime() / 1000) + REFUSAL_TTL_SECONDS,
            },
          }),
          { abortSignal: abort.signal },
        );
        return true;
      } catch (error) {
        options.onError?.(error, refusal);
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
  };
};
