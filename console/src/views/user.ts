/** One user of an application: who it is, its profile first, its groups, its recent report rows and the stored SCIM resource. */
import { h, replace } from '../dom';
import { emptyState, errorState, loadingState, timeEl } from '../components';
import { HEADING_ATTRS, type ViewContext } from '../context';
import { reportTable } from '../report-rows';
import { hrefOf } from '../router';
import type { AppUserJson, ReportsPageJson } from '../../../lambdas/admin/api-json';

/** How far back "recent" goes: the report API's shortest retention default covers it. */
const RECENT_SPAN = '30d';
const RECENT_LIMIT = 20;

const recentReports = async (ctx: ViewContext, appId: string, userName: string, into: HTMLElement): Promise<void> => {
  replace(into, loadingState('Loading report rows…'));
  try {
    const page = await ctx.api.get<ReportsPageJson>(
      'admin/reports',
      new URLSearchParams({ endUser: userName, application: appId, from: RECENT_SPAN, limit: String(RECENT_LIMIT) }),
    );
    if (!ctx.isCurrent()) return;
    if (!page.reports.length) return replace(into, emptyState('No provisioning events for this user in the last 30 days.'));
    const table = reportTable(`Recent provisioning events of ${userName}`, { withApp: false });
    table.append(page.reports);
    replace(
      into,
      table.element,
      h('p', null, h('a', { href: hrefOf({ view: 'reports', params: { endUser: userName, application: appId, span: '30d' } }) }, 'Open in the provisioning report')),
    );
  } catch (error) {
    if (ctx.isCurrent()) replace(into, errorState(error, () => void recentReports(ctx, appId, userName, into)));
  }
};

export const userView = async (ctx: ViewContext, appId: string, userId: string): Promise<void> => {
  ctx.root.replaceChildren(h('h1', HEADING_ATTRS, 'User'), loadingState('Loading the user…'));
  let detail: AppUserJson;
  try {
    detail = await ctx.api.get<AppUserJson>(`admin/apps/${encodeURIComponent(appId)}/users/${encodeURIComponent(userId)}`);
  } catch (error) {
    if (ctx.isCurrent()) ctx.root.replaceChildren(h('h1', HEADING_ATTRS, 'User'), errorState(error, () => void userView(ctx, appId, userId)));
    return;
  }
  if (!ctx.isCurrent()) return;
  const { user, app } = detail;
  const meta = (user.meta ?? {}) as { created?: string; lastModified?: string };
  const groups = user.groups ?? [];
  const reports = h('div');
  ctx.root.replaceChildren(
    h(
      'p',
      { class: 'breadcrumb' },
      h('a', { href: hrefOf({ view: 'apps' }) }, 'Applications'),
      ' / ',
      h('a', { href: hrefOf({ view: 'app', appId }) }, app.name),
      ' / ',
      h('a', { href: hrefOf({ view: 'users', appId, query: '' }) }, 'Users'),
      ' / ',
    ),
    h('h1', HEADING_ATTRS, user.userName),
    h(
      'p',
      { class: 'meta-line' },
      user.active === false ? h('span', { class: 'badge badge-muted' }, 'Disabled') : h('span', { class: 'badge badge-success' }, 'Active'),
      ' Id ',
      h('code', null, user.id),
      typeof user.externalId === 'string' ? [' · externalId ', h('code', null, user.externalId)] : null,
      meta.created ? [' · created ', timeEl(meta.created)] : null,
      meta.lastModified ? [' · changed ', timeEl(meta.lastModified)] : null,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'profile-title' },
      h('h2', { id: 'profile-title' }, 'Profile'),
      detail.profileProperties?.length
        ? h('dl', { class: 'properties', 'data-testid': 'profile-properties' }, ...detail.profileProperties.flatMap((p) => [h('dt', null, p.label), h('dd', null, p.value)]))
        : h('p', { class: 'muted' }, detail.profile ? 'No mapped attribute has a value.' : 'No profile: the application\'s mapping cannot read this user.'),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'groups-title' },
      h('h2', { id: 'groups-title' }, 'Groups'),
      groups.length
        ? h(
            'ul',
            { class: 'group-list' },
            ...groups.map((g) => h('li', null, h('a', { href: hrefOf({ view: 'group', appId, groupId: g.value }) }, g.display ?? g.value), ' ', h('code', { class: 'muted small' }, g.value))),
          )
        : h('p', { class: 'muted' }, 'Not a member of any group.'),
    ),
    h('section', { class: 'card', 'aria-labelledby': 'recent-title' }, h('h2', { id: 'recent-title' }, 'Recent provisioning events'), reports),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'resource-title' },
      h('h2', { id: 'resource-title' }, 'Stored SCIM resource'),
      h('p', { class: 'help' }, `As ${app.name} reads it with GET /Users/${user.id}.`),
      h('pre', { class: 'json', tabindex: '0', 'aria-label': 'SCIM resource as JSON' }, JSON.stringify(user, null, 2)),
    ),
  );
  await recentReports(ctx, appId, user.userName, reports);
};
