/**
 * `scim-gateway apps …`: manage applications and their Secret Tokens through the admin API, on the
 * local gateway (its `<data dir>/local.json` says where it listens and holds its admin token) or on
 * a deployed one (`--api-url`, admin token from `--admin-token` or SCIM_GATEWAY_ADMIN_TOKEN).
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface CliIo {
  fetch?: typeof fetch;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  env?: NodeJS.ProcessEnv;
}

const USAGE = `Usage: scim-gateway apps <command> [options]

Commands:
  create --name <name> [--required <path,path,…>]   create an application; prints its Tenant URL and Secret Token
  list                                               list applications
  rotate-token <appId> [--expires-at <ISO date>]     issue a second token (the current one stays valid until revoked)
  revoke-token <appId> <tokenId>                     revoke a token at once
  delete <appId> [--force]                           delete an application (--force also deletes its users and groups)

Options:
  --data-dir <dir>      local gateway data directory (default: $SCIM_GATEWAY_DATA_DIR or .data)
  --api-url <url>       a deployed gateway instead of the local one
  --admin-token <token> admin token for --api-url (prefer $SCIM_GATEWAY_ADMIN_TOKEN: flags end up in shell history)
  --json                machine-readable output
`;

const ENTRA_STEPS = `In Microsoft Entra ID (Enterprise applications → your application → Provisioning):
  1. Set Provisioning Mode to Automatic.
  2. Under Admin Credentials, paste the Tenant URL and the Secret Token.
  3. Click Test Connection, then Save.
  4. Review the attribute mappings, then set Provisioning Status to On.
`;

/** A failure worth one line on stderr. */
class CliError extends Error {}

interface Target {
  apiUrl: string;
  adminToken: string;
}

interface TokenView {
  id: string;
  created: string;
  expiresAt?: string;
}
interface AppView {
  id: string;
  name: string;
  tenantUrl: string;
  requiredAttributes: string[];
  created: string;
  tokens: TokenView[];
}

const resolveTarget = async (values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): Promise<Target> => {
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

const client = (target: Target, fetchFn: typeof fetch) => async <T>(method: string, path: string, body?: unknown): Promise<T> => {
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
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const detail = (json as { detail?: unknown; message?: unknown } | undefined)?.detail ?? (json as { message?: unknown } | undefined)?.message;
    if (response.status === 401) throw new CliError('The admin token was refused (401). Check --admin-token / SCIM_GATEWAY_ADMIN_TOKEN.');
    if (response.status === 403 && !detail) throw new CliError('The token is not allowed to use the admin API (403): is it an admin token?');
    throw new CliError(`${typeof detail === 'string' ? detail : response.statusText || 'Request failed'} (HTTP ${response.status})`);
  }
  return json as T;
};

const table = (rows: string[][]): string => {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ')).join('\n') + '\n';
};

const positional = (positionals: string[], index: number, usage: string): string => {
  const value = positionals[index];
  if (!value) throw new CliError(`Usage: scim-gateway apps ${usage}`);
  return value;
};

/** Runs `apps <command> …` (argv excludes "apps"); returns the process exit code. */
export const runAppsCommand = async (argv: string[], io: CliIo = {}): Promise<number> => {
  const out = io.stdout ?? ((text: string) => void process.stdout.write(text));
  const err = io.stderr ?? ((text: string) => void process.stderr.write(text));
  const env = io.env ?? process.env;
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        strict: true,
        options: {
          name: { type: 'string' },
          required: { type: 'string' },
          'expires-at': { type: 'string' },
          force: { type: 'boolean' },
          json: { type: 'boolean' },
          'data-dir': { type: 'string' },
          'api-url': { type: 'string' },
          'admin-token': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      });
    } catch (error) {
      throw new CliError(`${(error as Error).message}. Run "scim-gateway apps --help".`);
    }
    const { values, positionals } = parsed;
    const [command, ...rest] = positionals;
    if (values.help || !command || command === 'help') {
      out(USAGE);
      return command || values.help ? 0 : 1;
    }
    const commands = ['create', 'list', 'rotate-token', 'revoke-token', 'delete'];
    if (!commands.includes(command)) throw new CliError(`Unknown command "${command}". Commands: ${commands.join(', ')}.`);

    const call = client(await resolveTarget(values, env), io.fetch ?? fetch);
    const json = values.json === true;
    const print = (value: unknown, human: () => string) => out(json ? `${JSON.stringify(value, null, 2)}\n` : human());

    switch (command) {
      case 'create': {
        if (!values.name) throw new CliError('Usage: scim-gateway apps create --name "<name>" [--required name.givenName,…]');
        const body: Record<string, unknown> = { name: values.name };
        if (values.required !== undefined) body.requiredAttributes = values.required.split(',').map((s) => s.trim()).filter(Boolean);
        const created = await call<AppView & { secretToken: string; tokenId: string }>('POST', '/admin/apps', body);
        print(created, () =>
          [
            `Created application "${created.name}" (id ${created.id}).`,
            '',
            `Tenant URL    ${created.tenantUrl}`,
            `Secret Token  ${created.secretToken}`,
            '',
            'The Secret Token is shown only once: paste it now or keep it in a password manager.',
            ENTRA_STEPS,
          ].join('\n'),
        );
        return 0;
      }
      case 'list': {
        const { apps } = await call<{ apps: AppView[] }>('GET', '/admin/apps');
        print({ apps }, () =>
          apps.length === 0
            ? 'No applications yet. Create one with: scim-gateway apps create --name "<name>"\n'
            : table([
                ['ID', 'NAME', 'TOKENS', 'CREATED', 'TENANT URL'],
                ...apps.map((a) => [a.id, a.name, a.tokens.map((t) => t.id).join(',') || '-', a.created.slice(0, 10), a.tenantUrl]),
              ]),
        );
        return 0;
      }
      case 'rotate-token': {
        const appId = positional(rest, 0, 'rotate-token <appId> [--expires-at <ISO date>]');
        const body = values['expires-at'] ? { expiresAt: values['expires-at'] } : {};
        const token = await call<{ tokenId: string; secretToken: string; expiresAt?: string }>(
          'POST',
          `/admin/apps/${encodeURIComponent(appId)}/tokens`,
          body,
        );
        const app = await call<AppView>('GET', `/admin/apps/${encodeURIComponent(appId)}`);
        const older = app.tokens.filter((t) => t.id !== token.tokenId).map((t) => t.id);
        print(token, () =>
          [
            `New Secret Token for ${app.name} (token ${token.tokenId}${token.expiresAt ? `, expires ${token.expiresAt}` : ''}):`,
            '',
            `Secret Token  ${token.secretToken}`,
            '',
            'It is shown only once. Paste it into the provisioning settings, Test Connection and Save; then revoke the old token:',
            ...older.map((id) => `  scim-gateway apps revoke-token ${appId} ${id}`),
            '',
          ].join('\n'),
        );
        return 0;
      }
      case 'revoke-token': {
        const appId = positional(rest, 0, 'revoke-token <appId> <tokenId>');
        const tokenId = positional(rest, 1, 'revoke-token <appId> <tokenId>');
        await call('DELETE', `/admin/apps/${encodeURIComponent(appId)}/tokens/${encodeURIComponent(tokenId)}`);
        print({ appId, tokenId, revoked: true }, () => `Token ${tokenId} of application ${appId} revoked.\n`);
        return 0;
      }
      default: {
        const appId = positional(rest, 0, 'delete <appId> [--force]');
        await call('DELETE', `/admin/apps/${encodeURIComponent(appId)}${values.force ? '?force=true' : ''}`);
        print({ appId, deleted: true }, () => `Application ${appId} deleted.\n`);
        return 0;
      }
    }
  } catch (error) {
    if (error instanceof CliError) {
      err(`scim-gateway apps: ${error.message}\n`);
      return 1;
    }
    err(`scim-gateway apps: unexpected error: ${(error as Error).message}\n`);
    return 1;
  }
};
