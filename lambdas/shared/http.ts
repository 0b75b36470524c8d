/**
 * The edge between API Gateway and our code. An `APIGatewayProxyEvent` (REST, payload v1) is
 * narrowed to a `ScimRequest` here, once; nothing beyond this file sees the raw event.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { principalFromContext, type Principal } from '../oauth/principal';
import { ScimError } from '../scim/errors';

/** Who called, as established by the authorizer (see handlers/authorizer.ts). */
export interface Caller {
  /** `directory`: a directory token (read API only, issue 16). */
  kind: 'app' | 'admin' | 'directory';
  tokenId: string;
  /** Set for application tokens. */
  app?: AppContext;
  /** How an application's caller authenticated (Secret Token, OAuth client, Entra tenant), for the report. */
  principal?: Principal;
}

export interface AppContext {
  id: string;
  name: string;
  /** Attribute paths every user of this application must carry (RFC minimum: userName). */
  requiredAttributes: string[];
}

export interface ScimRequest {
  operation: string;
  method: string;
  /** Path as the client sent it, without stage or custom-domain base path. */
  path: string;
  pathParams: Record<string, string>;
  /** Query parameters, decoded; a repeated parameter keeps its last value. */
  query: Record<string, string>;
  /** Header names are lower-cased. `authorization` is never kept. */
  headers: Record<string, string>;
  /** Parsed JSON body (`readBody`), `undefined` when there was none. */
  body: unknown;
  caller?: Caller;
  requestId: string;
  sourceIp?: string;
  userAgent?: string;
  /** `https://host[/stage]`: the API's public root, for Location headers and `$ref`s. */
  apiUrl: string;
}

/** A request on a SCIM route: the caller's application, checked against the path (shared/handler.ts). */
export interface AppRequest extends ScimRequest {
  app: AppContext;
}

export interface HttpResponse {
  status: number;
  body?: unknown;
  /** A body already encoded (a CSV export), sent as it is instead of `body` as JSON; set its Content-Type in `headers`. */
  text?: string;
  headers?: Record<string, string>;
}

export const SCIM_CONTENT_TYPE = 'application/scim+json';

const lowerCaseHeaders = (headers: APIGatewayProxyEvent['headers']): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (value !== undefined && value !== null && lower !== 'authorization') out[lower] = value;
  }
  return out;
};

/** JSON.parse that refuses keys which could poison prototypes. */
export const parseJson = (text: string): unknown =>
  JSON.parse(text, (key, value) => {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
      throw ScimError.invalidSyntax(`The attribute name "${key}" is not allowed.`);
    }
    return value;
  });

/** The 413 of a body over the limit; a route may answer its own (Bulk words it as RFC 7644 §3.7.4 does). */
export type TooLarge = (bytes: number, maxBytes: number) => ScimError;

const bodyTooLarge: TooLarge = (bytes, maxBytes) => ScimError.payloadTooLarge(`The request body is ${bytes} bytes; the limit is ${maxBytes} bytes.`);

/** Decodes, size-checks (before parsing) and parses the body; throws a ScimError a client understands. */
export const readBody = (event: APIGatewayProxyEvent, headers: Record<string, string>, maxBytes: number, tooLarge: TooLarge = bodyTooLarge): unknown => {
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.length > maxBytes) throw tooLarge(raw.length, maxBytes);
  const contentType = (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (contentType && contentType !== 'application/scim+json' && contentType !== 'application/json') {
    throw ScimError.unsupportedMediaType(
      `Content-Type "${contentType}" is not supported; send application/scim+json or application/json.`,
    );
  }
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let decoded: string;
  try {
    decoded = text.decode(raw);
  } catch (cause) {
    throw ScimError.invalidSyntax('The request body is not valid UTF-8.', cause);
  }
  try {
    return parseJson(decoded);
  } catch (cause) {
    if (cause instanceof ScimError) throw cause;
    throw ScimError.invalidSyntax(`The request body is not valid JSON: ${(cause as Error).message}`, cause);
  }
};

/** The authorizer's context arrives as flat strings (API Gateway's rule). */
const callerOf = (event: APIGatewayProxyEvent): Caller | undefined => {
  const ctx = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  if (!ctx || typeof ctx.kind !== 'string') return undefined;
  const caller: Caller = { kind: ctx.kind === 'admin' ? 'admin' : ctx.kind === 'directory' ? 'directory' : 'app', tokenId: String(ctx.tokenId ?? '') };
  if (caller.kind === 'directory' && typeof ctx.appId === 'string') caller.app = { id: ctx.appId, name: String(ctx.appName ?? ''), requiredAttributes: [] };
  if (caller.kind === 'app' && typeof ctx.appId === 'string') {
    let requiredAttributes: string[] = ['userName'];
    try {
      const parsed = JSON.parse(String(ctx.requiredAttributes ?? '[]'));
      if (Array.isArray(parsed) && parsed.length) requiredAttributes = parsed.map(String);
    } catch {
      // A malformed context can only come from a bug in the authorizer; keep the RFC minimum.
    }
    caller.app = { id: ctx.appId, name: String(ctx.appName ?? ''), requiredAttributes };
    const principal = principalFromContext(ctx);
    if (principal) caller.principal = principal;
  }
  return caller;
};

/** `requestContext.path` carries the stage or base path that `event.path` lacks. */
const apiUrlOf = (event: APIGatewayProxyEvent, headers: Record<string, string>, configured?: string): string => {
  if (configured) return configured.replace(/\/+$/, '');
  const host = headers['host'] ?? event.requestContext?.domainName ?? 'localhost';
  const proto = headers['x-forwarded-proto']?.split(',')[0].trim() ?? 'https';
  const fullPath = event.requestContext?.path ?? event.path;
  const prefix = fullPath.endsWith(event.path) ? fullPath.slice(0, fullPath.length - event.path.length) : '';
  return `${proto}://${host}${prefix}`;
};

export interface NormaliseOptions {
  apiUrl?: string;
}

export const toScimRequest = (event: APIGatewayProxyEvent, options: NormaliseOptions): ScimRequest => {
  const headers = lowerCaseHeaders(event.headers);
  const query: Record<string, string> = {};
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    if (values && values.length) query[name] = values[values.length - 1];
  }
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined && !(name in query)) query[name] = value;
  }
  const pathParams: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.pathParameters ?? {})) {
    if (value !== undefined) pathParams[name] = value;
  }
  return {
    // Set per method by the construct from the route table; the local adapter sets it the same way.
    operation: (event.requestContext as { operationName?: string } | undefined)?.operationName ?? '',
    method: event.httpMethod,
    path: event.path,
    pathParams,
    query,
    headers,
    body: undefined,
    caller: callerOf(event),
    requestId: event.requestContext?.requestId ?? 'unknown',
    sourceIp: event.requestContext?.identity?.sourceIp ?? undefined,
    userAgent: headers['user-agent'],
    apiUrl: apiUrlOf(event, headers, options.apiUrl),
  };
};

export const toProxyResult = (response: HttpResponse, contentType = SCIM_CONTENT_TYPE): APIGatewayProxyResult => {
  const headers: Record<string, string> = { ...response.headers };
  if (response.text !== undefined) return { statusCode: response.status, headers: { 'Content-Type': contentType, ...headers }, body: response.text };
  if (response.body === undefined) return { statusCode: response.status, headers, body: '' };
  headers['Content-Type'] ??= contentType;
  return { statusCode: response.status, headers, body: JSON.stringify(response.body) };
};

// Response builders: handlers say what happened, not how it is encoded.
export const ok = (body: unknown, headers?: Record<string, string>): HttpResponse => ({ status: 200, body, headers });
export const created = (body: unknown, headers?: Record<string, string>): HttpResponse => ({ status: 201, body, headers });
export const noContent = (headers?: Record<string, string>): HttpResponse => ({ status: 204, headers });
