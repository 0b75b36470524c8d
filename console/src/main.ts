/**
 * The console shell: sign-in gate, navigation, and one view per place in the URL fragment. Views
 * render into a fresh element each time; a view's late answers are dropped once the admin has
 * moved on (`isCurrent`).
 */
import './styles.css';
import { createApi, type ApiError } from './api';
import { announce, h } from './dom';
import type { ViewContext } from './context';
import { hrefOf, parseRoute, type Route } from './router';
import { forgetToken, storedToken, storeToken } from './session';
import type { AppJson, AppListJson } from '../../lambdas/admin/api-json';
import { appView } from './views/app';
import { appsView } from './views/apps';
import { reportsView } from './views/reports';
import { signInView } from './views/sign-in';
import { groupView } from './views/group';
import { groupsView } from './views/groups';
import { userView } from './views/user';
import { usersView } from './views/users';
import { deliveriesView } from './views/deliveries';
import { eventsView } from './views/events';

const main = document.getElementById('main') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const session = document.getElementById('session') as HTMLElement;

let generation = 0;
let appsCache: Promise<AppJson[]> | undefined;

const authNotice = (error: ApiError): string =>
  error.status === 401
    ? 'Your admin token was refused: it has expired or been revoked. Sign in again.'
    : 'Your token may not use the admin API. Sign in with an admin token.';

const api = createApi(storedToken, (error) => {
  if (storedToken()) signOut(authNotice(error));
});

const fetchApps = (refresh = false): Promise<AppJson[]> => {
  if (refresh || !appsCache) {
    appsCache = api.get<AppListJson>('admin/apps').then((r) => [...r.apps].sort((a, b) => a.name.localeCompare(b.name)));
    appsCache.catch(() => (appsCache = undefined));
  }
  return appsCache;
};

const navigate = (href: string): void => {
  // The same place again (Search twice) still runs again.
  if (location.hash === href) render();
  else location.hash = href;
};

const TITLES: Record<Route['view'], string> = {
  apps: 'Applications',
  app: 'Application',
  users: 'Users',
  user: 'User',
  groups: 'Groups',
  group: 'Group',
  webhook: 'Webhook deliveries',
  events: 'Events',
  reports: 'Provisioning report',
};

const renderNav = (route: Route): void => {
  const section = route.view === 'reports' ? 'reports' : 'apps';
  const link = (href: string, label: string, key: string) =>
    h('a', { href, 'aria-current': section === key ? 'page' : undefined }, label);
  nav.replaceChildren(link(hrefOf({ view: 'apps' }), 'Applications', 'apps'), link(hrefOf({ view: 'reports', params: {} }), 'Provisioning report', 'reports'));
  nav.hidden = false;
  session.replaceChildren(h('button', { type: 'button', class: 'secondary', onclick: () => signOut() }, 'Sign out'));
};

function signOut(notice?: string): void {
  forgetToken();
  appsCache = undefined;
  render(notice);
}

function render(notice?: string): void {
  const mine = ++generation;
  const root = h('div', { class: 'view' });
  main.replaceChildren(root);
  if (!storedToken()) {
    nav.hidden = true;
    session.replaceChildren();
    document.title = 'Sign in · scim-gateway console';
    signInView(root, {
      notice,
      onSignedIn: (token) => {
        storeToken(token);
        announce('Signed in.');
        render();
      },
    });
    return;
  }
  const route = parseRoute(location.hash);
  renderNav(route);
  document.title = `${TITLES[route.view]} · scim-gateway console`;
  const ctx: ViewContext = { api, root, navigate, apps: fetchApps, isCurrent: () => mine === generation };
  const show = (): Promise<void> => {
    switch (route.view) {
      case 'apps':
        return appsView(ctx);
      case 'app':
        return appView(ctx, route.appId);
      case 'users':
        return usersView(ctx, route.appId, route.query);
      case 'user':
        return userView(ctx, route.appId, route.userId);
      case 'groups':
        return groupsView(ctx, route.appId, route.query);
      case 'group':
        return groupView(ctx, route.appId, route.groupId);
      case 'webhook':
        return deliveriesView(ctx, route.appId, route.webhookId);
      case 'events':
        return eventsView(ctx, route.appId, route.type);
      case 'reports':
        return reportsView(ctx, route.params);
    }
  };
  // Focus moves to the new content so keyboard and screen-reader users start there.
  main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
  show().catch((error: unknown) => {
    if (mine !== generation) return;
    root.replaceChildren(h('p', { class: 'message-error', role: 'alert' }, `The page failed: ${error instanceof Error ? error.message : String(error)}`));
  });
}

window.addEventListener('hashchange', () => render());
render();
