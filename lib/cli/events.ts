/**
 * `scim-gateway webhooks …` and `scim-gateway events …` (issue 16): manage an application's
 * webhooks, follow its directory events live and replay a time span, through the admin API of the
 * local gateway or a deployed one (`--api-url`), like the `apps` command.
 */
import { adminClient, CliError, ioOf, parseCommandArgs, resolveTarget, table, type CliIo } from './admin-client';

const WEBHOOKS_USAGE = `Usage: scim-gateway webhooks <command> --app <id or name> [options]

Commands:
  add --url <url> [--types user.*,group.deleted] [--description <text>]
                         add a webhook; prints its signing secret (shown once)
  list                   list the application's webhooks
  test <webhookId>       send a signed ping and print what the endpoint answered
  rotate <webhookId>     new signing secret (the old one keeps signing for 24 hours)
  remove <webhookId>     delete a webhook

Options:
  --app <id or name>    the application
  --data-dir, --api-url, --admin-token   which gateway (see "scim-gateway apps --help")
  --json                machine-readable output
`;

const EVENTS_USAGE = `Usage: scim-gateway events <command> --app <id or name> [options]

Commands:
  tail [--types user.*] [--from-start]   print new directory events as they happen (Ctrl-C stops)
  replay --from <ISO> --to <ISO> [--types …] [--webhook <webhookId>]
                                          send the events of [from, to) again, with their original ids

Options:
  --app <id or name>    the application
  --data-dir, --api-url, --admin-token   which gateway (see "scim-gateway apps --help")
  --json                one JSON envelope a line (tail) / the answer (replay)
`;

interface WebhookView {
  id: string;
  url: string;
  types?: string[];
  description?: string;
  enabled: boolean;
  disabledReason?: string;
  secret?: string;
}

const setUp = async (command: string, argv: string[], options: Record<string, { type: 'string' | 'boolean' }>, io: CliIo) => {
  const { out, env } = ioOf(io);
  const parsed = parseCommandArgs(command, argv, { app: { type: 'string' }, json: { type: 'boolean' }, ...options }, true);
  if (parsed.values.help) return { help: true as const, out };
  const appRef = parsed.values.app as string | undefined;
  if (!appRef) throw new CliError(`--app <id or name> is required. Run "scim-gateway ${command} --help".`);
  const call = adminClient(await resolveTarget(parsed.values as Record<string, string>, env), io.fetch ?? fetch);
  const { apps } = await call<{ apps: { id: string; name: string }[] }>('GET', '/admin/apps');
  const app = apps.find((a) => a.id === appRef) ?? apps.find((a) => a.name.toLowerCase() === appRef.toLowerCase());
  if (!app) throw new CliError(`No application "${appRef}" (by id or name). "scim-gateway apps list" lists them.`);
  return { help: false as const, out, call, app, values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
};

const typesOf = (text: string | boolean | undefined) => (typeof text === 'string' ? text.split(',').map((t) => t.trim()).filter(Boolean) : undefined);

export const runWebhooksCommand = async (argv: string[], io: CliIo = {}): Promise<number> => {
  const ctx = await setUp('webhooks', argv, { url: { type: 'string' }, types: { type: 'string' }, description: { type: 'string' } }, io);
  if (ctx.help) return ctx.out(WEBHOOKS_USAGE), 0;
  const { out, call, app, values, positionals } = ctx;
  const [sub, webhookId] = positionals;
  const base = `/admin/apps/${app.id}/webhooks`;
  const print = (value: unknown, text: string) => out(values.json ? `${JSON.stringify(value, null, 2)}\n` : text);
  const needId = () => {
    if (!webhookId) throw new CliError(`webhooks ${sub} needs a webhook id ("scim-gateway webhooks list --app …" lists them).`);
    return webhookId;
  };
  switch (sub) {
    case 'add': {
      if (typeof values.url !== 'string') throw new CliError('webhooks add needs --url <url>.');
      const body = { url: values.url, ...(typesOf(values.types) ? { types: typesOf(values.types) } : {}), ...(typeof values.description === 'string' ? { description: values.description } : {}) };
      const made = await call<WebhookView>('POST', base, body);
      print(made, `Webhook ${made.id} → ${made.url}\nSigning secret (shown once; verify with it, see docs/events.md):\n  ${made.secret}\n`);
      return 0;
    }
    case 'list': {
      const { webhooks } = await call<{ webhooks: WebhookView[] }>('GET', base);
      const rows = [['ID', 'URL', 'TYPES', 'STATE'], ...webhooks.map((w) => [w.id, w.url, w.types?.join(',') ?? 'all', w.enabled ? 'enabled' : `disabled (${w.disabledReason ?? ''})`])];
      print({ webhooks }, webhooks.length ? table(rows) : `No webhooks for ${app.name}.\n`);
      return 0;
    }
    case 'test': {
      const result = await call<{ id: string; delivered: boolean; status?: number; error?: string }>('POST', `${base}/${needId()}/test`);
      print(result, result.delivered ? `Ping ${result.id} delivered (HTTP ${result.status}).\n` : `Ping ${result.id} not delivered: ${result.error}\n`);
      return result.delivered ? 0 : 1;
    }
    case 'rotate': {
      const result = await call<{ secret: string }>('POST', `${base}/${needId()}/rotate-secret`);
      print(result, `New signing secret (the old one keeps signing for 24 hours):\n  ${result.secret}\n`);
      return 0;
    }
    case 'remove':
      await call('DELETE', `${base}/${needId()}`);
      print({ removed: webhookId }, `Webhook ${webhookId} removed.\n`);
      return 0;
    default:
      throw new CliError(`Unknown webhooks command "${sub ?? ''}". Run "scim-gateway webhooks --help".`);
  }
};

export const runEventsCommand = async (argv: string[], io: CliIo = {}, signal?: AbortSignal): Promise<number> => {
  const options = { types: { type: 'string' }, 'from-start': { type: 'boolean' }, from: { type: 'string' }, to: { type: 'string' }, webhook: { type: 'string' } } as const;
  const ctx = await setUp('events', argv, options, io);
  if (ctx.help) return ctx.out(EVENTS_USAGE), 0;
  const { out, call, app, values, positionals } = ctx;
  const base = `/admin/apps/${app.id}/events`;
  if (positionals[0] === 'replay') {
    if (typeof values.from !== 'string' || typeof values.to !== 'string') throw new CliError('events replay needs --from and --to (ISO 8601 date-times).');
    const body = { from: values.from, to: values.to, ...(typesOf(values.types) ? { types: typesOf(values.types) } : {}), ...(typeof values.webhook === 'string' ? { webhookId: values.webhook } : {}) };
    const result = await call<{ events: number; deliveries: number }>('POST', `${base}/replay`, body);
    out(values.json ? `${JSON.stringify(result)}\n` : `Replaying ${result.events} event(s): ${result.deliveries} delivery(ies) queued.\n`);
    return 0;
  }
  if (positionals[0] !== 'tail') throw new CliError(`Unknown events command "${positionals[0] ?? ''}". Run "scim-gateway events --help".`);
  const types = typeof values.types === 'string' ? `&types=${encodeURIComponent(values.types)}` : '';
  type Page = { data: { id: string; type: string; timestamp: string; sequence: number; subject: { id: string; userName?: string; displayName?: string } }[]; hasMore: boolean; nextAfter: string | null };
  // Without --from-start, skip to the end of the log first: "tail" shows what happens from now on.
  let after: string | null = null;
  if (!values['from-start']) {
    for (let page: Page | undefined; !page || page.hasMore; ) {
      page = await call<Page>('GET', `${base}?limit=500${after ? `&after=${after}` : ''}`);
      after = page.nextAfter;
    }
  }
  while (!signal?.aborted) {
    const page: Page = await call<Page>('GET', `${base}?limit=500${types}${after ? `&after=${after}` : ''}`);
    for (const event of page.data) {
      out(values.json ? `${JSON.stringify(event)}\n` : `${event.timestamp}  ${event.type.padEnd(21)} ${event.subject.userName ?? event.subject.displayName ?? event.subject.id}  seq ${event.sequence}  ${event.id}\n`);
    }
    after = page.nextAfter;
    if (!page.hasMore) await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return 0;
};
