/**
 * ServiceProviderConfig `authenticationSchemes` (RFC 7643 §5) for what one application accepts,
 * so a client reading discovery learns the truth: Secret Tokens (long-lived bearer tokens), OAuth
 * 2.0 client credentials (the token endpoint) and Entra-issued JWTs. RFC 7643 §5 names the types
 * `oauth`, `oauth2`, `oauthbearertoken`, `httpbasic` and `httpdigest`; every credential here ends
 * as a bearer token (RFC 6750), so each entry is `oauthbearertoken` and the description and
 * `documentationUri` say how the token is obtained. The first entry is `primary`.
 */

/** What one application accepts. */
export interface AuthenticationAcceptance {
  secretTokens: boolean;
  oauthClients: boolean;
  /** True when the application names at least one Entra tenant. */
  entraTokens: boolean;
}

export interface AuthenticationScheme {
  type: 'oauthbearertoken';
  name: string;
  description: string;
  specUri: string;
  documentationUri?: string;
  primary: boolean;
}

const RFC6750 = 'https://www.rfc-editor.org/info/rfc6750';
const RFC6749 = 'https://www.rfc-editor.org/info/rfc6749';

export const authenticationSchemesOf = (accepts: AuthenticationAcceptance, links: { tokenEndpoint: string }): AuthenticationScheme[] => {
  const schemes: Omit<AuthenticationScheme, 'primary'>[] = [];
  // OAuth first when offered: it is what Microsoft's gallery asks new SCIM apps to use.
  if (accepts.oauthClients) {
    schemes.push({
      type: 'oauthbearertoken',
      name: 'OAuth 2.0 client credentials',
      description: `A bearer access token from the token endpoint ${links.tokenEndpoint} (grant_type=client_credentials, scope scim).`,
      specUri: RFC6749,
      documentationUri: links.tokenEndpoint,
    });
  }
  if (accepts.secretTokens) {
    schemes.push({
      type: 'oauthbearertoken',
      name: 'OAuth Bearer Token',
      description: 'Authentication with a bearer token issued to the application (RFC 6750).',
      specUri: RFC6750,
    });
  }
  if (accepts.entraTokens) {
    schemes.push({
      type: 'oauthbearertoken',
      name: 'Microsoft Entra ID token',
      description: 'A bearer JWT issued by Microsoft Entra ID to a tenant the application accepts.',
      specUri: RFC6750,
    });
  }
  return schemes.map((scheme, index) => ({ ...scheme, primary: index === 0 }));
};
