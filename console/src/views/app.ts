/**
 * One application: its Tenant URL, its tokens (rotate: create a second one, shown once; revoke),
 * its settings (name and required attributes), its webhooks and deletion with confirmation.
 */
import { ApiError } from '../api';
import { announce, h } from '../dom';
import { dataCell as cell, confirmAction, copyField, errorState, formMessage, loadingState, openDialog, tableWrap, timeEl } from '../components';
import { HEADING_ATTRS, type ViewContext } from '../context';
import { ENTRA_DEFAULT, ENTRA_DEFAULT_ATTRIBUTES, policyOf, splitPolicy } from '../queries';
import { hrefOf } from '../router';
import { secretPanel } from '../secret-panel';
import type { AppHealthJson, AppJson, CreatedTokenJson } from '../../../lambdas/admin/api-json';
import { healthPanel, lastUsedCell, revocationText } from '../health';
import { MAX_LIVE_TOKENS } from '../../../lambdas/admin/live-tokens';
import { liveTokens } from '../live-tokens';
import { featuresSection, mappingSection } from './profile-settings';
import { oauthClientsSection } from './oauth-clients';
import { webhooksSection } from './webhooks';

/** `reload(panel)` shows the application afresh with a just-created token's panel in place. */
type Reload = (reveal?: HTMLElement) => void;

const tokensSection = (ctx: ViewContext, app: AppJson, reload: Reload, revealed?: HTMLElement, health?: AppHealthJson): HTMLElement => {
  const live = liveTokens(app);
  const full = live.length >= MAX_LIVE_TOKENS;
  const usageOf = (tokenId: string) => health?.tokens.find((t) => t.tokenId === tokenId);
  const reveal = h('div', null, revealed);
  const message = formMessage();
  const rotate = h(
    'button',
    {
      type: 'button',
      disabled: full,
      'aria-describedby': full ? 'rotate-help rotate-disabled' : 'rotate-help',
      onclick: async () => {
        rotate.disabled = true;
        message.info('Creating a token…');
        try {
          const token = await ctx.api.post<CreatedTokenJson>(`admin/apps/${encodeURIComponent(app.id)}/tokens`, {});
          if (!ctx.isCurrent()) return;
          message.clear();
          const panel = secretPanel({
            title: 'New Secret Token',
            tenantUrl: app.tenantUrl,
            secretToken: token.secretToken,
            tokenId: token.tokenId,
            rotation: true,
            onDone: () => reload(),
          });
          // The token list now holds the new token; the panel stays until the admin hides it.
          reload(panel);
          announce('New Secret Token created. It is shown once.');
        } catch (error) {
          message.error(error);
          rotate.disabled = false;
        }
      },
    },
    'Create a new token',
  );
  const revoke = async (tokenId: string) => {
    const others = live.filter((t) => t.id !== tokenId).length;
    const ok = await confirmAction(
      `Revoke token ${tokenId}?`,
      [
        h('p', { 'data-testid': 'revocation-delay' }, revocationText(health?.revocationSeconds)),
        usageOf(tokenId) ? h('p', null, 'Last used ', lastUsedCell(usageOf(tokenId)), '.') : h('p', null, 'This token has not been used (or not since its usage was first noted).'),
        others ? null : h('p', { class: 'warning' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), 'It is the only live token: provisioning from this application stops until you create a new one.'),
      ],
      'Revoke token',
    );
    if (!ok) return;
    try {
      await ctx.api.del(`admin/apps/${encodeURIComponent(app.id)}/tokens/${encodeURIComponent(tokenId)}`);
      announce(`Token ${tokenId} revoked.`);
      reload();
    } catch (error) {
      message.error(error);
    }
  };

  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'tokens-title' },
    h('h2', { id: 'tokens-title' }, 'Secret Tokens'),
    h(
      'p',
      { id: 'rotate-help', class: 'help' },
      `An application holds at most ${MAX_LIVE_TOKENS} live tokens. To rotate, create a new token, give it to the client, then revoke the old one: the old one works until then.`,
    ),
    app.tokens.length
      ? tableWrap(
          'Secret Tokens',
          h(
            'table',
            { class: 'data-table tokens-table' },
            h('thead', null, h('tr', null, ...['Token id', 'Created', 'Expires', 'State', 'Last used', ''].map((n) => h('th', { scope: 'col' }, n)))),
            h(
              'tbody',
              null,
              ...app.tokens.map((token) => {
                const isLive = live.includes(token);
                return h(
                  'tr',
                  { 'data-token-id': token.id },
                  cell('Token id', h('code', null, token.id)),
                  cell('Created', timeEl(token.created)),
                  cell('Expires', token.expiresAt ? timeEl(token.expiresAt) : 'Never'),
                  cell('State', isLive ? 'Live' : h('span', { class: 'muted' }, 'Expired')),
                  cell('Last used', lastUsedCell(usageOf(token.id))),
                  cell('Action', h('button', { type: 'button', class: 'secondary', 'aria-label': `Revoke token ${token.id}`, onclick: () => void revoke(token.id) }, 'Revoke')),
                );
              }),
            ),
          ),
        )
      : h('p', { class: 'warning' }, 'This application has no token: nothing can provision into it. Create one.'),
    h(
      'div',
      { class: 'actions' },
      rotate,
      full
        ? h('p', { id: 'rotate-disabled', class: 'help inline-reason' }, `Disabled: ${app.name} already has ${MAX_LIVE_TOKENS} live tokens, the most it may hold. Revoke the one Entra no longer uses (see Last used) first.`)
        : null,
    ),
    h('p', { class: 'help' }, `Last used is noted at most every ${health?.usageGranularityMinutes ?? 5} minutes per token, with the address the request came from.`),
    message.element,
    reveal,
  );
};

const settingsSection = (ctx: ViewContext, app: AppJson): HTMLElement => {
  const name = h('input', { id: 'app-name', type: 'text', name: 'name', required: true, maxlength: '100', value: app.name, autocomplete: 'off' });
  const entraDefault = h('input', { id: 'entra-default', type: 'checkbox', name: 'entraDefault', 'aria-describedby': 'entra-default-help' });
  const attributes = h('textarea', { id: 'required-attributes', name: 'requiredAttributes', rows: '5', spellcheck: 'false', 'aria-describedby': 'required-help' });
  const show = (requiredAttributes: readonly string[]) => {
    const policy = splitPolicy(requiredAttributes);
    entraDefault.checked = policy.entraDefault;
    attributes.value = policy.paths.join('\n');
  };
  show(app.requiredAttributes);
  const message = formMessage();
  const save = h('button', { type: 'submit' }, 'Save settings');
  return h(
    'form',
    {
      class: 'card',
      'aria-labelledby': 'settings-title',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        save.disabled = true;
        message.info('Saving…');
        try {
          const saved = await ctx.api.patch<AppJson>(`admin/apps/${encodeURIComponent(app.id)}`, {
            name: name.value.trim(),
            requiredAttributes: policyOf(entraDefault.checked, attributes.value),
          });
          // Show what the gateway kept: userName first, short names in their URN form.
          name.value = saved.name;
          show(saved.requiredAttributes);
          const title = ctx.root.querySelector('h1');
          if (title) title.textContent = saved.name;
          message.info('Saved.');
          void ctx.apps(true).catch(() => undefined);
        } catch (error) {
          // The gateway's 400 names the entry it refused and what it would take instead.
          message.error(error);
        } finally {
          save.disabled = false;
        }
      },
    },
    h('h2', { id: 'settings-title' }, 'Settings'),
    h('label', { for: 'app-name' }, 'Name'),
    name,
    h('div', { class: 'checkbox' }, entraDefault, h('label', { for: 'entra-default' }, "Require the attributes of Entra ID's default mapping")),
    h('p', { id: 'entra-default-help', class: 'help' }, `The preset ${ENTRA_DEFAULT}: ${ENTRA_DEFAULT_ATTRIBUTES.join(', ')}.`),
    h('label', { for: 'required-attributes' }, 'Required attributes'),
    attributes,
    h(
      'p',
      { id: 'required-help', class: 'help' },
      'One attribute path a line, as SCIM requests write them: name.givenName, emails[type eq "work"].value, or department for the enterprise extension\'s. A new user without one of them is refused (400) and the refusal shows in the report. Users created before a change of this list can still be updated, deactivated and deleted, as long as no required value is removed. userName is always required.',
    ),
    h('div', { class: 'actions' }, save),
    message.element,
  );
};

const deleteSection = (ctx: ViewContext, app: AppJson): HTMLElement => {
  const open = () =>
    openDialog(`Delete ${app.name}?`, ({ close }) => {
      const force = h('input', { id: 'delete-force', type: 'checkbox', name: 'force' });
      const message = formMessage();
      const confirm = h('button', { type: 'submit', class: 'danger' }, 'Delete application');
      return h(
        'form',
        {
          onsubmit: async (event: Event) => {
            event.preventDefault();
            confirm.disabled = true;
            try {
              const query = force.checked ? new URLSearchParams({ force: 'true' }) : undefined;
              await ctx.api.del(`admin/apps/${encodeURIComponent(app.id)}`, query);
              close();
              await ctx.apps(true);
              announce(`Application ${app.name} deleted.`);
              ctx.navigate(hrefOf({ view: 'apps' }));
            } catch (error) {
              message.error(
                error instanceof ApiError && error.status === 409 && !force.checked
                  ? new Error(`${error.detail} Tick the box below to delete them too.`)
                  : error,
              );
              confirm.disabled = false;
            }
          },
        },
        h('p', null, 'Its tokens stop working at once. This cannot be undone.'),
        h('div', { class: 'checkbox' }, force, h('label', { for: 'delete-force' }, 'Also delete all its users and groups (needed while it has any)')),
        message.element,
        h('div', { class: 'actions' }, confirm, h('button', { type: 'button', class: 'secondary', autofocus: true, onclick: () => close() }, 'Cancel')),
      );
    });
  return h(
    'section',
    { class: 'card danger-zone', 'aria-labelledby': 'delete-title' },
    h('h2', { id: 'delete-title' }, 'Delete application'),
    h('p', { class: 'help' }, 'Deleting removes the application and its tokens. While it has users or groups you must confirm that they go too.'),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'danger', onclick: open }, 'Delete…')),
  );
};

export const appView = async (ctx: ViewContext, appId: string): Promise<void> => {
  const load = async (revealed?: HTMLElement): Promise<void> => {
    if (!revealed) ctx.root.replaceChildren(h('h1', HEADING_ATTRS, 'Application'), loadingState('Loading the application…'));
    let app: AppJson;
    let health: AppHealthJson | undefined;
    try {
      [app, health] = await Promise.all([
        ctx.api.get<AppJson>(`admin/apps/${encodeURIComponent(appId)}`),
        // The panel is a help, not a must: the page works without it.
        ctx.api.get<AppHealthJson>(`admin/apps/${encodeURIComponent(appId)}/health`).catch(() => undefined),
      ]);
    } catch (error) {
      if (ctx.isCurrent()) ctx.root.replaceChildren(h('h1', HEADING_ATTRS, 'Application'), errorState(error, () => void load()));
      return;
    }
    if (!ctx.isCurrent()) return;
    const reload: Reload = (reveal) => void load(reveal);
    ctx.root.replaceChildren(
      h('p', { class: 'breadcrumb' }, h('a', { href: hrefOf({ view: 'apps' }) }, 'Applications'), ' / '),
      h('h1', HEADING_ATTRS, app.name),
      h(
        'p',
        { class: 'meta-line' },
        'Id ',
        h('code', null, app.id),
        ' · created ',
        timeEl(app.created),
        ' · changed ',
        timeEl(app.lastModified),
      ),
      h(
        'nav',
        { class: 'sub-nav', 'aria-label': `${app.name} pages` },
        h('a', { href: hrefOf({ view: 'users', appId: app.id, query: '' }) }, 'Users'),
        h('a', { href: hrefOf({ view: 'groups', appId: app.id, query: '' }) }, 'Groups'),
        h('a', { href: hrefOf({ view: 'reports', params: { application: app.id } }) }, 'Provisioning report'),
        h('a', { href: hrefOf({ view: 'events', appId: app.id, type: '' }) }, 'Events'),
      ),
      h('section', { class: 'card', 'aria-labelledby': 'connection-title' }, h('h2', { id: 'connection-title' }, 'Connection'), copyField('Tenant URL', app.tenantUrl)),
      ...(health ? [healthPanel(app.id, health)] : []),
      tokensSection(ctx, app, reload, revealed, health),
      oauthClientsSection(ctx, app),
      settingsSection(ctx, app),
      mappingSection(ctx, app.id),
      featuresSection(ctx, app.id),
      webhooksSection(ctx, app.id),
      deleteSection(ctx, app),
    );
    (revealed?.querySelector<HTMLElement>('h2') ?? undefined)?.focus();
  };
  await load();
};
