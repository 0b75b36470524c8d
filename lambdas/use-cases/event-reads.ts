/**
 * One page of an application's event log, for the directory read API (`GET …/directory/v1/events`)
 * and the admin's Events view and `events tail` (`GET /admin/apps/{appId}/events`): the same query
 * grammar, the same envelopes as the webhooks, in log order.
 */
import { eventPage, matchesTypes, parseEventQuery, type DirectoryEvent, type EventPage, type EventType } from '../events';
import { ScimError } from '../scim/errors';
import type { EventLog } from '../store/event-log';

export const readEventPage = async (log: Pick<EventLog, 'after'>, appId: string, query: Readonly<Record<string, string | undefined>>): Promise<EventPage> => {
  const parsed = parseEventQuery(query);
  if (!parsed.ok) throw parsed.error;
  const { after, types, limit } = parsed.query;
  const fetched = await log.after(appId, after, limit + 1, (event) => matchesTypes(types, event.type as EventType));
  if (!fetched) {
    throw ScimError.invalidValue(`after: ${after} is not an event of this application within the retention window; start again without "after".`);
  }
  return eventPage(fetched.map((event) => JSON.parse(event.body) as DirectoryEvent), parsed.query);
};
