/**
 * A webhook receiver on loopback for the e2e suites: it records every request it is sent (headers,
 * raw body, and the status it answered) and answers whatever status the suite chooses at that moment,
 * so a suite can play a receiver that is down (503), gone (410) or healthy (204).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  close(): Promise<void>;
}

/** Starts the receiver; each request is pushed onto `received` and answered `answer()`. */
export const startWebhookReceiver = async (received: ReceivedRequest[], answer: () => number): Promise<WebhookReceiver> => {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = answer();
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/scim`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
