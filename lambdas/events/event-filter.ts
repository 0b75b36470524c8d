/**
 * Which event types a webhook (or an events read) wants: exact types, or every type of a resource
 * (`user.*`, `group.*`). No list means every type. One grammar for webhook subscriptions and the
 * read API's `types=`, so a filter that works in one works in the other. A wildcard is resolved when
 * an event is matched, not when the filter is saved, so a type added later reaches `user.*`
 * subscribers without an edit.
 */
import { EVENT_TYPES, type EventType } from './types';

export const TYPE_WILDCARDS = ['user.*', 'group.*'] as const;
export type TypePattern = EventType | (typeof TYPE_WILDCARDS)[number];

export const isTypePattern = (value: unknown): value is TypePattern =>
  typeof value === 'string' && ((EVENT_TYPES as readonly string[]).includes(value) || (TYPE_WILDCARDS as readonly string[]).includes(value));

/** The refusal of one entry, listing what is accepted. */
export const typePatternProblem = (value: unknown): string =>
  `${typeof value === 'string' ? JSON.stringify(value.length > 64 ? `${value.slice(0, 63)}…` : value) : 'a non-text value'} is not an event type; use ${[...EVENT_TYPES, ...TYPE_WILDCARDS].join(', ')}`;

/** Whether an event of `type` passes `patterns` (undefined: every type). */
export const matchesTypes = (patterns: readonly TypePattern[] | undefined, type: EventType): boolean =>
  patterns === undefined || patterns.some((p) => p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));

/** Equal filters compare equal: each pattern once, in the order first given. */
export const normalizePatterns = (patterns: readonly TypePattern[]): TypePattern[] => [...new Set(patterns)];
