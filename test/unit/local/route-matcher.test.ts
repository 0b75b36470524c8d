import { ROUTES, type Route } from '../../../lambdas/shared/routes';
import { createRouteMatcher, splitPath } from '../../../lib/local/route-matcher';
import { LOCAL_ROUTES } from '../../../lib/local/http-adapter';

const matcher = createRouteMatcher(ROUTES);
const APP = '/apps/a1b2c3d4e5f6/scim/v2';

const routeOf = (method: string, path: string) => {
  const m = matcher.match(method, path);
  if (m.kind !== 'route') throw new Error(`expected a route for ${method} ${path}, got ${m.kind}`);
  return m;
};

describe('createRouteMatcher', () => {
  it('matches a static segment before a {param} at the same level', () => {
    const m = routeOf('POST', `${APP}/Users/.search`);
    expect(m.route.operation).toBe('searchUsers');
    expect(m.resource).toBe('/apps/{appId}/scim/v2/Users/.search');
    expect(m.pathParameters).toEqual({ appId: 'a1b2c3d4e5f6' });
  });

  it('falls back to the {param} resource when the static one does not continue', () => {
    const m = routeOf('GET', `${APP}/Users/2819c223`);
    expect(m.route.operation).toBe('getUser');
    expect(m.pathParameters).toEqual({ appId: 'a1b2c3d4e5f6', id: '2819c223' });
  });

  it('answers 405 with the allowed methods when the static resource lacks the method', () => {
    const m = matcher.match('GET', `${APP}/Users/.search`);
    expect(m).toEqual({ kind: 'method-not-allowed', resource: '/apps/{appId}/scim/v2/Users/.search', allowed: ['POST'] });
  });

  it('lists every method of a resource on 405', () => {
    const m = matcher.match('POST', `${APP}/Users/abc`);
    expect(m.kind).toBe('method-not-allowed');
    expect(m.kind === 'method-not-allowed' && [...m.allowed].sort()).toEqual(['DELETE', 'GET', 'PATCH', 'PUT']);
  });

  it('tolerates one trailing slash', () => {
    expect(routeOf('GET', `${APP}/Users/`).route.operation).toBe('listUsers');
    expect(routeOf('GET', `${APP}/ServiceProviderConfig/`).route.operation).toBe('getServiceProviderConfig');
  });

  it('decodes path parameters', () => {
    expect(routeOf('GET', `${APP}/Users/a%20b%C3%A9`).pathParameters.id).toBe('a bé');
  });

  it.each([
    [`${APP}/Users/../Groups`, '..'],
    [`${APP}/Users/%2e%2e`, 'encoded ..'],
    [`${APP}/./Users`, '.'],
    [`${APP}/Users/a%2Fb`, 'encoded /'],
    [`${APP}/Users/a%5Cb`, 'encoded \\'],
    [`${APP}//Users`, 'empty segment'],
    [`${APP}/Users/%E0%A4%A`, 'broken escape'],
    ['/apps/x/scim/v2/Users//', 'double trailing slash'],
  ])('refuses the path trick %s (%s) as not found', (path) => {
    expect(matcher.match('GET', path).kind).toBe('not-found');
  });

  it('answers not found for an unknown path', () => {
    expect(matcher.match('GET', `${APP}/Unknown`).kind).toBe('not-found');
    expect(matcher.match('GET', '/').kind).toBe('not-found');
    expect(matcher.match('GET', '/apps').kind).toBe('not-found');
  });

  it('keeps case in static segments (API Gateway paths are case-sensitive)', () => {
    expect(matcher.match('GET', `${APP}/users`).kind).toBe('not-found');
  });

  it('refuses a route table with two parameter names at one level', () => {
    const conflicting: Route[] = [
      { method: 'GET', path: '/a/{x}', handler: 'users', operation: 'one', auth: 'none' },
      { method: 'GET', path: '/a/{y}/b', handler: 'users', operation: 'two', auth: 'none' },
    ];
    expect(() => createRouteMatcher(conflicting)).toThrow(/conflict/);
  });

  it('enumerates exactly the routes of the route table', () => {
    const key = (r: Route) => `${r.method} ${r.path} ${r.handler} ${r.operation} ${r.auth}`;
    expect(LOCAL_ROUTES.map(key).sort()).toEqual(ROUTES.map(key).sort());
  });
});

describe('splitPath', () => {
  it('splits and decodes segments', () => {
    expect(splitPath('/a/b%20c/')).toEqual({ segments: ['a', 'b c'] });
  });

  it('keeps + as it is', () => {
    expect(splitPath('/a+b')).toEqual({ segments: ['a+b'] });
  });
});
