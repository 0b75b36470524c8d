/**
 * How many Secret Tokens an application may hold at once. A leaf (no imports): the store enforces
 * it (store/applications.ts) and the admin console imports it to say so before the API refuses.
 */

/** An application may hold two live tokens: the current one and its successor during rotation. */
export const MAX_LIVE_TOKENS = 2;
