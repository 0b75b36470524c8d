/**
 * The directory read API (issue 16; docs/directory-api.openapi.json): an application's users,
 * groups, members and events for the customer's application, with a directory token of that
 * application (the route's `directory` auth). Users and groups in the shapes events carry, with
 * the sequence of their latest change, so a read agrees with the last event of each subject.
 *
 * IAM: the main table (reads) and the report table (the event log; reads).
 */
import { directoryGroupOf, directoryMemberOf, directoryUserOf, listPage, parseListQuery, parseMemberQuery, type QueryParse } from '../events';
import { ScimError } from '../scim/errors';
import { httpHandler, type HttpHandler } from '../shared/handler';
import { ok, type AppRequest, type HttpResponse } from '../shared/http';
import { onFirstInvocation, runtime, type Runtime } from '../shared/runtime';
import { createDirectoryItems, type DirectoryKind } from '../store/directory-items';
import { createEventLog } from '../store/event-log';
import { readEventPage } from '../use-cases/event-reads';

const parsed = <T>(result: QueryParse<T>): T => {
  if (!result.ok) throw result.error;
  return result.query;
};

export const createDirectoryHandler = (rt: Runtime): HttpHandler => {
  const items = createDirectoryItems(rt.dynamo, rt.config.SCIM_TABLE_NAME);
  const log = createEventLog(rt.dynamo, rt.config.SCIM_REPORT_TABLE_NAME, { retentionDays: rt.config.SCIM_EVENT_RETENTION_DAYS });

  const list = (kind: DirectoryKind) => async (request: AppRequest): Promise<HttpResponse> => {
    const query = parsed(parseListQuery(request.query));
    const page = await items.list(request.app.id, kind, query);
    const shape = kind === 'users' ? directoryUserOf : directoryGroupOf;
    return ok(listPage(page.items.flatMap((item) => shape(item) ?? []), page.nextCursor));
  };

  const one = (kind: DirectoryKind) => async (request: AppRequest): Promise<HttpResponse> => {
    const id = request.pathParams.id ?? '';
    const item = await items.get(request.app.id, kind, id);
    const found = item && (kind === 'users' ? directoryUserOf(item) : directoryGroupOf(item));
    if (!found) throw ScimError.notFound(`${kind === 'users' ? 'User' : 'Group'} ${id} not found.`);
    return ok(found);
  };

  const listDirectoryMembers = async (request: AppRequest): Promise<HttpResponse> => {
    const query = parsed(parseMemberQuery(request.query));
    const groupId = request.pathParams.id ?? '';
    if (!(await items.get(request.app.id, 'groups', groupId))) throw ScimError.notFound(`Group ${groupId} not found.`);
    const page = await items.members(request.app.id, groupId, query);
    return ok(listPage(page.items.flatMap((item) => directoryMemberOf(item) ?? []), page.nextCursor));
  };

  const listDirectoryEvents = async (request: AppRequest): Promise<HttpResponse> => ok(await readEventPage(log, request.app.id, request.query));

  return httpHandler(
    rt,
    'directory',
    {
      listDirectoryUsers: list('users'),
      getDirectoryUser: one('users'),
      listDirectoryGroups: list('groups'),
      getDirectoryGroup: one('groups'),
      listDirectoryMembers,
      listDirectoryEvents,
    },
    { contentType: 'application/json' },
  );
};

/** The Lambda entry point. */
export const handler = onFirstInvocation(() => createDirectoryHandler(runtime()));
