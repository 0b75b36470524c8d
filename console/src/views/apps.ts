/**
 * Applications: the list (name, id, users, groups, last request, failures in 24 h, live tokens;
 * the health columns fill in as each application's health arrives) and a form to create one.
 */
import { h, replace, announce } from '../dom';
import { dataCell as cell, emptyState, errorState, formMessage, loadingState, tableWrap, timeEl } from '../components';
import { HEADING_ATTRS, type ViewContext } from '../context';
import { hrefOf } from '../router';
import { secretPanel } from '../secret-panel';
import type { AppHealthJson, AppJson, CreatedAppJson } from '../../../lambdas/admin/api-json';
import { countText } from '../health';
import { liveTokens } from '../live-tokens';

const HEALTH_COLUMNS = ['Users', 'Groups', 'Last request', 'Failed (24 h)'] as const;

/** Fills a row's health cells when its application's health arrives; a dash when it cannot. */
const fillHealth = async (ctx: ViewContext, app: AppJson, cells: Record<(typeof HEALTH_COLUMNS)[number], HTMLElement>): Promise<void> => {
  let health: AppHealthJson;
  try {
    health = await ctx.api.get<AppHealthJson>(`admin/apps/${encodeURIComponent(app.id)}/health`);
  } catch {
    for (const el of Object.values(cells)) replace(el, '—');
    return;
  }
  replace(cells.Users, countText(health.users));
  replace(cells.Groups, countText(health.groups));
  replace(cells['Last request'], health.lastRequest ? [timeEl(health.lastRequest.time), health.lastRequest.status ? ` · ${health.lastRequest.status}` : ''] : h('span', { class: 'muted' }, 'None yet'));
  const failed = health.last24h.failures;
  replace(
    cells['Failed (24 h)'],
    failed.count ? h('a', { class: 'failure-detail', href: hrefOf({ view: 'reports', params: { application: app.id, status: 'failure' } }) }, countText(failed)) : '0',
  );
};

const appsTable = (ctx: ViewContext, apps: AppJson[]): HTMLElement =>
  tableWrap(
    'Applications',
    h(
      'table',
      { class: 'data-table apps-table' },
      h('caption', { class: 'visually-hidden' }, 'Applications'),
      h('thead', null, h('tr', null, ...['Name', 'Id', ...HEALTH_COLUMNS, 'Live tokens', ''].map((name) => h('th', { scope: 'col' }, name)))),
      h(
        'tbody',
        null,
        ...apps.map((app) => {
          const healthCells = Object.fromEntries(HEALTH_COLUMNS.map((name) => [name, h('span', { class: 'muted' }, '…')])) as Record<(typeof HEALTH_COLUMNS)[number], HTMLElement>;
          void fillHealth(ctx, app, healthCells);
          return h(
            'tr',
            { 'data-app-id': app.id },
            cell('Name', h('a', { href: hrefOf({ view: 'app', appId: app.id }) }, app.name)),
            cell('Id', h('code', null, app.id)),
            ...HEALTH_COLUMNS.map((name) => cell(name, healthCells[name])),
            cell('Live tokens', String(liveTokens(app).length)),
            h(
              'td',
              { 'data-label': 'Go to', class: 'row-links' },
              h('a', { href: hrefOf({ view: 'users', appId: app.id, query: '' }) }, 'Users'),
              ' · ',
              h('a', { href: hrefOf({ view: 'reports', params: { application: app.id } }) }, 'Report'),
            ),
          );
        }),
      ),
    ),
  );

export const appsView = async (ctx: ViewContext): Promise<void> => {
  const list = h('section', { class: 'apps-list', 'aria-labelledby': 'apps-list-title', 'aria-busy': 'true' });
  const created = h('div');
  const nameInput = h('input', { id: 'new-app-name', type: 'text', name: 'name', required: true, maxlength: '100', autocomplete: 'off', placeholder: 'e.g. Entra ID – Contoso' });
  const message = formMessage();
  const submit = h('button', { type: 'submit' }, 'Create application');

  const load = async (refresh: boolean) => {
    list.setAttribute('aria-busy', 'true');
    replace(list, h('h2', { id: 'apps-list-title', class: 'visually-hidden' }, 'All applications'), loadingState('Loading applications…'));
    try {
      const apps = await ctx.apps(refresh);
      if (!ctx.isCurrent()) return;
      replace(
        list,
        h('h2', { id: 'apps-list-title', class: 'visually-hidden' }, 'All applications'),
        apps.length ? appsTable(ctx, apps) : emptyState('No applications yet. Create one below to get a Tenant URL and Secret Token for Microsoft Entra ID.'),
      );
    } catch (error) {
      replace(list, errorState(error, () => void load(true)));
    } finally {
      list.setAttribute('aria-busy', 'false');
    }
  };

  const form = h(
    'form',
    {
      class: 'card create-app',
      'aria-labelledby': 'create-app-title',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const name = nameInput.value.trim();
        if (!name) return message.error(new Error('Give the application a name.'));
        submit.disabled = true;
        message.info('Creating…');
        try {
          const app = await ctx.api.post<CreatedAppJson>('admin/apps', { name });
          if (!ctx.isCurrent()) return;
          nameInput.value = '';
          message.clear();
          const panel = secretPanel({
            title: `“${app.name}” is ready`,
            tenantUrl: app.tenantUrl,
            secretToken: app.secretToken,
            tokenId: app.tokenId,
            onDone: () => {
              replace(created, h('p', { class: 'message-info', role: 'status' }, 'The token is hidden. ', h('a', { href: hrefOf({ view: 'app', appId: app.id }) }, `Open ${app.name}`)));
            },
          });
          replace(created, panel);
          panel.querySelector<HTMLElement>('h2')?.focus();
          announce(`Application ${app.name} created. Its Secret Token is shown once.`);
          await load(true);
        } catch (error) {
          message.error(error);
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h2', { id: 'create-app-title' }, 'New application'),
    h('p', { class: 'help' }, 'One application per provisioning source (an Entra ID tenant, say). It gets its own Tenant URL and Secret Token.'),
    h('label', { for: 'new-app-name' }, 'Name'),
    h('div', { class: 'inline-form' }, nameInput, submit),
    message.element,
  );

  ctx.root.replaceChildren(h('h1', HEADING_ATTRS, 'Applications'), created, list, form);
  await load(false);
};
