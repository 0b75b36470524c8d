/**
 * Every Lambda handler of the route table and the authorizer, built from one runtime, by name: for
 * tests that put the local gateway (lib/local/http-adapter.ts) in front of in-process handlers, or
 * that reach many handlers at once.
 */
import { createAdminHandler } from '../../lambdas/handlers/admin';
import { createAdminUsersHandler } from '../../lambdas/handlers/admin-users';
import { createAuthorizerHandler } from '../../lambdas/handlers/authorizer';
import { createBulkHandler } from '../../lambdas/handlers/bulk';
import { createConsoleHandler } from '../../lambdas/handlers/console';
import { createDirectoryHandler } from '../../lambdas/handlers/directory';
import { createDiscoveryHandler } from '../../lambdas/handlers/discovery';
import { createEventsAdminHandler } from '../../lambdas/handlers/events-admin';
import { createGroupsHandler } from '../../lambdas/handlers/groups';
import { createOAuthClientsHandler } from '../../lambdas/handlers/oauth-clients';
import { createTokenHandler } from '../../lambdas/handlers/oauth-token';
import { createReportsHandler } from '../../lambdas/handlers/reports';
import { createSearchHandler } from '../../lambdas/handlers/search';
import { createUsersHandler } from '../../lambdas/handlers/users';
import type { HandlerName } from '../../lambdas/shared/routes';
import type { Runtime } from '../../lambdas/shared/runtime';
import type { HandlerLoader, LambdaFunction } from '../../lib/local/handler-loader';

const FACTORIES: Record<HandlerName | 'authorizer', (rt: Runtime) => unknown> = {
  users: createUsersHandler,
  groups: createGroupsHandler,
  search: createSearchHandler,
  discovery: createDiscoveryHandler,
  admin: createAdminHandler,
  'admin-users': createAdminUsersHandler,
  reports: createReportsHandler,
  bulk: createBulkHandler,
  console: (rt) => createConsoleHandler(rt.config),
  'events-admin': createEventsAdminHandler,
  directory: createDirectoryHandler,
  'oauth-token': createTokenHandler,
  'oauth-clients': createOAuthClientsHandler,
  authorizer: createAuthorizerHandler,
};

/** A loader for the local gateway's adapter: each handler built once from `rt`, on first use. */
export const runtimeLoader = (rt: Runtime): HandlerLoader => {
  const built = new Map<string, LambdaFunction>();
  return async (name) => {
    if (!Object.hasOwn(FACTORIES, name)) throw new Error(`No handler named "${name}".`);
    if (!built.has(name)) built.set(name, FACTORIES[name as keyof typeof FACTORIES](rt) as LambdaFunction);
    return built.get(name)!;
  };
};
