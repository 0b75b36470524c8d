/**
 * The OAuth clients section of an application's page (issue 17): create a client (Entra's four
 * fields, named as Entra names them, the Client Secret shown once), list the clients with their
 * live secrets and last use (time and source IP), add a second secret for rotation, revoke a
 * secret or a whole client.
 */
import { announce, h } from '../dom';
import { actionSection, dataCell as cell, confirmAction, copyField, errorState, tableWrap, timeEl } from '../components';
import type { ViewContext } from '../context';
import type { AppJson, CreatedClientSecretJson, CreatedOAuthClientJson, OAuthClientJson, OAuthClientListJson } from '../../../lambdas/admin/api-json';

const ENTRA_OAUTH_STEPS = [
  'In the enterprise application open Provisioning → Admin Credentials.',
  'Choose the authentication method "OAuth2 client credentials grant".',
  'Paste Tenant URL, Token Endpoint, Client Identifier and Client Secret.',
  'Select Test Connection, then Save.',
] as const;

/** A new Client Secret (with, for a new client, Entra's other three fields), shown once. */
const clientSecretPanel = (fields: { tenantUrl?: string; tokenEndpoint?: string; clientId: string; clientSecret: string; secretId: string }, onDone: () => void): HTMLElement =>
  h(
    'section',
    { class: 'card secret-panel', 'aria-labelledby': 'client-secret-title', 'data-testid': 'client-secret-panel' },
    h('h3', { id: 'client-secret-title', tabindex: '-1' }, fields.tenantUrl ? 'New OAuth client' : 'New Client Secret'),
    h(
      'p',
      { class: 'warning', role: 'note' },
      h('span', { 'aria-hidden': 'true' }, '⚠ '),
      h('strong', null, 'Copy the Client Secret now. '),
      'It is shown only once; if it is lost, create a new secret and revoke this one.',
    ),
    h(
      'div',
      { class: 'secret-grid' },
      h(
        'div',
        { class: 'secret-values' },
        fields.tenantUrl ? copyField('Tenant URL', fields.tenantUrl, { testId: 'oauth-tenant-url' }) : null,
        fields.tokenEndpoint ? copyField('Token Endpoint', fields.tokenEndpoint, { testId: 'token-endpoint' }) : null,
        copyField('Client Identifier', fields.clientId, { testId: 'client-id' }),
        copyField('Client Secret', fields.clientSecret, { secret: true, testId: 'client-secret' }),
        h('p', { class: 'muted small' }, `Secret id ${fields.secretId}`),
      ),
      h('div', { class: 'entra-steps' }, h('h4', null, 'Enter them in Microsoft Entra ID'), h('ol', null, ...ENTRA_OAUTH_STEPS.map((s) => h('li', null, s)))),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: onDone }, "I've copied it — hide the secret")),
  );

const lastUsed = (client: OAuthClientJson) =>
  client.lastUsed ? [timeEl(client.lastUsed.at), client.lastUsed.sourceIp ? h('span', { class: 'muted small' }, ` from ${client.lastUsed.sourceIp}`) : null] : [h('span', { class: 'muted' }, 'Never')];

export const oauthClientsSection = (ctx: ViewContext, app: AppJson): HTMLElement => {
  const base = `admin/apps/${encodeURIComponent(app.id)}/oauth-clients`;
  const { body, reveal, message, show, hide, act } = actionSection('Loading OAuth clients…', () => load());

  const rows = (clients: OAuthClientJson[]) =>
    clients.map((client) =>
      h(
        'tr',
        { 'data-client-id': client.clientId },
        cell('Client Identifier', h('code', null, client.clientId), client.description ? h('div', { class: 'muted small' }, client.description) : null),
        cell(
          'Secrets',
          client.revokedAt
            ? h('span', { class: 'muted' }, 'Revoked ', timeEl(client.revokedAt))
            : h(
                'ul',
                { class: 'plain-list' },
                ...client.secrets.map((secret) =>
                  h(
                    'li',
                    null,
                    h('code', null, secret.id),
                    ' until ',
                    timeEl(secret.expiresAt),
                    ' ',
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'secondary small',
                        'aria-label': `Revoke secret ${secret.id}`,
                        onclick: async () => {
                          if (!(await confirmAction(`Revoke secret ${secret.id}?`, h('p', null, 'Token requests with it are refused from now on, and its access tokens stop within the cache time.'), 'Revoke secret'))) return;
                          await act(async () => {
                            await ctx.api.del(`${base}/${encodeURIComponent(client.clientId)}/secrets/${encodeURIComponent(secret.id)}`);
                            announce(`Secret ${secret.id} revoked.`);
                          });
                        },
                      },
                      'Revoke',
                    ),
                  ),
                ),
              ),
        ),
        cell('Access tokens', `${client.tokenLifetimeMinutes} min`),
        cell('Last used', ...lastUsed(client)),
        cell(
          'Action',
          client.revokedAt
            ? null
            : h(
                'div',
                { class: 'row-actions' },
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary',
                    disabled: client.secrets.length >= 2,
                    'aria-label': `New secret for ${client.clientId}`,
                    onclick: () =>
                      act(async () => {
                        const issued = await ctx.api.post<CreatedClientSecretJson>(`${base}/${encodeURIComponent(client.clientId)}/secrets`, {});
                        show(clientSecretPanel(issued, hide));
                        announce('New Client Secret created. It is shown once.');
                      }),
                  },
                  'New secret',
                ),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'danger',
                    'aria-label': `Revoke client ${client.clientId}`,
                    onclick: async () => {
                      if (!(await confirmAction(`Revoke OAuth client ${client.clientId}?`, h('p', null, 'All its secrets and access tokens stop working.'), 'Revoke client'))) return;
                      await act(async () => {
                        await ctx.api.del(`${base}/${encodeURIComponent(client.clientId)}`);
                        announce(`OAuth client ${client.clientId} revoked.`);
                      });
                    },
                  },
                  'Revoke',
                ),
              ),
        ),
      ),
    );

  async function load(): Promise<void> {
    let clients: OAuthClientJson[];
    try {
      clients = (await ctx.api.get<OAuthClientListJson>(base)).clients;
    } catch (error) {
      if (ctx.isCurrent()) body.replaceChildren(errorState(error, () => void load()));
      return;
    }
    if (!ctx.isCurrent()) return;
    body.replaceChildren(
      clients.length
        ? tableWrap(
            'OAuth clients',
            h(
              'table',
              { class: 'data-table oauth-clients-table' },
              h('thead', null, h('tr', null, ...['Client Identifier', 'Secrets', 'Access tokens', 'Last used', ''].map((n) => h('th', { scope: 'col' }, n)))),
              h('tbody', null, ...rows(clients)),
            ),
          )
        : h('p', { class: 'muted' }, 'No OAuth clients. Entra ID can use a Secret Token, or OAuth 2.0 client credentials with a client created here.'),
    );
  }

  const create = h(
    'button',
    {
      type: 'button',
      onclick: () =>
        act(async () => {
          const made = await ctx.api.post<CreatedOAuthClientJson>(base, {});
          show(clientSecretPanel(made, hide));
          announce('OAuth client created. Its Client Secret is shown once.');
        }),
    },
    'Create OAuth client',
  );

  void load();
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'oauth-title' },
    h('h2', { id: 'oauth-title' }, 'OAuth clients'),
    h(
      'p',
      { class: 'help' },
      'For Entra ID\'s "OAuth2 client credentials grant": access tokens of 60–360 minutes from the Token Endpoint instead of a long-lived Secret Token. A client holds two live secrets at most: to rotate, create a new secret, enter it in Entra ID, then revoke the old one.',
    ),
    copyField('Token Endpoint', app.tenantUrl.replace(/\/scim\/v2$/, '/oauth/token')),
    body,
    h('div', { class: 'actions' }, create),
    message.element,
    reveal,
  );
};
