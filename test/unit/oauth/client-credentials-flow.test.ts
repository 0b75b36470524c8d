/**
 * The pure pieces chained the way the token endpoint and the authorizer will chain them, replaying
 * Microsoft's validator (Validate_Credentials_Test, ../shared/reference/entra-scim.md §2): a
 * form-encoded client_secret_post request, a token of 60–360 minutes, then the SCIM call with it.
 */
import {
  addClientSecret,
  authenticateClient,
  bearerKindOf,
  clientStanding,
  createAccessTokenSigner,
  createAccessTokenVerifier,
  newKeySet,
  parseTokenRequest,
  principalContext,
  publicKeySet,
  revokeClientSecret,
  signingKeyOf,
  staticKeySource,
  tokenErrorResponse,
  tokenSuccessResponse,
  type KeySet,
  type OAuthClient,
} from '../../../lambdas/oauth';
import { APP, clientOf, ISSUER, NOW, OTHER_APP, TENANT_URL } from './fixtures';

let keys: KeySet;
beforeAll(async () => {
  keys = await newKeySet(NOW);
});

/** The token endpoint of APP, over the stored clients, as the handler will run it. */
const tokenEndpoint = async (clients: OAuthClient[], request: { body: string; authorization?: string }) => {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (request.authorization) headers.authorization = request.authorization;
  const parsed = parseTokenRequest({ method: 'POST', headers, body: request.body });
  if (!parsed.ok) return tokenErrorResponse(parsed);
  const stored = clients.find((c) => c.clientId === parsed.clientId);
  const auth = authenticateClient(parsed, stored, { appId: APP, now: NOW });
  if (!auth.ok) return tokenErrorResponse(auth.error);
  const signer = await createAccessTokenSigner(signingKeyOf(keys));
  const grant = await signer.issue({ issuer: ISSUER, audience: TENANT_URL, clientId: auth.client.clientId, secretId: auth.secretId, lifetimeMinutes: auth.client.tokenLifetimeMinutes, now: NOW });
  return tokenSuccessResponse(grant);
};

/** The authorizer of APP's Tenant URL for a bearer token, over the stored clients. */
const authorizer = async (clients: OAuthClient[], bearer: string, appId = APP, audience = TENANT_URL) => {
  if (bearerKindOf(bearer, ISSUER) !== 'access-token') return { allowed: false as const, reason: 'not an access token' };
  const verified = await createAccessTokenVerifier({ issuer: ISSUER, keys: staticKeySource(publicKeySet(keys)) })(bearer, { appId, audience, now: NOW });
  if (!verified.ok) return { allowed: false as const, reason: verified.reason };
  const standing = clientStanding(clients.find((c) => c.clientId === verified.clientId), verified, NOW);
  if (!standing.ok) return { allowed: false as const, reason: standing.reason };
  return { allowed: true as const, context: principalContext({ method: 'oauth-client', clientId: verified.clientId, secretId: verified.secretId }) };
};

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe("Microsoft's validator flow on the pure core", () => {
  it('form-encoded client credentials → a Bearer token of 60–360 minutes → accepted on the Tenant URL', async () => {
    const { client, secret } = clientOf();
    const response = await tokenEndpoint([client], { body: form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: secret }) });
    expect(response.status).toBe(200);
    const body = JSON.parse(response.body) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBeGreaterThanOrEqual(3600);
    expect(body.expires_in).toBeLessThanOrEqual(21_600);
    expect(await authorizer([client], body.access_token)).toEqual({
      allowed: true, context: { authMethod: 'oauth-client', clientId: client.clientId, secretId: client.secrets[0].id },
    });
  });

  it('never issues a token to a client of another application, and never lets one app’s token open another', async () => {
    const ours = clientOf();
    const theirs = clientOf(OTHER_APP);
    const refused = await tokenEndpoint([ours.client, theirs.client], {
      body: form({ grant_type: 'client_credentials', client_id: theirs.client.clientId, client_secret: theirs.secret }),
    });
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ error: 'invalid_client' });

    const response = await tokenEndpoint([ours.client], { body: form({ grant_type: 'client_credentials', client_id: ours.client.clientId, client_secret: ours.secret }) });
    const token = (JSON.parse(response.body) as { access_token: string }).access_token;
    expect(await authorizer([ours.client], token, OTHER_APP, `https://scim.example.com/prod/apps/${OTHER_APP}/scim/v2`)).toEqual({ allowed: false, reason: 'other-application' });
  });

  it('rotation: both live secrets get tokens; after revoking one, it gets invalid_client and its tokens are cut off', async () => {
    const { client, secret: first, secretId: firstId } = clientOf();
    const second = addClientSecret(client, {}, NOW);
    const tokenFor = async (clients: OAuthClient[], secret: string) =>
      tokenEndpoint(clients, { body: form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: secret }) });

    const a = await tokenFor([second.client], first);
    const b = await tokenFor([second.client], second.clientSecret);
    expect([a.status, b.status]).toEqual([200, 200]);

    const rotated = revokeClientSecret(second.client, firstId, NOW);
    const refused = await tokenFor([rotated], first);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ error: 'invalid_client' });
    expect(refused.headers['WWW-Authenticate']).toBe('Basic realm="scim-gateway"');

    const tokenOf = (r: { body: string }) => (JSON.parse(r.body) as { access_token: string }).access_token;
    expect(await authorizer([rotated], tokenOf(a))).toEqual({ allowed: false, reason: 'secret-revoked' });
    expect(await authorizer([rotated], tokenOf(b))).toMatchObject({ allowed: true });
  });
});
