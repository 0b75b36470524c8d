/**
 * The `scim-gateway` command. Each subcommand's module is imported only when it runs, so `local`
 * does not load the admin client and `apps` does not load DynamoDB Local's launcher.
 */

interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  local: {
    summary: 'run the gateway on this machine (DynamoDB Local, same handlers as on AWS)',
    run: async (argv) => (await import('../lib/cli/local')).runLocalCommand(argv),
  },
  apps: {
    summary: 'create and list applications, rotate and revoke their Secret Tokens',
    run: async (argv) => (await import('../lib/cli/apps')).runAppsCommand(argv),
  },
  webhooks: {
    summary: 'add, list, test, rotate and remove an application\'s webhooks (directory events)',
    run: async (argv) => (await import('../lib/cli/events')).runWebhooksCommand(argv),
  },
  events: {
    summary: 'follow an application\'s directory events live (tail) or replay a time span',
    run: async (argv) => (await import('../lib/cli/events')).runEventsCommand(argv),
  },
  'oauth-clients': {
    summary: "manage an application's OAuth 2.0 clients and secrets, its Entra tenants, the signing key",
    run: async (argv) => (await import('../lib/cli/oauth-clients')).runOAuthClientsCommand(argv),
  },
  reports: {
    summary: 'query provisioning reports (by user or by application)',
    run: async (argv) => (await import('../lib/cli/reports')).runReportsCommand(argv),
  },
};

const usage = (): string =>
  [
    'Usage: scim-gateway <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`),
    `  ${'help'.padEnd(9)} this text; "scim-gateway <command> --help" for a command's options`,
    '',
  ].join('\n');

export const main = async (argv: string[]): Promise<number> => {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic && Object.hasOwn(COMMANDS, topic)) return COMMANDS[topic].run(['--help']);
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    process.stderr.write(`scim-gateway: unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  return COMMANDS[name].run(rest);
};

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Whatever an SDK client or a handler left open must not keep a finished command alive.
    setTimeout(() => process.exit(code), 1000).unref();
  },
  (error: unknown) => {
    process.stderr.write(`scim-gateway: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.SCIM_GATEWAY_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  },
);
