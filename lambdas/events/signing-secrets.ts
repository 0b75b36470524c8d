/**
 * Secret rotation without a lost event: after `rotate-secret` the new secret signs at once and the
 * old one keeps signing beside it for 24 hours, so every delivery carries a signature the receiver
 * can verify whether it has switched yet or not (Standard Webhooks: several space-separated
 * signatures). The receiver swaps its secret at any time within the day; nothing is dropped.
 *
 * Rotating again within the day keeps every earlier secret still inside its own 24 hours, up to
 * `MAX_PREVIOUS_SECRETS`; beyond that the oldest goes first (a runaway script cannot grow every
 * request's header without bound). Pure: the caller passes the time.
 */

/** How long a replaced secret keeps signing. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;
/** Replaced secrets still signing at most (so at most 1 + 3 signatures a request). */
export const MAX_PREVIOUS_SECRETS = 3;

export interface PreviousSecret {
  secret: string;
  /** ISO 8601: when it stops signing. */
  expiresAt: string;
}

/** What the store keeps of a webhook's secrets (encrypted at rest by the wiring). */
export interface WebhookSecrets {
  current: string;
  /** Newest first. */
  previous: PreviousSecret[];
}

const live = (previous: readonly PreviousSecret[], now: Date) => previous.filter((p) => Date.parse(p.expiresAt) > now.getTime());

/** A new webhook's secrets. */
export const initialSecrets = (secret: string): WebhookSecrets => ({ current: secret, previous: [] });

/** `newSecret` signs from `now`; the current one keeps signing for 24 hours; expired ones are dropped. */
export const rotateSecrets = (secrets: WebhookSecrets, newSecret: string, now: Date): WebhookSecrets => ({
  current: newSecret,
  previous: [{ secret: secrets.current, expiresAt: new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString() }, ...live(secrets.previous, now)].slice(
    0,
    MAX_PREVIOUS_SECRETS,
  ),
});

/** The secrets that sign a request sent at `now`: the current one first, then those still inside their 24 hours. */
export const signingSecrets = (secrets: WebhookSecrets, now: Date): string[] => [secrets.current, ...live(secrets.previous, now).map((p) => p.secret)];
