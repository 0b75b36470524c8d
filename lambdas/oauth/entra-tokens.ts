/**
 * Entra-issued bearer JWTs: what Entra sends when an admin leaves the Secret Token blank.
 * ../shared/reference/entra-scim.md §2 ([S-SCIM], [S-SCIM-2019], [S-BUILD]): `iss` is
 * `https://sts.windows.net/<tenant-id>/` — the same for every app of a tenant, so the tenant is
 * what an application accepts — and `aud` is `8adf8e6e-67b2-4cf2-a259-e3dc5476c621` for every
 * non-gallery app (a gallery app's tokens carry its application template id instead). Microsoft
 * calls this mode "for testing only"; an application opts in by naming its tenant ids.
 *
 * The tokens are v1 access tokens signed RS256 with keys from Microsoft's JWKS, which rolls over
 * without notice ("Signing key rollover in the Microsoft identity platform"), hence the
 * KeySetCache with refresh on an unknown `kid`. The algorithm is pinned to RS256, so `none`,
 * HS256-with-the-public-key and every other trick are refused before a key is looked up.
 */
import { jwtVerify } from 'jose';
import * as z from 'zod/mini';
import { DEFAULT_SKEW_SECONDS } from './access-tokens';
import type { KeySource } from './key-set-cache';
import { refusalOf, TokenRefusal } from './token-refusals';

/** `aud` of Entra's tokens for every non-gallery (custom) SCIM app. */
export const ENTRA_PROVISIONING_AUDIENCE = '8adf8e6e-67b2-4cf2-a259-e3dc5476c621';
/** Microsoft's signing keys for v1 (sts.windows.net) tokens: what the wiring's fetchKeySet reads. */
export const ENTRA_JWKS_URL = 'https://login.microsoftonline.com/common/discovery/keys';
export const ENTRA_TOKEN_ALG = 'RS256';
/** Entra tokens are small, but carry more claims than ours. */
export const MAX_ENTRA_TOKEN_LENGTH = 8192;
/** Tenants one application may accept. */
export const MAX_ENTRA_TENANTS = 10;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISSUER = /^https:\/\/sts\.windows\.net\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/$/;

export const isTenantId = (value: string): boolean => GUID.test(value);
export const entraIssuerOf = (tenantId: string): string => `https://sts.windows.net/${tenantId.toLowerCase()}/`;

/** What one application accepts. */
export interface EntraAcceptance {
  /** Directory (tenant) ids; an empty list accepts no Entra token. */
  tenantIds: readonly string[];
  /** Accepted `aud` values. @default [ENTRA_PROVISIONING_AUDIENCE] (a gallery app sets its own id) */
  audiences?: readonly string[];
}

const Guid = z.string().check(z.regex(GUID, 'must be a GUID such as 00000000-0000-0000-0000-000000000000'));

/** The admin API's body for an application's Entra setting: run it through parseInput. */
export const EntraAcceptanceSchema = z.strictObject({
  tenantIds: z.array(Guid).check(z.maxLength(MAX_ENTRA_TENANTS, `may list at most ${MAX_ENTRA_TENANTS} tenants`)),
  audiences: z.optional(z.array(Guid).check(z.minLength(1, 'must name at least one audience'), z.maxLength(5, 'may list at most 5 audiences'))),
});

export type EntraTokenVerification =
  | {
      ok: true;
      tenantId: string;
      /** `appid` (v1) or `azp` (v2): the Entra application that obtained the token, when present. */
      clientAppId?: string;
      expiresAt: Date;
    }
  | { ok: false; reason: TokenRefusal };

export interface EntraTokenVerifierOptions {
  /** A KeySetCache over ENTRA_JWKS_URL (or a fixture key set in tests). */
  keys: KeySource;
  /** @default DEFAULT_SKEW_SECONDS */
  skewSeconds?: number;
}

export type EntraTokenVerifier = (token: string, acceptance: EntraAcceptance, now: Date) => Promise<EntraTokenVerification>;

const refuse = (reason: TokenRefusal): EntraTokenVerification => ({ ok: false, reason });

/** Never throws for a bad token; rethrows only faults that are not the token's (see refusalOf). */
export const createEntraTokenVerifier = (options: EntraTokenVerifierOptions): EntraTokenVerifier => {
  const skew = options.skewSeconds ?? DEFAULT_SKEW_SECONDS;
  return async (token, acceptance, now) => {
    if (typeof token !== 'string' || token.length > MAX_ENTRA_TOKEN_LENGTH) return refuse(TokenRefusal.malformed);
    const issuers = acceptance.tenantIds.filter(isTenantId).map(entraIssuerOf);
    if (issuers.length === 0) return refuse(TokenRefusal.wrongIssuer);
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, options.keys.lookupAt(now), {
        algorithms: [ENTRA_TOKEN_ALG],
        issuer: issuers,
        audience: [...(acceptance.audiences ?? [ENTRA_PROVISIONING_AUDIENCE])],
        currentDate: now,
        clockTolerance: skew,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      const reason = refusalOf(error);
      if (reason === undefined) throw error;
      return refuse(reason);
    }
    const tenantId = ISSUER.exec(String(payload.iss))?.[1];
    if (tenantId === undefined) return refuse(TokenRefusal.wrongIssuer);
    // v1 tokens also carry the tenant as `tid`; one that disagrees with `iss` is not Entra's.
    if (payload.tid !== undefined && String(payload.tid).toLowerCase() !== tenantId) return refuse(TokenRefusal.wrongIssuer);
    const clientAppId = typeof payload.appid === 'string' ? payload.appid : typeof payload.azp === 'string' ? payload.azp : undefined;
    const result: EntraTokenVerification = { ok: true, tenantId, expiresAt: new Date(Number(payload.exp) * 1000) };
    if (clientAppId !== undefined) result.clientAppId = clientAppId;
    return result;
  };
};
