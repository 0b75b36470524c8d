/**
 * `scim-gateway oauth-clients …`: an application's OAuth 2.0 clients (issue 17) through the admin
 * API, locally or on a deployed gateway (same target options as `apps`). `create` prints Entra's
 * four fields as Entra names them; a Client Secret is shown once.
 */
import type {
  CreatedClientSecretJson,
  CreatedOAuthClientJson,
  EntraAcceptanceJson,
  OAuthClientJson,
  OAuthClientListJson,
  SigningKeysJson,
} from '../../lambdas/admin/api-json';
import { adminClient, CliError, ioOf, parseCommandArgs, resolveTarget, table, type CliIo } from './admin-client';

const USAGE = `Usage: scim-gateway oauth-clients <command> [options]

Commands:
  create <appId> [--description <text>] [--token-lifetime <minutes>]
                                         create an OAuth client; prints Tenant URL, Token Endpoint,
                                         Client Identifier and Client Secret (shown once)
  list <appId>                           list the application's clients, their secrets and last use
  rotate <appId> <clientId>              issue a second Client Secret (the current one works until revoked)
  revoke <appId> <clientId> [--secret <secretId>]
                                         revoke the client (all its secrets), or one secret
  entra <appId> [--tenants <id,id,…>] [--audiences <id,…>]
                                         show, or set, the Entra tenants whose own tokens the application
                                         accepts (--tenants "" accepts none)
  rotate-signing-key                     rotate the gateway's access-token signing key (refused while unsafe)

Options:
  --data-dir <dir>      local gateway data directory (default: $SCIM_GATEWAY_DATA_DIR or .data)
  --api-url <url>       a deployed gateway instead of the local one
  --admin-token <token> admin token for --api-url (prefer $SCIM_GATEWAY_ADMIN_TOKEN)
  --json                machine-readable output
`;

const ENTRA_STEPS = `In Microsoft Entra ID (Enterprise applications → your application → Provisioning):
  1. Set Provisioning Mode to Automatic; under Admin Credentials choose "OAuth2 client credentials grant".
  2. Paste Tenant URL, Token Endpoint, Client Identifier and Client Secret.
  3. Click Test Connection, then Save.
`;

const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter(Boolean);

const positional = (positionals: string[], index: number, usage: string): string => {
  const value = positionals[index];
  if (!value) throw new CliError(`Usage: scim-gateway oauth-clients ${usage}`);
  return value;
};

const lastUsedOf = (c: OAuthClientJson): string => (c.lastUsed ? `${c.lastUsed.at.slice(0, 16).replace('T', ' ')}${c.lastUsed.sourceIp ? ` from ${c.lastUsed.sourceIp}` : ''}` : 'never');

/** Runs `oauth-clients <command> …` (argv excludes "oauth-clients"); returns the process exit code. */
export const runOAuthClientsCommand = async (argv: string[], io: CliIo = {}): Promise<number> => {
  const { out, err, env } = ioOf(io);
  try {
    const { values, positionals } = parseCommandArgs(
      'oauth-clients',
      argv,
      {
        description: { type: 'string' },
        'token-lifetime': { type: 'string' },
        secret: { type: 'string' },
        tenants: { type: 'string' },
        audiences: { type: 'string' },
        json: { type: 'boolean' },
      },
      true,
    );
    const [command, ...rest] = positionals;
    if (values.help || !command || command === 'help') {
      out(USAGE);
      return command || values.help ? 0 : 1;
    }
    const commands = ['create', 'list', 'rotate', 'revoke', 'entra', 'rotate-signing-key'];
    if (!commands.includes(command)) throw new CliError(`Unknown command "${command}". Commands: ${commands.join(', ')}.`);

    const call = adminClient(await resolveTarget(values, env), io.fetch ?? fetch);
    const print = (value: unknown, human: () => string) => out(values.json ? `${JSON.stringify(value, null, 2)}\n` : human());
    const clientsOf = (appId: string) => `/admin/apps/${encodeURIComponent(appId)}/oauth-clients`;

    switch (command) {
      case 'create': {
        const appId = positional(rest, 0, 'create <appId> [--description <text>] [--token-lifetime <minutes>]');
        const body: Record<string, unknown> = {};
        if (values.description !== undefined) body.description = values.description;
        if (values['token-lifetime'] !== undefined) {
          const minutes = Number(values['token-lifetime']);
          if (!Number.isInteger(minutes)) throw new CliError('--token-lifetime must be a whole number of minutes (60–360).');
          body.tokenLifetimeMinutes = minutes;
        }
        const created = await call<CreatedOAuthClientJson>('POST', clientsOf(appId), body);
        print(created, () =>
          [
            `Created OAuth client ${created.clientId} (access tokens of ${created.tokenLifetimeMinutes} minutes).`,
            '',
            `Tenant URL         ${created.tenantUrl}`,
            `Token Endpoint     ${created.tokenEndpoint}`,
            `Client Identifier  ${created.clientId}`,
            `Client Secret      ${created.clientSecret}`,
            '',
            `The Client Secret is shown only once (secret ${created.secretId}, expires ${created.expiresAt.slice(0, 10)}).`,
            ENTRA_STEPS,
          ].join('\n'),
        );
        return 0;
      }
      case 'list': {
        const appId = positional(rest, 0, 'list <appId>');
        const { clients } = await call<OAuthClientListJson>('GET', clientsOf(appId));
        print({ clients }, () =>
          clients.length === 0
            ? `No OAuth clients yet. Create one with: scim-gateway oauth-clients create ${appId}\n`
            : table([
                ['CLIENT IDENTIFIER', 'STATE', 'SECRETS', 'LAST USED', 'DESCRIPTION'],
                ...clients.map((c) => [
                  c.clientId,
                  c.revokedAt ? 'revoked' : 'live',
                  c.secrets.map((s) => `${s.id} (until ${s.expiresAt.slice(0, 10)})`).join(', ') || '-',
                  lastUsedOf(c),
                  c.description ?? '',
                ]),
              ]),
        );
        return 0;
      }
      case 'rotate': {
        const usage = 'rotate <appId> <clientId>';
        const appId = positional(rest, 0, usage);
        const clientId = positional(rest, 1, usage);
        const issued = await call<CreatedClientSecretJson>('POST', `${clientsOf(appId)}/${encodeURIComponent(clientId)}/secrets`, {});
        const client = await call<OAuthClientJson>('GET', `${clientsOf(appId)}/${encodeURIComponent(clientId)}`);
        const older = client.secrets.filter((s) => s.id !== issued.secretId).map((s) => s.id);
        print(issued, () =>
          [
            `New Client Secret for ${clientId} (secret ${issued.secretId}, expires ${issued.expiresAt.slice(0, 10)}):`,
            '',
            `Client Secret      ${issued.clientSecret}`,
            '',
            'It is shown only once. Enter it in the provisioning settings, Test Connection and Save; then revoke the old secret:',
            ...older.map((id) => `  scim-gateway oauth-clients revoke ${appId} ${clientId} --secret ${id}`),
            '',
          ].join('\n'),
        );
        return 0;
      }
      case 'revoke': {
        const usage = 'revoke <appId> <clientId> [--secret <secretId>]';
        const appId = positional(rest, 0, usage);
        const clientId = positional(rest, 1, usage);
        const secret = values.secret;
        const path = `${clientsOf(appId)}/${encodeURIComponent(clientId)}${secret ? `/secrets/${encodeURIComponent(secret)}` : ''}`;
        await call('DELETE', path);
        print({ appId, clientId, ...(secret ? { secretId: secret } : {}), revoked: true }, () =>
          secret ? `Secret ${secret} of OAuth client ${clientId} revoked.\n` : `OAuth client ${clientId} revoked: its secrets and tokens open nothing any more.\n`,
        );
        return 0;
      }
      case 'entra': {
        const appId = positional(rest, 0, 'entra <appId> [--tenants <id,…>] [--audiences <id,…>]');
        const path = `/admin/apps/${encodeURIComponent(appId)}/entra`;
        const setting =
          values.tenants === undefined
            ? await call<EntraAcceptanceJson>('GET', path)
            : await call<EntraAcceptanceJson>('PUT', path, {
                tenantIds: list(values.tenants),
                ...(values.audiences !== undefined ? { audiences: list(values.audiences) } : {}),
              });
        print(setting, () =>
          setting.tenantIds.length
            ? `Application ${appId} accepts Entra-issued tokens of tenant(s) ${setting.tenantIds.join(', ')}${setting.audiences ? ` for audience(s) ${setting.audiences.join(', ')}` : ''}.\n`
            : `Application ${appId} accepts no Entra-issued tokens.\n`,
        );
        return 0;
      }
      default: {
        const keys = await call<SigningKeysJson>('POST', '/admin/oauth/signing-keys/rotate', {});
        print(keys, () => `Signing key rotated: ${keys.current} signs now; ${keys.next} is published for the next rotation.\n`);
        return 0;
      }
    }
  } catch (error) {
    if (error instanceof CliError) {
      err(`scim-gateway oauth-clients: ${error.message}\n`);
      return 1;
    }
    err(`scim-gateway oauth-clients: unexpected error: ${(error as Error).message}\n`);
    return 1;
  }
};
