import { hrefOf, parseRoute, type Route } from '../../../console/src/router';

describe('console router', () => {
  it.each<[string, Route]>([
    ['', { view: 'apps' }],
    ['#/apps', { view: 'apps' }],
    ['#/apps/abc123def456', { view: 'app', appId: 'abc123def456' }],
    ['#/apps/abc123def456/users', { view: 'users', appId: 'abc123def456', query: '' }],
    ['#/apps/abc123def456/users?q=al%20ice', { view: 'users', appId: 'abc123def456', query: 'al ice' }],
    ['#/apps/abc123def456/users/u-1', { view: 'user', appId: 'abc123def456', userId: 'u-1' }],
    ['#/apps/abc123def456/groups?q=sal', { view: 'groups', appId: 'abc123def456', query: 'sal' }],
    ['#/apps/abc123def456/groups/g-1', { view: 'group', appId: 'abc123def456', groupId: 'g-1' }],
    ['#/apps/abc123def456/webhooks/wh_0123456789abcdef', { view: 'webhook', appId: 'abc123def456', webhookId: 'wh_0123456789abcdef' }],
    ['#/apps/abc123def456/events?type=user.deactivated', { view: 'events', appId: 'abc123def456', type: 'user.deactivated' }],
    ['#/apps/abc123def456/events', { view: 'events', appId: 'abc123def456', type: '' }],
    ['#/reports', { view: 'reports', params: {} }],
    ['#/reports?endUser=alice%40contoso.com&span=7d&status=', { view: 'reports', params: { endUser: 'alice@contoso.com', span: '7d' } }],
  ])('parses %s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('sends unknown places and encoded slashes to the applications list', () => {
    expect(parseRoute('#/nowhere')).toEqual({ view: 'apps' });
    expect(parseRoute('#/apps/a%2Fb')).toEqual({ view: 'apps' });
    expect(parseRoute('#/apps/%E0%A4%A')).toEqual({ view: 'apps' });
    expect(parseRoute('#/apps/x/users/y/z')).toEqual({ view: 'apps' });
  });

  it('prints every route so that parsing gives it back', () => {
    const routes: Route[] = [
      { view: 'apps' },
      { view: 'app', appId: 'a b/c' },
      { view: 'users', appId: 'app1', query: 'x&y=z' },
      { view: 'users', appId: 'app1', query: '' },
      { view: 'user', appId: 'app1', userId: 'ü?#' },
      { view: 'groups', appId: 'app1', query: 'Sales & Co' },
      { view: 'group', appId: 'app1', groupId: 'g 1?#' },
      { view: 'webhook', appId: 'app1', webhookId: 'wh_1' },
      { view: 'events', appId: 'app1', type: 'user.*' },
      { view: 'reports', params: { endUser: 'alice@contoso.com', application: 'app1', span: 'custom', from: '2026-01-01T00:00:00.000Z' } },
    ];
    for (const route of routes) {
      if (route.view === 'app') expect(parseRoute(hrefOf(route))).toEqual({ view: 'apps' }); // a "/" in an id is never a valid place
      else expect(parseRoute(hrefOf(route))).toEqual(route);
    }
  });
});
