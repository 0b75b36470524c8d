/**
 * An application's Events (issue 16): its directory event log, newest first, filtered by type, 50
 * at a time (Load more pages back with `before`), each event with its subject, sequence, what
 * changed and its full envelope: exactly what webhooks, EventBridge and the read API deliver.
 */
import { announce, h, replace } from '../dom';
import { dataCell as cell, emptyState, errorState, loadingState, tableWrap, timeEl } from '../components';
import { HEADING_ATTRS, type ViewContext } from '../context';
import { hrefOf } from '../router';
import { EVENT_TYPES } from '../../../lambdas/events/event-types';
import type { AppJson } from '../../../lambdas/admin/api-json';
import type { EventJson, RecentEventsJson } from '../../../lambdas/admin/events-json';

const PAGE_SIZE = 50;
const TYPE_CHOICES = ['', 'user.*', 'group.*', ...EVENT_TYPES] as const;

const subjectText = (event: EventJson): string =>
  event.subject.type === 'user' ? `User ${event.subject.userName}` : `Group ${event.subject.displayName}`;

const eventRow = (event: EventJson) =>
  h(
    'tr',
    { 'data-event-id': event.id },
    cell('Time', timeEl(event.timestamp)),
    cell('Type', h('code', null, event.type)),
    cell('Subject', subjectText(event)),
    cell('Sequence', String(event.sequence)),
    cell('Changes', event.changes.length ? event.changes.join(', ') : h('span', { class: 'muted' }, '—')),
    cell(
      'Event',
      h(
        'details',
        null,
        h('summary', null, h('code', { class: 'small' }, event.id)),
        h('pre', { class: 'json', tabindex: '0', 'aria-label': `Event ${event.id} as JSON` }, JSON.stringify(event, null, 2)),
      ),
    ),
  );

export const eventsView = async (ctx: ViewContext, appId: string, type: string): Promise<void> => {
  const app: AppJson | undefined = (await ctx.apps().catch(() => [] as AppJson[])).find((a) => a.id === appId);
  if (!ctx.isCurrent()) return;
  const appName = app?.name ?? appId;
  const select = h(
    'select',
    { id: 'event-type', name: 'type' },
    ...TYPE_CHOICES.map((choice) => h('option', { value: choice, selected: choice === type }, choice || 'All types')),
  );
  const form = h(
    'form',
    {
      class: 'card',
      'aria-label': `Filter the events of ${appName}`,
      onsubmit: (event: Event) => {
        event.preventDefault();
        ctx.navigate(hrefOf({ view: 'events', appId, type: select.value }));
      },
    },
    h('label', { for: 'event-type' }, 'Event type'),
    h('div', { class: 'inline-form' }, select, h('button', { type: 'submit' }, 'Show')),
    h('p', { class: 'help' }, 'Newest first. Events are kept for the retention window (90 days unless configured otherwise).'),
  );
  const results = h('section', { class: 'results', 'aria-label': 'Events', 'aria-busy': 'false' });
  ctx.root.replaceChildren(
    h('p', { class: 'breadcrumb' }, h('a', { href: hrefOf({ view: 'apps' }) }, 'Applications'), ' / ', h('a', { href: hrefOf({ view: 'app', appId }) }, appName), ' / '),
    h('h1', HEADING_ATTRS, `Events of ${appName}`),
    form,
    results,
  );

  const tbody = h('tbody');
  const table = tableWrap(
    'Events',
    h(
      'table',
      { class: 'data-table events-table' },
      h('thead', null, h('tr', null, ...['Time', 'Type', 'Subject', 'Sequence', 'Changes', 'Event'].map((n) => h('th', { scope: 'col' }, n)))),
      tbody,
    ),
  );
  const summary = h('p', { class: 'results-summary', role: 'status' });
  const more = h('div', { class: 'actions load-more' });
  let shown = 0;

  const load = async (before = ''): Promise<void> => {
    results.setAttribute('aria-busy', 'true');
    if (before) replace(more, loadingState('Loading older events…'));
    else replace(results, loadingState('Loading events…'));
    try {
      const params = new URLSearchParams({ order: 'newest', limit: String(PAGE_SIZE) });
      if (before) params.set('before', before);
      if (type) params.set('types', type);
      const page = await ctx.api.get<RecentEventsJson>(`admin/apps/${encodeURIComponent(appId)}/events`, params);
      if (!ctx.isCurrent()) return;
      if (!before) {
        if (!page.data.length) {
          replace(results, emptyState(type ? `No ${type} event of ${appName} yet.` : `${appName} has no events yet. Each change a provisioning cycle makes to its users and groups is one.`));
          announce('No events found.');
          return;
        }
        replace(results, summary, table, more);
      }
      tbody.append(...page.data.map(eventRow));
      shown += page.data.length;
      summary.textContent = `${shown} event${shown === 1 ? '' : 's'}${type ? ` of type ${type}` : ''}, newest first${page.hasMore ? '; more are older' : ''}.`;
      replace(more, page.nextBefore ? h('button', { type: 'button', class: 'secondary', onclick: () => void load(page.nextBefore!) }, 'Load more') : null);
      announce(summary.textContent);
    } catch (error) {
      if (!ctx.isCurrent()) return;
      if (before) replace(more, errorState(error, () => void load(before)));
      else replace(results, errorState(error, () => void load()));
    } finally {
      results.setAttribute('aria-busy', 'false');
    }
  };
  await load();
};
