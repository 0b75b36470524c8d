import { ClientSecretCreateSchema, OAuthClientCreateSchema } from '../../../lambdas/oauth/client-input';
import { newClientId } from '../../../lambdas/oauth/client-secrets';
import {
  addClientSecret,
  authenticateClient,
  clientStanding,
  clientView,
  createOAuthClient,
  revokeClient,
  revokeClientSecret,
} from '../../../lambdas/oauth/clients';
import { isScimError } from '../../../lambdas/scim/errors';
import { APP, at, clientOf, NOW, OTHER_APP } from './fixtures';

const DAY = 86_400_000;
const context = { appId: APP, now: NOW };
const scimErrorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (isScimError(e)) return { status: e.status, detail: e.detail };
    throw e;
  }
  throw new Error('expected a ScimError');
};

describe('oauth/clients', () => {
  describe('createOAuthClient', () => {
    it('creates a client with a 60-minute token lifetime and one secret of one year by default', () => {
      const clientId = newClientId(APP);
      const issued = createOAuthClient(APP, clientId, {}, NOW);
      expect(issued.client).toEqual({
        clientId, appId: APP, tokenLifetimeMinutes: 60, created: NOW.toISOString(),
        secrets: [{ id: issued.secretId, hash: expect.stringMatching(/^[0-9a-f]{64}$/), created: NOW.toISOString(), expiresAt: new Date(NOW.getTime() + 365 * DAY).toISOString() }],
        retiredSecrets: [],
      });
      expect(issued.clientSecret.startsWith(`scgws_${issued.secretId}_`)).toBe(true);
      expect(JSON.stringify(issued.client)).not.toContain(issued.clientSecret);
    });

    it('keeps a description, a token lifetime and a secret lifetime when given', () => {
      const issued = createOAuthClient(APP, newClientId(APP), { description: 'Entra gallery', tokenLifetimeMinutes: 360, secretLifetimeDays: 1096 }, NOW);
      expect(issued.client).toMatchObject({ description: 'Entra gallery', tokenLifetimeMinutes: 360 });
      expect(issued.expiresAt).toBe(new Date(NOW.getTime() + 1096 * DAY).toISOString());
    });

    it('refuses a client id of another application (a wiring mistake, not a client error)', () => {
      expect(() => createOAuthClient(APP, newClientId(OTHER_APP), {}, NOW)).toThrow(/not one of application/);
    });
  });

  describe('admin input schemas', () => {
    it.each([
      [{ tokenLifetimeMinutes: 59 }, false],
      [{ tokenLifetimeMinutes: 60 }, true],
      [{ tokenLifetimeMinutes: 360 }, true],
      [{ tokenLifetimeMinutes: 361 }, false],
      [{ tokenLifetimeMinutes: 90.5 }, false],
      [{ tokenLifetimeMinutes: '60' }, false],
      [{ secretLifetimeDays: 364 }, false],
      [{ secretLifetimeDays: 365 }, true],
      [{ secretLifetimeDays: 1096 }, true],
      [{ secretLifetimeDays: 1097 }, false],
      [{ description: 'x'.repeat(201) }, false],
      [{ description: 'line\nbreak' }, false],
      [{ clientSecret: 'chosen' }, false],
      [{}, true],
    ])('OAuthClientCreateSchema on %j → valid %s', (input, valid) => {
      expect(OAuthClientCreateSchema.safeParse(input).success).toBe(valid);
    });

    it('ClientSecretCreateSchema takes only secretLifetimeDays within 1–3 years', () => {
      expect(ClientSecretCreateSchema.safeParse({ secretLifetimeDays: 730 }).success).toBe(true);
      expect(ClientSecretCreateSchema.safeParse({ secretLifetimeDays: 30 }).success).toBe(false);
      expect(ClientSecretCreateSchema.safeParse({ expiresAt: '2030-01-01T00:00:00Z' }).success).toBe(false);
    });
  });

  describe('rotation', () => {
    it('two live secrets both authenticate; a third is refused with 409 until one is revoked', () => {
      const { client, secret: first, secretId: firstId } = clientOf();
      const second = addClientSecret(client, {}, NOW);
      expect(authenticateClient({ clientId: client.clientId, clientSecret: first }, second.client, context)).toMatchObject({ ok: true, secretId: firstId });
      expect(authenticateClient({ clientId: client.clientId, clientSecret: second.clientSecret }, second.client, context)).toMatchObject({ ok: true, secretId: second.secretId });
      expect(scimErrorOf(() => addClientSecret(second.client, {}, NOW))).toEqual({ status: 409, detail: expect.stringContaining('2 live secrets') });
      const rotated = revokeClientSecret(second.client, firstId, NOW);
      expect(addClientSecret(rotated, {}, NOW).client.secrets).toHaveLength(2);
    });

    it('a revoked secret is refused as invalid_client, reported as secret-revoked; the other still works', () => {
      const { client, secret: first, secretId: firstId } = clientOf();
      const second = addClientSecret(client, {}, NOW);
      const rotated = revokeClientSecret(second.client, firstId, NOW);
      expect(authenticateClient({ clientId: client.clientId, clientSecret: first }, rotated, context)).toEqual({
        ok: false, reason: 'secret-revoked',
        error: { error: 'invalid_client', status: 401, description: expect.any(String), headers: { 'WWW-Authenticate': 'Basic realm="scim-gateway"' } },
      });
      expect(authenticateClient({ clientId: client.clientId, clientSecret: second.clientSecret }, rotated, context)).toMatchObject({ ok: true });
    });

    it('an expired secret is reported as secret-expired and no longer counts as live', () => {
      const { client, secret } = clientOf();
      const later = at(366 * DAY);
      expect(authenticateClient({ clientId: client.clientId, clientSecret: secret }, client, { appId: APP, now: later })).toMatchObject({ ok: false, reason: 'secret-expired' });
      const renewed = addClientSecret(addClientSecret(client, {}, later).client, {}, later);
      expect(renewed.client.secrets).toHaveLength(2);
      expect(renewed.client.retiredSecrets).toEqual([{ id: client.secrets[0].id, reason: 'expired', at: client.secrets[0].expiresAt }]);
      expect(authenticateClient({ clientId: client.clientId, clientSecret: secret }, renewed.client, { appId: APP, now: later })).toMatchObject({ ok: false, reason: 'secret-expired' });
    });

    it('revoking a secret that is not live is a 404', () => {
      const { client } = clientOf();
      expect(scimErrorOf(() => revokeClientSecret(client, 'nosuch00', NOW)).status).toBe(404);
    });
  });

  describe('authenticateClient', () => {
    it('refuses a client of another application before any lookup, as other-application', () => {
      const other = clientOf(OTHER_APP);
      expect(authenticateClient({ clientId: other.client.clientId, clientSecret: other.secret }, other.client, context)).toMatchObject({ ok: false, reason: 'other-application' });
    });

    it('refuses an unknown or malformed client id as unknown-client', () => {
      const { client, secret } = clientOf();
      expect(authenticateClient({ clientId: client.clientId, clientSecret: secret }, undefined, context)).toMatchObject({ ok: false, reason: 'unknown-client' });
      expect(authenticateClient({ clientId: 'my-client', clientSecret: secret }, client, context)).toMatchObject({ ok: false, reason: 'unknown-client' });
      expect(authenticateClient({ clientId: newClientId(APP), clientSecret: secret }, client, context)).toMatchObject({ ok: false, reason: 'unknown-client' });
    });

    it('refuses a wrong secret as wrong-secret and a revoked client as client-revoked', () => {
      const { client, secret } = clientOf();
      expect(authenticateClient({ clientId: client.clientId, clientSecret: `${secret}x` }, client, context)).toMatchObject({ ok: false, reason: 'wrong-secret' });
      expect(authenticateClient({ clientId: client.clientId, clientSecret: secret }, revokeClient(client, NOW), context)).toMatchObject({ ok: false, reason: 'client-revoked' });
    });

    it('gives every refusal the same invalid_client answer, whatever the reason', () => {
      const { client, secret } = clientOf();
      const answers = [
        authenticateClient({ clientId: client.clientId, clientSecret: 'x' }, client, context),
        authenticateClient({ clientId: client.clientId, clientSecret: secret }, undefined, context),
        authenticateClient({ clientId: client.clientId, clientSecret: secret }, revokeClient(client, NOW), context),
      ].map((a) => (a.ok ? undefined : a.error));
      expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    });
  });

  describe('clientStanding (the authorizer, after the signature)', () => {
    it('stands while the client and the secret of the token are live', () => {
      const { client, secretId } = clientOf();
      expect(clientStanding(client, { clientId: client.clientId, secretId }, NOW)).toEqual({ ok: true });
    });

    it('falls when the secret is revoked, expires, or the client is revoked or gone', () => {
      const { client, secretId } = clientOf();
      const token = { clientId: client.clientId, secretId };
      const second = addClientSecret(client, {}, NOW).client;
      expect(clientStanding(revokeClientSecret(second, secretId, NOW), token, NOW)).toEqual({ ok: false, reason: 'secret-revoked' });
      expect(clientStanding(client, token, at(366 * DAY))).toEqual({ ok: false, reason: 'secret-expired' });
      expect(clientStanding(revokeClient(client, NOW), token, NOW)).toEqual({ ok: false, reason: 'client-revoked' });
      expect(clientStanding(undefined, token, NOW)).toEqual({ ok: false, reason: 'unknown-client' });
      expect(clientStanding(client, { clientId: client.clientId, secretId: 'forgotten' }, NOW)).toEqual({ ok: false, reason: 'secret-revoked' });
    });
  });

  describe('revokeClient and clientView', () => {
    it('revoking a client retires all its secrets and is idempotent', () => {
      const { client } = clientOf();
      const revoked = revokeClient(client, NOW);
      expect(revoked).toMatchObject({ secrets: [], revokedAt: NOW.toISOString(), retiredSecrets: [{ id: client.secrets[0].id, reason: 'revoked' }] });
      expect(revokeClient(revoked, at(DAY))).toBe(revoked);
      expect(scimErrorOf(() => addClientSecret(revoked, {}, NOW)).status).toBe(404);
    });

    it('shows ids, dates and live secrets, never a hash', () => {
      const { client } = clientOf();
      const view = clientView({ ...client, description: 'Entra' }, NOW);
      expect(view).toEqual({
        clientId: client.clientId, description: 'Entra', tokenLifetimeMinutes: 60, created: NOW.toISOString(),
        secrets: [{ id: client.secrets[0].id, created: NOW.toISOString(), expiresAt: client.secrets[0].expiresAt }],
      });
      expect(JSON.stringify(view)).not.toContain(client.secrets[0].hash);
    });
  });
});
