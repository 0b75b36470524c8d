/**
 * One webhook's Deliveries (issue 16): per event, its state (pending, delivered, dead-lettered),
 * attempts, last status and last error, when it was queued and finished or is next due; a dead
 * letter can be redelivered with its event id. A webhook a 410 disabled can be resumed here too,
 * since its redelivered events wait until it is.
 */
import { announce, h, replace } from '../dom';
import { dataCell as cell, emptyState, errorState, formMessage, loadingState, tableWrap, timeEl } from '../components';
import { HEADING_ATTRS, type ViewContext } from '../context';
import { hrefOf } from '../router';
import type { AppJson } from '../../../lambdas/admin/api-json';
import type { DeliveryJson, DeliveryListJson, WebhookJson } from '../../../lambdas/admin/events-json';

/** The newest deliveries shown (the API's limit is 500). */
const SHOWN = 100;

const STATE_LABELS: Record<DeliveryJson['state'], { text: string; badge: string; icon: string }> = {
  pending: { text: 'Pending', badge: 'badge-muted', icon: '…' },
  delivered: { text: 'Delivered', badge: 'badge-success', icon: '✔' },
  dead: { text: 'Dead letter', badge: 'badge-failure', icon: '✖' },
};

const stateBadge = (state: DeliveryJson['state']) => {
  const label = STATE_LABELS[state];
  return h('span', { class: `badge ${label.badge}` }, h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, label.icon), label.text);
};

/** When it finished, or (pending) when it is attempted next. */
const whenCell = (delivery: DeliveryJson) =>
  delivery.finishedAt ? timeEl(delivery.finishedAt) : ['next ', timeEl(new Date(delivery.dueAt).toISOString())];

export const deliveriesView = async (ctx: ViewContext, appId: string, webhookId: string): Promise<void> => {
  const base = `admin/apps/${encodeURIComponent(appId)}/webhooks/${encodeURIComponent(webhookId)}`;
  const app: AppJson | undefined = (await ctx.apps().catch(() => [] as AppJson[])).find((a) => a.id === appId);
  if (!ctx.isCurrent()) return;
  const appName = app?.name ?? appId;
  const head = h('div');
  const results = h('section', { class: 'results', 'aria-label': 'Deliveries', 'aria-busy': 'false' });
  const message = formMessage();
  ctx.root.replaceChildren(
    h(
      'p',
      { class: 'breadcrumb' },
      h('a', { href: hrefOf({ view: 'apps' }) }, 'Applications'),
      ' / ',
      h('a', { href: hrefOf({ view: 'app', appId }) }, appName),
      ' / ',
    ),
    h('h1', HEADING_ATTRS, 'Webhook deliveries'),
    head,
    message.element,
    results,
  );

  const redeliver = async (delivery: DeliveryJson) => {
    try {
      await ctx.api.post(`${base}/deliveries/${encodeURIComponent(delivery.eventId)}/redeliver`, {});
      message.info(`Event ${delivery.eventId} queued again, with its id.`);
      announce(`Event ${delivery.eventId} queued again.`);
      await load();
    } catch (error) {
      message.error(error);
    }
  };

  const resume = async () => {
    try {
      await ctx.api.patch<WebhookJson>(base, { enabled: true });
      message.info('Webhook resumed: what waits for it is sent again.');
      await load();
    } catch (error) {
      message.error(error);
    }
  };

  const row = (delivery: DeliveryJson) =>
    h(
      'tr',
      { 'data-event-id': delivery.eventId, 'data-state': delivery.state },
      cell('Event', delivery.eventType, h('div', null, h('code', { class: 'small' }, delivery.eventId))),
      cell('State', stateBadge(delivery.state)),
      cell('Attempts', String(delivery.attempts)),
      cell('Last status', delivery.lastStatus === undefined ? h('span', { class: 'muted' }, '—') : String(delivery.lastStatus)),
      cell('Last error', delivery.lastError ?? h('span', { class: 'muted' }, '—')),
      cell('Queued', timeEl(delivery.queuedAt)),
      cell('Finished', whenCell(delivery)),
      cell(
        'Action',
        delivery.state === 'dead'
          ? h('button', { type: 'button', class: 'secondary', 'aria-label': `Redeliver event ${delivery.eventId}`, onclick: () => void redeliver(delivery) }, 'Redeliver')
          : null,
      ),
    );

  async function load(): Promise<void> {
    results.setAttribute('aria-busy', 'true');
    if (!results.firstChild) replace(results, loadingState('Loading deliveries…'));
    try {
      const [webhook, list] = await Promise.all([ctx.api.get<WebhookJson>(base), ctx.api.get<DeliveryListJson>(`${base}/deliveries`, new URLSearchParams({ limit: String(SHOWN) }))]);
      if (!ctx.isCurrent()) return;
      replace(
        head,
        h('p', { class: 'meta-line' }, 'To ', h('code', { 'data-testid': 'webhook-url' }, webhook.url), webhook.description ? ` · ${webhook.description}` : ''),
        webhook.enabled
          ? null
          : h(
              'p',
              { class: 'warning', role: 'note' },
              h('span', { 'aria-hidden': 'true' }, '⚠ '),
              h('strong', null, 'This webhook is disabled'),
              webhook.disabledReason ? ` (${webhook.disabledReason})` : '',
              '. Nothing is sent to it, redeliveries included, until you resume it. ',
              h('button', { type: 'button', class: 'secondary', onclick: () => void resume() }, 'Resume webhook'),
            ),
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => void load() }, 'Refresh')),
      );
      replace(
        results,
        list.deliveries.length
          ? tableWrap(
              'Deliveries',
              h(
                'table',
                { class: 'data-table deliveries-table' },
                h('thead', null, h('tr', null, ...['Event', 'State', 'Attempts', 'Last status', 'Last error', 'Queued', 'Finished', ''].map((n) => h('th', { scope: 'col' }, n)))),
                h('tbody', null, ...list.deliveries.map(row)),
              ),
            )
          : emptyState('No deliveries yet. Each directory event this webhook’s types pass appears here, and so does a replay.'),
      );
    } catch (error) {
      if (ctx.isCurrent()) replace(results, errorState(error, () => void load()));
    } finally {
      results.setAttribute('aria-busy', 'false');
    }
  }
  await load();
};
