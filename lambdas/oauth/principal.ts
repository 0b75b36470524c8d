/**
 * How a request authenticated, for the provisioning report ("Secret Token id, OAuth client id,
 * Entra tenant") and for the authorizer context, which API Gateway only carries as flat string
 * values. One type, one encoding, one decoding, so the authorizer and the report row read the same.
 */

export type Principal =
  | { method: 'secret-token'; tokenId: string }
  | { method: 'oauth-client'; clientId: string; secretId: string }
  | { method: 'entra'; tenantId: string; clientAppId?: string };

/** The authorizer context keys (string values only, as API Gateway requires). */
export const PRINCIPAL_CONTEXT_KEYS = ['authMethod', 'tokenId', 'clientId', 'secretId', 'tenantId', 'clientAppId'] as const;
type ContextKey = (typeof PRINCIPAL_CONTEXT_KEYS)[number];

export const principalContext = (principal: Principal): Partial<Record<ContextKey, string>> => {
  switch (principal.method) {
    case 'secret-token':
      return { authMethod: principal.method, tokenId: principal.tokenId };
    case 'oauth-client':
      return { authMethod: principal.method, clientId: principal.clientId, secretId: principal.secretId };
    case 'entra':
      return principal.clientAppId === undefined
        ? { authMethod: principal.method, tenantId: principal.tenantId }
        : { authMethod: principal.method, tenantId: principal.tenantId, clientAppId: principal.clientAppId };
  }
};

/** The principal an authorizer context carries, or undefined when it carries none (or a broken one). */
export const principalFromContext = (context: Readonly<Record<string, unknown>> | undefined): Principal | undefined => {
  const text = (key: ContextKey): string | undefined => (typeof context?.[key] === 'string' && context[key] !== '' ? (context[key] as string) : undefined);
  const tokenId = text('tokenId');
  const clientId = text('clientId');
  const secretId = text('secretId');
  const tenantId = text('tenantId');
  switch (text('authMethod')) {
    case 'secret-token':
      return tokenId ? { method: 'secret-token', tokenId } : undefined;
    case 'oauth-client':
      return clientId && secretId ? { method: 'oauth-client', clientId, secretId } : undefined;
    case 'entra': {
      if (!tenantId) return undefined;
      const clientAppId = text('clientAppId');
      return clientAppId ? { method: 'entra', tenantId, clientAppId } : { method: 'entra', tenantId };
    }
    default:
      return undefined;
  }
};

/** One line for a report row: "Secret Token ab12cd34", "OAuth client scgwc_… (secret …)", "Entra tenant …". */
export const describePrincipal = (principal: Principal): string => {
  switch (principal.method) {
    case 'secret-token':
      return `Secret Token ${principal.tokenId}`;
    case 'oauth-client':
      return `OAuth client ${principal.clientId} (secret ${principal.secretId})`;
    case 'entra':
      return `Entra tenant ${principal.tenantId}`;
  }
};
