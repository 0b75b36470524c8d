/**
 * Environment, read once per container (runtime.ts) and only here. Every variable is `SCIM_*`.
 * zod/mini rather than zod: every Lambda loads this file, and the full zod is ~450 KB of bundle.
 */
import * as z from 'zod/mini';

const text = (fallback: string) => z._default(z.string().check(z.minLength(1)), fallback);
const integer = (min: number, fallback: number) =>
  z._default(z.coerce.number().check(z.int({ error: 'must be a whole number' }), z.minimum(min, { error: `must be at least ${min}` })), fallback);

const ConfigSchema = z.object({
  /** Single-table store of users, groups, memberships and applications. */
  SCIM_TABLE_NAME: text('scim-gateway'),
  /** Provisioning report rows, written by the stream consumer. */
  SCIM_REPORT_TABLE_NAME: text('scim-gateway-reports'),
  /** Where token hashes live: Secrets Manager in AWS, a JSON file on a laptop. */
  SCIM_SECRET_STORE: z._default(z.enum(['secrets-manager', 'file']), 'secrets-manager'),
  /** Name prefix of the secrets holding token hashes (`<prefix>/apps/<appId>`, `<prefix>/admin`). */
  SCIM_SECRET_PREFIX: text('scim-gateway'),
  /** KMS key for the application secrets the admin function creates (set by the construct). */
  SCIM_SECRET_KMS_KEY_ID: z.optional(z.string()),
  /** The file that plays Secrets Manager for the local gateway. */
  SCIM_SECRET_FILE: z.optional(z.string()),
  /** How long the authorizer keeps secrets and application settings in memory. */
  SCIM_AUTH_CACHE_SECONDS: integer(0, 60),
  /**
   * `process`: every writer of applications, tokens and settings runs in this process (the local
   * gateway), so a write drops the cached copies at once (store/auth-lookups.ts) and nothing waits
   * for other containers' caches to expire. `container` (Lambda): other containers keep theirs
   * for SCIM_AUTH_CACHE_SECONDS.
   */
  SCIM_CACHE_SCOPE: z._default(z.enum(['container', 'process']), 'container'),
  /** How long API Gateway caches the authorizer's answer per token (the construct's `authorizerCacheTtl`; none locally). */
  SCIM_AUTHORIZER_CACHE_SECONDS: integer(0, 0),
  /** Report rows expire after this many days (DynamoDB TTL). */
  SCIM_REPORT_RETENTION_DAYS: integer(1, 90),
  /** Directory events (the event log, delivery history) expire after this many days (DynamoDB TTL). */
  SCIM_EVENT_RETENTION_DAYS: integer(1, 90),
  /** The EventBridge bus directory events are put on as well (the construct's `eventBus`); unset: none. */
  SCIM_EVENT_BUS_NAME: z.optional(z.string()),
  /** `deployed`: webhooks post to public https URLs only; `local` (npm start) also allows http to loopback. */
  SCIM_WEBHOOK_URL_MODE: z._default(z.enum(['deployed', 'local']), 'deployed'),
  /** Largest request body accepted, in bytes (SCIM clients send far less). */
  SCIM_MAX_BODY_BYTES: integer(1024, 1024 * 1024),
  /** Public base URL of the API, when it cannot be derived from the request (e.g. behind a proxy). */
  SCIM_API_URL: z.optional(z.string()),
  /** What the handlers log (SILENT: nothing). */
  SCIM_LOG_LEVEL: z._default(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']), 'INFO'),
});

export type Config = z.infer<typeof ConfigSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid scim-gateway configuration: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
};

/** How long a container other than the writer's may still use a cached setting after a write. */
export const staleSecondsOf = (config: Pick<Config, 'SCIM_CACHE_SCOPE' | 'SCIM_AUTH_CACHE_SECONDS'>): number =>
  config.SCIM_CACHE_SCOPE === 'process' ? 0 : config.SCIM_AUTH_CACHE_SECONDS;
