/**
 * Builds the API Gateway REST proxy event (payload v1) for one HTTP request, field by field as
 * API Gateway sends it (see test/fixtures/events/apigw-rest/): headers keep the client's casing,
 * the single-value maps hold the last value, empty maps are `null`, query names and values are
 * decoded with form semantics (`+` and `%20` become a space, `%2B` a `+`; see `parseQueryString`),
 * and a body that is not UTF-8 travels base64. The one builder: the local gateway (http-adapter.ts)
 * and in-process callers (api-event.ts: tests, the benchmark) both build their events here.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';

/** `requestContext.operationName` is set per method from the route table (lambdas/shared/routes.ts). */
export type ProxyEvent = APIGatewayProxyEvent & {
  requestContext: APIGatewayProxyEvent['requestContext'] & { operationName: string };
};

export interface RequestParts {
  method: string;
  /** The path as received, still percent-encoded. */
  rawPath: string;
  /** What follows `?`, or undefined when there was no `?`. */
  rawQuery: string | undefined;
  /** Node's `rawHeaders`: name, value, name, value, … */
  rawHeaders: readonly string[];
  body: Buffer;
  sourceIp: string;
  protocol: string;
  receivedAt: Date;
}

/**
 * How the front door decodes the query: `form` is API Gateway REST's (below); `percent` only
 * percent-decodes, so a `+` stays a `+`, as a front door without form decoding hands it over
 * (in-process tests use it to check that handlers read both).
 */
export type QueryDecoding = 'form' | 'percent';

export interface EventTarget {
  accountId: string;
  apiId: string;
  stage: string;
  requestId: string;
  /** The route's path template, e.g. `/apps/{appId}/scim/v2/Users/{id}`. */
  resource: string;
  /** @default derived from `resource` (resourceIdOf) */
  resourceId?: string;
  operationName: string;
  pathParameters: Record<string, string>;
  authorizer: Record<string, unknown> | null;
  /**
   * What `requestContext.path` carries before the request path: `/<stage>` on the execute-api URL,
   * a custom domain's base path, or nothing (the local gateway, like a custom domain at its root).
   * @default ''
   */
  basePath?: string;
  /** @default 'form' */
  queryDecoding?: QueryDecoding;
}

type MultiMap = Record<string, string[]>;

/** A request target (`/path?query#fragment`, or an absolute URL) → its raw path and raw query. */
export const splitUrl = (url: string): { rawPath: string; rawQuery: string | undefined } => {
  const target = /^https?:\/\//i.test(url) ? url.replace(/^https?:\/\/[^/]*/i, '') || '/' : url;
  const q = target.indexOf('?');
  return {
    rawPath: (q === -1 ? target : target.slice(0, q)).split('#')[0],
    rawQuery: q === -1 ? undefined : target.slice(q + 1).split('#')[0],
  };
};

/** Stable, API-Gateway-looking resource ids (6 characters) derived from the resource path; one hash per resource. */
const resourceIds = new Map<string, string>();
const resourceIdOf = (resource: string): string => {
  let id = resourceIds.get(resource);
  if (id === undefined) {
    id = createHash('sha256').update(resource).digest('base64url').slice(0, 6).toLowerCase();
    // Resources come from the route table; a caller inventing them must not grow this without bound.
    if (resourceIds.size < 1000) resourceIds.set(resource, id);
  }
  return id;
};

export const parseQueryString = (
  rawQuery: string | undefined,
  decoding: QueryDecoding = 'form',
): { single: Record<string, string>; multi: MultiMap } | null => {
  if (rawQuery === undefined || rawQuery === '') return null;
  const multi: MultiMap = {};
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeLenient(eq === -1 ? pair : pair.slice(0, eq), decoding);
    const value = eq === -1 ? '' : decodeLenient(pair.slice(eq + 1), decoding);
    (multi[name] ??= []).push(value);
  }
  const names = Object.keys(multi);
  if (names.length === 0) return null;
  const single: Record<string, string> = {};
  for (const name of names) single[name] = multi[name][multi[name].length - 1];
  return { single, multi };
};

/**
 * How API Gateway REST fills `queryStringParameters`: `+` → space, `%20` → space, `%2B` → `+`
 * (form decoding, as `URLSearchParams` does). AWS's guide says only that "REST APIs decode
 * URL-encoded request parameters before passing them to backend integrations" (Amazon API Gateway
 * important notes, api-gateway-known-issues). The `+` reading is what a REST proxy event logged in
 * CloudWatch shows (aws/aws-cdk#19827: `?sort=-+createdAt` arrived as `"sort": "- createdAt"` in
 * both maps), and what AWS SAM CLI's local API Gateway (`_query_string_params`, Flask's form-decoded
 * `request.args`) and LocalStack's REST API emulation (werkzeug `request.args`) produce.
 * A broken escape is passed through as sent, with its `+` still read as a space.
 */
const decodeLenient = (text: string, decoding: QueryDecoding): string => {
  const spaced = decoding === 'form' ? text.replace(/\+/g, ' ') : text;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
};

/** Groups repeated headers case-insensitively under the casing first seen. */
export const collectHeaders = (rawHeaders: readonly string[]): { single: Record<string, string>; multi: MultiMap } | null => {
  const multi: MultiMap = {};
  const casing = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const lower = rawHeaders[i].toLowerCase();
    const name = casing.get(lower) ?? rawHeaders[i];
    casing.set(lower, name);
    (multi[name] ??= []).push(rawHeaders[i + 1]);
  }
  const names = Object.keys(multi);
  if (names.length === 0) return null;
  const single: Record<string, string> = {};
  for (const name of names) single[name] = multi[name][multi[name].length - 1];
  return { single, multi };
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `$context.requestTime`: CLF format, UTC (`04/Mar/2020:19:15:17 +0000`). */
export const clfTime = (date: Date): string =>
  `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(
    date.getUTCMinutes(),
  )}:${two(date.getUTCSeconds())} +0000`;

const bodyOf = (body: Buffer): { body: string | null; isBase64Encoded: boolean } => {
  if (body.length === 0) return { body: null, isBase64Encoded: false };
  try {
    return { body: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), isBase64Encoded: false };
  } catch {
    return { body: body.toString('base64'), isBase64Encoded: true };
  }
};

export const buildProxyEvent = (request: RequestParts, target: EventTarget): ProxyEvent => {
  const headers = collectHeaders(request.rawHeaders);
  const query = parseQueryString(request.rawQuery, target.queryDecoding);
  const host = Object.entries(headers?.single ?? {}).find(([name]) => name.toLowerCase() === 'host')?.[1] ?? 'localhost';
  const domainName = host.replace(/:\d+$/, '');
  const userAgent = Object.entries(headers?.single ?? {}).find(([name]) => name.toLowerCase() === 'user-agent')?.[1] ?? null;
  const hasParams = Object.keys(target.pathParameters).length > 0;
  return {
    resource: target.resource,
    path: request.rawPath,
    httpMethod: request.method,
    headers: headers?.single ?? {},
    multiValueHeaders: headers?.multi ?? {},
    queryStringParameters: query?.single ?? null,
    multiValueQueryStringParameters: query?.multi ?? null,
    pathParameters: hasParams ? { ...target.pathParameters } : null,
    stageVariables: null,
    requestContext: {
      accountId: target.accountId,
      apiId: target.apiId,
      authorizer: target.authorizer,
      domainName,
      domainPrefix: domainName.split('.')[0],
      extendedRequestId: randomBytes(12).toString('base64url').slice(0, 16) + '=',
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent,
        userArn: null,
      },
      path: `${target.basePath ?? ''}${request.rawPath}`,
      protocol: request.protocol,
      requestId: target.requestId,
      requestTime: clfTime(request.receivedAt),
      requestTimeEpoch: request.receivedAt.getTime(),
      resourceId: target.resourceId ?? resourceIdOf(target.resource),
      resourcePath: target.resource,
      stage: target.stage,
      operationName: target.operationName,
    },
    ...bodyOf(request.body),
  };
};
