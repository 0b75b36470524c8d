/**
 * THE route table. The CDK construct builds API Gateway resources and methods from it, and the
 * local HTTP adapter matches requests against it, so local and AWS can never expose different
 * routes. Each route names the Lambda handler that serves it and the operation inside that
 * handler; API Gateway passes the operation as `requestContext.operationName`.
 */

// A handler's name is its file under lambdas/handlers/ (the local loader and the construct both rely on it):
// that folder holds entry points only.
export type HandlerName = 'users' | 'groups' | 'search' | 'discovery' | 'admin' | 'reports' | 'console' | 'admin-users';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** `scim`: an application's Secret Token; `admin`: an admin token; `none`: public. */
export type AuthScope = 'scim' | 'admin' | 'none';

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

  admin('GET', '/apps/{appId}/users', 'admin-users', 'listAppUsers'),
  admin('GET', '/apps/{appId}/users/{id}', 'admin-users', 'getAppUser'),

  // The admin console's page and its built files (flat: one segment, no greedy path needed). Public:
  // it holds no data, and everything it shows comes from the admin API with the admin's token.
  { method: 'GET', path: '/console', handler: 'console', operation: 'getConsole', auth: 'none' },
  { method: 'GET', path: '/console/{file}', handler: 'console', operation: 'getConsoleFile', auth: 'none' },
];

/** The routes one handler serves (used by the handler's own tests and by the construct). */
export const routesOf = (handler: HandlerName): readonly Route[] => ROUTES.filter((r) => r.handler === handler);

export const HANDLERS: readonly HandlerName[] = [...new Set(ROUTES.map((r) => r.handler))];
