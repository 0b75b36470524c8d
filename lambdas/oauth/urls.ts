/**
 * The two URLs the OAuth feature adds, built in one place so the token endpoint, the `iss` it signs,
 * the verifier that checks it and the admin API that shows them cannot drift apart. The audience of
 * a token is the application's Tenant URL, built by tenantUrlOf (store/applications.ts) — without
 * Entra's `?aadOptscim062020` flag or a trailing slash, as the admin API prints it.
 */

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/** `iss` of the gateway's access tokens: the API's base URL (one issuer per deployment). */
export const issuerOf = (apiUrl: string): string => trimSlash(apiUrl);

/** Entra's "Token Endpoint" field: `POST <apiUrl>/apps/{appId}/oauth/token`. */
export const tokenEndpointOf = (apiUrl: string, appId: string): string => `${trimSlash(apiUrl)}/apps/${appId}/oauth/token`;
