import { calculateJwkThumbprint } from 'jose';
import { createAccessTokenSigner, createAccessTokenVerifier } from '../../../lambdas/oauth/access-tokens';
import { newClientId } from '../../../lambdas/oauth/client-secrets';
import { staticKeySource } from '../../../lambdas/oauth/key-set-cache';
import {
  DEFAULT_PREVIOUS_RETENTION_SECONDS,
  DEFAULT_PUBLISH_LEAD_SECONDS,
  KeyRotationError,
  newKeySet,
  parseKeySet,
  publicKeySet,
  rotateKeySet,
  serializeKeySet,
  signingKeyOf,
  type KeySet,
} from '../../../lambdas/oauth/signing-keys';
import { APP, at, ISSUER, minutes, NOW, TENANT_URL } from './fixtures';

const HOUR = minutes(60);
const CLIENT = newClientId(APP);

const tokenSignedBy = async (set: KeySet, now: Date) =>
  (await createAccessTokenSigner(signingKeyOf(set))).issue({ issuer: ISSUER, audience: TENANT_URL, clientId: CLIENT, secretId: 's3cr3t01', lifetimeMinutes: 360, now });
const verifierOf = (set: KeySet) => createAccessTokenVerifier({ issuer: ISSUER, keys: staticKeySource(publicKeySet(set)) });

describe('signing keys', () => {
  it('a new set has a current key that signs and a next key already published, with RFC 7638 kids', async () => {
    const set = await newKeySet(NOW);
    expect(set.current.kid).not.toBe(set.next.kid);
    expect(set.previous).toBeUndefined();
    const published = publicKeySet(set);
    expect(published.keys.map((k) => k.kid)).toEqual([set.current.kid, set.next.kid]);
    for (const key of published.keys) {
      expect(key).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: key.kid, alg: 'ES256', use: 'sig' });
      expect(await calculateJwkThumbprint(key, 'sha256')).toBe(key.kid);
    }
  });

  it('never publishes a private part', async () => {
    const set = await newKeySet(NOW);
    expect(JSON.stringify(publicKeySet(set))).not.toContain('"d"');
  });

  it('survives the secret: serialize then parse gives the same set', async () => {
    const set = await rotateKeySet(await newKeySet(NOW), at(2 * HOUR));
    expect(parseKeySet(serializeKeySet(set))).toEqual(set);
  });

  it('refuses a broken secret value loudly (a deployment fault, not a client one)', () => {
    expect(() => parseKeySet('not json')).toThrow(/not JSON/);
    expect(() => parseKeySet('{"current":{}}')).toThrow(/malformed/);
  });

  describe('rotation', () => {
    it('signs with the key that was published as next, which verifiers already hold: no refused request', async () => {
      const before = await newKeySet(NOW);
      const cachedByAuthorizer = verifierOf(before); // what a container loaded before the rotation
      const after = await rotateKeySet(before, at(2 * HOUR));
      expect(signingKeyOf(after).kid).toBe(before.next.kid);
      const token = await tokenSignedBy(after, at(2 * HOUR));
      expect(await cachedByAuthorizer(token.accessToken, { appId: APP, audience: TENANT_URL, now: at(2 * HOUR) })).toMatchObject({ ok: true });
    });

    it('keeps verifying tokens of the previous key while it is published', async () => {
      const before = await newKeySet(NOW);
      const token = await tokenSignedBy(before, at(2 * HOUR));
      const after = await rotateKeySet(before, at(2 * HOUR));
      expect(after.previous).toMatchObject({ kid: before.current.kid, retiredAt: at(2 * HOUR).toISOString() });
      expect(await verifierOf(after)(token.accessToken, { appId: APP, audience: TENANT_URL, now: at(3 * HOUR) })).toMatchObject({ ok: true });
    });

    it('refuses tokens of a key once it is no longer published (unknown kid)', async () => {
      const first = await newKeySet(NOW);
      const token = await tokenSignedBy(first, NOW);
      const second = await rotateKeySet(first, at(2 * HOUR));
      const third = await rotateKeySet(second, at(9 * HOUR));
      expect(publicKeySet(third).keys.map((k) => k.kid)).not.toContain(first.current.kid);
      expect(await verifierOf(third)(token.accessToken, { appId: APP, audience: TENANT_URL, now: at(5 * HOUR) })).toEqual({ ok: false, reason: 'unknown-key' });
    });

    it('refuses to sign with a next key published for less than the lead', async () => {
      const set = await newKeySet(NOW);
      await expect(rotateKeySet(set, at(DEFAULT_PUBLISH_LEAD_SECONDS * 1000 - 1000))).rejects.toThrow(KeyRotationError);
      await expect(rotateKeySet(set, at(10 * 60_000), { publishLeadSeconds: 300 })).resolves.toMatchObject({ current: { kid: set.next.kid } });
    });

    it('refuses to drop a previous key while tokens it signed may be alive', async () => {
      const rotated = await rotateKeySet(await newKeySet(NOW), at(2 * HOUR));
      const tooEarly = at(2 * HOUR + DEFAULT_PREVIOUS_RETENTION_SECONDS * 1000 - 1000);
      await expect(rotateKeySet(rotated, tooEarly)).rejects.toThrow(/previous key/);
      await expect(rotateKeySet(rotated, at(2 * HOUR + DEFAULT_PREVIOUS_RETENTION_SECONDS * 1000))).resolves.toMatchObject({ previous: { kid: rotated.current.kid } });
    });
  });
});
