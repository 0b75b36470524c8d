/** The groups of one application: search by displayName, member counts, Load more; open one. */
import { announce, h, replace } from '../dom';
import { dataCell as cell, emptyState, errorState, loadingState, tableWrap, timeEl } from '../components';
import { HEADING_ATTRS, type ViewContext } from '../context';
import { groupSearchFilter } from '../queries';
import { hrefOf } from '../router';
import type { AppJson, GroupsPageJson, GroupSummaryJson } from '../../../lambdas/admin/api-json';

const PAGE_SIZE = 25;

/** `12`, or `1,000+` when the gateway stopped counting. */
export const memberCountText = (group: GroupSummaryJson): string => `${group.memberCount.toLocaleString('en')}${group.memberCountCapped ? '+' : ''}`;

const groupRow = (appId: string, group: GroupSummaryJson) =>
  h(
    'tr',
    { 'data-group-id': group.id },
    cell('Group', h('a', { href: hrefOf({ view: 'group', appId, groupId: group.id }) }, group.displayName)),
    cell('Members', memberCountText(group)),
    cell('External id', group.externalId ? h('code', null, group.externalId) : '—'),
    cell('Changed', timeEl(group.lastModified)),
  );

export const groupsView = async (ctx: ViewContext, appId: string, query: string): Promise<void> => {
  const app: AppJson | undefined = (await ctx.apps().catch(() => [] as AppJson[])).find((a) => a.id === appId);
  if (!ctx.isCurrent()) return;
  const appName = app?.name ?? appId;
  const input = h('input', { id: 'group-search', name: 'q', type: 'search', value: query, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'group-search-help' });
  const results = h('section', { class: 'results', 'aria-label': 'Groups found', 'aria-busy': 'false' });
  const form = h(
    'form',
    {
      class: 'card',
      role: 'search',
      'aria-label': `Search the groups of ${appName}`,
      onsubmit: (event: Event) => {
        event.preventDefault();
        ctx.navigate(hrefOf({ view: 'groups', appId, query: input.value.trim() }));
      },
    },
    h('label', { for: 'group-search' }, 'Find groups'),
    h('div', { class: 'inline-form' }, input, h('button', { type: 'submit' }, 'Search')),
    h('p', { id: 'group-search-help', class: 'help' }, 'Matches the start of the display name, in any letter case. Empty lists every group.'),
  );
  ctx.root.replaceChildren(
    h('p', { class: 'breadcrumb' }, h('a', { href: hrefOf({ view: 'apps' }) }, 'Applications'), ' / ', h('a', { href: hrefOf({ view: 'app', appId }) }, appName), ' / '),
    h('h1', HEADING_ATTRS, `Groups of ${appName}`),
    form,
    results,
  );

  const tbody = h('tbody');
  const table = tableWrap(
    'Groups',
    h('table', { class: 'data-table groups-table' }, h('thead', null, h('tr', null, ...['Group', 'Members', 'External id', 'Changed'].map((n) => h('th', { scope: 'col' }, n)))), tbody),
  );
  const summary = h('p', { class: 'results-summary', role: 'status' });
  const more = h('div', { class: 'actions load-more' });
  const filter = groupSearchFilter(query);

  const load = async (cursor = ''): Promise<void> => {
    results.setAttribute('aria-busy', 'true');
    if (cursor) replace(more, loadingState('Loading more groups…'));
    else replace(results, loadingState('Loading groups…'));
    try {
      const params = new URLSearchParams({ count: String(PAGE_SIZE), cursor });
      if (filter) params.set('filter', filter);
      const page = await ctx.api.get<GroupsPageJson>(`admin/apps/${encodeURIComponent(appId)}/groups`, params);
      if (!ctx.isCurrent()) return;
      if (!cursor) {
        if (!page.groups.length) {
          replace(results, emptyState(query ? `No group of ${appName} starts with “${query}”.` : `${appName} has no groups yet. They appear once groups are assigned and provisioned.`));
          announce('No groups found.');
          return;
        }
        replace(results, summary, table, more);
      }
      tbody.append(...page.groups.map((group) => groupRow(appId, group)));
      summary.textContent = `${page.totalResults} group${page.totalResults === 1 ? '' : 's'}${query ? ` ${page.totalResults === 1 ? 'starts' : 'start'} with “${query}”` : ''}.`;
      replace(more, page.nextCursor ? h('button', { type: 'button', class: 'secondary', onclick: () => void load(page.nextCursor) }, 'Load more') : null);
      announce(summary.textContent);
    } catch (error) {
      if (!ctx.isCurrent()) return;
      if (cursor) replace(more, errorState(error, () => void load(cursor)));
      else replace(results, errorState(error, () => void load()));
    } finally {
      results.setAttribute('aria-busy', 'false');
    }
  };
  await load();
};
