/**
 * A new Secret Token, shown once: Tenant URL and token with copy buttons, and beside them the steps
 * that connect Microsoft Entra ID.
 */
import { h } from './dom';
import { copyField } from './components';

export const ENTRA_STEPS = [
  'In the Microsoft Entra admin center open Enterprise applications → New application → Create your own application (non-gallery).',
  'Open Provisioning and set Provisioning Mode to Automatic.',
  'Under Admin Credentials paste the Tenant URL and the Secret Token.',
  'Select Test Connection, then Save.',
  'Under Users and groups assign the users and groups to provision.',
  'Back in Provisioning, turn Provisioning Status On.',
] as const;

/**
 * Where the README explains deploying. The console is served by the gateway, which knows no
 * repository address, so the hint names the section rather than linking to a guessed URL.
 */
const DEPLOY_SECTION = 'README.md → Deploy to AWS';

/** A Tenant URL Entra cannot reach: plain http, or this machine. */
export const isLocalTenantUrl = (tenantUrl: string): boolean => {
  try {
    const url = new URL(tenantUrl);
    return url.protocol !== 'https:' || /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/i.test(url.hostname) || url.hostname.endsWith('.localhost');
  } catch {
    return false;
  }
};

/** Entra's Test Connection runs in Microsoft's cloud: it needs a public HTTPS Tenant URL. */
const localUrlHint = (): HTMLElement =>
  h(
    'p',
    { class: 'warning', role: 'note', 'data-testid': 'local-url-hint' },
    h('span', { 'aria-hidden': 'true' }, '⚠ '),
    h('strong', null, 'This Tenant URL only works on this machine. '),
    "Microsoft Entra ID's Test Connection and provisioning run in Microsoft's cloud and need a public HTTPS URL: deploy the gateway to AWS (see ",
    h('code', null, DEPLOY_SECTION),
    ' and ',
    h('code', null, 'docs/deploy.md'),
    '), or expose this gateway through an HTTPS tunnel for a trial.',
  );

export const secretPanel = (options: {
  title: string;
  tenantUrl: string;
  secretToken: string;
  tokenId: string;
  /** Token rotation: the client's old token keeps working until it is revoked. */
  rotation?: boolean;
  onDone(): void;
}): HTMLElement => {
  const panel = h(
    'section',
    { class: 'card secret-panel', 'aria-labelledby': 'secret-title', 'data-testid': 'secret-panel' },
    h('h2', { id: 'secret-title', tabindex: '-1' }, options.title),
    h(
      'p',
      { class: 'warning', role: 'note' },
      h('span', { 'aria-hidden': 'true' }, '⚠ '),
      h('strong', null, 'Copy the Secret Token now. '),
      'It is shown only once and cannot be shown again; if it is lost, create a new token and revoke this one.',
    ),
    h(
      'div',
      { class: 'secret-grid' },
      h(
        'div',
        { class: 'secret-values' },
        copyField('Tenant URL', options.tenantUrl, { testId: 'tenant-url' }),
        copyField('Secret Token', options.secretToken, { secret: true, testId: 'secret-token' }),
        h('p', { class: 'muted small' }, `Token id ${options.tokenId}`),
        isLocalTenantUrl(options.tenantUrl) ? localUrlHint() : null,
      ),
      h(
        'div',
        { class: 'entra-steps' },
        h('h3', null, options.rotation ? 'Switch Microsoft Entra ID to the new token' : 'Connect Microsoft Entra ID'),
        options.rotation
          ? h(
              'ol',
              null,
              h('li', null, 'In the enterprise application open Provisioning → Admin Credentials.'),
              h('li', null, 'Paste the new Secret Token, select Test Connection, then Save.'),
              h('li', null, 'Once provisioning cycles succeed with it, revoke the old token here.'),
            )
          : h('ol', null, ...ENTRA_STEPS.map((step) => h('li', null, step))),
      ),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => options.onDone() }, "I've copied it — hide the token")),
  );
  return panel;
};
