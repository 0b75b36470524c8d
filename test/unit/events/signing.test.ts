import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { generateSecret, isWebhookSecret, signWebhook } from '../../../lambdas/events/signing';
import { initialSecrets, MAX_PREVIOUS_SECRETS, rotateSecrets, signingSecrets } from '../../../lambdas/events/signing-secrets';

const NOW = new Date('2024-05-31T07:00:00.000Z');
const HOUR = 3_600_000;
const EVENT = { id: 'evt_0123456789abcdef0123456789abcdef', type: 'user.deactivated', data: { userName: 'alice@contoso.com', note: 'Zoë — ✓' } };

/** What docs/events.md shows a receiver without a library (plain node:crypto). */
const verifyWithNodeCrypto = (secret: string, headers: Record<string, string>, body: string): boolean => {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = Buffer.from(createHmac('sha256', key).update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`).digest('base64'));
  return headers['webhook-signature'].split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    const given = Buffer.from(signature ?? '');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
};

const fixedBytes = (fill: number) => (size: number) => new Uint8Array(size).fill(fill);

describe('generateSecret', () => {
  it('is whsec_ and the base64 of 32 injected random bytes', () => {
    const secret = generateSecret(fixedBytes(7));
    expect(secret).toBe(`whsec_${Buffer.alloc(32, 7).toString('base64')}`);
    expect(isWebhookSecret(secret)).toBe(true);
  });

  it('differs per call with real randomness, and the library accepts it', () => {
    const [a, b] = [generateSecret(randomBytes), generateSecret(randomBytes)];
    expect(a).not.toBe(b);
    expect(() => new Webhook(a)).not.toThrow();
  });

  it('refuses a random source that gives too few bytes', () => {
    expect(() => generateSecret(() => new Uint8Array(8))).toThrow(RangeError);
  });

  it.each(['whsec_', 'whsec_abc', 'sk_live_x', `whsec_${Buffer.alloc(32).toString('base64url')}x`])('isWebhookSecret refuses %s', (value) => {
    expect(isWebhookSecret(value)).toBe(false);
  });
});

describe('signWebhook', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  it('sends the Standard Webhooks headers: the event id, the time in seconds, a v1 signature', () => {
    const { headers, body } = signWebhook(EVENT, [generateSecret(randomBytes)], NOW);
    expect(headers).toEqual({
      'webhook-id': EVENT.id,
      'webhook-timestamp': String(NOW.getTime() / 1000),
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/),
      'content-type': 'application/json',
    });
    expect(JSON.parse(body)).toEqual(EVENT);
  });

  it('verifies with the standardwebhooks library, which returns the event', () => {
    const secret = generateSecret(randomBytes);
    const { headers, body } = signWebhook(EVENT, [secret], NOW);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(EVENT);
  });

  it('verifies with plain node:crypto', () => {
    const secret = generateSecret(randomBytes);
    const { headers, body } = signWebhook(EVENT, [secret], NOW);
    expect(verifyWithNodeCrypto(secret, { ...headers }, body)).toBe(true);
  });

  it('does not verify with another secret, or once the body is changed', () => {
    const secret = generateSecret(randomBytes);
    const { headers, body } = signWebhook(EVENT, [secret], NOW);
    const other = generateSecret(randomBytes);
    expect(() => new Webhook(other).verify(body, { ...headers })).toThrow('No matching signature found');
    expect(verifyWithNodeCrypto(other, { ...headers }, body)).toBe(false);
    const tampered = body.replace('deactivated', 'reactivated');
    expect(() => new Webhook(secret).verify(tampered, { ...headers })).toThrow('No matching signature found');
    expect(verifyWithNodeCrypto(secret, { ...headers }, tampered)).toBe(false);
  });

  it('signs a retry at its own time: the library refuses the first attempt’s headers an hour later, but not the retry’s', () => {
    const secret = generateSecret(randomBytes);
    const first = signWebhook(EVENT, [secret], NOW);
    const later = new Date(NOW.getTime() + HOUR);
    jest.setSystemTime(later);
    expect(() => new Webhook(secret).verify(first.body, { ...first.headers })).toThrow('Message timestamp too old');
    const retry = signWebhook(EVENT, [secret], later);
    expect(retry.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(new Webhook(secret).verify(retry.body, { ...retry.headers })).toEqual(EVENT);
  });

  it('refuses to sign with no secret', () => {
    expect(() => signWebhook(EVENT, [], NOW)).toThrow(RangeError);
  });
});

describe('secret rotation', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  it('during the 24 hours after a rotation both secrets sign, and a receiver holding either verifies', () => {
    const old = generateSecret(randomBytes);
    const fresh = generateSecret(randomBytes);
    const secrets = rotateSecrets(initialSecrets(old), fresh, NOW);
    const at = new Date(NOW.getTime() + 23 * HOUR);
    jest.setSystemTime(at);
    const { headers, body } = signWebhook(EVENT, signingSecrets(secrets, at), at);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [old, fresh]) {
      expect(new Webhook(secret).verify(body, { ...headers })).toEqual(EVENT);
      expect(verifyWithNodeCrypto(secret, { ...headers }, body)).toBe(true);
    }
  });

  it('24 hours after a rotation only the new secret signs', () => {
    const old = generateSecret(randomBytes);
    const fresh = generateSecret(randomBytes);
    const secrets = rotateSecrets(initialSecrets(old), fresh, NOW);
    const at = new Date(NOW.getTime() + 24 * HOUR);
    jest.setSystemTime(at);
    expect(signingSecrets(secrets, at)).toEqual([fresh]);
    const { headers, body } = signWebhook(EVENT, signingSecrets(secrets, at), at);
    expect(() => new Webhook(old).verify(body, { ...headers })).toThrow('No matching signature found');
  });

  it('rotating again within the day keeps each earlier secret for its own 24 hours, newest first', () => {
    const [a, b, c] = [generateSecret(fixedBytes(1)), generateSecret(fixedBytes(2)), generateSecret(fixedBytes(3))];
    const once = rotateSecrets(initialSecrets(a), b, NOW);
    const twice = rotateSecrets(once, c, new Date(NOW.getTime() + 2 * HOUR));
    expect(signingSecrets(twice, new Date(NOW.getTime() + 3 * HOUR))).toEqual([c, b, a]);
    expect(signingSecrets(twice, new Date(NOW.getTime() + 25 * HOUR))).toEqual([c, b]);
    expect(signingSecrets(twice, new Date(NOW.getTime() + 26 * HOUR))).toEqual([c]);
  });

  it(`keeps at most ${MAX_PREVIOUS_SECRETS} replaced secrets, dropping the oldest`, () => {
    let secrets = initialSecrets(generateSecret(fixedBytes(0)));
    for (let i = 1; i <= 6; i++) secrets = rotateSecrets(secrets, generateSecret(fixedBytes(i)), new Date(NOW.getTime() + i * 60_000));
    expect(signingSecrets(secrets, new Date(NOW.getTime() + 10 * 60_000))).toEqual([6, 5, 4, 3].map((i) => generateSecret(fixedBytes(i))));
  });
});
