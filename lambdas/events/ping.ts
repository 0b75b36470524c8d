/**
 * The test event `POST /admin/apps/{appId}/webhooks/{id}/test` sends: signed and delivered like any
 * event, so a receiver's signature check is exercised before the first real change, but of its own
 * type `ping` with no subject, no sequence and no directory data, so a consumer that applies events
 * can never mistake it for a change. It goes to the one endpoint tested, whatever its `types`, is
 * sent once (no retries: the admin is watching the answer) and is not kept in the event log.
 */
import { randomEventId } from './event-id';
import { PING_TYPE, type PingEvent } from './types';

export const pingEvent = (appId: string, webhookId: string, now: Date, randomBytes: (size: number) => Uint8Array): PingEvent => ({
  id: randomEventId(randomBytes),
  type: PING_TYPE,
  timestamp: now.toISOString(),
  appId,
  data: { webhookId },
});
