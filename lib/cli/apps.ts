/**
 * `scim-gateway apps …`: manage applications and their Secret Tokens through the admin API, on the
 * local gateway (its `<data dir>/local.json` says where it listens and holds its admin token) or on
 * a deployed one (`--api-url`, admin token from `--admin-token` or SCIM_GATEWAY_ADMIN_TOKEN).
 */
import { normaliseRequiredPolicy, splitRequiredList } from '../../lambdas/scim/required-policy';
import { adminClient, CliError, ioOf, resolveTarget, table, parseCommandArgs, type CliIo } from './admin-client';
import { PROFILE_COMMANDS, PROFILE_OPTIONS, PROFILE_USAGE, runProfileCommand } from './apps-profiles';

export type { CliIo } from './admin-client';

const USAGE = `Usage: scim-gateway apps <command> [options]

Commands:
  create --name <name> [--required <path,path,…>]   create an application; prints its Tenant URL and Secret Token
  update <appId> [--name <name>] [--required <path,path,…>]
                                                     rename an application or replace its required attributes
  list                                               list applications
  rotate-token <appId> [--expires-at <ISO date>]     issue a second token (the current one stays valid until revoked)
  revoke-token <appId> <tokenId>                     revoke a token at once
  delete <appId> [--force]                           delete an application (--force also deletes its users and groups)
${PROFILE_USAGE}
Required attributes (--required): attribute paths as SCIM requests write them, comma-separated:
  name.givenName, emails[type eq "work"].value, department (short for the enterprise extension's
  urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department), or the preset entra-default
  (userName, name.givenName, name.familyName, emails[type eq "work"].value, displayName, active).
  userName is always required. A new user missing one is refused (400); users created before a
  stricter policy can still be updated, deactivated and deleted, as long as no required value is removed.

Options:
  --data-dir <dir>      local gateway data directory (default: $SCIM_GATEWAY_DATA_DIR or .data)
  --api-url <url>       a deployed gateway instead of the local one
  --admin-token <token> admin token for --api-url (prefer $SCIM_GATEWAY_ADMIN_TOKEN: flags end up in shell history)
  --json                machine-readable output
  -h, --help            this text
`;

const ENTRA_STEPS = `In Microsoft Entra ID (Enterprise applications → your application → Provisioning):
  1. Set Provisioning Mode to Automatic.
  2. Under Admin Credentials, paste the Tenant URL and the Secret Token.
  3. Click Test Connection, then Save.
  4. Review the attribute mappings, then set Provisioning Status to On.
`;

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

/** `--required` → the list the admin API takes, checked here with the gateway's own rules first. */
const requiredList = (text: string): string[] => {
  const entries = splitRequiredList(text);
  const { problems } = normaliseRequiredPolicy(entries);
  if (problems.length) throw new CliError(`--required: ${problems.map((p) => p.problem).join(' ')}`);
  return entries;
};

const requiredLine = (app: AppView): string => `Required      ${app.requiredAttributes.join(', ')}`;

const positional = (positionals: string[], index: number, usage: string): string => {
  const value = positionals[index];
  if (!value) throw new CliError(`Usage: scim-gateway apps ${usage}`);
  return value;
};

/** Runs `apps <command> …` (argv excludes "apps"); returns the process exit code. */
export const runAppsCommand = async (argv: string[], io: CliIo = {}): Promise<number> => {
  const { out, err, env } = ioOf(io);
  try {
    const parsed = parseCommandArgs(
      'apps',
      argv,
      {
        name: { type: 'string' },
        required: { type: 'string' },
        'expires-at': { type: 'string' },
        force: { type: 'boolean' },
        json: { type: 'boolean' },
        ...PROFILE_OPTIONS,
      },
      true,
    );
    const { values, positionals } = parsed;
    const [command, ...rest] = positionals;
    if (values.help || !command || command === 'help') {
      out(USAGE);
      return command || values.help ? 0 : 1;
    }
    const commands = ['create', 'update', 'list', 'rotate-token', 'revoke-token', 'delete', ...PROFILE_COMMANDS];
    if (!commands.includes(command)) throw new CliError(`Unknown command "${command}". Commands: ${commands.join(', ')}.`);

    const call = adminClient(await resolveTarget(values, env), io.fetch ?? fetch);
    const json = values.json === true;
    const print = (value: unknown, human: () => string) => out(json ? `${JSON.stringify(value, null, 2)}\n` : human());

    if ((PROFILE_COMMANDS as readonly string[]).includes(command)) {
      return await runProfileCommand(command as (typeof PROFILE_COMMANDS)[number], rest, values, call, print);
    }
    switch (command) {
      case 'create': {
        if (!values.name) throw new CliError('Usage: scim-gateway apps create --name "<name>" [--required name.givenName,…]');
        const body: Record<string, unknown> = { name: values.name };
        if (values.required !== undefined) body.requiredAttributes = requiredList(values.required);
        const created = await call<AppView & { secretToken: string; tokenId: string }>('POST', '/admin/apps', body);
        print(created, () =>
          [
            `Created application "${created.name}" (id ${created.id}).`,
            '',
            `Tenant URL    ${created.tenantUrl}`,
            `Secret Token  ${created.secretToken}`,
            requiredLine(created),
            '',
            'The Secret Token is shown only once: paste it now or keep it in a password manager.',
            ENTRA_STEPS,
          ].join('\n'),
        );
        return 0;
      }
      case 'update': {
        const usage = 'update <appId> [--name <name>] [--required <path,path,…>]';
        const appId = positional(rest, 0, usage);
        const body: Record<string, unknown> = {};
        if (values.name !== undefined) body.name = values.name;
        if (values.required !== undefined) body.requiredAttributes = requiredList(values.required);
        if (!Object.keys(body).length) throw new CliError(`Usage: scim-gateway apps ${usage}`);
        const updated = await call<AppView>('PATCH', `/admin/apps/${encodeURIComponent(appId)}`, body);
        print(updated, () => [`Updated application "${updated.name}" (id ${updated.id}).`, requiredLine(updated), ''].join('\n'));
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
