/**
 * OAuth clients of an application: the record a store keeps, its changes (create, add a secret,
 * revoke a secret, revoke the client) and the two questions asked of it — may this client get a
 * token (authenticateClient, at the token endpoint) and do its tokens still stand (clientStanding,
 * in the authorizer). Pure: every change takes `now` and returns a new record.
 *
 * Why these rules (numbers in limits.ts): rotation needs two live secrets at once, exactly as
 * Secret Tokens have two (MAX_LIVE_TOKENS); a third is refused so that an old secret is revoked on
 * purpose, not forgotten. Every refusal names a reason for the provisioning report, while the
 * client only ever hears `invalid_client` (RFC 6749 §5.2), so a guesser learns nothing about which
 * part was wrong.
 */
import { ScimError } from '../scim/errors';
import type { ClientSecretCreateInput, OAuthClientCreateInput } from './client-input';
import { issueClientSecret, parseClientId, verifyClientSecret, type RetiredSecret, type StoredSecret } from './client-secrets';
import { MAX_LIVE_SECRETS, MAX_RETIRED_SECRETS, SECRET_LIFETIME_DAYS, TOKEN_LIFETIME_MINUTES } from './limits';
import { oauthError, type OAuthError } from './token-response';

const DAY_MS = 86_400_000;

export interface OAuthClient {
  clientId: string;
  appId: string;
  description?: string;
  tokenLifetimeMinutes: number;
  created: string;
  /** Secrets that authenticated when last written (an expired one leaves at the next change). */
  secrets: StoredSecret[];
  /** Revoked and expired secrets, newest last. */
  retiredSecrets: RetiredSecret[];
  /** Set when the client was revoked: its secrets and tokens open nothing from then on. */
  revokedAt?: string;
}

export interface IssuedClientSecret {
  client: OAuthClient;
  /** The clear secret: shown once. */
  clientSecret: string;
  secretId: string;
  expiresAt: string;
}

const isLiveAt = (secret: StoredSecret, now: Date): boolean => Date.parse(secret.expiresAt) > now.getTime();

/** Moves secrets past their expiry to the retired list, so "live" means live. */
const pruneExpired = (client: OAuthClient, now: Date): OAuthClient => {
  const expired = client.secrets.filter((s) => !isLiveAt(s, now));
  if (expired.length === 0) return client;
  return {
    ...client,
    secrets: client.secrets.filter((s) => isLiveAt(s, now)),
    retiredSecrets: [...client.retiredSecrets, ...expired.map((s): RetiredSecret => ({ id: s.id, reason: 'expired', at: s.expiresAt }))].slice(-MAX_RETIRED_SECRETS),
  };
};

const withNewSecret = (client: OAuthClient, days: number | undefined, now: Date): IssuedClientSecret => {
  const expiresAt = new Date(now.getTime() + (days ?? SECRET_LIFETIME_DAYS.default) * DAY_MS);
  const issued = issueClientSecret(now, expiresAt);
  return {
    client: { ...client, secrets: [...client.secrets, issued.stored] },
    clientSecret: issued.secret,
    secretId: issued.stored.id,
    expiresAt: issued.stored.expiresAt,
  };
};

/** A new client with its first secret. `clientId` comes from newClientId(appId) (client-secrets.ts). */
export const createOAuthClient = (appId: string, clientId: string, input: OAuthClientCreateInput, now: Date): IssuedClientSecret => {
  if (parseClientId(clientId)?.appId !== appId) throw new Error(`Client id ${clientId} is not one of application ${appId}`);
  const client: OAuthClient = {
    clientId,
    appId,
    tokenLifetimeMinutes: input.tokenLifetimeMinutes ?? TOKEN_LIFETIME_MINUTES.default,
    created: now.toISOString(),
    secrets: [],
    retiredSecrets: [],
  };
  if (input.description) client.description = input.description;
  return withNewSecret(client, input.secretLifetimeDays, now);
};

/** Rotation, step one: a second live secret. Step two is revokeClientSecret on the old one. */
export const addClientSecret = (client: OAuthClient, input: ClientSecretCreateInput, now: Date): IssuedClientSecret => {
  if (client.revokedAt) throw ScimError.notFound(`OAuth client ${client.clientId} was revoked.`);
  const pruned = pruneExpired(client, now);
  if (pruned.secrets.length >= MAX_LIVE_SECRETS) {
    throw ScimError.conflict(
      `OAuth client ${client.clientId} already has ${MAX_LIVE_SECRETS} live secrets (${pruned.secrets.map((s) => s.id).join(', ')}); revoke one before creating another.`,
    );
  }
  return withNewSecret(pruned, input.secretLifetimeDays, now);
};

export const revokeClientSecret = (client: OAuthClient, secretId: string, now: Date): OAuthClient => {
  const pruned = pruneExpired(client, now);
  if (client.revokedAt || !pruned.secrets.some((s) => s.id === secretId)) {
    throw ScimError.notFound(`OAuth client ${client.clientId} has no live secret ${secretId}.`);
  }
  return {
    ...pruned,
    secrets: pruned.secrets.filter((s) => s.id !== secretId),
    retiredSecrets: [...pruned.retiredSecrets, { id: secretId, reason: 'revoked' as const, at: now.toISOString() }].slice(-MAX_RETIRED_SECRETS),
  };
};

/** Revokes the client and all its secrets; kept (not deleted) so refusals can say "client revoked". */
export const revokeClient = (client: OAuthClient, now: Date): OAuthClient => {
  if (client.revokedAt) return client;
  const at = now.toISOString();
  return {
    ...client,
    secrets: [],
    retiredSecrets: [...client.retiredSecrets, ...client.secrets.map((s): RetiredSecret => ({ id: s.id, reason: 'revoked', at }))].slice(-MAX_RETIRED_SECRETS),
    revokedAt: at,
  };
};

/** What `GET …/oauth-clients` shows: never a hash. */
export interface OAuthClientView {
  clientId: string;
  description?: string;
  tokenLifetimeMinutes: number;
  created: string;
  secrets: { id: string; created: string; expiresAt: string }[];
  revokedAt?: string;
}

export const clientView = (client: OAuthClient, now: Date): OAuthClientView => {
  const view: OAuthClientView = {
    clientId: client.clientId,
    tokenLifetimeMinutes: client.tokenLifetimeMinutes,
    created: client.created,
    secrets: client.secrets.filter((s) => isLiveAt(s, now)).map(({ id, created, expiresAt }) => ({ id, created, expiresAt })),
  };
  if (client.description) view.description = client.description;
  if (client.revokedAt) view.revokedAt = client.revokedAt;
  return view;
};

/** Why a client or its token was refused, for the report; the client itself only hears invalid_client / 401. */
export const ClientRefusal = {
  unknownClient: 'unknown-client',
  clientRevoked: 'client-revoked',
  otherApplication: 'other-application',
  wrongSecret: 'wrong-secret',
  secretRevoked: 'secret-revoked',
  secretExpired: 'secret-expired',
} as const satisfies Record<string, string>;
export type ClientRefusal = (typeof ClientRefusal)[keyof typeof ClientRefusal];

export type ClientAuthentication =
  | { ok: true; client: OAuthClient; secretId: string }
  | { ok: false; reason: ClientRefusal; error: OAuthError };

const CLIENT_REFUSED = 'client authentication failed';

/**
 * The token endpoint's check of a parsed request (token-request.ts) against the client the store
 * found for its client id (undefined: none). `appId` is the application of the endpoint's URL.
 */
export const authenticateClient = (
  request: { clientId: string; clientSecret: string },
  client: OAuthClient | undefined,
  context: { appId: string; now: Date; realm?: string },
): ClientAuthentication => {
  const refuse = (reason: ClientRefusal): ClientAuthentication => ({ ok: false, reason, error: oauthError.invalidClient(CLIENT_REFUSED, context.realm) });
  const named = parseClientId(request.clientId);
  if (named === undefined) return refuse(ClientRefusal.unknownClient);
  if (named.appId !== context.appId) return refuse(ClientRefusal.otherApplication);
  if (client === undefined || client.clientId !== request.clientId || client.appId !== context.appId) return refuse(ClientRefusal.unknownClient);
  if (client.revokedAt) return refuse(ClientRefusal.clientRevoked);
  const secret = verifyClientSecret(request.clientSecret, client.secrets, client.retiredSecrets, context.now);
  if (!secret.ok) return refuse(secret.reason);
  return { ok: true, client, secretId: secret.secretId };
};

export type ClientStanding = { ok: true } | { ok: false; reason: ClientRefusal };

/**
 * Whether tokens issued to (clientId, secretId) still stand: the authorizer asks this after the
 * signature checks, against its cached copy of the client, so revoking a client or a secret cuts its
 * tokens off within that cache's lifetime rather than at the tokens' `exp`.
 */
export const clientStanding = (client: OAuthClient | undefined, token: { clientId: string; secretId: string }, now: Date): ClientStanding => {
  if (client === undefined || client.clientId !== token.clientId) return { ok: false, reason: ClientRefusal.unknownClient };
  if (client.revokedAt) return { ok: false, reason: ClientRefusal.clientRevoked };
  const secret = client.secrets.find((s) => s.id === token.secretId);
  if (secret) return isLiveAt(secret, now) ? { ok: true } : { ok: false, reason: ClientRefusal.secretExpired };
  const gone = client.retiredSecrets.filter((r) => r.id === token.secretId).at(-1);
  // A secret we signed for that is neither live nor remembered was revoked and then pruned.
  return { ok: false, reason: gone?.reason === 'expired' ? ClientRefusal.secretExpired : ClientRefusal.secretRevoked };
};
