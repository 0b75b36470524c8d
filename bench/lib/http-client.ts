/**
 * A small HTTP client for the local gateway: node:http with keep-alive (what Entra's client does),
 * JSON in and out, and a pool that keeps a fixed number of requests in flight.
 */
import http from 'node:http';
import { SCIM_CONTENT_TYPE } from '../../lambdas/shared/http';

export interface HttpResult {
  status: number;
  body: unknown;
  ms: number;
}

export interface HttpClient {
  request(method: string, url: string, body?: unknown): Promise<HttpResult>;
  close(): void;
}

export const httpClient = (token: string, maxSockets = 16): HttpClient => {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  return {
    request: (method, url, body) =>
      new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
        const started = performance.now();
        const req = http.request(
          url,
          {
            method,
            agent,
            headers: {
              Authorization: `Bearer ${token}`,
              Accept: SCIM_CONTENT_TYPE,
              ...(payload ? { 'Content-Type': SCIM_CONTENT_TYPE, 'Content-Length': payload.length } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let parsed: unknown = text;
              try {
                parsed = text ? JSON.parse(text) : undefined;
              } catch {
                // Not JSON: keep the text for the error report.
              }
              resolve({ status: res.statusCode ?? 0, body: parsed, ms: performance.now() - started });
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      }),
    close: () => agent.destroy(),
  };
};

/** Runs `task(i)` for i in [0, count) with `concurrency` in flight; resolves when all are done. */
export const pool = async (count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
};
