/**
 * The JSON the admin API of directory events answers (handlers/events-admin.ts checks its answers
 * against these; the console's Webhooks, Deliveries and Events views read them). Types only, like
 * api-json.ts, and self-contained: the console type-checks without node types, so an event is
 * declared here as the console reads it (the events core's DirectoryEvent is checked against it).
 */

/** A webhook as listed: never its secret. `enabled` false: a 410 or an admin paused it (`disabledReason`). */
export interface WebhookJson {
  id: string;
  appId: string;
  url: string;
  /** Absent: every type. */
  types?: string[];
  description?: string;
  enabled: boolean;
  disabledReason?: string;
  created: string;
  lastModified: string;
}

/** `GET /admin/apps/{appId}/webhooks`. */
export interface WebhookListJson {
  webhooks: WebhookJson[];
}

/** `POST /admin/apps/{appId}/webhooks`: the signing secret is shown this once. */
export interface CreatedWebhookJson extends WebhookJson {
  secret: string;
}

/** `POST …/webhooks/{id}/rotate-secret`: the new secret, shown this once; the old one signs beside it for 24 h. */
export interface RotatedSecretJson {
  secret: string;
}

/** `POST …/webhooks/{id}/test`: what the endpoint answered the signed `ping`. */
export interface WebhookTestJson {
  id: string;
  delivered: boolean;
  status?: number;
  error?: string;
}

/** One delivery of one event to one webhook. */
export interface DeliveryJson {
  eventId: string;
  eventType: string;
  state: 'pending' | 'delivered' | 'dead';
  attempts: number;
  /** Epoch ms: when a pending delivery is attempted next. */
  dueAt: number;
  queuedAt: string;
  lastAttemptAt?: string;
  lastStatus?: number;
  lastError?: string;
  finishedAt?: string;
}

/** `GET …/webhooks/{id}/deliveries`: pending, then dead letters, then delivered, newest first. */
export interface DeliveryListJson {
  deliveries: DeliveryJson[];
}

/** A directory event as the console reads it (docs/events.md, "The envelope"). */
export interface EventJson {
  id: string;
  type: string;
  timestamp: string;
  appId: string;
  subject: { type: 'user'; id: string; externalId?: string; userName: string } | { type: 'group'; id: string; externalId?: string; displayName: string };
  sequence: number;
  data: unknown;
  previous: Record<string, unknown>;
  changes: string[];
  request: { id: string | null; operation: string; requested: string[]; applied: string[] };
}

/** `GET /admin/apps/{appId}/events?order=newest&before=`: the log newest first. */
export interface RecentEventsJson {
  data: EventJson[];
  hasMore: boolean;
  nextBefore: string | null;
}
