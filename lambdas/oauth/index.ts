/**
 * The pure core of OAuth 2.0 client credentials (issue 17) and of Entra-issued JWTs: no AWS, no
 * environment, no I/O — clocks are `now` arguments and key sources are injected. The store, the
 * token-endpoint handler and the authorizer are wired on top of these names.
 *
 * Flow at the token endpoint: parseTokenRequest → (rate limit) → authenticateClient against the
 * stored client → createAccessTokenSigner(signingKeyOf(keySet)).issue → tokenSuccessResponse, or
 * tokenErrorResponse for any OAuthError. In the authorizer: bearerKindOf → createAccessTokenVerifier
 * then clientStanding (our tokens), or createEntraTokenVerifier (Entra's) → principalContext.
 */
export { ACCESS_TOKEN_TYPE, createAccessTokenSigner, createAccessTokenVerifier, DEFAULT_SKEW_SECONDS, MAX_ACCESS_TOKEN_LENGTH } from './access-tokens';
export type {
  AccessTokenClaims,
  AccessTokenExpectation,
  AccessTokenInput,
  AccessTokenSigner,
  AccessTokenVerification,
  AccessTokenVerifier,
  AccessTokenVerifierOptions,
  IssuedAccessToken,
} from './access-tokens';
export { authenticationSchemesOf } from './authentication-schemes';
export type { AuthenticationAcceptance, AuthenticationScheme } from './authentication-schemes';
export { decodeBasicCredentials, encodeBasicCredentials } from './basic-credentials';
export type { BasicCredentials } from './basic-credentials';
export { bearerKindOf } from './bearer-kind';
export type { BearerKind } from './bearer-kind';
export { ClientSecretCreateSchema, OAuthClientCreateSchema } from './client-input';
export type { ClientSecretCreateInput, OAuthClientCreateInput } from './client-input';
export { CLIENT_ID_PREFIX, CLIENT_SECRET_PREFIX, isClientId, newClientId, parseClientId, secretIdOf } from './client-secrets';
export type { RetiredSecret, StoredSecret } from './client-secrets';
export {
  addClientSecret,
  authenticateClient,
  ClientRefusal,
  clientStanding,
  clientView,
  createOAuthClient,
  revokeClient,
  revokeClientSecret,
} from './clients';
export type { ClientAuthentication, ClientStanding, IssuedClientSecret, OAuthClient, OAuthClientView } from './clients';
export {
  createEntraTokenVerifier,
  ENTRA_JWKS_URL,
  ENTRA_PROVISIONING_AUDIENCE,
  ENTRA_TOKEN_ALG,
  EntraAcceptanceSchema,
  entraIssuerOf,
  isTenantId,
} from './entra-tokens';
export type { EntraAcceptance, EntraTokenVerification, EntraTokenVerifier, EntraTokenVerifierOptions } from './entra-tokens';
export { createKeySetCache, KeysUnavailableError, staticKeySource } from './key-set-cache';
export type { FetchKeySet, KeyLookup, KeySetCache, KeySetCacheOptions, KeySource } from './key-set-cache';
export { MAX_LIVE_SECRETS, MAX_RETIRED_SECRETS, SECRET_LIFETIME_DAYS, TOKEN_LIFETIME_MINUTES } from './limits';
export { describePrincipal, PRINCIPAL_CONTEXT_KEYS, principalContext, principalFromContext } from './principal';
export type { Principal } from './principal';
export { createTokenBuckets, TOKEN_ENDPOINT_LIMITS } from './rate-limit';
export type { BucketDecision, TokenBucketOptions, TokenBuckets } from './rate-limit';
export {
  ACCESS_TOKEN_ALG,
  DEFAULT_PREVIOUS_RETENTION_SECONDS,
  DEFAULT_PUBLISH_LEAD_SECONDS,
  generateSigningKey,
  KeyRotationError,
  newKeySet,
  parseKeySet,
  publicJwkOf,
  publicKeySet,
  rotateKeySet,
  serializeKeySet,
  signingKeyOf,
} from './signing-keys';
export type { KeySet, RetiredSigningKey, RotationOptions, SigningKey } from './signing-keys';
export { refusalOf, TOKEN_REFUSAL_DETAILS, TokenRefusal } from './token-refusals';
export { GRANT_TYPE, MAX_TOKEN_REQUEST_BYTES, parseTokenRequest, SCIM_SCOPE } from './token-request';
export type { ClientAuthenticationMethod, TokenRequest, TokenRequestInput, TokenRequestResult } from './token-request';
export {
  basicChallenge,
  DEFAULT_REALM,
  NO_STORE_HEADERS,
  oauthError,
  OAuthErrorCode,
  tokenErrorResponse,
  tokenSuccessResponse,
} from './token-response';
export type { AccessTokenGrant, OAuthError, OAuthErrorStatus, TokenHttpResponse } from './token-response';
export { issuerOf, tokenEndpointOf } from './urls';
