import fc from 'fast-check';
import { generateKeyPair, importJWK, SignJWT } from 'jose';
import { createAccessTokenSigner, createAccessTokenVerifier, type AccessTokenSigner, type AccessTokenVerifier } from '../../../lambdas/oauth/access-tokens';
import { newClientId } from '../../../lambdas/oauth/client-secrets';
import { staticKeySource } from '../../../lambdas/oauth/key-set-cache';
import { newKeySet, publicJwkOf, publicKeySet, type KeySet } from '../../../lambdas/oauth/signing-keys';
import {
  APP,
  at,
  claimsOf,
  compactJws,
  headerOf,
  hs256WithPublicKey,
  ISSUER,
  minutes,
  NOW,
  OTHER_APP,
  OTHER_TENANT_URL,
  tamperedCopyOf,
  TENANT_URL,
  unsecuredCopyOf,
} from './fixtures';

const CLIENT = newClientId(APP);
const expected = { appId: APP, audience: TENANT_URL, now: NOW };

let keys: KeySet;
let signer: AccessTokenSigner;
let verify: AccessTokenVerifier;

const issue = (overrides: Partial<Parameters<AccessTokenSigner['issue']>[0]> = {}) =>
  signer.issue({ issuer: ISSUER, audience: TENANT_URL, clientId: CLIENT, secretId: 's3cr3t01', lifetimeMinutes: 60, now: NOW, ...overrides });

beforeAll(async () => {
  keys = await newKeySet(NOW);
  signer = await createAccessTokenSigner(keys.current);
  verify = createAccessTokenVerifier({ issuer: ISSUER, keys: staticKeySource(publicKeySet(keys)) });
});

describe('access tokens', () => {
  describe('issue', () => {
    it('signs an RFC 9068 JWT: typ at+jwt, ES256, kid, and the claims of the client and application', async () => {
      const issued = await issue({ jti: 'j-1' });
      expect(headerOf(issued.accessToken)).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: keys.current.kid });
      const iat = NOW.getTime() / 1000;
      expect(claimsOf(issued.accessToken)).toEqual({
        iss: ISSUER, aud: TENANT_URL, sub: CLIENT, client_id: CLIENT, secret_id: 's3cr3t01', scope: 'scim', jti: 'j-1', iat, nbf: iat, exp: iat + 3600,
      });
      expect(issued).toMatchObject({ expiresIn: 3600, scope: 'scim', jti: 'j-1', expiresAt: at(minutes(60)) });
    });

    it('gives each token its own jti by default', async () => {
      const [a, b] = await Promise.all([issue(), issue()]);
      expect(a.jti).not.toBe(b.jti);
    });

    it('issues 60 to 360 minutes and refuses any other lifetime', async () => {
      expect((await issue({ lifetimeMinutes: 360 })).expiresIn).toBe(21_600);
      for (const lifetimeMinutes of [59, 361, 0, 90.5]) await expect(issue({ lifetimeMinutes })).rejects.toThrow(RangeError);
    });
  });

  describe('verify', () => {
    it('accepts its own token on its application, naming client, secret and expiry', async () => {
      const { accessToken, jti } = await issue();
      expect(await verify(accessToken, expected)).toEqual({ ok: true, appId: APP, clientId: CLIENT, secretId: 's3cr3t01', jti, expiresAt: at(minutes(60)) });
    });

    it('refuses an expired token, and tolerates 60 s of clock skew', async () => {
      const { accessToken } = await issue();
      expect(await verify(accessToken, { ...expected, now: at(minutes(60) + 59_000) })).toMatchObject({ ok: true });
      expect(await verify(accessToken, { ...expected, now: at(minutes(61)) })).toEqual({ ok: false, reason: 'expired' });
    });

    it('refuses a token whose nbf is in the future, beyond the skew', async () => {
      const { accessToken } = await issue({ now: at(minutes(5)) });
      expect(await verify(accessToken, expected)).toEqual({ ok: false, reason: 'not-yet-valid' });
      expect(await verify(accessToken, { ...expected, now: at(minutes(4)) })).toMatchObject({ ok: true });
    });

    it("refuses another application's token as other-application, even on its own audience", async () => {
      const other = await issue({ clientId: newClientId(OTHER_APP), audience: OTHER_TENANT_URL });
      expect(await verify(other.accessToken, expected)).toEqual({ ok: false, reason: 'other-application' });
    });

    it('refuses a token for another audience (not exactly the Tenant URL) as wrong-audience', async () => {
      for (const audience of [`${TENANT_URL}/`, `${TENANT_URL}?aadOptscim062020`, 'https://other.example.com/scim']) {
        const { accessToken } = await issue({ audience });
        expect(await verify(accessToken, expected)).toEqual({ ok: false, reason: 'wrong-audience' });
      }
    });

    it('refuses an audience array even when it contains the Tenant URL', async () => {
      const privateKey = await importJWK(keys.current.privateJwk, 'ES256');
      const token = await new SignJWT({ ...claimsOf((await issue()).accessToken), aud: [TENANT_URL, OTHER_TENANT_URL] })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: keys.current.kid })
        .sign(privateKey);
      expect(await verify(token, expected)).toEqual({ ok: false, reason: 'wrong-audience' });
    });

    it('refuses a token of another issuer as wrong-issuer', async () => {
      const { accessToken } = await issue({ issuer: 'https://evil.example.com' });
      expect(await verify(accessToken, expected)).toEqual({ ok: false, reason: 'wrong-issuer' });
    });

    it('refuses a tampered token (claims changed, signature kept) as bad-signature', async () => {
      const { accessToken } = await issue();
      expect(await verify(tamperedCopyOf(accessToken, { exp: claimsOf(accessToken).exp as number + 86_400 }), expected)).toEqual({ ok: false, reason: 'bad-signature' });
      const [h, p, s] = accessToken.split('.');
      const flipped = Buffer.from(s, 'base64url');
      flipped[10] ^= 0xff;
      expect(await verify(`${h}.${p}.${flipped.toString('base64url')}`, expected)).toEqual({ ok: false, reason: 'bad-signature' });
    });

    it('refuses alg: none', async () => {
      const { accessToken } = await issue();
      expect(await verify(unsecuredCopyOf(accessToken), expected)).toEqual({ ok: false, reason: 'algorithm-not-allowed' });
    });

    it('refuses HS256 signed with the public key as the HMAC secret (key confusion)', async () => {
      const { accessToken } = await issue();
      for (const forged of await hs256WithPublicKey(accessToken, publicJwkOf(keys.current))) {
        expect(await verify(forged, expected)).toEqual({ ok: false, reason: 'algorithm-not-allowed' });
      }
    });

    it('refuses a token signed by a key that is not published (unknown kid, or a known kid with a foreign key)', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      const claims = claimsOf((await issue()).accessToken);
      const unknownKid = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'not-published' }).sign(privateKey);
      expect(await verify(unknownKid, expected)).toEqual({ ok: false, reason: 'unknown-key' });
      const stolenKid = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: keys.current.kid }).sign(privateKey);
      expect(await verify(stolenKid, expected)).toEqual({ ok: false, reason: 'bad-signature' });
    });

    it('refuses a JWT that is not an access token (typ) or lacks a claim we require, as malformed-token', async () => {
      const { accessToken } = await issue();
      const privateKey = await importJWK(keys.current.privateJwk, 'ES256');
      const sign = (claims: Record<string, unknown>, typ = 'at+jwt') =>
        new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ, kid: keys.current.kid }).sign(privateKey);
      const { secret_id: _secretId, ...withoutSecret } = claimsOf(accessToken);
      expect(await verify(await sign(claimsOf(accessToken), 'JWT'), expected)).toEqual({ ok: false, reason: 'malformed-token' });
      expect(await verify(await sign(withoutSecret), expected)).toEqual({ ok: false, reason: 'malformed-token' });
      expect(await verify(await sign({ ...claimsOf(accessToken), sub: 'someone-else' }), expected)).toEqual({ ok: false, reason: 'malformed-token' });
      expect(await verify(await sign({ ...claimsOf(accessToken), exp: (claimsOf(accessToken).iat as number) + 86_400 }), expected)).toEqual({ ok: false, reason: 'malformed-token' });
    });

    it('refuses a token without the scim scope as wrong-scope', async () => {
      const { accessToken } = await issue();
      const privateKey = await importJWK(keys.current.privateJwk, 'ES256');
      const token = await new SignJWT({ ...claimsOf(accessToken), scope: 'openid' }).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: keys.current.kid }).sign(privateKey);
      expect(await verify(token, expected)).toEqual({ ok: false, reason: 'wrong-scope' });
    });

    it('refuses garbage as malformed-token', async () => {
      for (const token of ['', 'abc', 'a.b.c', compactJws({ alg: 'ES256' }, {}), 'x'.repeat(10_000), `${'e'.repeat(20)}..`]) {
        expect(await verify(token, expected)).toMatchObject({ ok: false });
      }
    });

    it('never throws and never accepts for arbitrary input (fast-check)', async () => {
      const { accessToken } = await issue();
      const [h, p, s] = accessToken.split('.');
      const part = fc.oneof(fc.constantFrom(h, p, s, '', 'e30', 'eyJhbGciOiJub25lIn0'), fc.base64String({ maxLength: 40 }), fc.string({ maxLength: 20 }));
      const token = fc.oneof(fc.string({ maxLength: 200 }), fc.tuple(part, part, part).map((parts) => parts.join('.')));
      await fc.assert(
        fc.asyncProperty(token, async (t) => {
          fc.pre(t !== accessToken);
          const result = await verify(t, expected);
          expect(result.ok).toBe(false);
        }),
        { numRuns: 300 },
      );
    });
  });
});
