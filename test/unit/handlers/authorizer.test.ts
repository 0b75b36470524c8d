import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, PutSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createAuthorizer, stagePrefixOf } from '../../../lambdas/handlers/authorizer';
import { bootstrapToken, issueAdminToken, issueAppToken, type IssuedToken } from '../../../lambdas/domain/secret-tokens';
import { createAppStore } from '../../../lambdas/store/application-items';
import { createAuthLookups, invalidatingStores } from '../../../lambdas/store/auth-lookups';
import { keys } from '../../../lambdas/store/keys';
import { createSecretsManagerStore } from '../../../lambdas/store/secret-stores';
import { createTokenVault } from '../../../lambdas/store/token-vault';

const APP = 'abcdefghij12';
const OTHER = 'zyxwvutsrq98';
const PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod';
const NOW = new Date('2026-06-01T12:00:00Z');

const event = (authorizationToken: string, path = `apps/${APP}/scim/v2/Users`): APIGatewayTokenAuthorizerEvent => ({
  type: 'TOKEN',
  authorizationToken,
  methodArn: `${PREFIX}/GET/${path}`,
});

const sm = mockClient(SecretsManagerClient);
const ddb = mockClient(DynamoDBDocumentClient);

const authorizer = (ttlSeconds: number) =>
  createAuthorizer({
    lookups: createAuthLookups(
      {
        apps: createAppStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'main'),
        vault: createTokenVault(createSecretsManagerStore(new SecretsManagerClient({})), 'scim-gateway'),
      },
      ttlSeconds,
    ),
    now: () => NOW,
  });

/** An authorizer caching for 60 s beside the stores this process writes through (the local gateway's set-up). */
const sameProcess = () => {
  const stores = invalidatingStores({
    apps: createAppStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'main'),
    vault: createTokenVault(createSecretsManagerStore(new SecretsManagerClient({})), 'scim-gateway'),
  });
  return { stores, authorize: createAuthorizer({ lookups: createAuthLookups(stores, 60), now: () => NOW }) };
};

const secretOf = (...tokens: IssuedToken[]) => ({ SecretString: JSON.stringify({ tokens: tokens.map((t) => t.stored) }) });
const appItem = { ...keys.app(APP), type: 'App', id: APP, name: 'Entra ID', requiredAttributes: ['userName', 'name.givenName'], tokens: [] };

describe('authorizer handler', () => {
  let current: IssuedToken;
  let admin: IssuedToken;

  beforeEach(() => {
    sm.reset();
    ddb.reset();
    current = issueAppToken(APP, NOW);
    admin = issueAdminToken(NOW);
    sm.on(GetSecretValueCommand, { SecretId: `scim-gateway/apps/${APP}` }).resolves(secretOf(current));
    sm.on(GetSecretValueCommand, { SecretId: 'scim-gateway/admin' }).resolves({
      SecretString: JSON.stringify({ tokens: [admin.stored], bootstrap: 'Bootstrap0123456789abcdefghijkl' }),
    });
    sm.on(GetSecretValueCommand, { SecretId: `scim-gateway/apps/${OTHER}` }).rejects(
      new ResourceNotFoundException({ message: 'not found', $metadata: {} }),
    );
    ddb.on(GetCommand, { Key: keys.app(APP) }).resolves({ Item: appItem });
  });
  afterAll(() => {
    sm.restore();
    ddb.restore();
  });

  it('allows an application token on its own app prefix only, with the app in the context', async () => {
    const result = await authorizer(0)(event(`Bearer ${current.token}`));
    expect(result).toEqual({
      principalId: `app:${APP}:${current.stored.id}`,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${PREFIX}/*/apps/${APP}/scim/*`] }],
      },
      context: {
        kind: 'app',
        appId: APP,
        appName: 'Entra ID',
        authMethod: 'secret-token',
        tokenId: current.stored.id,
        requiredAttributes: '["userName","name.givenName"]',
        accessDenied: 'the Secret Token belongs to another application: use the Tenant URL and Secret Token of the same application',
      },
    });
  });

  it('accepts the scheme in lower case', async () => {
    await expect(authorizer(0)(event(`bearer ${current.token}`))).resolves.toHaveProperty('principalId');
  });

  it('allows an admin token on /admin and below only', async () => {
    const result = await authorizer(0)(event(`Bearer ${admin.token}`, 'admin/apps'));
    expect(result.principalId).toBe(`admin:${admin.stored.id}`);
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${PREFIX}/*/admin`, `${PREFIX}/*/admin/*`] },
    ]);
    expect(result.context).toEqual({ kind: 'admin', tokenId: admin.stored.id, accessDenied: expect.stringContaining('admin token') });
  });

  it('accepts the bootstrap admin token scgw_admin_boot_<bootstrap>', async () => {
    const result = await authorizer(0)(event(`Bearer ${bootstrapToken('Bootstrap0123456789abcdefghijkl')}`, 'admin/apps'));
    expect(result.context).toMatchObject({ kind: 'admin', tokenId: 'boot' });
  });

  it.each([
    ['no header', ''],
    ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['a token of another shape', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x'],
    ['a bare word', 'Bearer x'],
    ['an unknown application', `Bearer scgw_${OTHER}_abcd1234_${'A'.repeat(43)}`],
  ])('refuses %s with exactly "Unauthorized"', async (_what, header) => {
    await expect(authorizer(0)(event(header))).rejects.toThrow(/^Unauthorized$/);
  });

  it('refuses a token differing from a stored one in its last character', async () => {
    const forged = current.token.slice(0, -1) + (current.token.endsWith('A') ? 'B' : 'A');
    await expect(authorizer(0)(event(`Bearer ${forged}`))).rejects.toThrow(/^Unauthorized$/);
  });

  it('refuses an expired token', async () => {
    const expiring = issueAppToken(APP, NOW, '2026-06-01T11:00:00.000Z');
    sm.on(GetSecretValueCommand, { SecretId: `scim-gateway/apps/${APP}` }).resolves(secretOf(expiring));
    await expect(authorizer(0)(event(`Bearer ${expiring.token}`))).rejects.toThrow(/^Unauthorized$/);
  });

  it('refuses a valid token whose application item is gone', async () => {
    ddb.on(GetCommand, { Key: keys.app(APP) }).resolves({});
    await expect(authorizer(0)(event(`Bearer ${current.token}`))).rejects.toThrow(/^Unauthorized$/);
  });

  it('fails closed when Secrets Manager fails: a non-Unauthorized error, never a policy', async () => {
    sm.on(GetSecretValueCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const outcome = authorizer(0)(event(`Bearer ${current.token}`));
    await expect(outcome).rejects.toThrow();
    await expect(outcome).rejects.not.toThrow(/^Unauthorized$/);
  });

  it('fails closed when DynamoDB fails', async () => {
    ddb.on(GetCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalServerError' }));
    await expect(authorizer(0)(event(`Bearer ${current.token}`))).rejects.toThrow(/^Could not read application settings/);
  });

  it('fails closed when a secret does not hold token hashes', async () => {
    sm.on(GetSecretValueCommand, { SecretId: `scim-gateway/apps/${APP}` }).resolves({ SecretString: 'not json' });
    await expect(authorizer(0)(event(`Bearer ${current.token}`))).rejects.toThrow(/^Could not read application token hashes/);
  });

  it('fails closed on a methodArn it cannot read', async () => {
    await expect(
      authorizer(0)({ type: 'TOKEN', authorizationToken: `Bearer ${current.token}`, methodArn: 'nonsense' }),
    ).rejects.toThrow(/methodArn/);
  });

  it('reads Secrets Manager once for many calls within the cache TTL', async () => {
    const authorize = authorizer(60);
    for (let i = 0; i < 10; i++) await authorize(event(`Bearer ${current.token}`));
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 1);
  });

  it('shares one read between concurrent calls', async () => {
    const authorize = authorizer(60);
    await Promise.all(Array.from({ length: 5 }, () => authorize(event(`Bearer ${current.token}`))));
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it('reads Secrets Manager on every call when the cache is off (TTL 0)', async () => {
    const authorize = authorizer(0);
    for (let i = 0; i < 3; i++) await authorize(event(`Bearer ${current.token}`));
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 3);
  });

  it('does not remember a failed read: the next call tries again', async () => {
    const authorize = authorizer(60);
    sm.on(GetSecretValueCommand, { SecretId: `scim-gateway/apps/${APP}` })
      .rejectsOnce(Object.assign(new Error('down'), { name: 'InternalServiceError' }))
      .resolves(secretOf(current));
    await expect(authorize(event(`Bearer ${current.token}`))).rejects.not.toThrow(/^Unauthorized$/);
    await expect(authorize(event(`Bearer ${current.token}`))).resolves.toHaveProperty('principalId');
  });

  it('drops what it cached when this process writes an application or its tokens, so a revocation counts on the next call', async () => {
    const { stores, authorize } = sameProcess();
    await authorize(event(`Bearer ${current.token}`));
    await authorize(event(`Bearer ${current.token}`));
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);

    sm.on(GetSecretValueCommand, { SecretId: `scim-gateway/apps/${APP}` }).resolves(secretOf());
    await stores.vault.putAppTokens(APP, []);
    await expect(authorize(event(`Bearer ${current.token}`))).rejects.toThrow(/^Unauthorized$/);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('counts a failed write as a write too (it may have landed)', async () => {
    const { stores, authorize } = sameProcess();
    await authorize(event(`Bearer ${current.token}`));
    sm.on(PutSecretValueCommand).rejects(Object.assign(new Error('timed out'), { name: 'TimeoutError' }));
    await expect(stores.vault.putAppTokens(APP, [])).rejects.toThrow(/timed out/);
    await authorize(event(`Bearer ${current.token}`));
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('remembers an unknown application within the TTL, so invented ids do not reach Secrets Manager each time', async () => {
    const authorize = authorizer(60);
    const token = `Bearer scgw_${OTHER}_abcd1234_${'A'.repeat(43)}`;
    await expect(authorize(event(token))).rejects.toThrow(/^Unauthorized$/);
    await expect(authorize(event(token))).rejects.toThrow(/^Unauthorized$/);
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: `scim-gateway/apps/${OTHER}` });
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });
});

describe('stagePrefixOf', () => {
  it('keeps partition, region, account, api and stage', () => {
    expect(stagePrefixOf('arn:aws-cn:execute-api:cn-north-1:123:abc/v1/POST/apps/x/scim/v2/Users')).toBe(
      'arn:aws-cn:execute-api:cn-north-1:123:abc/v1',
    );
  });
});
