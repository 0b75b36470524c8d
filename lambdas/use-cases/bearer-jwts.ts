/**
 * What the authorizer does with a bearer JWT on an application's Tenant URL (issue 17): tell the
 * gateway's own access tokens from Entra-issued ones by their shape (bearer-kind.ts), verify with
 * the matching verifier of the OAuth core, then ask whether the token's client and secret still
 * stand (ours) or whether the application accepts the tenant (Entra's). The answer is either the
 * principal to put in the authorizer context or the report's reason for a 401.
 *
 * No Secrets Manager call: our public keys come from the published key item and Entra's from its
 * JWKS, both through per-container KeySetCaches; client records and Entra settings are read
 * through the authorizer's TTL cache. Revoking a client or a secret thus cuts its tokens off
 * within that cache's lifetime (plus API Gateway's own authorizer cache), not at their `exp`.
 *
 * `issuer`: when the deployment pins its public URL (SCIM_API_URL), only tokens issued under it
 * pass. Otherwise the token's own `iss` is used, which only our token endpoint can have signed
 * (the keys are per deployment), and the audience must still be exactly that issuer's Tenant URL
 * of the application called.
 */
import { decodeJwt } from 'jose';
import { RefusalReason } from '../domain/refusal-reasons';
import { createAccessTokenVerifier } from '../oauth/access-tokens';
import { bearerKindOf } from '../oauth/bearer-kind';
import { clientStanding } from '../oauth/clients';
import { createEntraTokenVerifier, type EntraAcceptance } from '../oauth/entra-tokens';
import { KeysUnavailableError, type KeySource } from '../oauth/key-set-cache';
import type { Principal } from '../oauth/principal';
import { TokenRefusal } from '../oauth/token-refusals';
import { issuerOf } from '../oauth/urls';
import { tenantUrlOf } from '../shared/routes';
import { standingClientOf, type OAuthClientRecord } from '../store/oauth-clients';
import { CLIENT_REFUSAL_REASONS } from './token-endpoint';

export interface BearerJwtDeps {
  /** The gateway's published signing keys. */
  ourKeys: KeySource;
  /** Microsoft's keys; none: Entra-issued JWTs are refused everywhere. */
  entraKeys?: KeySource;
  clientRecord(appId: string, clientId: string): Promise<OAuthClientRecord | undefined>;
  entraAcceptance(appId: string): Promise<EntraAcceptance | undefined>;
  /** The pinned issuer (the API's public URL), when the deployment knows it. */
  issuer?: string;
}

export type JwtVerdict = { ok: true; principal: Principal } | { ok: false; reason: RefusalReason };

const TOKEN_REASONS: Readonly<Record<Exclude<TokenRefusal, 'keys-unavailable'>, RefusalReason>> = {
  [TokenRefusal.malformed]: RefusalReason.jwtMalformed,
  [TokenRefusal.algorithmNotAllowed]: RefusalReason.jwtAlgorithm,
  [TokenRefusal.unknownKey]: RefusalReason.jwtUnknownKey,
  [TokenRefusal.badSignature]: RefusalReason.jwtBadSignature,
  [TokenRefusal.expired]: RefusalReason.jwtExpired,
  [TokenRefusal.notYetValid]: RefusalReason.jwtNotYetValid,
  [TokenRefusal.wrongIssuer]: RefusalReason.jwtWrongIssuer,
  [TokenRefusal.wrongAudience]: RefusalReason.jwtWrongAudience,
  [TokenRefusal.otherApplication]: RefusalReason.otherApplication,
  [TokenRefusal.wrongScope]: RefusalReason.jwtWrongScope,
};

/** A refusal of the token, or a fault of ours (no keys at all), which must be a 503, never a 401. */
const refusal = (reason: TokenRefusal): JwtVerdict => {
  if (reason === TokenRefusal.keysUnavailable) throw new KeysUnavailableError('no verification keys could be loaded');
  return { ok: false, reason: TOKEN_REASONS[reason] };
};

/** True for a compact JWS shape: three base64url parts (the middle one non-empty). */
export const looksLikeJwt = (token: string): boolean => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);

const unverifiedIssuer = (token: string): string | undefined => {
  try {
    const { iss } = decodeJwt(token);
    return typeof iss === 'string' && /^https?:\/\/[^\s]+$/.test(iss) ? iss : undefined;
  } catch {
    return undefined;
  }
};

export const createBearerJwtVerifier = (deps: BearerJwtDeps) => {
  const entraVerifier = deps.entraKeys ? createEntraTokenVerifier({ keys: deps.entraKeys }) : undefined;

  return async (token: string, appId: string, at: Date): Promise<JwtVerdict> => {
    const issuer = deps.issuer ? issuerOf(deps.issuer) : unverifiedIssuer(token);
    const kind = bearerKindOf(token, issuer ?? '');

    if (kind === 'access-token' && issuer) {
      const verify = createAccessTokenVerifier({ issuer, keys: deps.ourKeys });
      const verified = await verify(token, { appId, audience: tenantUrlOf(issuer, appId), now: at });
      if (!verified.ok) return refusal(verified.reason);
      const record = await deps.clientRecord(appId, verified.clientId);
      const standing = clientStanding(record ? standingClientOf(record) : undefined, verified, at);
      if (!standing.ok) return { ok: false, reason: CLIENT_REFUSAL_REASONS[standing.reason] };
      return { ok: true, principal: { method: 'oauth-client', clientId: verified.clientId, secretId: verified.secretId } };
    }

    if (kind === 'entra-token') {
      const acceptance = await deps.entraAcceptance(appId);
      if (!entraVerifier || !acceptance?.tenantIds.length) return { ok: false, reason: RefusalReason.entraNotAccepted };
      const verified = await entraVerifier(token, acceptance, at);
      if (!verified.ok) return refusal(verified.reason);
      return {
        ok: true,
        principal: verified.clientAppId
          ? { method: 'entra', tenantId: verified.tenantId, clientAppId: verified.clientAppId }
          : { method: 'entra', tenantId: verified.tenantId },
      };
    }

    // An access token of this shape under another issuer than the pinned one: say so, not "malformed".
    const claimed = unverifiedIssuer(token);
    if (deps.issuer && claimed && bearerKindOf(token, claimed) === 'access-token') return { ok: false, reason: RefusalReason.jwtWrongIssuer };
    return { ok: false, reason: RefusalReason.jwtMalformed };
  };
};

export type BearerJwtVerifier = ReturnType<typeof createBearerJwtVerifier>;
