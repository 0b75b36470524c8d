import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { createKeySetCache, KeysUnavailableError } from '../../../lambdas/oauth/key-set-cache';
import { at, NOW } from './fixtures';

const DAY = 86_400_000;
let jwk: JWK;
beforeAll(async () => {
  const { publicKey } = await generateKeyPair('ES256');
  jwk = { ...(await exportJWK(publicKey)), kid: 'k1', use: 'sig' };
});

const header = { alg: 'ES256', kid: 'k1' };
const token = { payload: '', signature: '' };

describe('createKeySetCache', () => {
  it('refetches keys older than maxAgeSeconds before use', async () => {
    const fetchKeySet = jest.fn(async () => ({ keys: [jwk] }));
    const cache = createKeySetCache({ fetchKeySet, maxAgeSeconds: 3600 });
    await cache.lookupAt(NOW)(header, token);
    await cache.lookupAt(at(3_599_000))(header, token);
    expect(fetchKeySet).toHaveBeenCalledTimes(1);
    await cache.lookupAt(at(3_600_000))(header, token);
    expect(fetchKeySet).toHaveBeenCalledTimes(2);
  });

  it('shares one fetch between concurrent lookups', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fetchKeySet = jest.fn(async () => {
      await gate;
      return { keys: [jwk] };
    });
    const cache = createKeySetCache({ fetchKeySet });
    const lookups = Array.from({ length: 10 }, () => cache.lookupAt(NOW)(header, token));
    release();
    await Promise.all(lookups);
    expect(fetchKeySet).toHaveBeenCalledTimes(1);
  });

  it('keeps serving the keys it has when a refresh fails', async () => {
    let fail = false;
    const fetchKeySet = jest.fn(async () => {
      if (fail) throw new Error('503 from the key source');
      return { keys: [jwk] };
    });
    const cache = createKeySetCache({ fetchKeySet, maxAgeSeconds: 60 });
    await cache.lookupAt(NOW)(header, token);
    fail = true;
    await expect(cache.lookupAt(at(DAY))(header, token)).resolves.toBeDefined();
    expect(fetchKeySet).toHaveBeenCalledTimes(2);
  });

  it('throws KeysUnavailableError when it has never held keys and the source fails or returns no key set', async () => {
    await expect(createKeySetCache({ fetchKeySet: async () => Promise.reject(new Error('down')) }).lookupAt(NOW)(header, token)).rejects.toThrow(KeysUnavailableError);
    await expect(createKeySetCache({ fetchKeySet: async () => ({ nokeys: true }) }).lookupAt(NOW)(header, token)).rejects.toThrow(KeysUnavailableError);
    await expect(createKeySetCache({ fetchKeySet: async () => 'not json' }).lookupAt(NOW)(header, token)).rejects.toThrow(KeysUnavailableError);
  });

  it('leaves encryption keys out of the set', async () => {
    const cache = createKeySetCache({ fetchKeySet: async () => ({ keys: [{ ...jwk, use: 'enc' }] }) });
    await expect(cache.lookupAt(NOW)(header, token)).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
    expect(cache.keys()).toEqual({ keys: [] });
  });
});
