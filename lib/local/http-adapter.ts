/**
 * The local stand-in for API Gateway (REST, Lambda proxy). Each HTTP request is matched against
 * THE route table, authorized by the same TOKEN authorizer the stack deploys (its IAM policy is
 * evaluated here as API Gateway would), turned into a REST proxy event v1 and handed to the same
 * handler module; the handler's result is written back as API Gateway would write it.
 *
 * Responses the gateway makes itself (404, 405, 401, 403, 413, 5xx, and 400/414/431 for requests
 * too large or unreadable: request-limits.ts) are entries of THE gateway-response table
 * (lib/gateway-responses.ts) the stack configures API Gateway with: a failing handler or authorizer
 * gets the status and body the deployed stack gives, and the cause goes to `onError` (the log).
 * With `authorizerCache`, an Allow is reused per token like API Gateway's authorizer cache, but
 * dropped by any application or token write (authorizer-cache.ts): a revoked token stops working at once.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { ROUTES, type Route } from '../../lambdas/shared/routes';
import { GATEWAY_RESPONSES, LOCAL_ANSWERS } from '../gateway-responses';
import { gatewayReply, replyFromResult, type GatewayReply } from './gateway-reply';
import type { HandlerLoader, LambdaFunction } from './handler-loader';
import { createAuthorizerCache, type AuthorizerCacheOptions } from './authorizer-cache';
import { accessDeniedDetail, evaluatePolicy } from './iam-policy';
import { createLambdaContext } from './lambda-context';
import { buildProxyEvent, splitUrl, type ProxyEvent, type RequestParts } from './proxy-event';
import { answerUnparsableRequests, methodArnRefusal, PARSER_MAX_HEADER_BYTES, requestLimitRefusal } from './request-limits';
import { createRouteMatcher, type RouteMatcher } from './route-matcher';

/** API Gateway's own payload limit for REST APIs; the handlers enforce a much smaller one. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** REST API integration timeout. */
export const INTEGRATION_TIMEOUT_MS = 29_000;
export const AUTHORIZER_HANDLER = 'authorizer';

/** The routes this adapter serves, enumerated from its matcher (compared with the CDK stack in a test). */
export const LOCAL_ROUTES: readonly Route[] = createRouteMatcher(ROUTES).routes();

export interface AccessLogEntry {
  requestId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  operation?: string;
}

export interface HttpAdapterOptions {
  /** Loads a handler module by name (`users`, `authorizer`, …). */
  loadHandler: HandlerLoader;
  routes?: readonly Route[];
  /** @default 'local' */
  stage?: string;
  /** @default 'local' */
  apiId?: string;
  /** @default 'local' */
  region?: string;
  /** @default '000000000000' */
  accountId?: string;
  /** @default MAX_PAYLOAD_BYTES */
  maxPayloadBytes?: number;
  /** @default INTEGRATION_TIMEOUT_MS */
  timeoutMs?: number;
  onAccess?: (entry: AccessLogEntry) => void;
  /** Told about handler crashes and authorizer failures (the CLI prints them with their stack). */
  onError?: (message: string, error: unknown) => void;
  /**
   * Requests wait for this before anything else, so the port can be bound (and a clash reported)
   * before the rest of the gateway has started.
   */
  whenReady?: Promise<void>;
  /** Reuse the authorizer's Allow per token (authorizer-cache.ts). @default none: the authorizer runs on every request */
  authorizerCache?: AuthorizerCacheOptions;
}

export interface HttpAdapter {
  readonly server: Server;
  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

class PayloadTooLargeError extends Error {}
/** The client stopped sending before the body it declared was complete. */
class IncompleteBodyError extends Error {}

const receiveBody = (req: IncomingMessage, limit: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return reject(new PayloadTooLargeError());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new PayloadTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', (error) => reject(new IncompleteBodyError(error.message, { cause: error })));
  });

/** API Gateway sets the X-Forwarded-* headers itself; a client cannot choose proto or port. */
const withForwardedHeaders = (rawHeaders: readonly string[], sourceIp: string, port: number): string[] => {
  const out: string[] = [];
  let forwardedFor: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const lower = rawHeaders[i].toLowerCase();
    if (lower === 'x-forwarded-for') forwardedFor = forwardedFor ? `${forwardedFor}, ${rawHeaders[i + 1]}` : rawHeaders[i + 1];
    else if (lower !== 'x-forwarded-proto' && lower !== 'x-forwarded-port') out.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  out.push('X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${sourceIp}` : sourceIp);
  out.push('X-Forwarded-Port', String(port), 'X-Forwarded-Proto', 'http');
  return out;
};

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};
const TIMED_OUT = Symbol('timed out');

const isUnauthorized = (error: unknown): boolean => error instanceof Error && error.message === 'Unauthorized';

/** API Gateway passes the authorizer context on as strings, plus `principalId` and the latency. */
const authorizerContextOf = (result: APIGatewayAuthorizerResult, latencyMs: number): Record<string, unknown> | undefined => {
  const context: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(result.context ?? {})) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'object') return undefined;
    context[key] = String(value);
  }
  return { ...context, principalId: result.principalId, integrationLatency: latencyMs };
};

const isAuthorizerResult = (value: unknown): value is APIGatewayAuthorizerResult =>
  !!value &&
  typeof value === 'object' &&
  typeof (value as APIGatewayAuthorizerResult).principalId === 'string' &&
  !!(value as APIGatewayAuthorizerResult).policyDocument &&
  Array.isArray((value as APIGatewayAuthorizerResult).policyDocument.Statement);

export const createHttpAdapter = (options: HttpAdapterOptions): HttpAdapter => {
  const matcher: RouteMatcher = createRouteMatcher(options.routes ?? ROUTES);
  const stage = options.stage ?? 'local';
  const apiId = options.apiId ?? 'local';
  const region = options.region ?? 'local';
  const accountId = options.accountId ?? '000000000000';
  const maxPayload = options.maxPayloadBytes ?? MAX_PAYLOAD_BYTES;
  const timeoutMs = options.timeoutMs ?? INTEGRATION_TIMEOUT_MS;
  const onError = options.onError ?? (() => undefined);
  const decisions = options.authorizerCache ? createAuthorizerCache(options.authorizerCache) : undefined;
  let boundPort = 0;

  const invoke = async (name: string, event: unknown, requestId: string): Promise<unknown> => {
    const handler: LambdaFunction = await options.loadHandler(name);
    const context = createLambdaContext({ functionName: `scim-gateway-${name}`, requestId, timeoutMs, region, accountId });
    return (handler as (e: unknown, c: unknown) => unknown)(event, context);
  };

  type AuthOutcome = { reply: GatewayReply } | { context: Record<string, unknown> };

  const authorize = async (req: IncomingMessage, methodArn: string, requestId: string): Promise<AuthOutcome> => {
    const token = req.headers.authorization;
    // API Gateway refuses a request without the identity source before calling the authorizer.
    if (!token) return { reply: gatewayReply(GATEWAY_RESPONSES.UNAUTHORIZED, { detail: 'A bearer token is required (Authorization header).' }) };
    // A cached Allow that covers this request answers it; one that does not (another application's URL) goes to the authorizer, which reports the refusal.
    const cached = decisions?.get(token);
    if (cached && evaluatePolicy(cached.policyDocument, methodArn) === 'allow') {
      const context = authorizerContextOf(cached, 0);
      if (context) return { context };
    }
    const generation = decisions?.generation();
    const event: APIGatewayTokenAuthorizerEvent = { type: 'TOKEN', authorizationToken: token, methodArn };
    const started = Date.now();
    let result: unknown;
    try {
      result = await invoke(AUTHORIZER_HANDLER, event, requestId);
    } catch (error) {
      if (isUnauthorized(error)) return { reply: gatewayReply(GATEWAY_RESPONSES.UNAUTHORIZED, { detail: 'The bearer token is not valid.' }) };
      onError('authorizer failed', error);
      return { reply: gatewayReply(GATEWAY_RESPONSES.AUTHORIZER_FAILURE) };
    }
    if (!isAuthorizerResult(result)) {
      onError('authorizer returned an invalid result', result);
      return { reply: gatewayReply(GATEWAY_RESPONSES.AUTHORIZER_CONFIGURATION_ERROR) };
    }
    const decision = evaluatePolicy(result.policyDocument, methodArn);
    if (decision !== 'allow') return { reply: gatewayReply(GATEWAY_RESPONSES.ACCESS_DENIED, { detail: accessDeniedDetail(result.context) }) };
    const context = authorizerContextOf(result, Date.now() - started);
    if (!context) {
      onError('authorizer context holds a non-scalar value', result.context);
      return { reply: gatewayReply(GATEWAY_RESPONSES.DEFAULT_5XX) };
    }
    if (generation !== undefined) decisions?.set(token, result, generation);
    return { context };
  };

  const respond = async (req: IncomingMessage, requestId: string, receivedAt: Date): Promise<GatewayReply & { operation?: string }> => {
    await options.whenReady;
    const tooLarge = requestLimitRefusal(req);
    if (tooLarge) return gatewayReply(tooLarge);
    const { rawPath, rawQuery } = splitUrl(req.url ?? '/');
    const method = (req.method ?? 'GET').toUpperCase();

    const match = matcher.match(method, rawPath);
    if (match.kind === 'not-found') {
      return gatewayReply(GATEWAY_RESPONSES.MISSING_AUTHENTICATION_TOKEN, { detail: `No such endpoint: ${method} ${rawPath}. ${match.reason}` });
    }
    if (match.kind === 'method-not-allowed') {
      return gatewayReply(LOCAL_ANSWERS.methodNotAllowed, {
        detail: `${method} is not allowed on ${match.resource}; allowed: ${match.allowed.join(', ')}.`,
        headers: { Allow: match.allowed.join(', ') },
      });
    }
    const { route } = match;

    let body: Buffer;
    try {
      body = await receiveBody(req, maxPayload);
    } catch (error) {
      if (error instanceof PayloadTooLargeError) {
        return gatewayReply(GATEWAY_RESPONSES.REQUEST_TOO_LARGE, { detail: `The request body exceeds ${maxPayload} bytes.`, headers: { Connection: 'close' } });
      }
      // A client error, not the gateway's: answer 400 (if the client still listens), never a 5xx.
      if (error instanceof IncompleteBodyError) {
        return gatewayReply(GATEWAY_RESPONSES.DEFAULT_4XX, { detail: 'The request body ended before its declared length.', headers: { Connection: 'close' } });
      }
      throw error;
    }

    let authorizer: Record<string, unknown> | null = null;
    if (route.auth !== 'none') {
      const methodArn = `arn:aws:execute-api:${region}:${accountId}:${apiId}/${stage}/${method}/${match.segments.join('/')}`;
      const arnTooLong = methodArnRefusal(methodArn);
      if (arnTooLong) return gatewayReply(arnTooLong);
      const outcome = await authorize(req, methodArn, requestId);
      if ('reply' in outcome) return outcome.reply;
      authorizer = outcome.context;
    }

    const sourceIp = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
    const parts: RequestParts = {
      method,
      rawPath,
      rawQuery,
      rawHeaders: withForwardedHeaders(req.rawHeaders, sourceIp, boundPort),
      body,
      sourceIp,
      protocol: `HTTP/${req.httpVersion}`,
      receivedAt,
    };
    const event: ProxyEvent = buildProxyEvent(parts, {
      accountId,
      apiId,
      stage,
      requestId,
      resource: match.resource,
      operationName: route.operation,
      pathParameters: match.pathParameters,
      authorizer,
    });

    let result: unknown;
    try {
      result = await withTimeout(Promise.resolve(invoke(route.handler, event, requestId)), timeoutMs);
    } catch (error) {
      onError(`the ${route.handler} handler failed (${route.operation})`, error);
      return { ...gatewayReply(GATEWAY_RESPONSES.DEFAULT_5XX), operation: route.operation };
    }
    if (result === TIMED_OUT) {
      onError(`the ${route.handler} handler did not answer within ${timeoutMs} ms (${route.operation})`, undefined);
      return { ...gatewayReply(GATEWAY_RESPONSES.INTEGRATION_TIMEOUT), operation: route.operation };
    }
    const reply = replyFromResult(result);
    if (!reply) {
      onError(`the ${route.handler} handler returned a malformed proxy result (${route.operation})`, result);
      return { ...gatewayReply(GATEWAY_RESPONSES.DEFAULT_5XX), operation: route.operation };
    }
    return { ...reply, operation: route.operation };
  };

  // Responses under way per connection: a request the parser refuses there cannot be answered.
  const answering = new WeakMap<Socket, number>();
  const server = createServer({ maxHeaderSize: PARSER_MAX_HEADER_BYTES }, (req: IncomingMessage, res: ServerResponse) => {
    const { socket } = req;
    answering.set(socket, (answering.get(socket) ?? 0) + 1);
    res.once('close', () => answering.set(socket, (answering.get(socket) ?? 1) - 1));
    const requestId = randomUUID();
    const receivedAt = new Date();
    respond(req, requestId, receivedAt)
      .catch((error: unknown) => {
        onError('the local gateway failed', error);
        return gatewayReply(GATEWAY_RESPONSES.DEFAULT_5XX, { detail: 'The local gateway failed; see its log.' });
      })
      .then((reply) => {
        res.statusCode = reply.status;
        for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
        res.setHeader('x-amzn-RequestId', requestId);
        res.end(req.method === 'HEAD' ? undefined : reply.body);
        options.onAccess?.({
          requestId,
          method: req.method ?? 'GET',
          path: (req.url ?? '/').split('?')[0],
          status: reply.status,
          durationMs: Date.now() - receivedAt.getTime(),
          operation: 'operation' in reply ? (reply as { operation?: string }).operation : undefined,
        });
      });
  });

  answerUnparsableRequests(server, (socket) => (answering.get(socket) ?? 0) > 0);

  return {
    server,
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        const onListenError = (error: Error) => reject(error);
        server.once('error', onListenError);
        server.listen(port, host, () => {
          server.off('error', onListenError);
          boundPort = (server.address() as AddressInfo).port;
          resolve(boundPort);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
