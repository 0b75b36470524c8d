/**
 * What the local gateway writes back: a handler's Lambda proxy result as API Gateway would write
 * it, and the answers the gateway makes itself, each an entry of THE gateway-response table
 * (lib/gateway-responses.ts) the stack configures too: as a reply for the HTTP server to write, or
 * as raw bytes for a socket whose request Node's parser could not read (there is no response object then).
 */
import { STATUS_CODES } from 'node:http';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { answerBody, answerHeaders, type GatewayAnswer } from '../gateway-responses';

export interface GatewayReply {
  status: number;
  headers: Record<string, string | string[]>;
  /** A text body stays a string: Node then writes head and body as one chunk (one syscall, no copy). */
  body: Buffer | string;
}

interface AnswerOptions {
  /** What the local gateway knows of this request, instead of the table's general detail. */
  detail?: string;
  /** Beside the answer's own, e.g. `Allow` on 405 or `Connection: close`. */
  headers?: Record<string, string>;
}

export const gatewayReply = (answer: GatewayAnswer, options: AnswerOptions = {}): GatewayReply => ({
  status: answer.status,
  headers: { ...answerHeaders(answer), ...options.headers },
  body: Buffer.from(JSON.stringify(answerBody(answer, options.detail))),
});

/** A whole HTTP/1.1 response, closing the connection, for writing straight to a socket. */
export const rawGatewayReply = (answer: GatewayAnswer, requestId: string): Buffer => {
  const { status, headers, body } = gatewayReply(answer);
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${String(value)}`),
    `Content-Length: ${Buffer.byteLength(body)}`,
    `x-amzn-RequestId: ${requestId}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body)]);
};

/** Lambda proxy output → HTTP: multiValueHeaders win over headers of the same name (API Gateway's merge rule). */
export const replyFromResult = (result: unknown): GatewayReply | undefined => {
  if (!result || typeof result !== 'object') return undefined;
  const r = result as Partial<APIGatewayProxyResult> & { multiValueHeaders?: Record<string, unknown> };
  const status = typeof r.statusCode === 'string' ? Number(r.statusCode) : r.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return undefined;
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return undefined;
  const headers: Record<string, string | string[]> = {};
  const names = new Map<string, string>();
  const put = (name: string, value: string | string[]) => {
    const lower = name.toLowerCase();
    // Node computes these from the body it writes; a stale value from a handler would corrupt the reply.
    if (lower === 'content-length' || lower === 'transfer-encoding' || lower === 'connection') return;
    const existing = names.get(lower);
    if (existing) delete headers[existing];
    names.set(lower, name);
    headers[name] = value;
  };
  for (const [name, value] of Object.entries(r.headers ?? {})) {
    if (value !== undefined && value !== null) put(name, String(value));
  }
  for (const [name, values] of Object.entries(r.multiValueHeaders ?? {})) {
    if (Array.isArray(values)) put(name, values.map(String));
  }
  const body = !r.body ? '' : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body;
  return { status, headers, body };
};
