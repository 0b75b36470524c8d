/** The users of one application: search by userName, externalId or e-mail; Load more; open one. */
import { announce, h, replace } from '../dom';
import { dataCell as cell, emptyState, errorState, loadingState, tableWrap, timeEl } from '../components';
import { HEADING_ATTRS, type ViewContext } from '../context';
import { userSearchFilter } from '../queries';
import { hrefOf } from '../router';
import type { AppJson, UserSummaryJson, UsersPageJson } from '../../../lambdas/admin/api-json';

const PAGE_SIZE = 25;


const userRow = (appId: string, user: UserSummaryJson) =>
  h(
    'tr',
    { 'data-user-id': user.id },
    cell('User name', h('a', { href: hrefOf({ view: 'user', appId, userId: user.id }) }, user.userName)),
    cell('Display name', user.displayName ?? '—'),
    cell('E-mail', user.email ?? '—'),
    cell('External id', user.externalId ? h('code', null, user.externalId) : '—'),
    cell('State', user.active ? 'Active' : h('span', { class: 'badge badge-muted' }, 'Disabled')),
    cell('Changed', timeEl(user.lastModified)),
  );

export const usersView = async (ctx: ViewContext, appId: string, query: string): Promise<void> => {
  const app: AppJson | undefined = (await ctx.apps().catch(() => [] as AppJson[])).find((a) => a.id === appId);
  if (!ctx.isCurrent()) return;
  const appName = app?.name ?? appId;
  const input = h('input', { id: 'user-search', name: 'q', type: 'search', value: query, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'user-search-help' });
  const results = h('section', { class: 'results', 'aria-label': 'Users found', 'aria-busy': 'false' });
  const form = h(
    'form',
    {
      class: 'card',
      role: 'search',
      'aria-label': `Search the users of ${appName}`,
      onsubmit: (event: Event) => {
        event.preventDefault();
        ctx.navigate(hrefOf({ view: 'users', appId, query: input.value.trim() }));
      },
    },
    h('label', { for: 'user-search' }, 'Find users'),
    h('div', { class: 'inline-form' }, input, h('button', { type: 'submit' }, 'Search')),
    h('p', { id: 'user-search-help', class: 'help' }, 'Matches userName (starts with), externalId (exactly), e-mail or display name (contains). Empty lists everyone.'),
  );
  ctx.root.replaceChildren(
    h('p', { class: 'breadcrumb' }, h('a', { href: hrefOf({ view: 'apps' }) }, 'Applications'), ' / ', h('a', { href: hrefOf({ view: 'app', appId }) }, appName), ' / '),
    h('h1', HEADING_ATTRS, `Users of ${appName}`),
    form,
    results,
  );

  const tbody = h('tbody');
  const table = tableWrap(
    'Users',
    h(
      'table',
      { class: 'data-table users-table' },
      h('thead', null, h('tr', null, ...['User name', 'Display name', 'E-mail', 'External id', 'State', 'Changed'].map((n) => h('th', { scope: 'col' }, n)))),
      tbody,
    ),
  );
  const summary = h('p', { class: 'results-summary', role: 'status' });
  const more = h('div', { class: 'actions load-more' });
  const filter = userSearchFilter(query);

  const load = async (cursor = ''): Promise<void> => {
    results.setAttribute('aria-busy', 'true');
    if (cursor) replace(more, loadingState('Loading more users…'));
    else replace(results, loadingState('Loading users…'));
    try {
      const params = new URLSearchParams({ count: String(PAGE_SIZE), cursor });
      if (filter) params.set('filter', filter);
      const page = await ctx.api.get<UsersPageJson>(`admin/apps/${encodeURIComponent(appId)}/users`, params);
      if (!ctx.isCurrent()) return;
      if (!cursor) {
        if (!page.users.length) {
          replace(results, emptyState(query ? `No user of ${appName} matches “${query}”.` : `${appName} has no users yet. They appear after its first provisioning cycle.`));
          announce('No users found.');
          return;
        }
        replace(results, summary, table, more);
      }
      tbody.append(...page.users.map((user) => userRow(appId, user)));
      summary.textContent = `${page.totalResults} user${page.totalResults === 1 ? '' : 's'}${query ? ` match “${query}”` : ''}.`;
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
