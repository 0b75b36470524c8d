/**
 * THE route table. The CDK construct builds API Gateway resources and methods from it, and the
 * local HTTP adapter matches requests against it, so local and AWS can never expose different
 * routes. Each route names the Lambda handler that serves it and the operation inside that
 * handler; API Gateway passes the operation as `requestContext.operationName`.
 */

// A handler's name is its file under lambdas/handlers/ (the local loader and the construct both rely on it):
// that folder holds entry points only.
export type HandlerName = 'users' | 'groups' | 'search' | 'discovery' | 'admin' | 'reports' | 'console' | 'admin-users' | 'bulk' | 'oauth-token' | 'oauth-clients' | 'events-admin' | 'directory';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** `scim`: an application's Secret Token; `admin`: an admin token; `directory`: a directory token of the application; `none`: public. */
export type AuthScope = 'scim' | 'admin' | 'directory' | 'none';

export interface Route {
  readonly method: HttpMethod;
  /** API Gateway resource path, `{name}` for path parameters. */
  readonly path: string;
  readonly handler: HandlerName;
  readonly operation: string;
  readonly auth: AuthScope;
}

/** Every application's Tenant URL is `<apiUrl>/apps/<appId>/scim/v2`. */
export const SCIM_PREFIX = '/apps/{appId}/scim/v2';

/** The Tenant URL of application `appId` under the API's public root (`https://host[/stage]`). */
export const tenantUrlOf = (apiUrl: string, appId: string): string => `${apiUrl.replace(/\/+$/, '')}${SCIM_PREFIX.replace('{appId}', appId)}`;

const scim = (method: HttpMethod, path: string, handler: HandlerName, operation: string): Route => ({
  method,
  path: `${SCIM_PREFIX}${path}`,
  handler,
  operation,
  auth: 'scim',
});
const admin = (method: HttpMethod, path: string, handler: HandlerName, operation: string): Route => ({
  method,
  path: `/admin${path}`,
  handler,
  operation,
  auth: 'admin',
});

/** The directory read API of an application (issue 16): `GET` only, directory tokens only. */
export const DIRECTORY_PREFIX = '/apps/{appId}/directory/v1';
const directory = (path: string, operation: string): Route => ({ method: 'GET', path: `${DIRECTORY_PREFIX}${path}`, handler: 'directory', operation, auth: 'directory' });

export const ROUTES: readonly Route[] = [
  scim('GET', '/Users', 'users', 'listUsers'),
  scim('POST', '/Users', 'users', 'createUser'),
  scim('POST', '/Users/.search', 'users', 'searchUsers'),
  scim('GET', '/Users/{id}', 'users', 'getUser'),
  scim('PUT', '/Users/{id}', 'users', 'replaceUser'),
  scim('PATCH', '/Users/{id}', 'users', 'patchUser'),
  scim('DELETE', '/Users/{id}', 'users', 'deleteUser'),

  scim('GET', '/Groups', 'groups', 'listGroups'),
  scim('POST', '/Groups', 'groups', 'createGroup'),
  scim('POST', '/Groups/.search', 'groups', 'searchGroups'),
  scim('GET', '/Groups/{id}', 'groups', 'getGroup'),
  scim('PUT', '/Groups/{id}', 'groups', 'replaceGroup'),
  scim('PATCH', '/Groups/{id}', 'groups', 'patchGroup'),
  scim('DELETE', '/Groups/{id}', 'groups', 'deleteGroup'),

  // RFC 7644 §3.4.3: a SearchRequest at the server root searches Users and Groups together.
  scim('POST', '/.search', 'search', 'searchResources'),

  // RFC 7644 §3.7: many Users and Groups operations in one request, each run as its single route runs it.
  scim('POST', '/Bulk', 'bulk', 'processBulk'),

  scim('GET', '/ServiceProviderConfig', 'discovery', 'getServiceProviderConfig'),
  scim('GET', '/Schemas', 'discovery', 'listSchemas'),
  scim('GET', '/Schemas/{id}', 'discovery', 'getSchema'),
  scim('GET', '/ResourceTypes', 'discovery', 'listResourceTypes'),
  scim('GET', '/ResourceTypes/{id}', 'discovery', 'getResourceType'),

  admin('GET', '/apps', 'admin', 'listApps'),
  admin('POST', '/apps', 'admin', 'createApp'),
  admin('GET', '/apps/{appId}', 'admin', 'getApp'),
  admin('PATCH', '/apps/{appId}', 'admin', 'updateApp'),
  admin('DELETE', '/apps/{appId}', 'admin', 'deleteApp'),
  admin('POST', '/apps/{appId}/tokens', 'admin', 'createToken'),
  admin('DELETE', '/apps/{appId}/tokens/{tokenId}', 'admin', 'revokeToken'),

  admin('GET', '/reports', 'reports', 'listReports'),

  // Profiles, attribute mapping and provisioning features (docs/profiles.md).
  admin('GET', '/apps/{appId}/mapping', 'admin', 'getMapping'),
  admin('PUT', '/apps/{appId}/mapping', 'admin', 'putMapping'),
  admin('POST', '/apps/{appId}/mapping/preview', 'admin', 'previewMapping'),
  admin('GET', '/apps/{appId}/features', 'admin', 'getFeatures'),
  admin('PUT', '/apps/{appId}/features', 'admin', 'putFeatures'),
  admin('GET', '/apps/{appId}/profiles', 'admin', 'listProfiles'),
  admin('GET', '/apps/{appId}/profiles/{userId}', 'admin', 'getProfile'),

  admin('GET', '/apps/{appId}/users', 'admin-users', 'listAppUsers'),
  admin('GET', '/apps/{appId}/users/{id}', 'admin-users', 'getAppUser'),

  // Directory events (issue 16, docs/events.md): webhooks, deliveries, replay, the admin's event
  // view and directory tokens; then the read API for the customer's application (directory tokens).
  admin('POST', '/apps/{appId}/webhooks', 'events-admin', 'createWebhook'),
  admin('GET', '/apps/{appId}/webhooks', 'events-admin', 'listWebhooks'),
  admin('GET', '/apps/{appId}/webhooks/{webhookId}', 'events-admin', 'getWebhook'),
  admin('PATCH', '/apps/{appId}/webhooks/{webhookId}', 'events-admin', 'updateWebhook'),
  admin('DELETE', '/apps/{appId}/webhooks/{webhookId}', 'events-admin', 'deleteWebhook'),
  admin('POST', '/apps/{appId}/webhooks/{webhookId}/rotate-secret', 'events-admin', 'rotateWebhookSecret'),
  admin('POST', '/apps/{appId}/webhooks/{webhookId}/test', 'events-admin', 'testWebhook'),
  admin('GET', '/apps/{appId}/webhooks/{webhookId}/deliveries', 'events-admin', 'listDeliveries'),
  admin('POST', '/apps/{appId}/webhooks/{webhookId}/deliveries/{eventId}/redeliver', 'events-admin', 'redeliver'),
  admin('GET', '/apps/{appId}/events', 'events-admin', 'listAppEvents'),
  admin('POST', '/apps/{appId}/events/replay', 'events-admin', 'replayEvents'),
  admin('POST', '/apps/{appId}/directory-tokens', 'events-admin', 'createDirectoryToken'),
  admin('GET', '/apps/{appId}/directory-tokens', 'events-admin', 'listDirectoryTokens'),
  admin('DELETE', '/apps/{appId}/directory-tokens/{tokenId}', 'events-admin', 'revokeDirectoryToken'),
  directory('/users', 'listDirectoryUsers'),
  directory('/users/{id}', 'getDirectoryUser'),
  directory('/groups', 'listDirectoryGroups'),
  directory('/groups/{id}', 'getDirectoryGroup'),
  directory('/groups/{id}/members', 'listDirectoryMembers'),
  directory('/events', 'listDirectoryEvents'),
  // OAuth 2.0 client credentials (issue 17). The token endpoint is public: the client authenticates in
  // the request itself (RFC 6749 §2.3), and the handler answers OAuth errors, never a SCIM Error.
  { method: 'POST', path: '/apps/{appId}/oauth/token', handler: 'oauth-token', operation: 'issueToken', auth: 'none' },
  admin('GET', '/apps/{appId}/oauth-clients', 'oauth-clients', 'listOAuthClients'),
  admin('POST', '/apps/{appId}/oauth-clients', 'oauth-clients', 'createOAuthClient'),
  admin('GET', '/apps/{appId}/oauth-clients/{clientId}', 'oauth-clients', 'getOAuthClient'),
  admin('DELETE', '/apps/{appId}/oauth-clients/{clientId}', 'oauth-clients', 'revokeOAuthClient'),
  admin('POST', '/apps/{appId}/oauth-clients/{clientId}/secrets', 'oauth-clients', 'createClientSecret'),
  admin('DELETE', '/apps/{appId}/oauth-clients/{clientId}/secrets/{secretId}', 'oauth-clients', 'revokeClientSecret'),
  admin('GET', '/apps/{appId}/entra', 'oauth-clients', 'getEntraAcceptance'),
  admin('PUT', '/apps/{appId}/entra', 'oauth-clients', 'setEntraAcceptance'),
  admin('POST', '/oauth/signing-keys/rotate', 'oauth-clients', 'rotateSigningKeys'),

  // Issue 19: the console's Groups browser (a group's members page through the users route's groups.value filter).
  admin('GET', '/apps/{appId}/groups', 'admin-users', 'listAppGroups'),
  admin('GET', '/apps/{appId}/groups/{id}', 'admin-users', 'getAppGroup'),
  // …and the connection's health (counts, last request, Test Connection, each token's last use).
  admin('GET', '/apps/{appId}/health', 'reports', 'getAppHealth'),

  // The admin console's page and its built files (flat: one segment, no greedy path needed). Public:
  // it holds no data, and everything it shows comes from the admin API with the admin's token.
  { method: 'GET', path: '/console', handler: 'console', operation: 'getConsole', auth: 'none' },
  { method: 'GET', path: '/console/{file}', handler: 'console', operation: 'getConsoleFile', auth: 'none' },
];

/** The routes one handler serves (used by the handler's own tests and by the construct). */
export const routesOf = (handler: HandlerName): readonly Route[] => ROUTES.filter((r) => r.handler === handler);

export const HANDLERS: readonly HandlerName[] = [...new Set(ROUTES.map((r) => r.handler))];
