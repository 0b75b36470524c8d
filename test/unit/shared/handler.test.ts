/**
 * `httpHandler` enforces each route's `auth` from the route table, once for every operation: an
 * admin route answers only an admin token, a SCIM route only an application token of the
 * application in its path, and the operation then gets that application as `request.app`.
 */
import type { HttpResponse } from '../../../lambdas/shared/http';
import { httpHandler } from '../../../lambdas/shared/handler';
import { loadConfig } from '../../../lambdas/shared/config';
import { createRuntime } from '../../../lambdas/shared/runtime';
import { appAuthorizer, invoke } from '../../helpers/invoke';

const rt = createRuntime(loadConfig({ SCIM_LOG_LEVEL: 'SILENT' }));
const ADMIN = { principalId: 'admin:t', kind: 'admin', tokenId: 't' };
const APP = { id: 'handlerapp01', name: 'Entra ID' };
const OTHER = { id: 'handlerapp02', name: 'Okta' };

const answered = (what: unknown): Promise<HttpResponse> => Promise.resolve({ status: 200, body: what });

describe('httpHandler: the route table says who may call', () => {
  const seen: unknown[] = [];
  const users = httpHandler(rt, 'users', {
    listUsers: async (request) => {
      seen.push(request.app);
      return answered({ app: request.app.id });
    },
  });
  const admin = httpHandler(rt, 'admin', { listApps: async () => answered({ apps: [] }) }, { contentType: 'application/json' });
  beforeEach(() => (seen.length = 0));

  it('a SCIM route hands its operation the application of the token, checked against the path', async () => {
    const res = await invoke(users, 'GET', `/apps/${APP.id}/scim/v2/Users`, undefined, { authorizer: appAuthorizer(APP) });
    expect(res.status).toBe(200);
    expect(seen).toEqual([{ id: APP.id, name: APP.name, requiredAttributes: ['userName'] }]);
  });

  it("a SCIM route refuses another application's token with 403 before the operation runs", async () => {
    const res = await invoke(users, 'GET', `/apps/${APP.id}/scim/v2/Users`, undefined, { authorizer: appAuthorizer(OTHER) });
    expect(res.status).toBe(403);
    expect(res.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
    expect(seen).toEqual([]);
  });

  it('a SCIM route refuses an admin token, and a request without a caller, with 403', async () => {
    expect((await invoke(users, 'GET', `/apps/${APP.id}/scim/v2/Users`, undefined, { authorizer: ADMIN })).status).toBe(403);
    expect((await invoke(users, 'GET', `/apps/${APP.id}/scim/v2/Users`)).status).toBe(403);
    expect(seen).toEqual([]);
  });

  it('an admin route refuses an application token with 403 naming what it needs, and answers an admin token', async () => {
    const refused = await invoke(admin, 'GET', '/admin/apps', undefined, { authorizer: appAuthorizer(APP) });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBe('This endpoint needs an admin token.');
    expect((await invoke(admin, 'GET', '/admin/apps', undefined, { authorizer: ADMIN })).status).toBe(200);
  });

  it('refuses to build a handler with an operation no route of it names', () => {
    expect(() => httpHandler(rt, 'users', { listApps: async () => answered({}) })).toThrow(/No route of the users handler names listApps/);
  });
});
