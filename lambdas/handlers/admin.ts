/**
 * Admin API: applications and their Secret Tokens (routes in lambdas/shared/routes.ts, admin token only).
 * The use cases live in use-cases/applications.ts; this file is parse → call → respond (the
 * route's admin-only auth is checked by `httpHandler`).
 *
 * IAM: granted by the construct (lib/gateway/permissions.ts, asserted action by action in
 * test/cdk/iam.test.ts): the main table's items and indexes, and Secrets Manager on `<prefix>/apps/*`
 * and the admin secret.
 */
import type { AppJson, AppListJson, CreatedAppJson, CreatedTokenJson } from '../admin/api-json';
import { ScimError } from '../scim/errors';
import { appStoreDeps } from '../shared/app-stores';
import { httpHandler, type HttpHandler } from '../shared/handler';
import { created, noContent, ok, type HttpResponse, type ScimRequest } from '../shared/http';
import { tenantUrlOf } from '../shared/routes';
import { onFirstInvocation, runtime, type Runtime } from '../shared/runtime';
import {
  createApplications,
  type AppCreateInput,
  type Application,
  type AppUpdateInput,
  type TokenCreateInput,
} from '../use-cases/applications';

const view = (app: Application, apiUrl: string): AppJson => ({
  id: app.id,
  name: app.name,
  tenantUrl: tenantUrlOf(apiUrl, app.id),
  requiredAttributes: app.requiredAttributes,
  created: app.created,
  lastModified: app.lastModified,
  tokens: app.tokens.map(({ id, created, expiresAt }) => ({ id, created, expiresAt })),
});

const param = (request: ScimRequest, name: string): string => request.pathParams[name] ?? '';

export const createAdminHandler = (rt: Runtime): HttpHandler => {
  const apps = createApplications(appStoreDeps(rt));

  const listApps = async (request: ScimRequest): Promise<HttpResponse> => {
    const all = await apps.list();
    return ok({ apps: all.map((app) => view(app, request.apiUrl)) } satisfies AppListJson);
  };

  const createApp = async (request: ScimRequest): Promise<HttpResponse> => {
    const { app, tenantUrl, secretToken, tokenId } = await apps.create(request.body as AppCreateInput, request.apiUrl);
    return created(
      { id: app.id, name: app.name, tenantUrl, secretToken, tokenId, requiredAttributes: app.requiredAttributes, created: app.created } satisfies CreatedAppJson,
      { Location: `${request.apiUrl}/admin/apps/${app.id}`, 'Cache-Control': 'no-store' },
    );
  };

  const getApp = async (request: ScimRequest): Promise<HttpResponse> => ok(view(await apps.get(param(request, 'appId')), request.apiUrl));

  const updateApp = async (request: ScimRequest): Promise<HttpResponse> =>
    ok(view(await apps.update(param(request, 'appId'), request.body as AppUpdateInput), request.apiUrl));

  const deleteApp = async (request: ScimRequest): Promise<HttpResponse> => {
    const force = request.query.force;
    if (force !== undefined && force !== 'true' && force !== 'false') {
      throw ScimError.invalidValue('Query parameter force must be "true" or "false".');
    }
    await apps.remove(param(request, 'appId'), { force: force === 'true' });
    return noContent();
  };

  const createToken = async (request: ScimRequest): Promise<HttpResponse> => {
    // An empty body means "no options".
    const token = await apps.createToken(param(request, 'appId'), (request.body ?? {}) as TokenCreateInput);
    return created(token satisfies CreatedTokenJson, { 'Cache-Control': 'no-store' });
  };

  const revokeToken = async (request: ScimRequest): Promise<HttpResponse> => {
    await apps.revokeToken(param(request, 'appId'), param(request, 'tokenId'));
    return noContent();
  };

  return httpHandler(
    rt,
    'admin',
    { listApps, createApp, getApp, updateApp, deleteApp, createToken, revokeToken },
    { contentType: 'application/json' },
  );
};

/** The Lambda entry point. */
export const handler = onFirstInvocation(() => createAdminHandler(runtime()));
