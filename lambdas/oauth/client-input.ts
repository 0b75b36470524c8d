/**
 * The admin API's request bodies for OAuth clients, as zod/mini schemas (the admin Lambda's choice:
 * small bundle, English messages). Kept apart from clients.ts so the authorizer, which only asks
 * clientStanding, does not bundle zod. Run them through the admin API's parseInput, which turns
 * any problem into one 400 invalidValue naming the field.
 */
import * as z from 'zod/mini';
import { SECRET_LIFETIME_DAYS, TOKEN_LIFETIME_MINUTES } from './limits';

const lifetimeDays = z.number().check(
  z.int({ error: 'must be a whole number of days' }),
  z.minimum(SECRET_LIFETIME_DAYS.min, { error: `must be at least ${SECRET_LIFETIME_DAYS.min} days (1 year)` }),
  z.maximum(SECRET_LIFETIME_DAYS.max, { error: `must be at most ${SECRET_LIFETIME_DAYS.max} days (3 years)` }),
);

/** `POST /admin/apps/{appId}/oauth-clients`: run it through the admin API's parseInput. */
export const OAuthClientCreateSchema = z.strictObject({
  description: z.optional(
    z.string().check(z.trim(), z.maxLength(200, 'must be at most 200 characters'), z.regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')),
  ),
  tokenLifetimeMinutes: z.optional(
    z.number().check(
      z.int({ error: 'must be a whole number of minutes' }),
      z.minimum(TOKEN_LIFETIME_MINUTES.min, { error: `must be at least ${TOKEN_LIFETIME_MINUTES.min} minutes` }),
      z.maximum(TOKEN_LIFETIME_MINUTES.max, { error: `must be at most ${TOKEN_LIFETIME_MINUTES.max} minutes` }),
    ),
  ),
  secretLifetimeDays: z.optional(lifetimeDays),
});
export type OAuthClientCreateInput = z.output<typeof OAuthClientCreateSchema>;

/** `POST /admin/apps/{appId}/oauth-clients/{clientId}/secrets`. */
export const ClientSecretCreateSchema = z.strictObject({ secretLifetimeDays: z.optional(lifetimeDays) });
export type ClientSecretCreateInput = z.output<typeof ClientSecretCreateSchema>;

