/**
 * The token endpoint's signer and the operator's key rotation, over the signing key store.
 *
 * The signer is built once per container and kept for `cacheSeconds` (the same lifetime the
 * authorizer keeps the published keys), so a rotation reaches every token endpoint within that
 * time, and until then they sign with the old key, which rotation keeps published as `previous`.
 * The first token of a deployment creates the key set (one winner if two containers race) and
 * publishes it before signing.
 */
import { createAccessTokenSigner, type AccessTokenSigner } from '../oauth/access-tokens';
import { newKeySet, rotateKeySet, signingKeyOf, type RotationOptions } from '../oauth/signing-keys';
import type { SigningKeyStore } from '../store/signing-keys';

export interface SigningKeyring {
  /** The signer of the current key (loading, or creating, the key set when needed). */
  signer(now: Date): Promise<AccessTokenSigner>;
  /** next → current → previous and a fresh next; refused (KeyRotationError) while that would refuse a live token. */
  rotate(now: Date, options?: RotationOptions): Promise<{ current: string; next: string; previous?: string }>;
}

export const createSigningKeyring = (store: SigningKeyStore, cacheSeconds: number): SigningKeyring => {
  let held: { signer: Promise<AccessTokenSigner>; until: number } | undefined;

  const load = async (now: Date): Promise<AccessTokenSigner> => {
    const set = (await store.keySet()) ?? (await store.createIfAbsent(await newKeySet(now)));
    // A creator that died between its two writes leaves the keys unpublished: whoever loads them publishes.
    await store.publishIfAbsent(set);
    return createAccessTokenSigner(signingKeyOf(set));
  };

  return {
    signer(now) {
      if (held && held.until > now.getTime()) return held.signer;
      const signer = load(now);
      held = { signer, until: now.getTime() + cacheSeconds * 1000 };
      signer.catch(() => {
        if (held?.signer === signer) held = undefined;
      });
      return signer;
    },
    async rotate(now, options) {
      const set = (await store.keySet()) ?? (await store.createIfAbsent(await newKeySet(now)));
      const rotated = await rotateKeySet(set, now, options);
      await store.replace(rotated);
      held = undefined;
      return { current: rotated.current.kid, next: rotated.next.kid, ...(rotated.previous ? { previous: rotated.previous.kid } : {}) };
    },
  };
};
