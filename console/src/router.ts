/**
 * The console's places, kept in the URL fragment (`#/apps/…`) so the page itself is one file and
 * back/forward, reloads and links work. Pure: parses and prints, touches no DOM.
 */

export type Route =
  | { view: 'apps' }
  | { view: 'app'; appId: string }
  | { view: 'users'; appId: string; query: string }
  | { view: 'user'; appId: string; userId: string }
  | { view: 'groups'; appId: string; query: string }
  | { view: 'group'; appId: string; groupId: string }
  | { view: 'webhook'; appId: string; webhookId: string }
  | { view: 'events'; appId: string; type: string }
  | { view: 'reports'; params: Record<string, string> };

const segment = (value: string): string | undefined => {
  try {
    const decoded = decodeURIComponent(value);
    return decoded && !decoded.includes('/') ? decoded : undefined;
  } catch {
    return undefined;
  }
};

const paramsOf = (query: string): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(query)) if (value !== '') out[name] = value;
  return out;
};

/** `#/apps/x/users?q=al` → a route; anything unknown is the applications list. */
export const parseRoute = (hash: string): Route => {
  const text = hash.replace(/^#/, '');
  const q = text.indexOf('?');
  const path = q === -1 ? text : text.slice(0, q);
  const params = paramsOf(q === -1 ? '' : text.slice(q + 1));
  const parts = path.split('/').filter(Boolean).map(segment);
  if (parts.some((p) => p === undefined)) return { view: 'apps' };
  // The fourth segment is a user's or a group's id, by the third.
  const [first, appId, third, userId] = parts as string[];
  if (first === 'reports' && parts.length === 1) return { view: 'reports', params };
  if (first === 'apps' && parts.length === 2) return { view: 'app', appId };
  if (first === 'apps' && third === 'users' && parts.length === 3) return { view: 'users', appId, query: params.q ?? '' };
  if (first === 'apps' && third === 'users' && parts.length === 4) return { view: 'user', appId, userId };
  if (first === 'apps' && third === 'groups' && parts.length === 3) return { view: 'groups', appId, query: params.q ?? '' };
  if (first === 'apps' && third === 'groups' && parts.length === 4) return { view: 'group', appId, groupId: userId };
  if (first === 'apps' && third === 'webhooks' && parts.length === 4) return { view: 'webhook', appId, webhookId: userId };
  if (first === 'apps' && third === 'events' && parts.length === 3) return { view: 'events', appId, type: params.type ?? '' };
  return { view: 'apps' };
};

const withQuery = (path: string, params: Record<string, string | undefined>): string => {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
};

/** The fragment of a route, `#/…`. */
export const hrefOf = (route: Route): string => {
  const id = encodeURIComponent;
  switch (route.view) {
    case 'apps':
      return '#/apps';
    case 'app':
      return `#/apps/${id(route.appId)}`;
    case 'users':
      return withQuery(`#/apps/${id(route.appId)}/users`, { q: route.query });
    case 'user':
      return `#/apps/${id(route.appId)}/users/${id(route.userId)}`;
    case 'groups':
      return withQuery(`#/apps/${id(route.appId)}/groups`, { q: route.query });
    case 'group':
      return `#/apps/${id(route.appId)}/groups/${id(route.groupId)}`;
    case 'webhook':
      return `#/apps/${id(route.appId)}/webhooks/${id(route.webhookId)}`;
    case 'events':
      return withQuery(`#/apps/${id(route.appId)}/events`, { type: route.type });
    case 'reports':
      return withQuery('#/reports', route.params);
  }
};
