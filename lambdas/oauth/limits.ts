/**
 * The numbers of the OAuth client credentials feature, in one place. They come from Microsoft's
 * gallery checklist for SCIM apps — access tokens of 60–360 minutes, client secrets of 1–3 years
 * with rotation (../shared/reference/entra-scim.md §2, [S-LOGICAPP-CHK]) — and from the two-token
 * rotation Secret Tokens already use (MAX_LIVE_TOKENS in store/applications.ts).
 */

/** A client holds two live secrets at most: the current one and its successor during rotation. */
export const MAX_LIVE_SECRETS = 2;
/** Retired secrets remembered per client (newest kept), so refusals keep saying "revoked". */
export const MAX_RETIRED_SECRETS = 20;

/** Access-token lifetime in minutes: Microsoft's 60–360; the default is the shortest. */
export const TOKEN_LIFETIME_MINUTES = { min: 60, max: 360, default: 60 } as const;
/** Client-secret lifetime in days: Microsoft's 1–3 years (3 × 365 + a leap day); the default is the shortest. */
export const SECRET_LIFETIME_DAYS = { min: 365, max: 1096, default: 365 } as const;
