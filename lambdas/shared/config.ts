/**
 * Environment, read once per container and only here. Every variable is `SCIM_*`.
 */
import { z } from 'zod';

const ConfigSchema = z.object({
  /** Single-table store of users, groups, memberships and applications. */
  SCIM_TABLE_NAME: z.string().min(1).default('scim-gateway'),
  /** Provisioning report rows, written by the stream consumer. */
  SCIM_REPORT_TABLE_NAME: z.string().min(1).default('scim-gateway-reports'),
  /** Where token hashes live: Secrets Manager in AWS, a JSON file on a laptop. */
  SCIM_SECRET_STORE: z.enum(['secrets-manager', 'file']).default('secrets-manager'),
  /** Name prefix of the secrets holding token hashes (`<prefix>/apps/<appId>`, `<prefix>/admin`). */
  SCIM_SECRET_PREFIX: z.string().min(1).default('scim-gateway'),
  /** KMS key for the application secrets the admin function creates (set by the construct). */
  SCIM_SECRET_KMS_KEY_ID: z.string().optional(),
  /** The file that plays Secrets Manager for the local gateway. */
  SCIM_SECRET_FILE: z.string().optional(),
  /** How long the authorizer keeps secrets and application settings in memory. */
  SCIM_AUTH_CACHE_SECONDS: z.coerce.number().int().min(0).default(60),
  /** Report rows expire after this many days (DynamoDB TTL). */
  SCIM_REPORT_RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
  /** Largest request body accepted, in bytes (SCIM clients send far less). */
  SCIM_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  /** Public base URL of the API, when it cannot be derived from the request (e.g. behind a proxy). */
  SCIM_API_URL: z.string().optional(),
});

export type Config = z.infer<typeof ConfigSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid scim-gateway configuration: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
};
