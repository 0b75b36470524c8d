/**
 * One page of an application's event log, for the directory read API (`GET …/directory/v1/events`)
 * and the admin's Events view and `events tail` (`GET /admin/apps/{appId}/events`): the same query
 * grammar, the same envelopes as the webhooks, in log order; or, for the admin (`order=newest`),
 * newest first, paging back with `before`.
 */
import {
  eventPage,
  matchesTypes,
  parseEventQuery,
  parseRecentEventQuery,
  recentEventPage,
  type DirectoryEvent,
  type EventPage,
  type EventType,
  type RecentEventPage,
} from '../events';
import { ScimError } from '../scim/errors';
import type { EventLog, LoggedEvent } from '../store/event-log';

const envelopes = (events: readonly LoggedEvent[]): DirectoryEvent[] => events.map((event) => JSON.parse(event.body) as DirectoryEvent);

export const readEventPage = async (log: Pick<EventLog, 'after'>, appId: string, query: Readonly<Record<string, string | undefined>>): Promise<EventPage> => {
  const parsed = parseEventQuery(query);
  if (!parsed.ok) throw parsed.error;
  const { after, types, limit } = parsed.query;
  const fetched = await log.after(appId, after, limit + 1, (event) => matchesTypes(types, event.type as EventType));
  if (!fetched) {
    throw ScimError.invalidValue(`after: ${after} is not an event of this application within the retention window; start again without "after".`);
  }
  return eventPage(envelopes(fetched), parsed.query);
};

export const readRecentEvents = async (log: Pick<EventLog, 'before'>, appId: string, query: Readonly<Record<string, string | undefined>>): Promise<RecentEventPage> => {
  const parsed = parseRecentEventQuery(query);
  if (!parsed.ok) throw parsed.error;
  const { before, types, limit } = parsed.query;
  const fetched = await log.before(appId, before, limit + 1, (event) => matchesTypes(types, event.type as EventType));
  if (!fetched) {
    throw ScimError.invalidValue(`before: ${before} is not an event of this application within the retention window; start again without "before".`);
  }
  return recentEventPage(envelopes(fetched), parsed.query);
};
