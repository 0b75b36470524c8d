/**
 * Why a bearer JWT was refused — ours or Entra's — as one reason for the provisioning report, and
 * what the admin should check. jose reports failures as typed errors with stable codes; this is the
 * one place that reads them, so both verifiers refuse with the same words.
 *
 * Every reason is a 401 to the client except `keys-unavailable`, which is our failure (the key
 * source is down and nothing is cached): the authorizer should fail closed with 503, as it does when
 * DynamoDB fails, not blame the client.
 */
import { errors } from 'jose';
import { KeysUnavailableError } from './key-set-cache';

export const TokenRefusal = {
  /** Not a JWT, a JWT of the wrong type, or one missing a claim we require. */
  malformed: 'malformed-token',
  /** `alg` other than the one pinned (`none`, HS256 with the public key as secret, …). */
  algorithmNotAllowed: 'algorithm-not-allowed',
  /** `kid` not among the published keys, even after a refresh. */
  unknownKey: 'unknown-key',
  badSignature: 'bad-signature',
  expired: 'expired',
  notYetValid: 'not-yet-valid',
  /** Another issuer: for Entra, a tenant this application does not accept. */
  wrongIssuer: 'wrong-issuer',
  wrongAudience: 'wrong-audience',
  /** A token issued to a client of another application. */
  otherApplication: 'other-application',
  /** No `scim` in the token's scope. */
  wrongScope: 'wrong-scope',
  keysUnavailable: 'keys-unavailable',
} as const;
export type TokenRefusal = (typeof TokenRefusal)[keyof typeof TokenRefusal];

/** What each reason means and what to check: the report row's detail. */
export const TOKEN_REFUSAL_DETAILS: Readonly<Record<TokenRefusal, string>> = {
  [TokenRefusal.malformed]: 'the bearer token is not an access token of this gateway or of Entra ID: check what the client was configured to send',
  [TokenRefusal.algorithmNotAllowed]: 'the token is signed with an algorithm this gateway does not accept: it was not issued by this gateway or by Entra ID',
  [TokenRefusal.unknownKey]: 'the token names a signing key that is not published: it was not issued by this gateway or by Entra ID, or the key was withdrawn',
  [TokenRefusal.badSignature]: 'the token signature does not verify: the token was altered or not issued by this gateway or Entra ID',
  [TokenRefusal.expired]: "the access token has expired: the client should request a new one from the token endpoint (check the client's clock)",
  [TokenRefusal.notYetValid]: "the access token is not valid yet: check the clock of the machine that issued or sent it",
  [TokenRefusal.wrongIssuer]: 'the token was issued by an issuer this application does not accept: for Entra ID, add the tenant id to the application',
  [TokenRefusal.wrongAudience]: "the token was issued for another audience: request it from this application's token endpoint, or check the Entra ID application id",
  [TokenRefusal.otherApplication]: 'the access token belongs to another application: use the Tenant URL and token endpoint of the same application',
  [TokenRefusal.wrongScope]: 'the access token does not carry the scim scope',
  [TokenRefusal.keysUnavailable]: 'the verification keys could not be loaded: the gateway could not check the token (not the client\'s fault)',
};

const CLAIM_REFUSALS: Readonly<Record<string, TokenRefusal>> = {
  iss: TokenRefusal.wrongIssuer,
  aud: TokenRefusal.wrongAudience,
  nbf: TokenRefusal.notYetValid,
  // `iat` is only checked against `maxTokenAge`, which we do not set; in the future is the same clock problem as `nbf`.
  iat: TokenRefusal.notYetValid,
};

/**
 * The refusal a verification error stands for, or undefined when it is not one: a programming or
 * configuration fault, which the caller rethrows rather than blaming the token.
 */
export const refusalOf = (error: unknown): TokenRefusal | undefined => {
  if (error instanceof KeysUnavailableError || (error instanceof Error && error.name === 'KeysUnavailableError')) return TokenRefusal.keysUnavailable;
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case errors.JOSEAlgNotAllowed.code:
    case errors.JOSENotSupported.code:
      return TokenRefusal.algorithmNotAllowed;
    case errors.JWKSNoMatchingKey.code:
    case errors.JWKSMultipleMatchingKeys.code:
      return TokenRefusal.unknownKey;
    case errors.JWSSignatureVerificationFailed.code:
      return TokenRefusal.badSignature;
    case errors.JWTExpired.code:
      return TokenRefusal.expired;
    case errors.JWTClaimValidationFailed.code: {
      const { claim, reason } = error as errors.JWTClaimValidationFailed;
      // A missing or mistyped claim is a malformed token, whichever claim it is.
      if (reason === 'missing' || reason === 'invalid') return TokenRefusal.malformed;
      return CLAIM_REFUSALS[claim] ?? TokenRefusal.malformed;
    }
    case errors.JWSInvalid.code:
    case errors.JWTInvalid.code:
    case errors.JWKInvalid.code:
    case errors.JOSEError.code:
      return TokenRefusal.malformed;
    default:
      return undefined;
  }
};
