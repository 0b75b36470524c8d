/**
 * Matches a request path against the route table the way API Gateway walks its resource tree:
 * segment by segment, a static child (`.search`) before a `{param}` child, so
 * `/Users/.search` never lands on `/Users/{id}`. A resource that exists without the requested
 * method answers 405 with the methods it has; a path no resource matches answers 404. The one
 * matcher: the local gateway matches raw paths (`match`, with the front door's refusals of
 * `splitPath`); in-process callers (api-event.ts) match segments they split themselves.
 */
import type { HttpMethod, Route } from '../../lambdas/shared/routes';

interface ResourceNode {
  /** The resource path template from the route table, e.g. `/apps/{appId}/scim/v2/Users/{id}`. */
  resource: string;
  statics: Map<string, ResourceNode>;
  param?: { name: string; node: ResourceNode };
  methods: Map<string, Route>;
}

export type RouteMatch =
  | { kind: 'route'; route: Route; resource: string; pathParameters: Record<string, string>; segments: string[] }
  | { kind: 'method-not-allowed'; resource: string; allowed: HttpMethod[] }
  | { kind: 'not-found'; reason: string };

export interface RouteMatcher {
  /** A raw (percent-encoded) path, refused as `splitPath` says before any resource is looked up. */
  match(method: string, rawPath: string): RouteMatch;
  /** Decoded path segments, as already split by the caller. */
  matchSegments(method: string, segments: readonly string[]): RouteMatch;
  /** Every (method, resource) the matcher serves, enumerated from its tree. */
  routes(): Route[];
}

const PARAM = /^\{([A-Za-z0-9_]+)\}$/;

const newNode = (resource: string): ResourceNode => ({ resource, statics: new Map(), methods: new Map() });

const insert = (root: ResourceNode, route: Route): void => {
  let node = root;
  let resource = '';
  for (const segment of route.path.split('/').filter(Boolean)) {
    resource += `/${segment}`;
    const param = PARAM.exec(segment);
    if (param) {
      if (node.param && node.param.name !== param[1]) {
        // API Gateway refuses two different parameter names at the same level; so do we.
        throw new Error(`Route table conflict: {${node.param.name}} and {${param[1]}} under ${resource}`);
      }
      node.param ??= { name: param[1], node: newNode(resource) };
      node = node.param.node;
    } else {
      let child = node.statics.get(segment);
      if (!child) {
        child = newNode(resource);
        node.statics.set(segment, child);
      }
      node = child;
    }
  }
  if (node.methods.has(route.method)) throw new Error(`Route table lists ${route.method} ${route.path} twice`);
  node.methods.set(route.method, route);
};

/**
 * Splits and percent-decodes a raw path. Refuses what could address something other than what it
 * says: `.`/`..` segments, an encoded `/` or `\` inside a segment, empty segments (`//`), and
 * undecodable escapes. One trailing slash is tolerated.
 */
export const splitPath = (rawPath: string): { segments: string[] } | { error: string } => {
  if (!rawPath.startsWith('/')) return { error: 'The path must start with "/".' };
  let path = rawPath;
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  if (path === '/') return { segments: [] };
  const segments: string[] = [];
  for (const raw of path.slice(1).split('/')) {
    if (raw === '') return { error: 'The path contains an empty segment.' };
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return { error: 'The path contains an invalid percent-encoding.' };
    }
    if (decoded === '.' || decoded === '..') return { error: 'The path contains a "." or ".." segment.' };
    if (decoded.includes('/') || decoded.includes('\\')) return { error: 'The path contains an encoded "/" or "\\".' };
    if (decoded.includes('\0')) return { error: 'The path contains a NUL character.' };
    segments.push(decoded);
  }
  return { segments };
};

const find = (node: ResourceNode, segments: readonly string[], index: number, params: Record<string, string>): ResourceNode | undefined => {
  if (index === segments.length) return node.methods.size ? node : undefined;
  const segment = segments[index];
  const child = node.statics.get(segment);
  if (child) {
    const found = find(child, segments, index + 1, params);
    if (found) return found;
  }
  // API Gateway has no empty path parameter: `/Users/` is `/Users`, never `/Users/{id}` with id ''.
  if (node.param && segment !== '') {
    const found = find(node.param.node, segments, index + 1, params);
    if (found) {
      params[node.param.name] = segment;
      return found;
    }
  }
  return undefined;
};

const collect = (node: ResourceNode, out: Route[]): void => {
  out.push(...node.methods.values());
  for (const child of node.statics.values()) collect(child, out);
  if (node.param) collect(node.param.node, out);
};

export const createRouteMatcher = (routes: readonly Route[]): RouteMatcher => {
  const root = newNode('/');
  for (const route of routes) insert(root, route);
  const matchSegments = (method: string, segments: readonly string[]): RouteMatch => {
    const pathParameters: Record<string, string> = {};
    const node = find(root, segments, 0, pathParameters);
    if (!node) return { kind: 'not-found', reason: 'No resource matches this path.' };
    const route = node.methods.get(method);
    if (!route) return { kind: 'method-not-allowed', resource: node.resource, allowed: [...node.methods.keys()] as HttpMethod[] };
    return { kind: 'route', route, resource: node.resource, pathParameters, segments: [...segments] };
  };
  return {
    match(method, rawPath) {
      const split = splitPath(rawPath);
      if ('error' in split) return { kind: 'not-found', reason: split.error };
      return matchSegments(method, split.segments);
    },
    matchSegments,
    routes() {
      const out: Route[] = [];
      collect(root, out);
      return out;
    },
  };
};
