/**
 * `scim-gateway local`: the whole gateway on a laptop. DynamoDB Local (persisted under the data
 * directory, or in memory), both tables from lib/tables.ts, the HTTP adapter in front of the real
 * authorizer and handlers, and the stream poller feeding the real stream handler.
 *
 * Data directory (default `.data/`): `dynamodb/` (the database), `secrets.json` (token hashes; plays
 * Secrets Manager), `local.json` (URLs and clear tokens for a person), `stream-checkpoint.json`,
 * `dead-letter.jsonl`, and `gateway.lock` while a gateway owns it (data-dir-lock.ts). With `--in-memory` the database starts empty every time, so `local.json` and
 * `secrets.json` are recreated on each start — in a temporary directory (removed on stop) unless a
 * data directory is named explicitly.
 */
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { appStoreDeps } from '../../lambdas/shared/app-stores';
import { loadConfig } from '../../lambdas/shared/config';
import { applicationWriteCount } from '../../lambdas/store/auth-lookups';
import { ROUTES, tenantUrlOf } from '../../lambdas/shared/routes';
import { createRuntime } from '../../lambdas/shared/runtime';
import { createApplications, type Applications } from '../../lambdas/use-cases/applications';
import { MAIN_TABLE, REPORT_TABLE } from '../tables';
import { createTable, streamArnOf } from './create-tables';
import { LocalStartError, freePort, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local';
import { lockDataDir } from './data-dir-lock';
import { createModuleLoader } from './handler-loader';
import { createHttpAdapter, type AccessLogEntry, type HttpAdapter } from './http-adapter';
import { guardChildProcess } from './orphan-guard';
import { localStatePath, readLocalState, withApiUrl, writeLocalState, type LocalState } from './local-state';
import { fileCheckpoints } from './stream-checkpoint';
import { createDeliveryWorker } from './delivery-worker';
import { createStreamPoller, type StreamHandler, type StreamPoller } from './stream-poller';

export const MAIN_TABLE_NAME = 'scim-gateway';
export const REPORT_TABLE_NAME = 'scim-gateway-reports';
export const DEFAULT_APP_NAME = 'Default application';
export const STREAM_HANDLER = 'stream';
/** The second consumer of the stream: directory events (lambdas/handlers/event-stage.ts). */
export const EVENT_STAGE_HANDLER = 'event-stage';
export const DEFAULT_PORT = 8080;
/** How long the local gateway reuses an authorizer's Allow at most: the longest a token past its expiry time may still pass. */
const AUTHORIZER_CACHE_MS = 1000;

export interface LocalGatewayOptions {
  /** Where data lives; undefined with `inMemory` means a temporary directory. */
  dataDir?: string;
  inMemory?: boolean;
  /** 0 picks a free port. @default 8080 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** Where the banner and notes go. @default stdout */
  print?: (text: string) => void;
  /** Access log lines. @default none */
  onAccess?: (entry: AccessLogEntry) => void;
  /** Handler crashes, authorizer and stream failures. @default stderr, message only */
  onError?: (message: string, error: unknown) => void;
}

export interface LocalGateway {
  apiUrl: string;
  port: number;
  dataDir: string;
  state: LocalState;
  dynamoDb: DynamoDbLocal;
  poller: StreamPoller;
  adapter: HttpAdapter;
  /** Stops the server, drains the poller, stops Java. Safe to call twice. */
  stop(): Promise<void>;
}

const ensureWritable = (dir: string): void => {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    const probe = path.join(dir, `.write-test-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    throw new LocalStartError(
      `The data directory ${dir} is not writable (${(error as NodeJS.ErrnoException).code ?? 'error'}). Choose another with --data-dir <dir> or SCIM_GATEWAY_DATA_DIR, or run with --in-memory.`,
    );
  }
};

const listenError = (error: NodeJS.ErrnoException, port: number, host: string): Error => {
  if (error.code === 'EADDRINUSE') {
    return new LocalStartError(
      `Port ${port} is already in use on ${host} (another scim-gateway, or another program, is listening there). Stop it, or choose another port with --port <n> or PORT=<n> (--port 0 picks any free port).`,
    );
  }
  if (error.code === 'EACCES') {
    return new LocalStartError(`Not allowed to listen on port ${port}; choose a port above 1023 with --port <n> or PORT=<n>.`);
  }
  return error;
};

/** The handlers' environment, as the construct sets it on each function; set before any handler is loaded. */
const setHandlerEnvironment = (dataDir: string, dynamoEndpoint: string): void => {
  Object.assign(process.env, {
    SCIM_TABLE_NAME: MAIN_TABLE_NAME,
    SCIM_REPORT_TABLE_NAME: REPORT_TABLE_NAME,
    SCIM_SECRET_STORE: 'file',
    SCIM_SECRET_FILE: path.join(dataDir, 'secrets.json'),
    // Caches keep what they read until the admin API (same process) writes an application, a token or
    // settings (store/auth-lookups.ts): a revoked token or a changed feature counts on the next request,
    // and nothing is re-read per request.
    SCIM_CACHE_SCOPE: 'process',
    SCIM_AUTH_CACHE_SECONDS: '60',
    // Webhooks to http://localhost receivers are allowed on a laptop (never when deployed).
    SCIM_WEBHOOK_URL_MODE: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamoEndpoint,
    // DynamoDB Local keeps one database per access key and region: fixed values find the same data every time.
    AWS_REGION: 'local',
    AWS_DEFAULT_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  process.env.SCIM_LOG_LEVEL ??= 'WARN';
  // CloudWatch metrics (EMF lines) mean nothing on a laptop; they would only litter the terminal.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  // A profile or session token from the developer's shell must never send these calls to AWS.
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
};


/**
 * First start: the default application and an admin token. When the database survived but
 * local.json did not, the default application gets a fresh token instead of a twin.
 */
const bootstrap = async (applications: Applications, apiUrl: string, print: (t: string) => void): Promise<LocalState> => {
  const admin = await applications.ensureAdminToken();
  if (!admin.created) {
    print(`Note: an admin token (${admin.tokenId}) already exists but its value is not in local.json any more; delete the data directory to start over.`);
  }
  const existing = (await applications.list()).find((app) => app.name === DEFAULT_APP_NAME);
  let app: LocalState['apps'][number];
  if (existing) {
    const token = await applications.createToken(existing.id);
    app = { id: existing.id, name: existing.name, tenantUrl: tenantUrlOf(apiUrl, existing.id), secretToken: token.secretToken };
  } else {
    const created = await applications.create({ name: DEFAULT_APP_NAME }, apiUrl);
    app = { id: created.app.id, name: created.app.name, tenantUrl: created.tenantUrl, secretToken: created.secretToken };
  }
  return { apiUrl, adminToken: admin.token ?? null, apps: [app] };
};

export const banner = (state: LocalState, info: { dataDir: string; inMemory: boolean; dynamoDb: DynamoDbLocal }): string => {
  const lines: string[] = [];
  const { apiUrl } = state;
  lines.push('', `scim-gateway is running at ${apiUrl}`, '');
  for (const app of state.apps) {
    lines.push(
      `Connect Microsoft Entra ID (application "${app.name}"):`,
      `  Tenant URL:    ${app.tenantUrl}`,
      `  Secret Token:  ${app.secretToken}`,
      '',
    );
  }
  lines.push(
    '  1. Entra admin center → Enterprise applications → New application → Create your own application',
    '     ("Integrate any other application you don\'t find in the gallery (Non-gallery)").',
    '  2. Provisioning → Provisioning Mode: Automatic → Admin Credentials: paste the Tenant URL and Secret Token.',
    '  3. Test Connection, then Save.',
    '  4. Users and groups → assign who to provision, then Provisioning → Start provisioning (Status: On).',
    `  Entra calls from the cloud over HTTPS: expose this port through a tunnel (e.g. "cloudflared tunnel --url ${apiUrl}")`,
    '  and put the tunnel\'s https URL in place of the host in the Tenant URL.',
    '',
    `Admin token:     ${state.adminToken ?? '(not known; see the note above)'}`,
    `Report API:      ${apiUrl}/admin/reports   (Authorization: Bearer <admin token>)`,
  );
  const consoleRoute = ROUTES.find((r) => r.handler === 'console' && r.method === 'GET');
  if (consoleRoute) lines.push(`Console:         ${apiUrl}${consoleRoute.path}`);
  lines.push(
    '',
    `Data:            ${info.inMemory ? `in memory (DynamoDB); tokens in ${info.dataDir}` : info.dataDir}   (saved in ${localStatePath(info.dataDir)})`,
    `DynamoDB Local:  ${info.dynamoDb.endpoint} (pid ${info.dynamoDb.process.pid})`,
  );
  lines.push('', 'Press Ctrl-C to stop.', '');
  return lines.join('\n');
};

export const startLocalGateway = async (options: LocalGatewayOptions = {}): Promise<LocalGateway> => {
  // Before any SDK client exists: the SDK reads it when its first client is built.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const print = options.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  const onError =
    options.onError ?? ((message: string, error: unknown) => process.stderr.write(`scim-gateway: ${message}: ${error instanceof Error ? error.message : String(error)}\n`));
  const inMemory = options.inMemory === true;
  const host = options.host ?? '127.0.0.1';
  const temporary = inMemory && !options.dataDir;
  const dataDir = path.resolve(options.dataDir ?? (temporary ? mkdtempSync(path.join(tmpdir(), 'scim-gateway-')) : '.data'));
  const dbDir = path.join(dataDir, 'dynamodb');
  const cleanups: Array<() => Promise<void> | void> = [];
  const runCleanups = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        onError('stopping failed', error);
      }
    }
  };
  if (temporary) cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));

  try {
    ensureWritable(dataDir);
    // Before anything in the directory changes: a second gateway on it stops here.
    const lock = lockDataDir(dataDir, print);
    cleanups.push(() => lock.release());
    if (inMemory && existsSync(dbDir)) {
      throw new LocalStartError(
        `${dataDir} holds a persistent database (${dbDir}); --in-memory would replace its tokens. Use another --data-dir, or start without --in-memory.`,
      );
    }
    const hadDatabase = !inMemory && existsSync(dbDir) && readdirSync(dbDir).length > 0;

    // Bind first: a port clash is reported before Java spends seconds starting.
    let ready!: () => void;
    const whenReady = new Promise<void>((resolve) => {
      ready = resolve;
    });
    const loadHandler = createModuleLoader();
    const adapter = createHttpAdapter({
      loadHandler,
      whenReady,
      onAccess: options.onAccess,
      onError,
      // API Gateway's authorizer cache, kept exact: any application or token write drops it (authorizer-cache.ts).
      authorizerCache: { maxAgeMs: AUTHORIZER_CACHE_MS, generation: applicationWriteCount },
    });
    const requestedPort = options.port ?? DEFAULT_PORT;
    let port: number;
    try {
      port = await adapter.listen(requestedPort, host);
    } catch (error) {
      throw listenError(error as NodeJS.ErrnoException, requestedPort, host);
    }
    cleanups.push(() => adapter.close());
    const apiUrl = `http://localhost:${port}`;
    lock.setApiUrl(apiUrl);

    const dynamoDb = await startDynamoDbLocal({ inMemory, dataDir: dbDir, port: await freePort() });
    // Never leave Java behind: stopped in order on stop(), signalled on process exit, and watched
    // from outside in case this process is killed outright.
    const guard = dynamoDb.process.pid ? guardChildProcess(dynamoDb.process.pid) : undefined;
    const killJava = () => {
      if (dynamoDb.process.exitCode === null && dynamoDb.process.signalCode === null) dynamoDb.process.kill('SIGTERM');
    };
    process.on('exit', killJava);
    cleanups.push(async () => {
      await dynamoDb.stop();
      guard?.release();
      process.off('exit', killJava);
    });

    setHandlerEnvironment(dataDir, dynamoDb.endpoint);
    const client = new DynamoDBClient({ endpoint: dynamoDb.endpoint });
    cleanups.push(() => client.destroy());
    await createTable(client, MAIN_TABLE_NAME, MAIN_TABLE);
    await createTable(client, REPORT_TABLE_NAME, REPORT_TABLE);

    // The handlers' own use cases, over a runtime read from the environment the handlers get.
    const applications = createApplications(appStoreDeps(createRuntime(loadConfig())));
    const saved = hadDatabase ? readLocalState(dataDir) : undefined;
    if (!hadDatabase) {
      // A new database: token hashes and checkpoints of an earlier one mean nothing now.
      for (const stale of ['secrets.json', 'local.json', 'stream-checkpoint.json', 'event-stage-checkpoint.json']) rmSync(path.join(dataDir, stale), { force: true });
    }
    const state = saved ? withApiUrl(saved, apiUrl) : await bootstrap(applications, apiUrl, print);
    writeLocalState(dataDir, state);

    const streamArn = await streamArnOf(client, MAIN_TABLE_NAME);
    // The table is created with its stream (lib/tables.ts): without one no report could ever be made.
    if (!streamArn) throw new LocalStartError(`The table ${MAIN_TABLE_NAME} has no stream; delete the data directory and start again.`);
    // Loaded now rather than on the first record: its set-up (and any error in it) shows at start.
    await loadHandler(STREAM_HANDLER).catch((error: unknown) => onError(`the ${STREAM_HANDLER} handler could not be loaded`, error));
    const streams = new DynamoDBStreamsClient({ endpoint: dynamoDb.endpoint });
    cleanups.push(() => streams.destroy());
    const poller = createStreamPoller({
      client: streams,
      streamArn,
      loadHandler: () => loadHandler(STREAM_HANDLER) as Promise<StreamHandler>,
      checkpoints: fileCheckpoints(path.join(dataDir, 'stream-checkpoint.json'), streamArn),
      deadLetterFile: path.join(dataDir, 'dead-letter.jsonl'),
      onError,
    });
    await poller.start();
    cleanups.push(() => poller.stop());
    // Directory events: a second reader of the same stream with its own position (as in AWS, a
    // second event source mapping), then the webhook sender over the queue it fills.
    await loadHandler(EVENT_STAGE_HANDLER).catch((error: unknown) => onError(`the ${EVENT_STAGE_HANDLER} handler could not be loaded`, error));
    const eventPoller = createStreamPoller({
      client: streams,
      streamArn,
      loadHandler: () => loadHandler(EVENT_STAGE_HANDLER) as Promise<StreamHandler>,
      checkpoints: fileCheckpoints(path.join(dataDir, 'event-stage-checkpoint.json'), streamArn),
      deadLetterFile: path.join(dataDir, 'event-stage-dead-letter.jsonl'),
      onError,
    });
    await eventPoller.start();
    cleanups.push(() => eventPoller.stop());
    const deliveries = createDeliveryWorker(createRuntime(loadConfig()), { onError });
    deliveries.start();
    cleanups.push(() => deliveries.stop());

    ready();
    print(banner(state, { dataDir, inMemory, dynamoDb }));

    let stopping: Promise<void> | undefined;
    return {
      apiUrl,
      port,
      dataDir,
      state,
      dynamoDb,
      poller,
      adapter,
      // Stop taking requests first, then drain the poller, then stop Java.
      stop: () => (stopping ??= adapter.close().then(runCleanups)),
    };
  } catch (error) {
    await runCleanups();
    throw error;
  }
};
