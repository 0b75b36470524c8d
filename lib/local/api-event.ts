/**
 * The API Gateway REST proxy event for a request written in code: tests and the benchmark call the
 * real handlers in process with it. The route comes from the local gateway's matcher
 * (route-matcher.ts) and the event from its builder (proxy-event.ts), so an in-process call gets
 * the event `npm start` would hand the handler, with the front door a test chooses (host, stage in
 * the path, query decoding).
 *
 * Paths are split on `/` and each segment percent-decoded, without the local front door's refusals
 * (`..`, an encoded `/`): those are the gateway's business, and in process a handler must answer
 * such an id itself.
 */
import { ROUTES } from '../../lambdas/shared/routes';
import { buildProxyEvent, splitUrl, type ProxyEvent, type QueryDecoding } from './proxy-event';
import { createRouteMatcher, type RouteMatch } from './route-matcher';

/** Where the request arrives: what API Gateway knows before the request does. */
export interface FrontDoor {
  /** Sent as the Host header unless the request has one. */
  host: string;
  stage: string;
  /** `requestContext.path`'s prefix: `/<stage>` on the execute-api URL, '' behind a custom domain. */
  basePath: string;
  sourceIp: string;
  /** @default '000000000000' */
  accountId?: string;
  /** @default 'local' */
  apiId?: string;
  /** Headers API Gateway adds to every request (`X-Forwarded-Proto`, …); the request's own win. */
  headers?: Readonly<Record<string, string>>;
  /** @default 'form' (API Gateway REST) */
  queryDecoding?: QueryDecoding;
}

export interface ApiCall {
  method: string;
  /** Path and query, percent-encoded as a client sends them: `/apps/x/scim/v2/Users?filter=…`. */
  url: string;
  headers?: Readonly<Record<string, string>>;
  /** The raw body; none when undefined. */
  body?: string | Buffer;
  /** The authorizer's context as API Gateway passes it on; null on public routes. */
  authorizer?: Record<string, unknown> | null;
  requestId: string;
  /** @default now */
  receivedAt?: Date;
}

const matcher = createRouteMatcher(ROUTES);

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/** The route a request written in code reaches, or undefined when none does. */
export const routeOfCall = (method: string, rawPath: string): Extract<RouteMatch, { kind: 'route' }> | undefined => {
  const path = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
  const match = matcher.matchSegments(method, path === '/' ? [] : path.slice(1).split('/').map(decodeSegment));
  return match.kind === 'route' ? match : undefined;
};

/** The event API Gateway would hand the route's handler; throws when no route of the table serves the call. */
export const apiEvent = (call: ApiCall, door: FrontDoor): ProxyEvent => {
  const { rawPath, rawQuery } = splitUrl(call.url);
  const match = routeOfCall(call.method, rawPath);
  if (!match) throw new Error(`no route for ${call.method} ${rawPath}`);
  const headers = { Host: door.host, ...door.headers, ...call.headers };
  const body = call.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(call.body) ? call.body : Buffer.from(call.body, 'utf8');
  return buildProxyEvent(
    {
      method: call.method,
      rawPath,
      rawQuery,
      rawHeaders: Object.entries(headers).flat(),
      body,
      sourceIp: door.sourceIp,
      protocol: 'HTTP/1.1',
      receivedAt: call.receivedAt ?? new Date(),
    },
    {
      accountId: door.accountId ?? '000000000000',
      apiId: door.apiId ?? 'local',
      stage: door.stage,
      basePath: door.basePath,
      queryDecoding: door.queryDecoding,
      requestId: call.requestId,
      resource: match.resource,
      operationName: match.route.operation,
      pathParameters: match.pathParameters,
      authorizer: call.authorizer ?? null,
    },
  );
};
