import * as crypto from 'node:crypto';
import {
  bearerToken,
  bootstrapToken,
  digestToken,
  hashToken,
  isAppId,
  isExpired,
  issueAdminToken,
  issueAppToken,
  newAppId,
  parseToken,
  randomId,
  verifyToken,
  type StoredToken,
} from '../../../lambdas/domain/secret-tokens';

const NOW = new Date('2026-06-01T12:00:00Z');
const APP = 'abcdefghij12';

describe('domain/secret-tokens', () => {
  afterEach(() => jest.restoreAllMocks());

  describe('generation', () => {
    it('issues scgw_<appId>_<tokenId>_<secret> with an 8-character token id and a 256-bit base64url secret', () => {
      const { token, stored } = issueAppToken(APP, NOW);
      const match = /^scgw_([a-z0-9]{12})_([a-z0-9]{8})_([A-Za-z0-9_-]+)$/.exec(token);
      expect(match).not.toBeNull();
      expect(match![1]).toBe(APP);
      expect(match![2]).toBe(stored.id);
      expect(Buffer.from(match![3], 'base64url')).toHaveLength(32);
    });

    it('stores only the SHA-256 of the whole token, never the token or its secret', () => {
      const { token, stored } = issueAppToken(APP, NOW);
      expect(stored).toEqual({ id: stored.id, hash: crypto.createHash('sha256').update(token).digest('hex'), created: NOW.toISOString() });
      expect(JSON.stringify(stored)).not.toContain(token.split('_').slice(3).join('_'));
    });

    it('keeps an expiry when one is given', () => {
      expect(issueAppToken(APP, NOW, '2027-01-01T00:00:00.000Z').stored.expiresAt).toBe('2027-01-01T00:00:00.000Z');
    });

    it('never issues the same token twice', () => {
      const tokens = new Set(Array.from({ length: 200 }, () => issueAppToken(APP, NOW).token));
      expect(tokens.size).toBe(200);
    });

    it('refuses to issue a token for something that is not an application id', () => {
      expect(() => issueAppToken('APP#1', NOW)).toThrow(/application id/);
    });

    it('issues admin tokens as scgw_admin_<tokenId>_<secret>', () => {
      const { token, stored } = issueAdminToken(NOW);
      expect(token).toMatch(new RegExp(`^scgw_admin_${stored.id}_[A-Za-z0-9_-]{43}$`));
    });

    it('makes application ids of 12 lower-case alphanumerics', () => {
      const ids = Array.from({ length: 100 }, newAppId);
      expect(ids.every(isAppId)).toBe(true);
      expect(new Set(ids).size).toBe(100);
      expect(randomId(5)).toMatch(/^[a-z0-9]{5}$/);
    });
  });

  describe('parseToken', () => {
    it('reads the application and token ids, even when the secret contains underscores', () => {
      expect(parseToken(`scgw_${APP}_abcd1234_ab_cd-ef_ghijklmnopqrstuvwxyz`)).toEqual({ kind: 'app', appId: APP, tokenId: 'abcd1234' });
    });

    it('reads admin and bootstrap tokens', () => {
      expect(parseToken(issueAdminToken(NOW).token)).toMatchObject({ kind: 'admin' });
      expect(parseToken(bootstrapToken('Abcdefghijklmnopqrstuvwxyz012345'))).toEqual({ kind: 'admin', tokenId: 'boot' });
    });

    it.each([
      ['', 'empty'],
      ['scgw_abc_abcd1234_secretsecretsecretsecret', 'short app id'],
      [`scgw_${APP}_ABCD1234_secretsecretsecretsecret`, 'upper-case token id'],
      [`scgw_${APP}_abcd1234_short`, 'short secret'],
      [`scim_${APP}_abcd1234_secretsecretsecretsecret`, 'wrong prefix'],
      [`scgw_${APP}_abcd1234_secret secretsecretsecret`, 'space in secret'],
      [`scgw_${APP}_boot_secretsecretsecretsecret`, 'bootstrap id on an app token'],
    ])('rejects %j (%s)', (token) => {
      expect(parseToken(token)).toBeUndefined();
    });
  });

  describe('bearerToken', () => {
    it('accepts the Bearer scheme in any case', () => {
      expect(bearerToken('Bearer abc')).toBe('abc');
      expect(bearerToken('bearer abc')).toBe('abc');
      expect(bearerToken('BEARER   abc ')).toBe('abc');
    });

    it.each([undefined, '', 'Bearer', 'Bearer ', 'Basic abc', 'abc', 'Bearer a b'])('rejects %j', (header) => {
      expect(bearerToken(header)).toBeUndefined();
    });
  });

  describe('digestToken', () => {
    it('is a 32-byte SHA-256 digest, hex-encoded by hashToken', () => {
      expect(digestToken('x')).toHaveLength(32);
      expect(hashToken('x')).toBe('2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881');
    });
  });

  describe('verifyToken', () => {
    const a = issueAppToken(APP, NOW);
    const b = issueAppToken(APP, NOW);

    it('accepts each stored token and says which one matched', () => {
      expect(verifyToken(a.token, [a.stored, b.stored], NOW)).toEqual({ ok: true, token: a.stored });
      expect(verifyToken(b.token, [a.stored, b.stored], NOW)).toEqual({ ok: true, token: b.stored });
    });

    it('refuses an unknown token, a token differing in one character, and an empty list', () => {
      const flipped = a.token.slice(0, -1) + (a.token.endsWith('A') ? 'B' : 'A');
      expect(verifyToken(flipped, [a.stored, b.stored], NOW)).toEqual({ ok: false, reason: 'unknown' });
      expect(verifyToken(issueAppToken(APP, NOW).token, [a.stored], NOW)).toEqual({ ok: false, reason: 'unknown' });
      expect(verifyToken(a.token, [], NOW)).toEqual({ ok: false, reason: 'unknown' });
    });

    it('refuses a token whose expiry has passed, and accepts it before', () => {
      const expiring: StoredToken = { ...a.stored, expiresAt: '2026-06-01T12:00:00.000Z' };
      expect(verifyToken(a.token, [expiring], NOW)).toEqual({ ok: false, reason: 'expired' });
      expect(verifyToken(a.token, [expiring], new Date('2026-06-01T11:59:59Z'))).toMatchObject({ ok: true });
      expect(isExpired(expiring, NOW)).toBe(true);
      expect(isExpired(a.stored, NOW)).toBe(false);
    });

    it('never matches a malformed stored hash, even an all-zero one', () => {
      const zero = { ...a.stored, hash: '0'.repeat(63) };
      expect(verifyToken(a.token, [zero], NOW)).toEqual({ ok: false, reason: 'unknown' });
    });

    it('compares fixed-length digests against every stored token, whatever the presented token', () => {
      // The real module object (an `import *` namespace is a copy that the code under test never calls).
      const spy = jest.spyOn(require('node:crypto') as typeof crypto, 'timingSafeEqual');
      const stored = [a.stored, b.stored, issueAppToken(APP, NOW).stored];
      const callsFor = (token: string): number => {
        spy.mockClear();
        verifyToken(token, stored, NOW);
        for (const [x, y] of spy.mock.calls) {
          expect((x as Buffer).length).toBe(32);
          expect((y as Buffer).length).toBe(32);
        }
        return spy.mock.calls.length;
      };
      const sharingPrefix = a.token.slice(0, -4) + 'zzzz';
      expect(callsFor(sharingPrefix)).toBe(3);
      expect(callsFor(`scgw_${APP}_zzzzzzzz_${crypto.randomBytes(32).toString('base64url')}`)).toBe(3);
      expect(callsFor('x')).toBe(3);
      // A match on the first stored token does not stop the loop either.
      expect(callsFor(a.token)).toBe(3);
    });
  });
});
