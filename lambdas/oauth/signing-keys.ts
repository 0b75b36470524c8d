/**
 * The gateway's access-token signing keys: a key set with the key that signs (`current`), the one
 * that will sign next (`next`, already published) and the one that signed before (`previous`,
 * still published until every token it signed has expired). Pure data plus jose for the key
 * material; the wiring keeps the whole set in Secrets Manager and publishes publicKeySet(set).
 *
 * Why ES256 (ECDSA P-256 / SHA-256), not EdDSA: it is stable in Node 20's WebCrypto, which jose
 * uses, where Ed25519 is still experimental (graduated later, nodejs/node#56142); AWS KMS signs
 * with it (ECC_NIST_P256 / ECDSA_SHA_256), so moving signing to KMS later changes no verifier; and
 * RFC 7518 §3.1 rates it Recommended+. Keys and signatures (64 bytes) stay small in every token.
 *
 * Why the set has a `next`: the authorizer caches the published keys, so a key must be published
 * for longer than that cache lives before anything is signed with it, or the first tokens of the
 * new key are refused. rotateKeySet refuses to promote a `next` younger than that lead, and to drop
 * a `previous` whose tokens may still be alive.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JSONWebKeySet, type JWK } from 'jose';
import * as z from 'zod/mini';

export const ACCESS_TOKEN_ALG = 'ES256';

/** How long `next` is published before it signs: at least the authorizer's key-cache lifetime. */
export const DEFAULT_PUBLISH_LEAD_SECONDS = 3600;
/** How long `previous` stays published after it stopped signing: the longest token lifetime (360 min) plus skew. */
export const DEFAULT_PREVIOUS_RETENTION_SECONDS = 360 * 60 + 300;

export interface SigningKey {
  /** RFC 7638 thumbprint of the public key: stable, unique, and says nothing else. */
  kid: string;
  /** The private key as a JWK (EC P-256 with `d`): only the signer reads it. */
  privateJwk: JWK;
  created: string;
}

export interface RetiredSigningKey extends SigningKey {
  /** When it stopped signing. */
  retiredAt: string;
}

export interface KeySet {
  current: SigningKey;
  next: SigningKey;
  previous?: RetiredSigningKey;
}

export const generateSigningKey = async (now: Date): Promise<SigningKey> => {
  const { privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG, { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicPartOf(privateJwk), 'sha256');
  return { kid, privateJwk: { ...privateJwk, kid, alg: ACCESS_TOKEN_ALG }, created: now.toISOString() };
};

/** The first set of a deployment: one key signing, the next one already published. */
export const newKeySet = async (now: Date): Promise<KeySet> => ({ current: await generateSigningKey(now), next: await generateSigningKey(now) });

export interface RotationOptions {
  /** @default DEFAULT_PUBLISH_LEAD_SECONDS */
  publishLeadSeconds?: number;
  /** @default DEFAULT_PREVIOUS_RETENTION_SECONDS */
  previousRetentionSeconds?: number;
}

export class KeyRotationError extends Error {
  override readonly name = 'KeyRotationError';
}

const ageSeconds = (since: string, now: Date): number => (now.getTime() - Date.parse(since)) / 1000;

/**
 * next → current → previous, and a fresh next. Throws KeyRotationError (an operator's mistake, not
 * a client's) when `next` has not been published long enough or `previous` may still verify live tokens.
 */
export const rotateKeySet = async (set: KeySet, now: Date, options: RotationOptions = {}): Promise<KeySet> => {
  const lead = options.publishLeadSeconds ?? DEFAULT_PUBLISH_LEAD_SECONDS;
  const retention = options.previousRetentionSeconds ?? DEFAULT_PREVIOUS_RETENTION_SECONDS;
  if (ageSeconds(set.next.created, now) < lead) {
    throw new KeyRotationError(`the next key ${set.next.kid} is published for less than ${lead} s: verifiers may not know it yet`);
  }
  if (set.previous && ageSeconds(set.previous.retiredAt, now) < retention) {
    throw new KeyRotationError(`the previous key ${set.previous.kid} retired less than ${retention} s ago: tokens it signed may still be alive`);
  }
  return { previous: { ...set.current, retiredAt: now.toISOString() }, current: set.next, next: await generateSigningKey(now) };
};

/** The key that signs now. */
export const signingKeyOf = (set: KeySet): SigningKey => set.current;

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y'] as const;
const publicPartOf = (jwk: JWK): JWK => Object.fromEntries(PUBLIC_MEMBERS.filter((m) => jwk[m] !== undefined).map((m) => [m, jwk[m]]));

/** A public JWK with its `kid`, `alg` and `use`: never `d`. */
export const publicJwkOf = (key: SigningKey): JWK => ({ ...publicPartOf(key.privateJwk), kid: key.kid, alg: ACCESS_TOKEN_ALG, use: 'sig' });

/** What verifiers may know: current, next and (while it lasts) previous, as a JWKS (RFC 7517 §5). */
export const publicKeySet = (set: KeySet): JSONWebKeySet => ({
  keys: [set.current, set.next, ...(set.previous ? [set.previous] : [])].map(publicJwkOf),
});

const Base64Url = z.string().check(z.regex(/^[A-Za-z0-9_-]+$/));
const SigningKeySchema = z.object({
  kid: z.string().check(z.minLength(1)),
  privateJwk: z.looseObject({ kty: z.literal('EC'), crv: z.literal('P-256'), x: Base64Url, y: Base64Url, d: Base64Url }),
  created: z.iso.datetime({ offset: true }),
});
const KeySetSchema = z.object({
  current: SigningKeySchema,
  next: SigningKeySchema,
  previous: z.optional(z.extend(SigningKeySchema, { retiredAt: z.iso.datetime({ offset: true }) })),
});

/**
 * The key set from its stored JSON (the secret's value). A broken secret is the deployment's fault:
 * it throws, so the token endpoint answers 5xx rather than issuing or refusing at random.
 */
export const parseKeySet = (json: string): KeySet => {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (cause) {
    throw new Error('The signing key set is not JSON.', { cause });
  }
  const parsed = KeySetSchema.safeParse(value);
  if (!parsed.success) throw new Error(`The signing key set is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data as KeySet;
};

export const serializeKeySet = (set: KeySet): string => JSON.stringify(set);
