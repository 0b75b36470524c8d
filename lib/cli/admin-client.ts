/**
 * What the `apps` and `reports` commands share: where the admin API is (the local gateway's
 * `<data dir>/local.json`, or `--api-url` with an admin token), one-line errors, and the request
 * itself, whose failures are turned into a sentence a person can act on.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseArgsMessage } from './words';

/** Injection points for tests. */
export interface CliIo {
  fetch?: typeof fetch;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** Where a command writes and what environment it reads (tests inject them). */
export const ioOf = (io: CliIo) => ({
  out: io.stdout ?? ((text: string) => void process.stdout.write(text)),
  err: io.stderr ?? ((text: string) => void process.stderr.write(text)),
  env: io.env ?? process.env,
});

/** The `parseArgs` options that say which gateway to talk to (read by `resolveTarget`). */
export const TARGET_OPTIONS = {
  'data-dir': { type: 'string' },
  'api-url': { type: 'string' },
  'admin-token': { type: 'string' },
} as const;

/** A failure worth one line on stderr. */
export class CliError extends Error {}

/** The gateway refused a request: its status and its own words, for a command to reword with its flags. */
export class ApiRefusal extends CliError {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`${detail} (HTTP ${status})`);
  }
}

/** `argv` of `scim-gateway <command>` read strictly with its own options, the target ones and `--help`. */
export const parseCommandArgs = <O extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: string[], options: O, allowPositionals: boolean) => {
  try {
    return parseArgs({ args: argv, allowPositionals, strict: true, options: { ...options, ...TARGET_OPTIONS, help: { type: 'boolean', short: 'h' } } as const });
  } catch (error) {
    const flags = [...Object.keys(options), ...Object.keys(TARGET_OPTIONS), 'help'];
    throw new CliError(`${parseArgsMessage(error as Error, flags)} Run "scim-gateway ${command} --help" for every flag.`);
  }
};

export interface Target {
  apiUrl: string;
  adminToken: string;
}

export const resolveTarget = async (values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): Promise<Target> => {
  const tokenOverride = (values['admin-token'] as string | undefined) ?? env.SCIM_GATEWAY_ADMIN_TOKEN;
  const apiUrl = values['api-url'] as string | undefined;
  if (apiUrl) {
    if (!/^https?:\/\//.test(apiUrl)) throw new CliError(`--api-url must be an http(s) URL, got "${apiUrl}".`);
    if (!tokenOverride) throw new CliError('--api-url needs an admin token: set SCIM_GATEWAY_ADMIN_TOKEN or pass --admin-token.');
    return { apiUrl: apiUrl.replace(/\/+$/, ''), adminToken: tokenOverride };
  }
  const dataDir = resolve((values['data-dir'] as string | undefined) ?? env.SCIM_GATEWAY_DATA_DIR ?? '.data');
  const file = join(dataDir, 'local.json');
  let local: { apiUrl?: unknown; adminToken?: unknown };
  try {
    local = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CliError(`No local gateway found (${file} does not exist). Start it with "npm start", or pass --api-url.`);
    }
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  if (typeof local.apiUrl !== 'string' || !local.apiUrl) throw new CliError(`${file} has no apiUrl.`);
  const adminToken = tokenOverride ?? (typeof local.adminToken === 'string' ? local.adminToken : undefined);
  if (!adminToken) throw new CliError(`${file} has no adminToken; pass --admin-token.`);
  return { apiUrl: local.apiUrl.replace(/\/+$/, ''), adminToken };
};

/** One admin API request; a refused or failed call becomes a CliError naming the reason. */
export const adminRequest = async (
  target: Target,
  fetchFn: typeof fetch,
  method: string,
  path: string,
  options: { body?: unknown; forbidden?: string } = {},
): Promise<{ text: string; headers: Headers }> => {
  const { body, forbidden = 'The token is not allowed to use the admin API (403): is it an admin token?' } = options;
  let response: Response;
  try {
    response = await fetchFn(`${target.apiUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${target.adminToken}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new CliError(`Cannot reach ${target.apiUrl}: ${cause?.code ?? cause?.message ?? (error as Error).message}. Is the gateway running?`);
  }
  const text = await response.text();
  if (!response.ok) {
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const { detail, message } = (json ?? {}) as { detail?: unknown; message?: unknown };
    const reason = detail ?? message;
    if (response.status === 401) throw new CliError('The admin token was refused (401). Check --admin-token / SCIM_GATEWAY_ADMIN_TOKEN.');
    if (response.status === 403 && !reason) throw new CliError(forbidden);
    throw new ApiRefusal(response.status, typeof reason === 'string' ? reason : response.statusText || 'Request failed');
  }
  return { text, headers: response.headers };
};

/** Calls the admin API for JSON (see `adminRequest`). */
export const adminClient =
  (target: Target, fetchFn: typeof fetch, forbidden?: string) =>
  async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const { text } = await adminRequest(target, fetchFn, method, path, { body, forbidden });
    try {
      return (text ? JSON.parse(text) : undefined) as T;
    } catch {
      return undefined as T;
    }
  };

/** Left-aligned columns, two spaces apart; the last column is not padded. */
export const table = (rows: string[][]): string => {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd()).join('\n') + '\n';
};
