/**
 * The body of `POST /admin/apps/{appId}/events/replay`: which events to send again (a time span,
 * optionally some types) and where (one webhook, or every webhook whose filter passes them). A
 * replay resends the logged envelopes with their original ids, so a consumer that deduplicates
 * ignores what it already has. Validation names every problem, like the webhook bodies; the span
 * must lie in the retention window, since older events are no longer kept and a replay that
 * silently sends less than asked would look like a complete one.
 */
import * as z from 'zod/mini';
import { ScimError } from '../scim/errors';
import { isTypePattern, normalizePatterns, typePatternProblem, type TypePattern } from './event-filter';
import { problemsFrom, type WebhookParse, type WebhookProblem } from './webhook-input';

/** How long events are kept by default (like provisioning reports). */
export const DEFAULT_EVENT_RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;

export interface ReplayRequest {
  /** ISO 8601 (UTC, milliseconds): events whose timestamp is at or after it… */
  from: string;
  /** …and before it. */
  to: string;
  types?: TypePattern[];
  /** Only this webhook; absent: every enabled webhook whose types pass the event. */
  webhookId?: string;
}

const time = (name: string) => z.string({ error: `"${name}" must be an ISO 8601 date-time such as "2024-05-31T07:00:00Z"` });

const ReplaySchema = z.strictObject(
  {
    from: time('from'),
    to: time('to'),
    types: z.optional(
      z
        .array(z.unknown().check(z.refine(isTypePattern, { error: (issue) => typePatternProblem(issue.input) })), { error: '"types" must be a list of event types' })
        .check(z.minLength(1, '"types" must name at least one event type; leave it out for every type')),
    ),
    webhookId: z.optional(z.string({ error: '"webhookId" must be the id of a webhook of this application' }).check(z.minLength(1, '"webhookId" must not be empty'))),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field ${(issue.keys as string[]).map((k) => `"${k}"`).join(', ')}; the fields are "from", "to", "types", "webhookId"`
        : 'the body must be a JSON object such as {"from": "2024-05-31T00:00:00Z", "to": "2024-06-01T00:00:00Z"}',
  },
);

/** A date-time with a zone; Date.parse alone would take "2024-05-31" as midnight and "May 31" as anything. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

const instant = (text: string): number => (DATE_TIME.test(text) ? Date.parse(text) : NaN);

/** Any JSON → a replay to run at `now`, with events kept `retentionDays`; or every problem with it. */
export const parseReplayRequest = (input: unknown, now: Date, retentionDays = DEFAULT_EVENT_RETENTION_DAYS): WebhookParse<ReplayRequest> => {
  const parsed = ReplaySchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: problemsFrom(parsed.error, 'replay') };
  const problems: WebhookProblem[] = [];
  const from = instant(parsed.data.from);
  const to = instant(parsed.data.to);
  if (Number.isNaN(from)) problems.push({ at: 'from', problem: `${JSON.stringify(parsed.data.from)} is not an ISO 8601 date-time with a zone, such as "2024-05-31T07:00:00Z"` });
  if (Number.isNaN(to)) problems.push({ at: 'to', problem: `${JSON.stringify(parsed.data.to)} is not an ISO 8601 date-time with a zone, such as "2024-05-31T07:00:00Z"` });
  if (!problems.length) {
    const oldest = now.getTime() - retentionDays * DAY_MS;
    if (from >= to) problems.push({ at: 'to', problem: '"to" must be later than "from"' });
    if (from < oldest) problems.push({ at: 'from', problem: `events are kept ${retentionDays} days; "from" must be ${new Date(oldest).toISOString()} or later` });
    if (from >= now.getTime()) problems.push({ at: 'from', problem: '"from" is not in the past' });
  }
  if (problems.length) return { ok: false, problems };
  const value: ReplayRequest = { from: new Date(from).toISOString(), to: new Date(Math.min(to, now.getTime())).toISOString() };
  if (parsed.data.types) value.types = normalizePatterns(parsed.data.types as TypePattern[]);
  if (parsed.data.webhookId !== undefined) value.webhookId = parsed.data.webhookId;
  return { ok: true, value };
};

/** The admin API's 400, naming every problem. */
export const replayError = (problems: readonly WebhookProblem[]): ScimError =>
  ScimError.invalidValue(`Invalid replay: ${problems.map(({ at, problem }) => `${at}: ${problem}`).join('; ')}.`);
