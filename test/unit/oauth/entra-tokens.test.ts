import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createEntraTokenVerifier, ENTRA_PROVISIONING_AUDIENCE, EntraAcceptanceSchema, entraIssuerOf } from '../../../lambdas/oauth/entra-tokens';
import { createKeySetCache, staticKeySource } from '../../../lambdas/oauth/key-set-cache';
import { at, hs256WithPublicKey, minutes, NOW, tamperedCopyOf, unsecuredCopyOf } from './fixtures';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = '11111111-2222-3333-4444-555555555555';
const GALLERY_APP = '0f0e0d0c-0b0a-0908-0706-050403020100';
const accepts = { tenantIds: [TENANT] };

interface Fixture {
  privateKey: CryptoKey;
  jwk: JWK;
}

/** A Microsoft-like RSA signing key and its JWKS entry (kid and x5t as Entra publishes them). */
const microsoftKey = async (kid: string): Promise<Fixture> => {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, x5t: kid, use: 'sig' } };
};

/** What Entra sends with a blank Secret Token: a v1 access token for the provisioning audience. */
const entraToken = (key: Fixture, claims: Record<string, unknown> = {}, now = NOW) => {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({
    aud: ENTRA_PROVISIONING_AUDIENCE, iss: entraIssuerOf(TENANT), iat, nbf: iat, exp: iat + 3600,
    appid: '1b730954-1685-4b74-9bfd-dac224a7b894', tid: TENANT, oid: 'aaaaaaaa-0000-0000-0000-000000000000', ver: '1.0', ...claims,
  })
    .setProtectedHeader({ typ: 'JWT', alg: 'RS256', x5t: key.jwk.kid, kid: key.jwk.kid as string })
    .sign(key.privateKey);
};

let k1: Fixture;
let k2: Fixture;
beforeAll(async () => {
  [k1, k2] = await Promise.all([microsoftKey('key-one'), microsoftKey('key-two')]);
});

const verifierOver = (keys: JWK[]) => createEntraTokenVerifier({ keys: staticKeySource({ keys }) });

describe('Entra-issued JWTs', () => {
  it("accepts a token of a configured tenant for the provisioning audience, naming the tenant and Entra's app", async () => {
    const verify = verifierOver([k1.jwk]);
    expect(await verify(await entraToken(k1), accepts, NOW)).toEqual({
      ok: true, tenantId: TENANT, clientAppId: '1b730954-1685-4b74-9bfd-dac224a7b894', expiresAt: at(minutes(60)),
    });
  });

  it('accepts a configured tenant id written in upper case', async () => {
    expect(await verifierOver([k1.jwk])(await entraToken(k1), { tenantIds: [TENANT.toUpperCase()] }, NOW)).toMatchObject({ ok: true });
  });

  it('refuses a tenant the application does not accept as wrong-issuer, and any token when it names none', async () => {
    const verify = verifierOver([k1.jwk]);
    expect(await verify(await entraToken(k1, { iss: entraIssuerOf(OTHER_TENANT), tid: OTHER_TENANT }), accepts, NOW)).toEqual({ ok: false, reason: 'wrong-issuer' });
    expect(await verify(await entraToken(k1, { iss: 'https://login.microsoftonline.com/' + TENANT + '/v2.0' }), accepts, NOW)).toEqual({ ok: false, reason: 'wrong-issuer' });
    expect(await verify(await entraToken(k1), { tenantIds: [] }, NOW)).toEqual({ ok: false, reason: 'wrong-issuer' });
  });

  it('refuses a tid that disagrees with the issuer', async () => {
    expect(await verifierOver([k1.jwk])(await entraToken(k1, { tid: OTHER_TENANT }), accepts, NOW)).toEqual({ ok: false, reason: 'wrong-issuer' });
  });

  it('refuses another audience as wrong-audience, and accepts a gallery app id when configured', async () => {
    const verify = verifierOver([k1.jwk]);
    const gallery = await entraToken(k1, { aud: GALLERY_APP });
    expect(await verify(gallery, accepts, NOW)).toEqual({ ok: false, reason: 'wrong-audience' });
    expect(await verify(gallery, { ...accepts, audiences: [GALLERY_APP] }, NOW)).toMatchObject({ ok: true });
    expect(await verify(await entraToken(k1, { aud: 'https://graph.microsoft.com' }), accepts, NOW)).toEqual({ ok: false, reason: 'wrong-audience' });
  });

  it('refuses an expired token and one not valid yet, with 60 s of skew', async () => {
    const verify = verifierOver([k1.jwk]);
    const token = await entraToken(k1);
    expect(await verify(token, accepts, at(minutes(60) + 30_000))).toMatchObject({ ok: true });
    expect(await verify(token, accepts, at(minutes(62)))).toEqual({ ok: false, reason: 'expired' });
    expect(await verify(await entraToken(k1, {}, at(minutes(10))), accepts, NOW)).toEqual({ ok: false, reason: 'not-yet-valid' });
  });

  it('refuses a tampered token, alg none, and HS256 signed with the public key', async () => {
    const verify = verifierOver([k1.jwk]);
    const token = await entraToken(k1);
    expect(await verify(tamperedCopyOf(token, { tid: TENANT, oid: 'someone-else' }), accepts, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(await verify(unsecuredCopyOf(token), accepts, NOW)).toEqual({ ok: false, reason: 'algorithm-not-allowed' });
    for (const forged of await hs256WithPublicKey(token, k1.jwk)) expect(await verify(forged, accepts, NOW)).toEqual({ ok: false, reason: 'algorithm-not-allowed' });
  });

  it('refuses a key Microsoft does not publish as unknown-key', async () => {
    const rogue = await microsoftKey('rogue');
    expect(await verifierOver([k1.jwk])(await entraToken(rogue), accepts, NOW)).toEqual({ ok: false, reason: 'unknown-key' });
  });

  describe('with the JWKS cache', () => {
    it('fetches once, then serves from the cache', async () => {
      const fetchKeySet = jest.fn(async () => ({ keys: [k1.jwk] }));
      const verify = createEntraTokenVerifier({ keys: createKeySetCache({ fetchKeySet }) });
      const token = await entraToken(k1);
      for (let i = 0; i < 5; i++) expect(await verify(token, accepts, NOW)).toMatchObject({ ok: true });
      expect(fetchKeySet).toHaveBeenCalledTimes(1);
    });

    it("refreshes on an unknown kid: Microsoft's key rollover is accepted without a refused request", async () => {
      let published = [k1.jwk];
      const fetchKeySet = jest.fn(async () => ({ keys: published }));
      const verify = createEntraTokenVerifier({ keys: createKeySetCache({ fetchKeySet }) });
      expect(await verify(await entraToken(k1), accepts, NOW)).toMatchObject({ ok: true });
      published = [k1.jwk, k2.jwk];
      expect(await verify(await entraToken(k2, {}, at(minutes(10))), accepts, at(minutes(10)))).toMatchObject({ ok: true });
      expect(fetchKeySet).toHaveBeenCalledTimes(2);
    });

    it('rate-limits refreshes: made-up kids cost at most one fetch per interval', async () => {
      const fetchKeySet = jest.fn(async () => ({ keys: [k1.jwk] }));
      const verify = createEntraTokenVerifier({ keys: createKeySetCache({ fetchKeySet, minRefreshIntervalSeconds: 300 }) });
      await verify(await entraToken(k1), accepts, NOW);
      const rogue = await microsoftKey('made-up');
      for (let i = 0; i < 20; i++) expect(await verify(await entraToken(rogue), accepts, at(minutes(6) + i * 1000))).toEqual({ ok: false, reason: 'unknown-key' });
      expect(fetchKeySet).toHaveBeenCalledTimes(2);
    });

    it('says keys-unavailable (not the client’s fault) when the first fetch fails, and recovers after the interval', async () => {
      let fail = true;
      const fetchKeySet = jest.fn(async () => {
        if (fail) throw new Error('network down');
        return { keys: [k1.jwk] };
      });
      const verify = createEntraTokenVerifier({ keys: createKeySetCache({ fetchKeySet, minRefreshIntervalSeconds: 60 }) });
      const token = await entraToken(k1);
      expect(await verify(token, accepts, NOW)).toEqual({ ok: false, reason: 'keys-unavailable' });
      fail = false;
      expect(await verify(token, accepts, at(30_000))).toEqual({ ok: false, reason: 'keys-unavailable' });
      expect(await verify(token, accepts, at(61_000))).toMatchObject({ ok: true });
    });
  });

  describe('EntraAcceptanceSchema', () => {
    it('takes tenant GUIDs and optional audiences, and refuses anything else', () => {
      expect(EntraAcceptanceSchema.safeParse({ tenantIds: [TENANT] }).success).toBe(true);
      expect(EntraAcceptanceSchema.safeParse({ tenantIds: [TENANT], audiences: [GALLERY_APP] }).success).toBe(true);
      expect(EntraAcceptanceSchema.safeParse({ tenantIds: ['contoso.onmicrosoft.com'] }).success).toBe(false);
      expect(EntraAcceptanceSchema.safeParse({ tenantIds: [TENANT], audiences: [] }).success).toBe(false);
      expect(EntraAcceptanceSchema.safeParse({ tenantIds: Array.from({ length: 11 }, () => TENANT) }).success).toBe(false);
      expect(EntraAcceptanceSchema.safeParse({ tenantIds: [TENANT], issuer: 'x' }).success).toBe(false);
    });
  });
});
