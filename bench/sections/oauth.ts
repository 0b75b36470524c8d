/**
 * Section "oauth" (issue 17): CPU per request of the OAuth 2.0 client credentials path, in process
 * and without I/O (stores answered from memory), so the figures are the code's own: a token request
 * at the token endpoint (form parsing, SHA-256 secret check, ES256 signature), the signature alone,
 * one access-token verification, and the TOKEN authorizer with warm caches for a JWT and, for
 * comparison, for a Secret Token (CPU and wall-clock p50).
 */
import { createAuthorizer } from '../../lambdas/handlers/authorizer';
import { createAccessTokenSigner, createAccessTokenVerifier } from '../../lambdas/oauth/access-tokens';
import { newClientId } from '../../lambdas/oauth/client-secrets';
import { createOAuthClient } from '../../lambdas/oauth/clients';
import { staticKeySource } from '../../lambdas/oauth/key-set-cache';
import { newKeySet, publicKeySet, signingKeyOf } from '../../lambdas/oauth/signing-keys';
import { issueAppToken } from '../../lambdas/domain/secret-tokens';
import { tenantUrlOf } from '../../lambdas/shared/routes';
import type { Application } from '../../lambdas/store/application-items';
import type { OAuthClientRecord } from '../../lambdas/store/oauth-clients';
import { createBearerJwtVerifier } from '../../lambdas/use-cases/bearer-jwts';
import { createTokenEndpoint } from '../../lambdas/use-cases/token-endpoint';
import type { SectionContext } from '../lib/context';
import { round, summarize } from '../lib/stats';
import type { TableSpec } from '../lib/table';

export interface OAuthCpuCase {
  id: string;
  label: string;
  calls: number;
  cpuMedianUs: number;
  cpuP99Us: number;
  wallP50Us: number;
}

export interface OAuthResults {
  cases: OAuthCpuCase[];
  node: string;
}

const API_URL = 'https://scim.bench/v1';
const APP_ID = 'benchoauth01';

const measure = async (id: string, label: string, calls: number, run: (i: number) => Promise<boolean>): Promise<OAuthCpuCase> => {
  for (let i = 0; i < Math.max(20, Math.floor(calls / 10)); i++) if (!(await run(i))) throw new Error(`${id}: warm-up call refused`);
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    const before = process.cpuUsage();
    const okay = await run(calls + i);
    const used = process.cpuUsage(before);
    wall.push((performance.now() - started) * 1000);
    cpu.push(used.user + used.system);
    if (!okay) throw new Error(`${id}: call ${i} refused`);
  }
  const c = summarize(cpu);
  return { id, label, calls, cpuMedianUs: round(c.median, 1), cpuP99Us: round(c.p99, 1), wallP50Us: round(summarize(wall).median, 1) };
};

export const runOAuth = async (ctx: SectionContext): Promise<{ results: OAuthResults; table: TableSpec }> => {
  const calls = ctx.sizes.cpuIterations;
  const now = new Date();
  const keySet = await newKeySet(now);
  const signer = await createAccessTokenSigner(signingKeyOf(keySet));
  const keys = staticKeySource(publicKeySet(keySet));
  const issued = createOAuthClient(APP_ID, newClientId(APP_ID), {}, now);
  const { lastUsed: _unused, ...record }: OAuthClientRecord = { ...issued.client, secrets: issued.client.secrets.map(({ id, created, expiresAt }) => ({ id, created, expiresAt })) };
  const app: Application = { id: APP_ID, name: 'Bench OAuth', requiredAttributes: ['userName'], created: now.toISOString(), lastModified: now.toISOString(), tokens: [], extensionAttributes: [], version: 1 };
  const secretToken = issueAppToken(APP_ID, now);

  const endpoint = createTokenEndpoint({
    apps: { get: async () => app },
    clients: { get: async () => issued.client, noteUse: async () => undefined },
    keyring: { signer: async () => signer },
  });
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: issued.client.clientId, client_secret: issued.clientSecret }).toString();
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  const audience = tenantUrlOf(API_URL, APP_ID);
  const token = (await signer.issue({ issuer: API_URL, audience, clientId: issued.client.clientId, secretId: issued.secretId, lifetimeMinutes: 60, now })).accessToken;
  const verify = createAccessTokenVerifier({ issuer: API_URL, keys });

  const authorize = createAuthorizer({
    lookups: { app: async () => app, appTokens: async () => [secretToken.stored], adminTokens: async () => [] },
    jwts: createBearerJwtVerifier({ ourKeys: keys, clientRecord: async () => record, entraAcceptance: async () => undefined }),
    count: () => undefined,
  });
  const authorizeWith = async (bearer: string) =>
    (await authorize({ type: 'TOKEN', authorizationToken: `Bearer ${bearer}`, methodArn: `arn:aws:execute-api:us-east-1:000000000000:abc123/v1/GET/apps/${APP_ID}/scim/v2/Users` })).policyDocument
      .Statement[0].Effect === 'Allow';

  const bar = ctx.progress('OAuth CPU (no I/O)', 5);
  const cases: OAuthCpuCase[] = [];
  const step = async (c: Promise<OAuthCpuCase>) => {
    cases.push(await c);
    bar.tick();
  };
  // Each token request comes from its own source so the per-source rate limit never answers 429 here.
  await step(measure('tokenIssue', 'token endpoint: form → client check → ES256 token', calls, async (i) => (await endpoint({ appId: APP_ID, method: 'POST', headers, body, sourceIp: `198.51.${(i >> 8) & 255}.${i & 255}`, apiUrl: API_URL })).status === 200));
  await step(measure('tokenSign', 'ES256 signature of one access token (jose)', calls, async () => (await signer.issue({ issuer: API_URL, audience, clientId: issued.client.clientId, secretId: issued.secretId, lifetimeMinutes: 60, now })).accessToken.length > 0));
  await step(measure('tokenVerify', 'access-token verification (jose ES256, claims)', calls, async () => (await verify(token, { appId: APP_ID, audience, now })).ok));
  await step(measure('authorizerJwt', 'authorizer: OAuth access token, warm caches', calls, () => authorizeWith(token)));
  await step(measure('authorizerSecretToken', 'authorizer: Secret Token, warm caches', calls, () => authorizeWith(secretToken.token)));
  bar.done();

  const results: OAuthResults = { cases, node: process.version };
  const table: TableSpec = {
    title: '2c. OAuth 2.0 client credentials: CPU per request, no I/O',
    headers: ['operation', 'calls', 'CPU median µs', 'CPU p99 µs', 'wall p50 µs'],
    rows: cases.map((c) => [c.label, c.calls, c.cpuMedianUs, c.cpuP99Us, c.wallP50Us]),
    notes: [
      'Stores answered from memory: the token endpoint reads an application and a client, the authorizer its cached application, client record and published keys.',
      'CPU per call from process.cpuUsage() after a warm-up; "wall p50" is the authorizer p50 with a warm cache (no I/O).',
      `Node ${process.version}.`,
    ],
  };
  return { results, table };
};
