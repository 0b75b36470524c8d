/**
 * The Webhooks section of an application's page (issue 16): add an endpoint (URL, event types,
 * description) whose signing secret is shown once with a copy button, send a test ping, rotate the
 * secret (shown once; the old one signs beside it for 24 h), resume an endpoint a 410 disabled,
 * remove one, and open its Deliveries. All over the admin API (docs/events.md, "Managing webhooks").
 */
import { announce, h, uid } from '../dom';
import { actionSection, dataCell as cell, confirmAction, copyField, errorState, formMessage, tableWrap, timeEl } from '../components';
import type { ViewContext } from '../context';
import { hrefOf } from '../router';
import { EVENT_TYPES } from '../../../lambdas/events/event-types';
import type { CreatedWebhookJson, RotatedSecretJson, WebhookJson, WebhookListJson, WebhookTestJson } from '../../../lambdas/admin/events-json';

/** A signing secret, shown once, with what to do with it. */
const webhookSecretPanel = (title: string, secret: string, onDone: () => void): HTMLElement =>
  h(
    'section',
    { class: 'card secret-panel', 'aria-labelledby': 'webhook-secret-title', 'data-testid': 'webhook-secret-panel' },
    h('h3', { id: 'webhook-secret-title', tabindex: '-1' }, title),
    h(
      'p',
      { class: 'warning', role: 'note' },
      h('span', { 'aria-hidden': 'true' }, '⚠ '),
      h('strong', null, 'Copy the signing secret now. '),
      'It is shown only once. Your application verifies each request with it (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature); if it is lost, rotate the secret.',
    ),
    copyField('Signing secret', secret, { secret: true, testId: 'webhook-secret' }),
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: onDone }, "I've copied it — hide the secret")),
  );

const typesText = (webhook: WebhookJson) => (webhook.types?.length ? webhook.types.join(', ') : 'Every type');

const stateCell = (webhook: WebhookJson) =>
  webhook.enabled
    ? h('span', { class: 'badge badge-success' }, h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, '✔'), 'Active')
    : [h('span', { class: 'badge badge-failure' }, h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, '✖'), 'Disabled'), webhook.disabledReason ? h('div', { class: 'muted small' }, webhook.disabledReason) : null];

/** The add form: URL, the types to send (none ticked: every type), a description. */
const addForm = (ctx: ViewContext, base: string, onAdded: (made: CreatedWebhookJson) => void): HTMLElement => {
  const url = h('input', { id: 'webhook-url', type: 'url', name: 'url', required: true, autocomplete: 'off', spellcheck: 'false', placeholder: 'https://app.example.com/scim-events', 'aria-describedby': 'webhook-url-help' });
  const description = h('input', { id: 'webhook-description', type: 'text', name: 'description', maxlength: '200', autocomplete: 'off' });
  const boxes = EVENT_TYPES.map((type) => {
    const id = uid('webhook-type');
    const box = h('input', { id, type: 'checkbox', name: 'types', value: type });
    return { box, element: h('div', { class: 'checkbox' }, box, h('label', { for: id }, type)) };
  });
  const message = formMessage();
  const add = h('button', { type: 'submit' }, 'Add webhook');
  const form = h(
    'form',
    {
      'aria-label': 'Add a webhook',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        add.disabled = true;
        message.info('Adding…');
        try {
          const types = boxes.filter((b) => b.box.checked).map((b) => b.box.value);
          const made = await ctx.api.post<CreatedWebhookJson>(base, {
            url: url.value.trim(),
            ...(types.length ? { types } : {}),
            ...(description.value.trim() ? { description: description.value.trim() } : {}),
          });
          message.clear();
          form.reset();
          onAdded(made);
        } catch (error) {
          // The gateway's 400 names each problem (a URL it will not post to, an unknown type).
          message.error(error);
        } finally {
          add.disabled = false;
        }
      },
    },
    h('h3', null, 'Add a webhook'),
    h('label', { for: 'webhook-url' }, 'Endpoint URL'),
    url,
    h('p', { id: 'webhook-url-help', class: 'help' }, 'HTTPS, on a public address, once deployed; the local gateway also posts over http to localhost.'),
    h('fieldset', { class: 'webhook-types' }, h('legend', null, 'Event types (none ticked: every type)'), h('div', { class: 'filter-grid' }, ...boxes.map((b) => b.element))),
    h('label', { for: 'webhook-description' }, 'Description (optional)'),
    description,
    h('div', { class: 'actions' }, add),
    message.element,
  );
  return form;
};

export const webhooksSection = (ctx: ViewContext, appId: string): HTMLElement => {
  const base = `admin/apps/${encodeURIComponent(appId)}/webhooks`;
  const { body, reveal, message, show, hide, act } = actionSection('Loading webhooks…', () => load());

  const ping = (webhook: WebhookJson) =>
    act(async () => {
      message.info(`Sending a test ping to ${webhook.url}…`);
      const result = await ctx.api.post<WebhookTestJson>(`${base}/${encodeURIComponent(webhook.id)}/test`, {});
      const text = result.delivered
        ? `Ping ${result.id} delivered: the endpoint answered ${result.status}.`
        : `Ping ${result.id} not delivered: ${result.error ?? `the endpoint answered ${result.status}`}.`;
      if (result.delivered) message.info(text);
      else message.error(new Error(text));
      announce(text);
    });

  const rotate = async (webhook: WebhookJson) => {
    const ok = await confirmAction(
      `Rotate the secret of ${webhook.url}?`,
      h('p', null, 'A new secret signs from now on; the current one keeps signing beside it for 24 hours, so your application can switch without missing an event.'),
      'Rotate secret',
    );
    if (!ok) return;
    await act(async () => {
      const { secret } = await ctx.api.post<RotatedSecretJson>(`${base}/${encodeURIComponent(webhook.id)}/rotate-secret`, {});
      show(webhookSecretPanel('New signing secret', secret, hide));
      announce('New signing secret created. It is shown once.');
    });
  };

  const remove = async (webhook: WebhookJson) => {
    const ok = await confirmAction(`Remove the webhook ${webhook.url}?`, h('p', null, 'No more events are sent to it, including those still waiting.'), 'Remove webhook');
    if (!ok) return;
    await act(async () => {
      await ctx.api.del(`${base}/${encodeURIComponent(webhook.id)}`);
      announce('Webhook removed.');
    });
  };

  const resume = (webhook: WebhookJson) =>
    act(async () => {
      await ctx.api.patch<WebhookJson>(`${base}/${encodeURIComponent(webhook.id)}`, { enabled: true });
      announce('Webhook resumed.');
    });

  const button = (label: string, aria: string, onclick: () => unknown, kind = 'secondary') =>
    h('button', { type: 'button', class: kind, 'aria-label': aria, onclick: () => void onclick() }, label);

  const row = (webhook: WebhookJson) =>
    h(
      'tr',
      { 'data-webhook-id': webhook.id },
      cell('Endpoint', h('code', null, webhook.url), webhook.description ? h('div', { class: 'muted small' }, webhook.description) : null),
      cell('Types', typesText(webhook)),
      cell('State', stateCell(webhook)),
      cell('Created', timeEl(webhook.created)),
      cell(
        'Action',
        h(
          'div',
          { class: 'row-actions' },
          h('a', { href: hrefOf({ view: 'webhook', appId, webhookId: webhook.id }), 'aria-label': `Deliveries to ${webhook.url}` }, 'Deliveries'),
          button('Send test ping', `Send a test ping to ${webhook.url}`, () => ping(webhook)),
          button('Rotate secret', `Rotate the secret of ${webhook.url}`, () => rotate(webhook)),
          webhook.enabled ? null : button('Resume', `Resume ${webhook.url}`, () => resume(webhook)),
          button('Remove', `Remove ${webhook.url}`, () => remove(webhook), 'danger'),
        ),
      ),
    );

  async function load(): Promise<void> {
    let webhooks: WebhookJson[];
    try {
      webhooks = (await ctx.api.get<WebhookListJson>(base)).webhooks;
    } catch (error) {
      if (ctx.isCurrent()) body.replaceChildren(errorState(error, () => void load()));
      return;
    }
    if (!ctx.isCurrent()) return;
    body.replaceChildren(
      webhooks.length
        ? tableWrap(
            'Webhooks',
            h(
              'table',
              { class: 'data-table webhooks-table' },
              h('thead', null, h('tr', null, ...['Endpoint', 'Types', 'State', 'Created', ''].map((n) => h('th', { scope: 'col' }, n)))),
              h('tbody', null, ...webhooks.map(row)),
            ),
          )
        : h('p', { class: 'muted' }, 'No webhooks. Add one to have every change of this application’s users and groups posted to your application.'),
    );
  }

  void load();
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'webhooks-title' },
    h('h2', { id: 'webhooks-title' }, 'Webhooks'),
    h(
      'p',
      { class: 'help' },
      'Each directory event (user created, deactivated, moved between groups…) is posted, signed, to every webhook whose types pass it, retried for over 24 hours until the endpoint answers 2xx. ',
      h('a', { href: hrefOf({ view: 'events', appId, type: '' }) }, 'Events'),
      ' lists what was sent.',
    ),
    body,
    message.element,
    reveal,
    addForm(ctx, base, (made) => {
      show(webhookSecretPanel('New webhook', made.secret, hide));
      announce('Webhook added. Its signing secret is shown once.');
      void load();
    }),
  );
};
