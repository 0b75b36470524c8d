/**
 * Directory events (issue 16): every profile change reaches the customer's application. The pure
 * core: deriving events from main-table stream records, signing webhooks, the delivery policy
 * (retries, ordering), webhook bodies and URLs, and the directory read API's queries and shapes.
 * No I/O, no AWS, no clock or randomness of its own: the event stage, the sender and the read API
 * wire these to the stream, SQS (or the local queue table), HTTP and the store. docs/events.md
 * is the consumer's guide; docs/directory-api.openapi.json the read API and the payloads.
 */
export {
  EVENT_OPERATIONS,
  EVENT_TYPES,
  GROUP_EVENT_TYPES,
  isEventType,
  PING_TYPE,
  USER_EVENT_TYPES,
  type DirectoryEvent,
  type EventOperation,
  type EventRequest,
  type EventSubject,
  type EventType,
  type GroupEvent,
  type GroupEventType,
  type GroupSnapshot,
  type GroupSubject,
  type MemberEvent,
  type MemberEventType,
  type MembershipData,
  type PingEvent,
  type UserEvent,
  type UserEventType,
  type UserSubject,
  type WebhookPayload,
} from './types';
export type { DirectoryChange, RequestRecord } from './change';
export { deletionNotesWanted, deriveEvents, type DeletedRef, type DeriveContext } from './derive';
export { EVENT_ID_PATTERN, eventIdOf, isEventId } from './event-id';
export { groupSequenceOf, userSequenceOf } from './sequence';
export { generateSecret, isWebhookSecret, signWebhook, type SignedRequest, type WebhookHeaders } from './signing';
export { initialSecrets, MAX_PREVIOUS_SECRETS, ROTATION_OVERLAP_MS, rotateSecrets, signingSecrets, type PreviousSecret, type WebhookSecrets } from './signing-secrets';
export {
  ATTEMPT_TIMEOUT_MS,
  baseDelayMs,
  decideAfterAttempt,
  describeOutcome,
  parseRetryAfter,
  RETRY_SCHEDULE,
  retryDelayMs,
  type AttemptOutcome,
  type DeliveryDecision,
} from './retry-policy';
export { deduplicationId, MAX_IN_FLIGHT_PER_ENDPOINT, nextDueAt, orderingKey, sendableNow, type PendingDelivery } from './delivery-order';
export { isTypePattern, matchesTypes, TYPE_WILDCARDS, type TypePattern } from './event-filter';
export { checkWebhookUrl, isLoopbackHost, isPublicAddress, MAX_URL_LENGTH, type UrlCheck, type UrlMode } from './webhook-url';
export {
  MAX_DESCRIPTION_LENGTH,
  MAX_TYPE_PATTERNS,
  parseWebhookCreate,
  parseWebhookUpdate,
  webhookError,
  type WebhookCreate,
  type WebhookParse,
  type WebhookProblem,
  type WebhookUpdate,
} from './webhook-input';
export { pingEvent } from './ping';
export {
  DIRECTORY_QUERY_PARAMS,
  EVENT_LIMIT,
  LIST_LIMIT,
  parseEventQuery,
  parseListQuery,
  parseMemberQuery,
  parseRecentEventQuery,
  type EventQuery,
  type ListQuery,
  type MemberQuery,
  type QueryParse,
  type RecentEventQuery,
} from './directory-query';
export {
  directoryGroupOf,
  directoryMemberOf,
  directoryUserOf,
  eventPage,
  listPage,
  recentEventPage,
  type DirectoryGroup,
  type DirectoryMember,
  type DirectoryUser,
  type EventPage,
  type ListPage,
  type RecentEventPage,
} from './directory-resources';
export { EVENT_SOURCE, eventBridgeBatches, eventBridgeEntry, entrySize, MAX_ENTRIES_PER_PUT, MAX_PUT_BYTES, type EventBridgeEntry } from './eventbridge';
export { DEFAULT_EVENT_RETENTION_DAYS, parseReplayRequest, replayError, type ReplayRequest } from './replay-input';
