/** One group of an application: its name, ids and member count, and its members paged, each linking to the user's page. */
import { h, replace } from '../dom';
import { dataCell as cell, emptyState, errorState, loadingState, tableWrap, timeEl } from '../components';
import { HEADING_ATTRS, type ViewContext } from '../context';
import { groupMembersFilter } from '../queries';
import { hrefOf } from '../router';
import { memberCountText } from './groups';
import type { AppGroupJson, UsersPageJson } from '../../../lambdas/admin/api-json';

const PAGE_SIZE = 25;

const members = async (ctx: ViewContext, appId: string, groupId: string, into: HTMLElement): Promise<void> => {
  const tbody = h('tbody');
  const table = tableWrap(
    'Members',
    h('table', { class: 'data-table members-table' }, h('thead', null, h('tr', null, ...['User name', 'Display name', 'State'].map((n) => h('th', { scope: 'col' }, n)))), tbody),
  );
  const more = h('div', { class: 'actions load-more' });
  const load = async (cursor = ''): Promise<void> => {
    if (cursor) replace(more, loadingState('Loading more members…'));
    else replace(into, loadingState('Loading members…'));
    try {
      const params = new URLSearchParams({ count: String(PAGE_SIZE), cursor, filter: groupMembersFilter(groupId) });
      const page = await ctx.api.get<UsersPageJson>(`admin/apps/${encodeURIComponent(appId)}/users`, params);
      if (!ctx.isCurrent()) return;
      if (!cursor) {
        if (!page.users.length) return replace(into, emptyState('This group has no members.'));
        replace(into, table, more);
      }
      tbody.append(
        ...page.users.map((user) =>
          h(
            'tr',
            { 'data-user-id': user.id },
            cell('User name', h('a', { href: hrefOf({ view: 'user', appId, userId: user.id }) }, user.userName)),
            cell('Display name', user.displayName ?? '—'),
            cell('State', user.active ? 'Active' : h('span', { class: 'badge badge-muted' }, 'Disabled')),
          ),
        ),
      );
      replace(more, page.nextCursor ? h('button', { type: 'button', class: 'secondary', onclick: () => void load(page.nextCursor) }, 'Load more members') : null);
    } catch (error) {
      if (!ctx.isCurrent()) return;
      if (cursor) replace(more, errorState(error, () => void load(cursor)));
      else replace(into, errorState(error, () => void load()));
    }
  };
  await load();
};

export const groupView = async (ctx: ViewContext, appId: string, groupId: string): Promise<void> => {
  ctx.root.replaceChildren(h('h1', HEADING_ATTRS, 'Group'), loadingState('Loading the group…'));
  let detail: AppGroupJson;
  try {
    detail = await ctx.api.get<AppGroupJson>(`admin/apps/${encodeURIComponent(appId)}/groups/${encodeURIComponent(groupId)}`);
  } catch (error) {
    if (ctx.isCurrent()) ctx.root.replaceChildren(h('h1', HEADING_ATTRS, 'Group'), errorState(error, () => void groupView(ctx, appId, groupId)));
    return;
  }
  if (!ctx.isCurrent()) return;
  const { group, app } = detail;
  const list = h('div');
  ctx.root.replaceChildren(
    h(
      'p',
      { class: 'breadcrumb' },
      h('a', { href: hrefOf({ view: 'apps' }) }, 'Applications'),
      ' / ',
      h('a', { href: hrefOf({ view: 'app', appId }) }, app.name),
      ' / ',
      h('a', { href: hrefOf({ view: 'groups', appId, query: '' }) }, 'Groups'),
      ' / ',
    ),
    h('h1', HEADING_ATTRS, group.displayName),
    h(
      'p',
      { class: 'meta-line' },
      'Id ',
      h('code', null, group.id),
      group.externalId ? [' · externalId ', h('code', null, group.externalId)] : null,
      ' · created ',
      timeEl(group.created),
      ' · changed ',
      timeEl(group.lastModified),
    ),
    h('section', { class: 'card', 'aria-labelledby': 'members-title' }, h('h2', { id: 'members-title' }, `Members (${memberCountText(group)})`), list),
  );
  await members(ctx, appId, groupId, list);
};
