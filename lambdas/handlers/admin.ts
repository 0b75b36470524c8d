/**
 * Admin API: applications and their Secret Tokens (routes in lambdas/shared/routes.ts, admin token only).
 * The use cases live in use-cases/applications.ts; this file is parse → call → respond (the
 * route's admin-only auth is checked by `httpHandler`).
 *
 * IAM: granted by the construct (lib/gateway/permissions.ts, asserted action by action in
 * test/cdk/iam.test.ts): the main table's items and indexes, and Secrets Manager on `<prefix>/apps/*`
 * and the admin secret.
 */
import { staleSecondsOf } from '../shared/config';
import type { AppJson, AppListJson, CreatedAppJson, CreatedTokenJson } from '../admin/api-json';
import { ScimError } from '../scim/errors';
import { appStoreDeps } from '../shared/app-stores';
import { httpHandler, type HttpHandler } from '../shared/handler';
import { oauthStoresOf } from '../shared/oauth-stores';
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
import { createProfileAdmin } from '../use-cases/profile-admin';

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
  const oauth = oauthStoresOf(rt);
  // Deleting an application also deletes its OAuth clients (records and secret hashes) and Entra setting.
  const apps = createApplications({
    ...appStoreDeps(rt),
    removeAlso: async (appId) => {
      await oauth.clients.removeAll(appId);
      await oauth.entra.remove(appId);
    },
  });
  const profiles = createProfileAdmin(rt.dynamo, rt.config.SCIM_TABLE_NAME, staleSecondsOf(rt.config));

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

  // Profiles, mapping and features (use-cases/profile-admin.ts).
  const getMapping = async (request: ScimRequest) => ok(await profiles.getMapping(param(request, 'appId')));
  const putMapping = async (request: ScimRequest) => ok(await profiles.putMapping(param(request, 'appId'), request.body));
  const previewMapping = async (request: ScimRequest) => ok(await profiles.previewMapping(param(request, 'appId'), request.body));
  const getFeatures = async (request: ScimRequest) => ok(await profiles.getFeatures(param(request, 'appId')));
  const putFeatures = async (request: ScimRequest) => ok(await profiles.putFeatures(param(request, 'appId'), request.body));
  const listProfiles = async (request: ScimRequest) =>
    ok(await profiles.listProfiles(param(request, 'appId'), { cursor: request.query.cursor, updatedAfter: request.query.updatedAfter }));
  const getProfile = async (request: ScimRequest) => ok(await profiles.getProfile(param(request, 'appId'), param(request, 'userId')));

  return httpHandler(
    rt,
    'admin',
    { listApps, createApp, getApp, updateApp, deleteApp, createToken, revokeToken, getMapping, putMapping, previewMapping, getFeatures, putFeatures, listProfiles, getProfile },
    { contentType: 'application/json' },
  );
};

/** The Lambda entry point. */
export const handler = onFirstInvocation(() => createAdminHandler(runtime()));
