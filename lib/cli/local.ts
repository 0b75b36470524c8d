/**
 * `scim-gateway local`: argument parsing, signals and error messages around startLocalGateway.
 * Failures a person can fix are one paragraph on stderr and exit code 1, never a stack trace.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_PORT, startLocalGateway, type LocalGateway } from '../local/gateway';
import { LocalStartError } from '../local/dynamodb-local';
import { watchLauncher } from '../local/launcher-watch';

export const LOCAL_USAGE = `Usage: scim-gateway local [options]

Runs the gateway on this machine: DynamoDB Local (Java 17+), the same authorizer and handlers as
the AWS deployment behind an HTTP server, and the stream consumer that writes provisioning reports.
On the first start it creates an application and an admin token and prints them.

Options:
  --port <n>         HTTP port (default: $PORT or ${DEFAULT_PORT}; 0 picks a free port)
  --host <address>   interface to listen on (default: 127.0.0.1)
  --data-dir <dir>   where data and tokens are kept (default: $SCIM_GATEWAY_DATA_DIR or .data);
                     one gateway per data directory
  --in-memory        keep DynamoDB in memory: every start is a fresh gateway. Tokens go to a
                     temporary directory unless --data-dir is given
  --quiet            no access log
  -h, --help         this text

Environment: SCIM_LOG_LEVEL=INFO|DEBUG shows the handlers' logs (default WARN).
`;

/** A signal repeated within this time is the same one delivered twice, not a second Ctrl-C. */
const REPEATED_SIGNAL_MS = 1000;

const PortSchema = z
  .string()
  .regex(/^\d+$/, 'a port is a whole number from 0 to 65535')
  .transform(Number)
  .pipe(z.number().max(65535, 'a port is a whole number from 0 to 65535'));

export interface LocalCliOptions {
  port: number;
  host: string;
  dataDir?: string;
  inMemory: boolean;
  quiet: boolean;
  help: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const parseLocalArgs = (argv: readonly string[], env: NodeJS.ProcessEnv = process.env): LocalCliOptions => {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'in-memory': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const portText = values.port ?? env.PORT;
  let port = DEFAULT_PORT;
  if (portText !== undefined && portText !== '') {
    const parsed = PortSchema.safeParse(portText);
    if (!parsed.success) throw new UsageError(`Invalid port "${portText}": ${parsed.error.issues[0].message}.`);
    port = parsed.data;
  }
  const dataDir = values['data-dir'] || env.SCIM_GATEWAY_DATA_DIR || undefined;
  return { port, host: values.host || '127.0.0.1', dataDir, inMemory: values['in-memory'], quiet: values.quiet, help: values.help };
};

const describe = (error: unknown): string => {
  if (error instanceof LocalStartError || error instanceof UsageError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return `${message}\n(Set SCIM_GATEWAY_DEBUG=1 to see where this came from.)`;
};

/** Runs until SIGINT/SIGTERM; resolves with the process exit code. */
export const runLocalCommand = async (argv: readonly string[]): Promise<number> => {
  let options: LocalCliOptions;
  try {
    options = parseLocalArgs(argv);
  } catch (error) {
    process.stderr.write(`scim-gateway local: ${describe(error)}\n\n${LOCAL_USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(LOCAL_USAGE);
    return 0;
  }

  // Signals received while starting are honoured as soon as there is something to stop.
  let signalled: NodeJS.Signals | undefined;
  let signalledAt = 0;
  let gateway: LocalGateway | undefined;
  let finished!: (code: number) => void;
  const done = new Promise<number>((resolve) => {
    finished = resolve;
  });
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      // One Ctrl-C under `npm start` arrives twice: from the terminal (to the whole process group)
      // and forwarded by npm. Only a second Ctrl-C a person presses later means "stop waiting"
      // (the exit hook still kills Java).
      if (Date.now() - signalledAt < REPEATED_SIGNAL_MS) return;
      process.exit(130);
    }
    signalled = signal;
    signalledAt = Date.now();
    if (gateway) {
      process.stdout.write('\nStopping…\n');
      gateway.stop().then(() => finished(0), () => finished(1));
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  const unwatch = watchLauncher(() => {
    process.stderr.write('scim-gateway: the process that started it has gone; stopping.\n');
    onSignal('SIGTERM');
  });

  try {
    gateway = await startLocalGateway({
      dataDir: options.dataDir,
      inMemory: options.inMemory,
      port: options.port,
      host: options.host,
      onAccess: options.quiet
        ? undefined
        : (e) => process.stdout.write(`${e.method} ${e.path} → ${e.status} (${e.durationMs} ms)${e.operation ? ` ${e.operation}` : ''}\n`),
      onError: (message, error) => {
        const detail = process.env.SCIM_GATEWAY_DEBUG && error instanceof Error ? (error.stack ?? error.message) : error instanceof Error ? error.message : JSON.stringify(error);
        process.stderr.write(`scim-gateway: ${message}: ${detail}\n`);
      },
    });
  } catch (error) {
    unwatch();
    if (process.env.SCIM_GATEWAY_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.stderr.write(`scim-gateway local: ${describe(error)}\n`);
    return 1;
  }
  if (signalled) {
    await gateway.stop();
    return 0;
  }
  const code = await done;
  unwatch();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(signal, onSignal);
  return code;
};
