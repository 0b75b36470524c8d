/**
 * Application use cases, callable without HTTP: the admin API wraps them, and the local gateway
 * calls them directly on first start. (The authorizer's cached lookups are in auth-lookups.ts, so
 * its bundle does not carry these zod schemas.)
 *
 * Consistency between the two stores: the secret (hashes) is what the authorizer trusts; the item's
 * token metadata says which tokens exist. Every token change is made under a lease on the item
 * (so two admins cannot lose each other's revocation), writes the secret first and the item
 * second, and keeps only tokens present in both, so a half-finished change heals on the next one.
 */
// zod/mini: the admin Lambda stays small (the full zod is ~450 KB of bundle). Its English messages
// are opt-in: they are the `detail` an admin reads.
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { MAX_LIVE_TOKENS } from '../admin/live-tokens';
import { isAppId, isLive, isTokenId, issueAdminToken, issueAppToken, newAppId, type StoredToken } from '../domain/secret-tokens';
import { ScimError } from '../scim/errors';
import { normaliseRequiredPolicy } from '../scim/required-policy';
import { logger } from '../shared/logger';
import { tenantUrlOf } from '../shared/routes';
import type { Application, RetiredToken, TokenInfo } from '../store/application-items';
import type { StoreDeps } from '../store/auth-lookups';

export type { Application, TokenInfo } from '../store/application-items';

z.config(en());

const AppNameSchema = z.string().check(
  z.trim(),
  z.minLength(1, 'must not be empty'),
  z.maxLength(100, 'must be at most 100 characters'),
  z.regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
);

// Each entry: an attribute path in the grammar requests use, an extension attribute's short name or
// a preset (scim/required-policy.ts). Saved in canonical form, userName first and once; any entry
// that is none of these refuses the whole list, naming it and what would be valid.
const RequiredAttributesSchema = z.pipe(
  z
    .array(z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(200, 'must be at most 200 characters')))
    .check(z.maxLength(50, 'may list at most 50 attributes')),
  z.transform((texts: string[], ctx) => {
    const { entries, problems } = normaliseRequiredPolicy(texts);
    for (const { index, problem } of problems) ctx.issues.push({ code: 'custom', message: problem, input: texts[index], path: [index] });
    return entries;
  }),
);

export const AppCreateSchema = z.strictObject({
  name: AppNameSchema,
  requiredAttributes: z.optional(RequiredAttributesSchema),
});
export type AppCreateInput = z.input<typeof AppCreateSchema>;

export const AppUpdateSchema = z
  .strictObject({ name: z.optional(AppNameSchema), requiredAttributes: z.optional(RequiredAttributesSchema) })
  .check(z.refine((v) => v.name !== undefined || v.requiredAttributes !== undefined, 'give "name" or "requiredAttributes" to change'));
export type AppUpdateInput = z.input<typeof AppUpdateSchema>;

export const TokenCreateSchema = z.strictObject({
  expiresAt: z.optional(z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z' })),
});
export type TokenCreateInput = z.input<typeof TokenCreateSchema>;

const describeIssues = (error: z.core.$ZodError): string =>
  error.issues
    .map((issue) => {
      const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');

/** zod in, typed value out; any problem becomes one readable 400 invalidValue. */
export const parseInput = <S extends z.ZodMiniType>(schema: S, input: unknown, what: string): z.output<S> => {
  if (input === undefined || input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw ScimError.invalidValue(`The ${what} must be a JSON object.`);
  }
  const parsed = schema.safeParse(input);
  // Some messages are sentences of their own (required-policy.ts): end with one full stop, not two.
  if (!parsed.success) throw ScimError.invalidValue(`Invalid ${what}: ${describeIssues(parsed.error).replace(/\.$/, '')}.`);
  return parsed.data;
};

const tokenInfo = ({ id, created, expiresAt }: StoredToken): TokenInfo => (expiresAt ? { id, created, expiresAt } : { id, created });

export interface ApplicationsDeps extends StoreDeps {
  now?: () => Date;
  /** Removes what else belongs to a deleted application (its OAuth clients and Entra setting), after its tokens. */
  removeAlso?: (appId: string) => Promise<void>;
}

export interface CreatedApplication {
  app: Application;
  tenantUrl: string;
  /** Shown once. */
  secretToken: string;
  tokenId: string;
}

export interface CreatedToken {
  tokenId: string;
  /** Shown once. */
  secretToken: string;
  expiresAt?: string;
}

export interface AdminTokenStatus {
  /** The clear admin token, only when it was created by this call. */
  token?: string;
  tokenId: string;
  created: boolean;
}

export const createApplications = ({ apps, vault, now = () => new Date(), removeAlso }: ApplicationsDeps) => {
  const get = async (appId: string): Promise<Application> => {
    const app = isAppId(appId) ? await apps.get(appId) : undefined;
    if (!app) throw ScimError.notFound(`Application ${appId} not found.`);
    return app;
  };

  /** Runs a token change under the application's lease; the change returns the new token list. */
  const changeTokens = async <T>(
    appId: string,
    change: (app: Application, live: StoredToken[], at: Date) => { tokens: StoredToken[]; result: T; revoked?: string },
  ): Promise<T> => {
    // An id that cannot be an application's never reaches the table (a 70 KB one is no valid key).
    if (!isAppId(appId)) throw ScimError.notFound(`Application ${appId} not found.`);
    const at = now();
    const lease = await apps.lockTokens(appId, at);
    try {
      const app = await get(appId);
      const listed = new Set(app.tokens.map((t) => t.id));
      const stored = ((await vault.appTokens(appId)) ?? []).filter((t) => listed.has(t.id));
      const live = stored.filter((t) => isLive(t, at));
      const { tokens, result, revoked } = change(app, live, at);
      // Tokens leaving the secret are remembered by id, so a refused connection can say "revoked" or "expired".
      const leaving: RetiredToken[] = [
        ...stored.filter((t) => !isLive(t, at)).map((t): RetiredToken => ({ id: t.id, reason: 'expired', at: t.expiresAt ?? at.toISOString() })),
        ...(revoked ? [{ id: revoked, reason: 'revoked' as const, at: at.toISOString() }] : []),
      ];
      const retired = [...new Map(leaving.map((t) => [t.id, t])).values()];
      await vault.putAppTokens(appId, tokens);
      const keep = (app.retiredTokens ?? []).filter((t) => !retired.some((r) => r.id === t.id));
      await apps.setTokens(appId, tokens.map(tokenInfo), lease, at, retired.length ? [...keep, ...retired] : undefined);
      return result;
    } catch (error) {
      await apps.unlockTokens(appId, lease).catch((e: unknown) => logger.warn('could not release a token lease', { appId, error: e as Error }));
      throw error;
    }
  };

  return {
    get,

    list: (): Promise<Application[]> => apps.list(),

    async create(input: AppCreateInput, apiUrl: string): Promise<CreatedApplication> {
      const { name, requiredAttributes = ['userName'] } = parseInput(AppCreateSchema, input, 'application');
      const at = now();
      const id = newAppId();
      const issued = issueAppToken(id, at);
      const app: Application = {
        id,
        name,
        requiredAttributes,
        created: at.toISOString(),
        lastModified: at.toISOString(),
        tokens: [tokenInfo(issued.stored)],
        extensionAttributes: [],
        version: 1,
      };
      await apps.create(app);
      try {
        await vault.putAppTokens(id, [issued.stored]);
      } catch (error) {
        // Without its secret the application is unusable: take it back rather than leave a husk.
        await apps.remove(app).catch((e: unknown) => logger.error('could not roll back an application', { appId: id, error: e as Error }));
        throw error;
      }
      logger.info('application created', { appId: id, tokenId: issued.stored.id });
      return { app, tenantUrl: tenantUrlOf(apiUrl, id), secretToken: issued.token, tokenId: issued.stored.id };
    },

    async update(appId: string, input: AppUpdateInput): Promise<Application> {
      const changes = parseInput(AppUpdateSchema, input, 'application update');
      const updated = await apps.update(await get(appId), changes, now());
      logger.info('application updated', { appId });
      return updated;
    },

    /** Refuses while users or groups remain unless `force`, which deletes them all first. */
    async remove(appId: string, options: { force?: boolean } = {}): Promise<{ purged: number }> {
      const app = await get(appId);
      if (!options.force && (await apps.hasResources(appId))) {
        throw ScimError.conflict(
          `Application ${appId} still has users or groups. Remove them first, or delete with force=true to delete them too.`,
        );
      }
      // Access ends first, so nothing is written while the data goes.
      await vault.deleteAppTokens(appId);
      await removeAlso?.(appId);
      const purged = options.force ? await apps.purgeResources(appId) : 0;
      await apps.remove(app);
      logger.info('application deleted', { appId, purged });
      return { purged };
    },

    async createToken(appId: string, input: TokenCreateInput = {}): Promise<CreatedToken> {
      const { expiresAt } = parseInput(TokenCreateSchema, input, 'token request');
      if (expiresAt !== undefined && Date.parse(expiresAt) <= now().getTime()) {
        throw ScimError.invalidValue('Invalid token request: expiresAt: must be in the future.');
      }
      const created = await changeTokens(appId, (_app, live, at) => {
        if (live.length >= MAX_LIVE_TOKENS) {
          throw ScimError.conflict(
            `Application ${appId} already has ${MAX_LIVE_TOKENS} live tokens (${live.map((t) => t.id).join(', ')}); revoke one before creating another.`,
          );
        }
        const issued = issueAppToken(appId, at, expiresAt === undefined ? undefined : new Date(expiresAt).toISOString());
        return { tokens: [...live, issued.stored], result: issued };
      });
      logger.info('token created', { appId, tokenId: created.stored.id });
      const out: CreatedToken = { tokenId: created.stored.id, secretToken: created.token };
      if (created.stored.expiresAt) out.expiresAt = created.stored.expiresAt;
      return out;
    },

    async revokeToken(appId: string, tokenId: string): Promise<void> {
      if (!isTokenId(tokenId)) throw ScimError.notFound(`Token ${tokenId} not found for application ${appId}.`);
      await changeTokens(appId, (app, live) => {
        if (!app.tokens.some((t) => t.id === tokenId)) throw ScimError.notFound(`Token ${tokenId} not found for application ${appId}.`);
        return { tokens: live.filter((t) => t.id !== tokenId), result: undefined, revoked: tokenId };
      });
      logger.info('token revoked', { appId, tokenId });
    },

    /** Creates an admin token when the admin secret holds no live one (first start of the local gateway). */
    async ensureAdminToken(): Promise<AdminTokenStatus> {
      const at = now();
      const existing = ((await vault.adminTokens()) ?? []).find((t) => isLive(t, at));
      if (existing) return { tokenId: existing.id, created: false };
      const issued = issueAdminToken(at);
      await vault.addAdminToken(issued.stored);
      logger.info('admin token created', { tokenId: issued.stored.id });
      return { token: issued.token, tokenId: issued.stored.id, created: true };
    },
  };
};

export type Applications = ReturnType<typeof createApplications>;
