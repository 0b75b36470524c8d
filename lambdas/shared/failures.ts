/**
 * Refused and failed SCIM requests as provisioning events, recorded by the handler layer (the
 * `onFailure` of `httpHandler`). Streams only carry successful writes, so a failure is written as a
 * short-lived `Failure` item into the main table (store/failure-items.ts); the stream carries it to
 * the report table like every other event (same retries, same idempotent row keys).
 * Recording never throws: a failure to record must not change what the client is told.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ItemType, type FailureItem } from '../domain/items';
import { describePrincipal } from '../oauth/principal';
import type { ScimError } from '../scim/errors';
import type { ResourceType } from '../scim/schemas';
import { putFailureItem } from '../store/failure-items';
import { keys } from '../store/keys';
import type { ScimRequest } from './http';
import { logger } from './logger';
import type { FailureListener } from './middlewares/scim-errors';

/** Failure items only need to live until the stream has carried them (it keeps records 24 h). */
const FAILURE_TTL_SECONDS = 86_400;
const MAX_DETAIL_CHARS = 256;

export interface FailureDetails {
  resourceType: FailureItem['resourceType'];
  resourceId?: string;
  userName?: string;
  externalId?: string;
  groupDisplayName?: string;
  /** What the client tried: create, update, delete, read… */
  action: string;
}

const OPERATION_ACTIONS: Record<string, string> = {
  create: 'create',
  replace: 'update',
  patch: 'update',
  delete: 'delete',
  get: 'read',
  list: 'read',
  search: 'read',
};

/** A refused request may carry anything (a 900 KB userName); the report needs enough to recognise it. */
const MAX_FIELD_CHARS = 1024;
const clip = (value: string): string => (value.length > MAX_FIELD_CHARS ? `${value.slice(0, MAX_FIELD_CHARS - 1)}…` : value);

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? clip(value) : undefined);

/** Resource type and action from the route's operation name (`patchUser` → User, update). */
export const failureDetailsOf = (request: ScimRequest): FailureDetails => {
  // `searchResources` (POST /.search at the root) reads Users and Groups alike: resource type Other.
  const match = /^(create|replace|patch|delete|get|list|search)(User|Group|Resource)s?$/.exec(request.operation);
  const resourceType = match && match[2] !== 'Resource' ? (match[2] as ResourceType) : 'Other';
  const body = typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {};
  const details: FailureDetails = {
    resourceType,
    action: match ? OPERATION_ACTIONS[match[1]] : 'other',
    resourceId: str(request.pathParams.id),
    externalId: str(body.externalId),
  };
  if (resourceType === 'User') details.userName = str(body.userName);
  if (resourceType === 'Group') details.groupDisplayName = str(body.displayName);
  return details;
};

/**
 * Which failures are provisioning events: every failed write and every server-side failure.
 * A read that finds nothing (404 on GET/list) is how clients ask "does it exist?" — not an event.
 */
export const shouldRecord = (request: ScimRequest, error: ScimError, details: FailureDetails): boolean => {
  if (!request.caller?.app?.id) return false; // admin routes have no application to report under
  if (error.status >= 500) return true;
  return !(details.action === 'read' && error.status === 404);
};

export const failureItem = (request: ScimRequest, error: ScimError, details: FailureDetails, now: Date): FailureItem => {
  const app = request.caller!.app!;
  const detail = error.detail ?? error.message;
  return {
    ...keys.failure(app.id, request.requestId),
    type: ItemType.failure,
    appId: app.id,
    appName: app.name,
    resourceType: details.resourceType,
    resourceId: details.resourceId,
    userName: details.userName,
    externalId: details.externalId,
    groupDisplayName: details.groupDisplayName,
    action: details.action,
    method: request.method,
    path: clip(request.path),
    httpStatus: error.status,
    scimType: error.scimType,
    detail: detail.length > MAX_DETAIL_CHARS ? `${detail.slice(0, MAX_DETAIL_CHARS - 1)}…` : detail,
    occurredAt: now.toISOString(),
    requestId: request.requestId,
    sourceIp: request.sourceIp,
    userAgent: request.userAgent === undefined ? undefined : clip(request.userAgent),
    authenticatedBy: request.caller?.principal ? describePrincipal(request.caller.principal) : undefined,
    ttl: Math.floor(now.getTime() / 1000) + FAILURE_TTL_SECONDS,
  };
};

export interface FailureRecorderOptions {
  client: DynamoDBDocumentClient;
  /** The main table, where the stream picks the failure up. */
  tableName: string;
  now?: () => Date;
}

/** Writes the failure into the main table; logs instead of throwing. Returns whether it was written. */
export const recordFailure = async (
  request: ScimRequest,
  error: ScimError,
  details: FailureDetails,
  options: FailureRecorderOptions,
): Promise<boolean> => {
  try {
    if (!request.caller?.app?.id) return false;
    const item = failureItem(request, error, details, (options.now ?? (() => new Date()))());
    await putFailureItem(options.client, options.tableName, item);
    return true;
  } catch (recordError) {
    logger.error('could not record a failed request', { error: recordError as Error, requestId: request.requestId });
    return false;
  }
};

/** The `onFailure` listener for `httpHandler`: records every failure `shouldRecord` accepts. */
export const failureRecorder = (options: FailureRecorderOptions): FailureListener => async (request, error) => {
  const details = failureDetailsOf(request);
  if (!shouldRecord(request, error, details)) return;
  await recordFailure(request, error, details, options);
};
