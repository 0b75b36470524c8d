/**
 * docs/directory-api.openapi.json stays true to the code: its parameters, limits and type lists
 * are the parsers' own, and what the code produces (every event type, a ping, the read API's
 * resources and pages) validates against its schemas — with zod's JSON Schema reader, so a field
 * added on one side and not the other fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { deriveEvents } from '../../../lambdas/events/derive';
import { DIRECTORY_QUERY_PARAMS, EVENT_LIMIT, LIST_LIMIT } from '../../../lambdas/events/directory-query';
import { directoryGroupOf, directoryMemberOf, directoryUserOf, eventPage, listPage } from '../../../lambdas/events/directory-resources';
import { TYPE_WILDCARDS } from '../../../lambdas/events/event-filter';
import { pingEvent } from '../../../lambdas/events/ping';
import { EVENT_TYPES, type DirectoryEvent } from '../../../lambdas/events/types';
import { ADMINS, groupImage, insert, modify, remove, SALES, stamp, userImage } from './fixtures';

const DOC_PATH = path.resolve(__dirname, '../../../docs/directory-api.openapi.json');
const doc = JSON.parse(readFileSync(DOC_PATH, 'utf8'));
const BASE = '/apps/{appId}/directory/v1';

/** The document's schemas as one JSON Schema 2020-12 document, refs pointing at `$defs`. */
const defs = JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('#/components/schemas/', '#/$defs/'));
const schema = (name: string) => z.fromJSONSchema({ $schema: 'https://json-schema.org/draft/2020-12/schema', $defs: defs, $ref: `#/$defs/${name}` });

type Parameter = { name: string; in: string; schema: Record<string, unknown> } | { $ref: string };
const resolve = (p: Parameter) => ('$ref' in p ? doc.components.parameters[p.$ref.split('/').at(-1)!] : p);
const queryParams = (route: string) => (doc.paths[`${BASE}${route}`].get.parameters as Parameter[]).map(resolve).filter((p) => p.in === 'query');

/** Every event type, from records as the store writes them. */
const everyEvent = (): DirectoryEvent[] => {
  const user = userImage({ externalId: 'alice', attributes: { department: 'Sales', manager: { id: 'u-9' }, tags: ['a', 'b'], level: 3, remote: true } });
  const moved = userImage({ version: 2, externalId: 'alice', attributes: { department: 'Marketing' }, lastRequest: stamp('req-2', { operation: 'updateUser', requested: ['update'], applied: ['update'] }) });
  const off = userImage({ version: 3, active: false, attributes: { department: 'Marketing' } });
  const on = userImage({ version: 4, attributes: { department: 'Marketing' } });
  const inGroups = userImage({ version: 4, membershipVersion: 2, attributes: { department: 'Marketing' }, groups: [ADMINS, SALES] });
  const outOfOne = userImage({ version: 4, membershipVersion: 3, attributes: { department: 'Marketing' }, groups: [SALES] });
  const group = groupImage({ externalId: 'sales' });
  const renamed = groupImage({ version: 2, displayName: 'Sales EMEA' });
  return [
    insert(user),
    modify(user, moved),
    modify(moved, off),
    modify(off, on),
    modify(on, inGroups),
    modify(inGroups, outOfOne),
    remove(outOfOne),
    insert(group),
    modify(group, renamed),
    remove(renamed),
  ].flatMap((change) => deriveEvents(change));
};

describe('docs/directory-api.openapi.json', () => {
  it('is OpenAPI 3.1', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
  });

  it.each([
    ['/users', DIRECTORY_QUERY_PARAMS.users],
    ['/groups', DIRECTORY_QUERY_PARAMS.groups],
    ['/groups/{id}/members', DIRECTORY_QUERY_PARAMS.members],
    ['/events', DIRECTORY_QUERY_PARAMS.events],
  ])('%s lists exactly the query parameters the parser takes', (route, params) => {
    expect(queryParams(route).map((p) => p.name)).toEqual([...params]);
  });

  it('states the limits the parsers apply', () => {
    const limit = (route: string) => queryParams(route).find((p) => p.name === 'limit').schema;
    expect(limit('/users')).toMatchObject({ minimum: 1, maximum: LIST_LIMIT.max, default: LIST_LIMIT.default });
    expect(limit('/events')).toMatchObject({ minimum: 1, maximum: EVENT_LIMIT.max, default: EVENT_LIMIT.default });
  });

  it('lists every event type, and the types filter takes them and the wildcards', () => {
    const typesOf = (name: string): string[] => doc.components.schemas[name].properties.type.enum;
    expect([...typesOf('UserEvent'), ...typesOf('GroupEvent'), ...typesOf('MemberEvent')].sort()).toEqual([...EVENT_TYPES].sort());
    expect(queryParams('/events').find((p) => p.name === 'types').schema.items.enum).toEqual([...EVENT_TYPES, ...TYPE_WILDCARDS]);
  });

  it('every event the derivation makes validates as a DirectoryEvent and a webhook payload', () => {
    const events = everyEvent();
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(EVENT_TYPES));
    for (const event of events) {
      expect(schema('DirectoryEvent').safeParse(event).error).toBeUndefined();
      expect(schema('WebhookPayload').safeParse(event).success).toBe(true);
    }
  });

  it('a ping validates as a webhook payload, and is not a directory event', () => {
    const ping = pingEvent('app-1', 'wh-1', new Date('2024-05-31T07:00:00Z'), (n) => new Uint8Array(n));
    expect(schema('WebhookPayload').safeParse(ping).success).toBe(true);
    expect(schema('DirectoryEvent').safeParse(ping).success).toBe(false);
  });

  it('the read API’s resources and pages validate', () => {
    const user = directoryUserOf(userImage({ externalId: 'alice', groups: [SALES] }));
    const group = directoryGroupOf(groupImage());
    const member = directoryMemberOf(userImage());
    expect(schema('UserPage').safeParse(listPage([user], 'eyJrIjoxfQ')).error).toBeUndefined();
    expect(schema('GroupPage').safeParse(listPage([group], undefined)).error).toBeUndefined();
    expect(schema('MemberPage').safeParse(listPage([member], undefined)).error).toBeUndefined();
    expect(schema('EventPage').safeParse(eventPage(everyEvent(), { limit: 3 })).error).toBeUndefined();
  });

  it('refuses what the code does not make (the check is not vacuous)', () => {
    const [event] = everyEvent();
    expect(schema('DirectoryEvent').safeParse({ ...event, extra: 1 }).success).toBe(false);
    expect(schema('DirectoryEvent').safeParse({ ...event, type: 'user.moved' }).success).toBe(false);
    expect(schema('DirectoryEvent').safeParse({ ...event, id: 'event_1' }).success).toBe(false);
    expect(schema('DirectoryEvent').safeParse({ ...event, sequence: '1' }).success).toBe(false);
    expect(schema('DirectoryEvent').safeParse({ ...event, data: { ...event.data, attributes: { odd: { nested: 1 } } } }).success).toBe(false);
    expect(schema('DirectoryEvent').safeParse({ ...event, subject: { ...event.subject, type: 'group' } }).success).toBe(false);
  });
});
