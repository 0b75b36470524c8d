/**
 * The token endpoint use case over in-memory stores: rate limits per source and per failing client,
 * refusals counted for the report, never an exception for a client's mistake; and the signing
 * keyring, which publishes a created key set before it signs and agrees on one set when two race.
 */
import type { JSONWebKeySet } from 'jose';
import { newClientId } from '../../../lambdas/oauth/client-secrets';
import { createOAuthClient } from '../../../lambdas/oauth/clients';
import { parseKeySet, serializeKeySet, type KeySet } from '../../../lambdas/oauth/signing-keys';
import type { Application } from '../../../lambdas/store/application-items';
import type { Refusal } from '../../../lambdas/store/auth-refusals';
import type { SigningKeyStore } from '../../../lambdas/store/signing-keys';
import { createSigningKeyring } from '../../../lambdas/use-cases/signing-keyring';
import { createTokenEndpoint } from '../../../lambdas/use-cases/token-endpoint';

const NOW = new Date('2026-06-01T12:00:00Z');
const APP_ID = 'abcdefghij12';
const APP: Application = { id: APP_ID, name: 'Entra', requiredAttributes: ['userName'], created: '', lastModified: '', tokens: [], extensionAttributes: [], version: 1 };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** A signing key store in memory, counting what was published when. */
const memoryKeyStore = () => {
  let secret: string | undefined;
  let published: JSONWebKeySet | undefined;
  const log: string[] = [];
  const store: SigningKeyStore = {
    keySet: async () => (secret === undefined ? undefined : parseKeySet(secret)),
    createIfAbsent: async (set: KeySet) => {
      if (secret === undefined) {
        secret = serializeKeySet(set);
        log.push(`created ${set.current.kid}`);
        return set;
      }
      return parseKeySet(secret);
    },
    replace: async () => undefined,
    publishIfAbsent: async (set: KeySet) => {
      if (published) return;
      published = { keys: [set.current, set.next].map((k) => ({ kid: k.kid })) };
      log.push(`published ${set.current.kid}`);
    },
    publishedKeys: async () => published,
  };
  return { store, log };
};

const setUp = () => {
  const issued = createOAuthClient(APP_ID, newClientId(APP_ID), {}, NOW);
  const refusals: Refusal[] = [];
  const keys = memoryKeyStore();
  const endpoint = createTokenEndpoint({
    apps: { get: async (id) => (id === APP_ID ? APP : undefined) },
    clients: { get: async (_app, id) => (id === issued.client.clientId ? issued.client : undefined), noteUse: async () => undefined },
    keyring: createSigningKeyring(keys.store, 60),
    refusals: { record: async (r) => (refusals.push(r), true) },
    now: () => NOW,
  });
  const request = (body: Record<string, string>, sourceIp = '203.0.113.1', appId = APP_ID) =>
    endpoint({ appId, method: 'POST', headers: FORM, body: new URLSearchParams(body).toString(), sourceIp, apiUrl: 'https://scim.test/prod' });
  return { issued, refusals, keys, request };
};

describe('token endpoint (use case)', () => {
  it('issues a token, publishing the first key set before its first signature', async () => {
    const { issued, keys, request } = setUp();
    const answer = await request({ grant_type: 'client_credentials', client_id: issued.client.clientId, client_secret: issued.clientSecret });
    expect(answer.status).toBe(200);
    expect(keys.log).toEqual([expect.stringMatching(/^created /), expect.stringMatching(/^published /)]);
  });

  it('answers 429 with Retry-After once one source sends more than its burst, and serves other sources', async () => {
    const { request } = setUp();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await request({ grant_type: 'client_credentials' })).status);
    // No client authentication at all: invalid_client, until the source has used its burst.
    expect(statuses.every((s) => s === 401)).toBe(true);
    const limited = await request({ grant_type: 'client_credentials' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['Retry-After'])).toBeGreaterThan(0);
    expect((await request({ grant_type: 'client_credentials' }, '198.51.100.9')).status).toBe(401);
  });

  it('after 10 failed authentications of one client id, answers 429 for it; each refusal is counted for the report', async () => {
    const { issued, refusals, request } = setUp();
    const wrong = { grant_type: 'client_credentials', client_id: issued.client.clientId, client_secret: `${issued.clientSecret.slice(0, -3)}abc` };
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await request(wrong, `198.51.100.${i}`)).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    expect(refusals).toHaveLength(11);
    expect(new Set(refusals.map((r) => r.reason))).toEqual(new Set(['oauth-wrong-secret']));
  });

  it('refuses the client of an unknown application as invalid_client, counting nothing (no report to put it in)', async () => {
    const { issued, refusals, request } = setUp();
    const answer = await request({ grant_type: 'client_credentials', client_id: issued.client.clientId, client_secret: issued.clientSecret }, '203.0.113.2', 'zzzzzzzzzzzz');
    expect([answer.status, JSON.parse(answer.body).error]).toEqual([401, 'invalid_client']);
    expect(refusals).toEqual([]);
  });
});

describe('signing keyring', () => {
  it('two containers racing to create the first key set sign with the same key', async () => {
    const { store } = memoryKeyStore();
    const [a, b] = await Promise.all([createSigningKeyring(store, 60).signer(NOW), createSigningKeyring(store, 60).signer(NOW)]);
    expect(a.kid).toBe(b.kid);
  });
});

describe('token endpoint handler', () => {
  it('answers a fault of ours with a bare 500 server_error that carries no internals', async () => {
    const { createTokenHandlerWith } = await import('../../../lambdas/handlers/oauth-token');
    const { loadConfig } = await import('../../../lambdas/shared/config');
    const issued = createOAuthClient(APP_ID, newClientId(APP_ID), {}, NOW);
    const handler = createTokenHandlerWith({ config: loadConfig({ SCIM_LOG_LEVEL: 'SILENT' }) } as never, {
      apps: { get: async () => APP },
      clients: { get: async () => issued.client, noteUse: async () => undefined },
      keyring: { signer: () => Promise.reject(new Error('AccessDeniedException: secret arn:aws:secretsmanager:… is not yours')) },
    });
    const event = {
      httpMethod: 'POST',
      path: `/apps/${APP_ID}/oauth/token`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Host: 'scim.test' },
      pathParameters: { appId: APP_ID },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: issued.client.clientId, client_secret: issued.clientSecret }).toString(),
      isBase64Encoded: false,
      requestContext: { requestId: 'r1', identity: { sourceIp: '203.0.113.5' } },
    };
    const answer = await handler(event as never);
    expect(answer.statusCode).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({ error: 'server_error', error_description: 'the token endpoint failed; retry later' });
    expect(answer.body).not.toContain('secretsmanager');
  });
});
