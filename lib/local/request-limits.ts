/**
 * Requests API Gateway refuses before any route, authorizer or function sees them, and the answer
 * the local adapter gives each: an entry of LOCAL_ANSWERS (lib/gateway-responses.ts), a SCIM Error
 * body that says what is wrong with this request. The limits are those of a regional
 * REST API ("Quotas for configuring and running a REST API in API Gateway",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html):
 * - the URL may hold 10,240 characters, and a method with authorization an ARN of 1,600 bytes
 *   ("the API client receives a 414 Request URI too long response",
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html) → 414;
 * - header values may total 10,240 bytes → 431 Request Header Fields Too Large;
 * - a request line or header that cannot be parsed → 400.
 *
 * Node's own parser refuses request heads above `maxHeaderSize` with a bare 431 or 400 and no body.
 * The adapter sets that limit far above API Gateway's, so the limits above are judged here with the
 * request in hand, and answers what the parser still refuses (`clientError`) itself.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import { LOCAL_ANSWERS, type GatewayAnswer } from '../gateway-responses';
import { rawGatewayReply } from './gateway-reply';

export const MAX_URL_CHARS = 10_240;
export const MAX_HEADER_VALUE_BYTES = 10_240;
export const MAX_METHOD_ARN_BYTES = 1_600;
/** Node's limit on a request's line and headers together: far above the limits API Gateway applies. */
export const PARSER_MAX_HEADER_BYTES = 1024 * 1024;
/** How long a refused client may go on sending before its connection is closed. */
const DRAIN_MS = 5_000;

/** An answer of the gateway-response table, with what is wrong with this request as its detail. */
export type Refusal = GatewayAnswer;

const refuse = (answer: GatewayAnswer, detail: string): Refusal => ({ ...answer, detail });

/** The first limit a parsed request exceeds, or undefined. */
export const requestLimitRefusal = (req: Pick<IncomingMessage, 'url' | 'rawHeaders'>): Refusal | undefined => {
  const url = req.url ?? '/';
  if (url.length > MAX_URL_CHARS) {
    return refuse(LOCAL_ANSWERS.uriTooLong, `The URL is ${url.length} characters long; the gateway accepts at most ${MAX_URL_CHARS}.`);
  }
  let valueBytes = 0;
  for (let i = 1; i < req.rawHeaders.length; i += 2) valueBytes += Buffer.byteLength(req.rawHeaders[i]);
  if (valueBytes > MAX_HEADER_VALUE_BYTES) {
    return refuse(
      LOCAL_ANSWERS.headersTooLarge,
      `The request headers hold ${valueBytes} bytes of values; the gateway accepts at most ${MAX_HEADER_VALUE_BYTES}.`,
    );
  }
  return undefined;
};

/** API Gateway checks the method ARN of every method with an authorizer; long path values overflow it. */
export const methodArnRefusal = (methodArn: string): Refusal | undefined =>
  Buffer.byteLength(methodArn) > MAX_METHOD_ARN_BYTES
    ? refuse(LOCAL_ANSWERS.uriTooLong, `The request path is too long: its method ARN would exceed ${MAX_METHOD_ARN_BYTES} bytes.`)
    : undefined;

/** Node's parse errors (llhttp codes) → what API Gateway answers. Undefined: the client is gone. */
export const parseErrorRefusal = (error: NodeJS.ErrnoException): Refusal | undefined => {
  switch (error.code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return undefined;
    case 'HPE_HEADER_OVERFLOW':
      return refuse(LOCAL_ANSWERS.headersTooLarge, `The request line and headers exceed ${PARSER_MAX_HEADER_BYTES} bytes.`);
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return refuse(LOCAL_ANSWERS.requestTimeout, 'The request did not arrive in time.');
    case 'HPE_INVALID_METHOD':
      return refuse(LOCAL_ANSWERS.unreadableRequest, 'The request line is not valid: unknown method.');
    case 'HPE_INVALID_URL':
      return refuse(LOCAL_ANSWERS.unreadableRequest, 'The request line is not valid: the request target is not a URL path.');
    case 'HPE_INVALID_VERSION':
      return refuse(LOCAL_ANSWERS.unreadableRequest, 'The request line is not valid: unsupported HTTP version.');
    default:
      return refuse(LOCAL_ANSWERS.unreadableRequest, 'The request could not be parsed as HTTP/1.1 (request line, headers or framing).');
  }
};

/**
 * Answers requests Node's parser refuses with a SCIM Error instead of its bare status. A socket
 * still busy with an earlier request's response cannot take a second answer: it is closed, as Node
 * would. The refused client may keep sending (a long URL still arriving): that is read and dropped
 * so the answer is not lost to a connection reset.
 */
export const answerUnparsableRequests = (server: Server, isBusy: (socket: Socket) => boolean): void => {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const refusal = parseErrorRefusal(error);
    if (!refusal || !socket.writable || isBusy(socket)) {
      socket.destroy();
      return;
    }
    socket.end(rawGatewayReply(refusal, randomUUID()));
    socket.on('data', () => undefined);
    socket.resume();
    setTimeout(() => socket.destroy(), DRAIN_MS).unref();
  });
};
