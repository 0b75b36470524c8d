/**
 * Requests the local adapter cannot take: too long, too large or unreadable. Each gets a SCIM Error
 * body with the status API Gateway would send (lib/local/request-limits.ts), never Node's bare
 * 431/400 without a body, and none reaches the authorizer or a handler.
 */
import { connect } from 'node:net';
import { createHttpAdapter, type HttpAdapter } from '../../../lib/local/http-adapter';
import type { HandlerLoader, LambdaFunction } from '../../../lib/local/handler-loader';
import { MAX_HEADER_VALUE_BYTES, MAX_URL_CHARS, parseErrorRefusal } from '../../../lib/local/request-limits';

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const TENANT = '/apps/a1b2c3d4e5f6/scim/v2';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes on a fresh connection and reads one answer (or what arrived before the close). */
const raw = (port: number, bytes: string): Promise<RawAnswer> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const finish = () => {
      socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const headers: Record<string, string> = {};
      for (const line of head.split('\r\n').slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), headers, body: rest.join('\r\n\r\n') });
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const text = Buffer.concat(chunks).toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text)?.[1] ?? NaN);
      if (end >= 0 && Buffer.byteLength(text) >= end + 4 + length) finish();
    });
    socket.on('close', finish);
    socket.on('error', finish);
    socket.write(bytes);
  });

const expectScimError = (answer: RawAnswer, status: number): string => {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toBe('application/scim+json');
  const body = JSON.parse(answer.body) as { schemas: string[]; status: string; detail: string };
  expect(body).toMatchObject({ schemas: [ERROR_SCHEMA], status: String(status) });
  return body.detail;
};

describe('local adapter: requests API Gateway would refuse before any route', () => {
  let adapter: HttpAdapter;
  let port: number;
  const called: string[] = [];

  beforeAll(async () => {
    const handler = (name: string): LambdaFunction => (async () => {
      called.push(name);
      if (name === 'authorizer') throw new Error('Unauthorized');
      return { statusCode: 200, body: '{}' };
    }) as unknown as LambdaFunction;
    const loader: HandlerLoader = async (name) => {
      if (name === 'console') throw new Error('Cannot find module lambdas/handlers/console');
      return handler(name);
    };
    adapter = createHttpAdapter({ loadHandler: loader });
    port = await adapter.listen(0);
  });
  afterAll(() => adapter.close());
  beforeEach(() => {
    called.length = 0;
  });

  const get = (target: string, headers = 'Authorization: Bearer x\r\n') => raw(port, `GET ${target} HTTP/1.1\r\nHost: localhost\r\n${headers}\r\n`);

  it(`a URL over ${MAX_URL_CHARS} characters → 414 SCIM Error naming the limit; nothing is called`, async () => {
    const detail = expectScimError(await get(`${TENANT}/Users?filter=${'x'.repeat(MAX_URL_CHARS)}`), 414);
    expect(detail).toContain(String(MAX_URL_CHARS));
    expect(called).toEqual([]);
  });

  it('a 100 KB URL (beyond Node\'s default 16 KB head limit) → 414 SCIM Error, not a bare 431', async () => {
    expectScimError(await get(`${TENANT}/Users/${'u'.repeat(100_000)}`), 414);
  });

  it(`header values over ${MAX_HEADER_VALUE_BYTES} bytes in total → 431 SCIM Error; nothing is called`, async () => {
    const headers = `Authorization: Bearer x\r\nX-One: ${'a'.repeat(6000)}\r\nX-Two: ${'b'.repeat(6000)}\r\n`;
    const detail = expectScimError(await get(`${TENANT}/Users`, headers), 431);
    expect(detail).toContain(String(MAX_HEADER_VALUE_BYTES));
    expect(called).toEqual([]);
  });

  it('a request head beyond the parser limit (a 2 MB header) → 431 SCIM Error, the client still writing', async () => {
    expectScimError(await get(`${TENANT}/Users`, `X-Huge: ${'h'.repeat(2 * 1024 * 1024)}\r\n`), 431);
  });

  it('a path whose method ARN exceeds 1,600 bytes → 414 before the authorizer runs', async () => {
    const detail = expectScimError(await get(`${TENANT}/Users/${'i'.repeat(1700)}`), 414);
    expect(detail).toContain('1600');
    expect(called).toEqual([]);
  });

  it.each([
    ['an unknown method', `FOO ${TENANT}/Users HTTP/1.1\r\nHost: x\r\n\r\n`],
    ['a space inside the request target', `GET ${TENANT}/Users?filter=userName eq "x" HTTP/1.1\r\nHost: x\r\n\r\n`],
    ['a target that is not a path', 'GET  HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['an unsupported HTTP version', `GET ${TENANT}/Users HTTP/7.1\r\nHost: x\r\n\r\n`],
    ['a header line without a colon', `GET ${TENANT}/Users HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n`],
    ['Content-Length with Transfer-Encoding', `POST ${TENANT}/Users HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`],
    ['binary garbage', '\u0000\u0001\u0002 not http at all\r\n\r\n'],
  ])('%s → 400 SCIM Error, not Node\'s bare 400', async (_what, bytes) => {
    expectScimError(await raw(port, bytes), 400);
    expect(called).toEqual([]);
  });

  it('requests within the limits are routed as before (a 10,000-character query reaches the authorizer)', async () => {
    const answer = await get(`${TENANT}/Users?filter=${'x'.repeat(10_000)}`);
    expectScimError(answer, 401);
    expect(called).toEqual(['authorizer']);
  });
});

describe('parseErrorRefusal', () => {
  it('maps parser errors to API Gateway statuses; a reset client gets no answer', () => {
    const of = (code: string) => parseErrorRefusal(Object.assign(new Error(code), { code }))?.status;
    expect([of('HPE_HEADER_OVERFLOW'), of('HPE_INVALID_METHOD'), of('HPE_INVALID_CONSTANT'), of('ERR_HTTP_REQUEST_TIMEOUT')]).toEqual([431, 400, 400, 408]);
    expect(of('ECONNRESET')).toBeUndefined();
  });
});
