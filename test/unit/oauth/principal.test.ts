import { authenticationSchemesOf } from '../../../lambdas/oauth/authentication-schemes';
import { bearerKindOf } from '../../../lambdas/oauth/bearer-kind';
import { describePrincipal, principalContext, principalFromContext, type Principal } from '../../../lambdas/oauth/principal';
import { tokenEndpointOf } from '../../../lambdas/oauth/urls';
import { issueAppToken } from '../../../lambdas/domain/secret-tokens';
import { API_URL, APP, compactJws, ISSUER, NOW } from './fixtures';

const principals: Principal[] = [
  { method: 'secret-token', tokenId: 'ab12cd34' },
  { method: 'oauth-client', clientId: 'scgwc_abcdefghij12_k3y00001', secretId: 's3cr3t01' },
  { method: 'entra', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' },
  { method: 'entra', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientAppId: '1b730954-1685-4b74-9bfd-dac224a7b894' },
];

describe('principal (how a request authenticated)', () => {
  it.each(principals)('survives the authorizer context as flat strings: %j', (principal) => {
    const context = principalContext(principal);
    expect(Object.values(context).every((v) => typeof v === 'string')).toBe(true);
    expect(principalFromContext({ ...context, appId: APP })).toEqual(principal);
  });

  it('reads no principal from a context without one or with a broken one', () => {
    expect(principalFromContext(undefined)).toBeUndefined();
    expect(principalFromContext({ appId: APP })).toBeUndefined();
    expect(principalFromContext({ authMethod: 'oauth-client', clientId: 'x' })).toBeUndefined();
    expect(principalFromContext({ authMethod: 'magic', tokenId: 'x' })).toBeUndefined();
  });

  it('describes each for a report row', () => {
    expect(principals.map(describePrincipal)).toEqual([
      'Secret Token ab12cd34',
      'OAuth client scgwc_abcdefghij12_k3y00001 (secret s3cr3t01)',
      'Entra tenant 72f988bf-86f1-41af-91ab-2d7cd011db47',
      'Entra tenant 72f988bf-86f1-41af-91ab-2d7cd011db47',
    ]);
  });
});

describe('bearerKindOf', () => {
  it('tells Secret Tokens, gateway access tokens and Entra JWTs apart by their shape', () => {
    expect(bearerKindOf(issueAppToken(APP, NOW).token, ISSUER)).toBe('secret-token');
    expect(bearerKindOf(compactJws({ alg: 'ES256', typ: 'at+jwt' }, { iss: ISSUER }), ISSUER)).toBe('access-token');
    expect(bearerKindOf(compactJws({ alg: 'RS256', typ: 'JWT' }, { iss: 'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/' }), ISSUER)).toBe('entra-token');
  });

  it('calls anything else unknown', () => {
    expect(bearerKindOf('hello', ISSUER)).toBe('unknown');
    expect(bearerKindOf(compactJws({ alg: 'ES256', typ: 'JWT' }, { iss: ISSUER }), ISSUER)).toBe('unknown');
    expect(bearerKindOf(compactJws({ alg: 'ES256', typ: 'at+jwt' }, { iss: 'https://elsewhere' }), ISSUER)).toBe('unknown');
  });
});

describe('authenticationSchemesOf (ServiceProviderConfig)', () => {
  const links = { tokenEndpoint: tokenEndpointOf(`${API_URL}/`, APP) };

  it('lists what the application accepts, OAuth first and primary', () => {
    const schemes = authenticationSchemesOf({ secretTokens: true, oauthClients: true, entraTokens: true }, links);
    expect(schemes.map((s) => [s.name, s.primary])).toEqual([
      ['OAuth 2.0 client credentials', true],
      ['OAuth Bearer Token', false],
      ['Microsoft Entra ID token', false],
    ]);
    expect(schemes.every((s) => s.type === 'oauthbearertoken')).toBe(true);
    expect(schemes[0].documentationUri).toBe(`${API_URL}/apps/${APP}/oauth/token`);
  });

  it('lists only Secret Tokens for an application without OAuth clients or Entra tenants', () => {
    expect(authenticationSchemesOf({ secretTokens: true, oauthClients: false, entraTokens: false }, links)).toEqual([
      expect.objectContaining({ name: 'OAuth Bearer Token', primary: true }),
    ]);
  });
});
