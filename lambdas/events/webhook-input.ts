/**
 * The admin API's webhook bodies: `POST /admin/apps/{appId}/webhooks` and `PATCH …/webhooks/{id}`.
 * Validation names every bad field and entry (`types[2]: "user.moved" is not an event type; use …`)
 * and saves nothing unless everything is valid, as the provisioning-features and mapping bodies do.
 * Returns a result instead of throwing, so a caller (and a fuzz test) sees every input end in a
 * value or a 400.
 */
// zod/mini: the admin Lambda stays small (the full zod is ~450 KB of bundle).
import * as z from 'zod/mini';
import { ScimError } from '../scim/errors';
import { isTypePattern, normalizePatterns, typePatternProblem, type TypePattern } from './event-filter';
import { checkWebhookUrl, type UrlMode } from './webhook-url';

export const MAX_DESCRIPTION_LENGTH = 256;
export const MAX_TYPE_PATTERNS = 20;

export interface WebhookCreate {
  url: string;
  /** Undefined: every type. */
  types?: TypePattern[];
  description?: string;
}

export interface WebhookUpdate {
  url?: string;
  /** null: back to every type. */
  types?: TypePattern[] | null;
  description?: string | null;
  /** false pauses deliveries (events still queue); true resumes, e.g. after a 410 disabled it. */
  enabled?: boolean;
}

export interface WebhookProblem {
  /** The field (`url`, `types[2]`), or `webhook` for the whole body. */
  readonly at: string;
  readonly problem: string;
}

export type WebhookParse<T> = { ok: true; value: T } | { ok: false; problems: WebhookProblem[] };

const urlField = z.string({ error: '"url" must be text such as "https://app.example.com/webhooks/scim"' });
const typesField = z
  .array(z.unknown().check(z.refine(isTypePattern, { error: (issue) => typePatternProblem(issue.input) })), {
    error: '"types" must be a list of event types such as ["user.deactivated", "group.*"]',
  })
  .check(
    z.minLength(1, '"types" must name at least one event type; leave it out for every type'),
    z.maxLength(MAX_TYPE_PATTERNS, `"types" may hold at most ${MAX_TYPE_PATTERNS} entries`),
  );
const descriptionField = z.string({ error: '"description" must be text' }).check(z.maxLength(MAX_DESCRIPTION_LENGTH, `"description" may be at most ${MAX_DESCRIPTION_LENGTH} characters`));

const bodyError = (fields: readonly string[]) => (issue: { code?: string; keys?: unknown }) =>
  issue.code === 'unrecognized_keys'
    ? `unknown field ${(issue.keys as string[]).map((k) => `"${k}"`).join(', ')}; the fields are ${fields.map((f) => `"${f}"`).join(', ')}`
    : 'the body must be a JSON object such as {"url": "https://app.example.com/webhooks/scim"}';

const CreateSchema = z.strictObject(
  { url: urlField, types: z.optional(typesField), description: z.optional(descriptionField) },
  { error: bodyError(['url', 'types', 'description']) },
);

const UpdateSchema = z.strictObject(
  {
    url: z.optional(urlField),
    types: z.optional(z.nullable(typesField)),
    description: z.optional(z.nullable(descriptionField)),
    enabled: z.optional(z.boolean({ error: '"enabled" must be true or false' })),
  },
  { error: bodyError(['url', 'types', 'description', 'enabled']) },
);

/** zod's issues as problems, each at its field (`types[2]`), or at `whole` for the body itself. */
export const problemsFrom = (error: z.core.$ZodError, whole: string): WebhookProblem[] =>
  error.issues.map((issue) => ({
    at: issue.path.length ? issue.path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`)).join('') : whole,
    problem: issue.message,
  }));

/** `url` checked against the URL policy; the URL as stored. */
const checkedUrl = (url: string, mode: UrlMode, problems: WebhookProblem[]): string | undefined => {
  const checked = checkWebhookUrl(url.trim(), mode);
  if (checked.ok) return checked.url;
  problems.push({ at: 'url', problem: checked.problem });
  return undefined;
};

/** Any JSON → a webhook to create, or every problem with it. */
export const parseWebhookCreate = (input: unknown, mode: UrlMode): WebhookParse<WebhookCreate> => {
  const parsed = CreateSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: problemsFrom(parsed.error, 'webhook') };
  const problems: WebhookProblem[] = [];
  const url = checkedUrl(parsed.data.url, mode, problems);
  if (url === undefined) return { ok: false, problems };
  const value: WebhookCreate = { url };
  if (parsed.data.types) value.types = normalizePatterns(parsed.data.types as TypePattern[]);
  const description = parsed.data.description?.trim();
  if (description) value.description = description;
  return { ok: true, value };
};

/** Any JSON → a change to a webhook (fields left out keep their value), or every problem with it. */
export const parseWebhookUpdate = (input: unknown, mode: UrlMode): WebhookParse<WebhookUpdate> => {
  const parsed = UpdateSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: problemsFrom(parsed.error, 'webhook') };
  const { url, types, description, enabled } = parsed.data;
  if (url === undefined && types === undefined && description === undefined && enabled === undefined) {
    return { ok: false, problems: [{ at: 'webhook', problem: 'nothing to change: send "url", "types", "description" or "enabled"' }] };
  }
  const problems: WebhookProblem[] = [];
  const value: WebhookUpdate = {};
  if (url !== undefined) value.url = checkedUrl(url, mode, problems);
  if (problems.length) return { ok: false, problems };
  if (types !== undefined) value.types = types === null ? null : normalizePatterns(types as TypePattern[]);
  if (description !== undefined) value.description = description === null || description.trim() === '' ? null : description.trim();
  if (enabled !== undefined) value.enabled = enabled;
  return { ok: true, value };
};

/** The admin API's 400, naming every problem. */
export const webhookError = (problems: readonly WebhookProblem[]): ScimError =>
  ScimError.invalidValue(`Invalid webhook: ${problems.map(({ at, problem }) => `${at}: ${problem}`).join('; ')}.`);
