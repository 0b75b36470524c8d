/**
 * Webhook signatures per Standard Webhooks (standardwebhooks.com), through its reference library
 * `standardwebhooks`, so every receiver library in every language verifies what we send:
 * `webhook-id` (the event id, the same on every retry), `webhook-timestamp` (seconds, the time of
 * this attempt), `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per
 * signing secret, space-separated during a rotation).
 *
 * A retry is signed anew at its own time: the receiver's tolerance (five minutes in the libraries)
 * is about replayed requests, not about how late an event is. The body is signed as the exact bytes
 * sent, so the sender must send `body` as returned, not re-serialize the event.
 */
import { Webhook } from 'standardwebhooks';

export const SECRET_PREFIX = 'whsec_';
/** 32 random bytes: the spec asks for 24 to 64. */
export const SECRET_BYTES = 32;
const SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{43}=$/;

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
  'content-type': 'application/json';
}

export interface SignedRequest {
  headers: WebhookHeaders;
  body: string;
}

/** A new signing secret, `whsec_` + base64 of 32 random bytes (injected, e.g. `crypto.randomBytes`). */
export const generateSecret = (randomBytes: (size: number) => Uint8Array): string => {
  const bytes = randomBytes(SECRET_BYTES);
  if (bytes.length !== SECRET_BYTES) throw new RangeError(`randomBytes gave ${bytes.length} bytes, not ${SECRET_BYTES}`);
  return `${SECRET_PREFIX}${Buffer.from(bytes).toString('base64')}`;
};

/** A secret this module generated (the shape the store keeps). */
export const isWebhookSecret = (value: unknown): value is string => typeof value === 'string' && SECRET_PATTERN.test(value);

/**
 * The request for one delivery attempt of `payload` (an event, or a ping) signed by every secret in
 * `secrets` (signing-secrets.ts picks them), at `now`.
 */
export const signWebhook = (payload: { id: string }, secrets: readonly string[], now: Date): SignedRequest => {
  if (!secrets.length) throw new RangeError('a webhook needs at least one signing secret');
  const body = JSON.stringify(payload);
  const signature = secrets.map((secret) => new Webhook(secret).sign(payload.id, now, body)).join(' ');
  return {
    headers: {
      'webhook-id': payload.id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
      'content-type': 'application/json',
    },
    body,
  };
};
