/**
 * The local gateway as a separate process (`node bin/scim-gateway.js local --in-memory`), exactly
 * as a person runs it, plus raw HTTP clients that send what `fetch` would refuse or normalise:
 * `..` segments, invalid UTF-8, lying Content-Length headers, truncated bodies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');

export interface LocalApp {
  id: string;
  name: string;
  tenantUrl: string;
  secretToken: string;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  raw: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  ms: number;
}

export interface Gateway {
  apiUrl: string;
  port: number;
  adminToken: string;
  apps: LocalApp[];
  dataDir: string;
  child: ChildProcess;
  /** A client of the gateway's own DynamoDB Local (to read the table behind the API). */
  db(): DynamoDBDocumentClient;
  /** Everything the gateway printed after its banner (access log, handler logs). */
  logSinceStart(): string;
  /** Everything it printed, banner included. */
  output(): string;
  /** The Node process that serves requests (tsx runs the gateway in a child of its own). */
  serverPid(): number | undefined;
  /** Resident memory of the serving process, in KiB. */
  rssKiB(): number | undefined;
  request(method: string, pathAndQuery: string, options?: { token?: string | null; body?: string | Buffer; headers?: Record<string, string> }): Promise<HttpAnswer>;
  createApp(name: string): Promise<LocalApp>;
  stop(): Promise<void>;
}

const parse = (text: string): unknown => {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
};

/** One HTTP/1.1 request with the path sent byte for byte as given. */
export const httpCall = (
  port: number,
  method: string,
  pathAndQuery: string,
  options: { headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {},
): Promise<HttpAnswer> =>
  new Promise((resolve, reject) => {
    const started = Date.now();
    const headers = { ...options.headers };
    // A body goes with its length, as real clients send it (unless the caller streams it chunked).
    const named = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name);
    if (options.body !== undefined && !named('content-length') && !named('transfer-encoding')) headers['Content-Length'] = String(Buffer.byteLength(options.body));
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path: pathAndQuery, headers, agent: false, timeout: options.timeoutMs ?? 60_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : String(v)]));
          resolve({ status: res.statusCode ?? 0, headers, raw, body: parse(raw), ms: Date.now() - started });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out: ${method} ${pathAndQuery.slice(0, 100)}`)));
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });

/**
 * Raw bytes on a fresh socket; resolves with the status line's code and the whole answer, or
 * status 0 when the server closed the connection without one.
 */
export const rawCall = (port: number, bytes: Buffer | string, options: { endAfterWrite?: boolean; timeoutMs?: number } = {}): Promise<{ status: number; text: string }> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, text });
    };
    const timer = setTimeout(finish, options.timeoutMs ?? 5_000);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // One answer is enough: stop once the headers and the declared body have arrived.
      const text = Buffer.concat(chunks).toString('utf8');
      const headerEnd = text.indexOf('\r\n\r\n');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text)?.[1] ?? NaN);
      if (headerEnd >= 0 && Number.isFinite(length) && Buffer.byteLength(text) >= headerEnd + 4 + length) finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', finish);
    socket.write(bytes, () => {
      if (options.endAfterWrite) socket.end();
    });
  });

const children = (pid: number): number[] => {
  const out: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const list = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (list) out.push(...list.split(/\s+/).map(Number));
    }
  } catch {
    // The process is gone.
  }
  return out;
};

const commandLine = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
};

export const rssKiBOf = (pid: number): number | undefined => {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
};

const waitFor = async <T>(probe: () => T | undefined, what: string, timeoutMs: number, failed: () => string | undefined): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    const failure = failed();
    if (failure) throw new Error(`${what}: ${failure}`);
    if (Date.now() > deadline) throw new Error(`${what}: timed out`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

export const startGateway = async (options: { env?: Record<string, string>; logLevel?: string } = {}): Promise<Gateway> => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rel-gateway-'));
  // node + bin/scim-gateway.js, as npm start runs it (the tsx CLI would relay signals with a 30 ms patience).
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/scim-gateway.js'), 'local', '--in-memory', '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, SCIM_LOG_LEVEL: options.logLevel ?? 'WARN', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exit = `exited (${code ?? signal})\n${out}`;
      resolve();
    });
  });

  const localJson = path.join(dataDir, 'local.json');
  const state = await waitFor(
    () => (existsSync(localJson) && /Press Ctrl-C to stop/.test(out) ? (JSON.parse(readFileSync(localJson, 'utf8')) as { apiUrl: string; adminToken: string; apps: LocalApp[] }) : undefined),
    'the local gateway did not start',
    120_000,
    () => exit,
  );
  const bannerEnd = out.indexOf('Press Ctrl-C to stop.') + 'Press Ctrl-C to stop.'.length;
  const port = Number(new URL(state.apiUrl).port);

  const serverPid = (): number | undefined => {
    // The deepest node process under the tsx wrapper whose command line runs the gateway.
    const queue = [child.pid ?? -1];
    let found: number | undefined;
    while (queue.length) {
      const pid = queue.shift()!;
      if (pid !== child.pid && /node/.test(commandLine(pid)) && /scim-gateway\.ts/.test(commandLine(pid))) found = pid;
      queue.push(...children(pid).filter((c) => !/java/.test(commandLine(c))));
    }
    return found ?? child.pid;
  };

  let db: DynamoDBDocumentClient | undefined;
  const dbOf = (): DynamoDBDocumentClient => {
    const endpoint = /DynamoDB Local:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    if (!endpoint) throw new Error(`no DynamoDB Local endpoint in the banner:\n${out}`);
    // The gateway runs DynamoDB Local with these fixed credentials and region (lib/local/gateway.ts).
    db ??= DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
    return db;
  };

  const request: Gateway['request'] = (method, pathAndQuery, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.body !== undefined ? { 'Content-Type': 'application/scim+json' } : {}), ...opts.headers };
    const token = opts.token === undefined ? state.adminToken : opts.token;
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    return httpCall(port, method, pathAndQuery, { headers, body: opts.body });
  };

  const gateway: Gateway = {
    apiUrl: state.apiUrl,
    port,
    adminToken: state.adminToken,
    apps: state.apps,
    dataDir,
    child,
    db: dbOf,
    logSinceStart: () => out.slice(bannerEnd),
    output: () => out,
    serverPid,
    rssKiB: () => {
      const pid = serverPid();
      return pid ? rssKiBOf(pid) : undefined;
    },
    request,
    async createApp(name) {
      const res = await request('POST', '/admin/apps', { body: JSON.stringify({ name }), headers: { 'Content-Type': 'application/json' } });
      if (res.status !== 201) throw new Error(`POST /admin/apps → ${res.status} ${res.raw}`);
      const app: LocalApp = { id: res.body.id, name, tenantUrl: res.body.tenantUrl, secretToken: res.body.secretToken };
      gateway.apps.push(app);
      return app;
    },
    async stop() {
      db?.destroy();
      if (!exit) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return gateway;
};

/** `/apps/<id>/scim/v2` of an application (the path part of its Tenant URL). */
export const scimPath = (app: Pick<LocalApp, 'id'>, rest = ''): string => `/apps/${app.id}/scim/v2${rest}`;
