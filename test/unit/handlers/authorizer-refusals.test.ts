/**
 * What the authorizer records when it turns a request to a Tenant URL away: the reason, for the
 * application whose URL was called (a report row), or a metric when no application has that URL.
 * Recording never changes the answer.
 */
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { createAuthorizer } from '../../../lambdas/handlers/authorizer';
import type { MetricName } from '../../../lambdas/shared/metrics';
import { issueAdminToken, issueAppToken, type IssuedToken, type StoredToken } from '../../../lambdas/domain/secret-tokens';
import type { Application } from '../../../lambdas/store/application-items';
import type { AuthLookups } from '../../../lambdas/store/auth-lookups';
import type { Refusal } from '../../../lambdas/store/auth-refusals';

const ENTRA = 'abcdefghij12';
const OKTA = 'zyxwvutsrq98';
const UNKNOWN = 'nnnnnnnnnnnn';
const PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod';
const NOW = new Date('2026-06-01T12:00:30.250Z');
const OTHER_APPLICATION = 'the Secret Token belongs to another application: use the Tenant URL and Secret Token of the same application';

const event = (authorizationToken: string, appId = ENTRA, rest = 'scim/v2/Users'): APIGatewayTokenAuthorizerEvent => ({
  type: 'TOKEN',
  authorizationToken,
  methodArn: `${PREFIX}/GET/apps/${appId}/${rest}`,
});

const application = (id: string, name: string, retiredTokens: Application['retiredTokens'] = []): Application => ({
  id,
  name,
  requiredAttributes: ['userName'],
  created: '2026-01-01T00:00:00.000Z',
  lastModified: '2026-01-01T00:00:00.000Z',
  tokens: [],
  retiredTokens,
  extensionAttributes: [],
  version: 1,
});

describe('authorizer refusals', () => {
  let entra: IssuedToken;
  let okta: IssuedToken;
  let admin: IssuedToken;
  let apps: Record<string, Application>;
  let tokens: Record<string, StoredToken[]>;
  let recorded: Refusal[];
  let metrics: MetricName[];
  let record: jest.Mock<Promise<boolean>, [Refusal]>;

  const lookups = (): AuthLookups => ({
    app: async (id) => apps[id],
    appTokens: async (id) => tokens[id],
    adminTokens: async () => [admin.stored],
  });
  const authorizer = () => createAuthorizer({ lookups: lookups(), refusals: { record }, count: (name) => metrics.push(name), now: () => NOW });

  beforeEach(() => {
    entra = issueAppToken(ENTRA, NOW);
    okta = issueAppToken(OKTA, NOW);
    admin = issueAdminToken(NOW);
    apps = { [ENTRA]: application(ENTRA, 'Entra ID'), [OKTA]: application(OKTA, 'Okta') };
    tokens = { [ENTRA]: [entra.stored], [OKTA]: [okta.stored] };
    recorded = [];
    metrics = [];
    record = jest.fn(async (refusal: Refusal) => {
      recorded.push(refusal);
      return true;
    });
  });

  const refusal = (reason: string, httpStatus = 401) => ({ appId: ENTRA, appName: 'Entra ID', reason, httpStatus, request: 'GET /Users', at: NOW });

  it.each([
    ['no bearer scheme', 'Basic dXNlcjpwYXNz'],
    ['a token that is not a scim-gateway token', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x'],
  ])('records a malformed header (%s) for the application of the Tenant URL', async (_what, header) => {
    await expect(authorizer()(event(header))).rejects.toThrow(/^Unauthorized$/);
    expect(recorded).toEqual([refusal('malformed-header')]);
  });

  it('records an unknown token of the application as unknown-token', async () => {
    const forged = entra.token.slice(0, -1) + (entra.token.endsWith('A') ? 'B' : 'A');
    await expect(authorizer()(event(`Bearer ${forged}`))).rejects.toThrow(/^Unauthorized$/);
    expect(recorded).toEqual([refusal('unknown-token')]);
  });

  it('records a revoked token as revoked, by the id the application remembers', async () => {
    const revoked = issueAppToken(ENTRA, NOW);
    apps[ENTRA] = application(ENTRA, 'Entra ID', [{ id: revoked.stored.id, reason: 'revoked', at: '2026-05-31T00:00:00.000Z' }]);
    await expect(authorizer()(event(`Bearer ${revoked.token}`))).rejects.toThrow(/^Unauthorized$/);
    expect(recorded).toEqual([refusal('revoked')]);
  });

  it('records an expired token as expired, still stored or already pruned', async () => {
    const expiring = issueAppToken(ENTRA, NOW, '2026-06-01T11:00:00.000Z');
    tokens[ENTRA] = [expiring.stored];
    await expect(authorizer()(event(`Bearer ${expiring.token}`))).rejects.toThrow(/^Unauthorized$/);
    const pruned = issueAppToken(ENTRA, NOW);
    apps[ENTRA] = application(ENTRA, 'Entra ID', [{ id: pruned.stored.id, reason: 'expired', at: '2026-05-01T00:00:00.000Z' }]);
    await expect(authorizer()(event(`Bearer ${pruned.token}`))).rejects.toThrow(/^Unauthorized$/);
    expect(recorded).toEqual([refusal('expired'), refusal('expired')]);
  });

  it('records the token of another application (403, with the detail to check) for the application whose URL was called', async () => {
    const result = await authorizer()(event(`Bearer ${okta.token}`));
    // Allowed on Okta's own prefix only: API Gateway answers this URL with 403 and the context's detail.
    expect(result.policyDocument.Statement).toEqual([expect.objectContaining({ Effect: 'Allow', Resource: [`${PREFIX}/*/apps/${OKTA}/scim/*`] })]);
    expect(result.context?.accessDenied).toBe(OTHER_APPLICATION);
    expect(recorded).toEqual([refusal('other-application', 403)]);
  });

  it('records an invalid token of another application as other-application too (that is the mistake to fix)', async () => {
    const forged = okta.token.slice(0, -1) + (okta.token.endsWith('A') ? 'B' : 'A');
    await expect(authorizer()(event(`Bearer ${forged}`))).rejects.toThrow(/^Unauthorized$/);
    expect(recorded).toEqual([refusal('other-application')]);
  });

  it('records an admin token on a Tenant URL as admin-token (403)', async () => {
    const result = await authorizer()(event(`Bearer ${admin.token}`));
    expect(result.context?.accessDenied).toContain('admin token');
    expect(recorded).toEqual([refusal('admin-token', 403)]);
  });

  it('records nothing for an accepted token on its own Tenant URL, or for admin routes', async () => {
    await authorizer()(event(`Bearer ${entra.token}`));
    await authorizer()({ type: 'TOKEN', authorizationToken: 'Bearer x', methodArn: `${PREFIX}/GET/admin/apps` }).catch(() => undefined);
    expect(recorded).toEqual([]);
    expect(metrics).toEqual([]);
  });

  it('counts a refusal on the Tenant URL of no known application as a metric, not a report row', async () => {
    await expect(authorizer()(event(`Bearer ${entra.token}`, UNKNOWN))).resolves.toHaveProperty('principalId');
    await expect(authorizer()(event('Bearer nonsense', 'not-an-app-id-at-all'))).rejects.toThrow(/^Unauthorized$/);
    expect(metrics).toEqual(['RefusedUnknownApplication', 'RefusedUnknownApplication']);
    expect(recorded).toEqual([]);
  });

  it('gives the same answer when recording fails', async () => {
    record.mockRejectedValue(new Error('DynamoDB is down'));
    await expect(authorizer()(event('Bearer nonsense'))).rejects.toThrow(/^Unauthorized$/);
    await expect(authorizer()(event(`Bearer ${okta.token}`))).resolves.toHaveProperty('principalId', expect.stringMatching(/^app:/));
  });

  it('gives the same answer, without waiting for it, when recording never finishes', async () => {
    record.mockReturnValue(new Promise<boolean>(() => undefined));
    await expect(authorizer()(event('Bearer nonsense'))).rejects.toThrow(/^Unauthorized$/);
  });
});
