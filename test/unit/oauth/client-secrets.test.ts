import * as crypto from 'node:crypto';
import {
  isClientId,
  issueClientSecret,
  newClientId,
  parseClientId,
  secretIdOf,
  verifyClientSecret,
} from '../../../lambdas/oauth/client-secrets';
import { APP, at, minutes, NOW } from './fixtures';

const YEAR = new Date('2027-06-01T12:00:00Z');

describe('oauth/client-secrets', () => {
  it('makes client ids scgwc_<appId>_<8 alphanumerics> that name their application', () => {
    const id = newClientId(APP);
    expect(id).toMatch(/^scgwc_abcdefghij12_[a-z0-9]{8}$/);
    expect(parseClientId(id)).toEqual({ appId: APP });
    expect(isClientId(id)).toBe(true);
  });

  it('refuses to make a client id for something that is not an application id', () => {
    expect(() => newClientId('APP#1')).toThrow(/application id/);
  });

  it('reads no application out of ids that are not ours', () => {
    for (const id of ['', 'scgwc_abcdefghij12', 'scgw_abcdefghij12_k3y00001', 'scgwc_ABCDEFGHIJ12_k3y00001', 'scgwc_abcdefghij12_k3y00001_x']) {
      expect(parseClientId(id)).toBeUndefined();
    }
  });

  it('issues secrets scgws_<secretId>_<256-bit base64url> and stores only the SHA-256 of the whole secret', () => {
    const { secret, stored } = issueClientSecret(NOW, YEAR);
    const match = /^scgws_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/.exec(secret);
    expect(match).not.toBeNull();
    expect(Buffer.from(match![2], 'base64url')).toHaveLength(32);
    expect(stored).toEqual({ id: match![1], hash: crypto.createHash('sha256').update(secret).digest('hex'), created: NOW.toISOString(), expiresAt: YEAR.toISOString() });
    expect(secretIdOf(secret)).toBe(stored.id);
  });

  it('never issues the same secret twice', () => {
    expect(new Set(Array.from({ length: 200 }, () => issueClientSecret(NOW, YEAR).secret)).size).toBe(200);
  });

  describe('verifyClientSecret', () => {
    it('accepts either of two live secrets (rotation)', () => {
      const a = issueClientSecret(NOW, YEAR);
      const b = issueClientSecret(NOW, YEAR);
      expect(verifyClientSecret(a.secret, [a.stored, b.stored], [], NOW)).toEqual({ ok: true, secretId: a.stored.id });
      expect(verifyClientSecret(b.secret, [a.stored, b.stored], [], NOW)).toEqual({ ok: true, secretId: b.stored.id });
    });

    it('says wrong-secret for a secret that is none of them', () => {
      const a = issueClientSecret(NOW, YEAR);
      expect(verifyClientSecret(issueClientSecret(NOW, YEAR).secret, [a.stored], [], NOW)).toEqual({ ok: false, reason: 'wrong-secret' });
      expect(verifyClientSecret('', [a.stored], [], NOW)).toEqual({ ok: false, reason: 'wrong-secret' });
    });

    it('says secret-expired for a live secret past its expiry', () => {
      const a = issueClientSecret(NOW, at(minutes(1)));
      expect(verifyClientSecret(a.secret, [a.stored], [], at(minutes(1)))).toEqual({ ok: false, reason: 'secret-expired' });
    });

    it('says secret-revoked or secret-expired for a retired secret, by its id', () => {
      const a = issueClientSecret(NOW, YEAR);
      const b = issueClientSecret(NOW, YEAR);
      const retired = [{ id: a.stored.id, reason: 'revoked' as const, at: NOW.toISOString() }, { id: b.stored.id, reason: 'expired' as const, at: NOW.toISOString() }];
      expect(verifyClientSecret(a.secret, [], retired, NOW)).toEqual({ ok: false, reason: 'secret-revoked' });
      expect(verifyClientSecret(b.secret, [], retired, NOW)).toEqual({ ok: false, reason: 'secret-expired' });
    });

    it('compares against every live secret, even after a match (no early exit to time)', () => {
      // The real module object (an `import *` namespace is a copy that the code under test never calls).
      const spy = jest.spyOn(require('node:crypto') as typeof crypto, 'timingSafeEqual');
      const a = issueClientSecret(NOW, YEAR);
      const b = issueClientSecret(NOW, YEAR);
      verifyClientSecret(a.secret, [a.stored, b.stored], [], NOW);
      expect(spy).toHaveBeenCalledTimes(2);
      spy.mockRestore();
    });
  });
});
