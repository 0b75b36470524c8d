/**
 * Is the connection healthy? An application's health as the console shows it: users, groups, last
 * request, last 24 hours, last Test Connection (the application page's panel, and short cells for
 * the applications list), and a token's last use. Reads `GET /admin/apps/{appId}/health`.
 */
import { h, type Child } from './dom';
import { timeEl } from './components';
import { hrefOf } from './router';
import type { AppHealthJson, CountJson, TokenUsageJson } from '../../lambdas/admin/api-json';

/** `1,204`, or `10,000+` when the gateway stopped counting. */
export const countText = (count: CountJson): string => `${count.count.toLocaleString('en')}${count.capped ? '+' : ''}`;

const statusText = (status: number | undefined): Child =>
  status === undefined ? null : h('span', { class: status >= 400 ? 'badge badge-failure' : 'badge badge-success' }, String(status));

/** A token's last use: when (to within the granularity) and from which address; or "Not used yet". */
export const lastUsedCell = (usage: TokenUsageJson | undefined): Child =>
  usage ? [timeEl(usage.lastUsedAt), usage.sourceIp ? h('div', { class: 'muted small' }, `from ${usage.sourceIp}`) : null] : h('span', { class: 'muted' }, 'Not used yet');

const item = (term: string, ...value: Child[]): Child[] => [h('dt', null, term), h('dd', null, ...value)];

/** The application page's "Connection health" panel. */
export const healthPanel = (appId: string, health: AppHealthJson): HTMLElement => {
  const failures = health.last24h.failures;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'health-title', 'data-testid': 'health' },
    h('h2', { id: 'health-title' }, 'Connection health'),
    h(
      'dl',
      { class: 'details health' },
      item('Users', countText(health.users)),
      item('Groups', countText(health.groups)),
      item(
        'Last request',
        health.lastRequest
          ? [timeEl(health.lastRequest.time), ' ', statusText(health.lastRequest.status), h('span', { class: 'muted small' }, ` token ${health.lastRequest.tokenId}${health.lastRequest.sourceIp ? ` from ${health.lastRequest.sourceIp}` : ''}`)]
          : h('span', { class: 'muted' }, 'None yet: no SCIM request has reached this application.'),
      ),
      item(
        'Last 24 hours',
        `${countText(health.last24h.events)} provisioning event${health.last24h.events.count === 1 ? '' : 's'}, `,
        failures.count
          ? h('a', { href: hrefOf({ view: 'reports', params: { application: appId, status: 'failure' } }), class: 'failure-detail' }, `${countText(failures)} failed`)
          : '0 failed',
      ),
      item(
        'Last Test Connection',
        health.lastTestConnection ? [timeEl(health.lastTestConnection.time), ' ', statusText(health.lastTestConnection.status)] : h('span', { class: 'muted' }, 'None seen yet.'),
      ),
    ),
    h(
      'p',
      { class: 'help' },
      `Request times are noted at most once every ${health.usageGranularityMinutes} minutes per token, so they may be up to ${health.usageGranularityMinutes} minutes behind. Reads are not provisioning events: the 24-hour count is creates, updates, deletes and failures.`,
    ),
  );
};

/** What the revoke dialog says about revocation latency, from the gateway's cache settings. */
export const revocationText = (seconds: number | undefined): string =>
  seconds === undefined
    ? 'Clients using this token are refused once the gateway’s authorizer caches expire.'
    : seconds === 0
      ? 'Clients using this token are refused from now on: this gateway caches no authorizer answers.'
      : `Clients using this token may still be let in for up to ${seconds} seconds (the authorizer caches its answers), then they are refused.`;
