/**
 * Sign-in with an admin token. The token is checked against the admin API before it is kept; a
 * wrong, expired or non-admin token gets a message saying which.
 */
import { ApiError, createApi } from '../api';
import { h } from '../dom';
import { errorText } from '../components';
import { cleanToken } from '../session';

const refusalText = (error: unknown, token: string): string => {
  if (error instanceof ApiError && error.status === 401) {
    return 'That admin token was not accepted: it is wrong, expired or revoked. Check it and try again.';
  }
  if (error instanceof ApiError && error.status === 403) {
    return /^scgw_admin_/i.test(token)
      ? 'That admin token may not use the admin API.'
      : "That is not an admin token. An application's Secret Token cannot sign in; use the gateway's admin token.";
  }
  return errorText(error);
};

export const signInView = (root: HTMLElement, options: { notice?: string; onSignedIn(token: string): void }): void => {
  const input = h('input', {
    id: 'admin-token',
    name: 'adminToken',
    type: 'password',
    required: true,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'admin-token-help',
  });
  const message = h('div', { class: 'form-message', id: 'sign-in-message' });
  const button = h('button', { type: 'submit' }, 'Sign in');
  const showError = (text: string) => message.replaceChildren(h('p', { class: 'message-error', role: 'alert' }, text));

  const form = h(
    'form',
    {
      class: 'card sign-in',
      'aria-labelledby': 'sign-in-title',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const token = cleanToken(input.value);
        if (!token) return showError('Paste the admin token first.');
        button.disabled = true;
        message.replaceChildren(h('p', { class: 'message-info', role: 'status' }, 'Checking the token…'));
        try {
          // Any admin call proves the token; the list is needed next anyway.
          await createApi(() => token, () => undefined).get('admin/apps');
          input.value = '';
          options.onSignedIn(token);
        } catch (error) {
          showError(refusalText(error, token));
          input.focus();
          input.select();
        } finally {
          button.disabled = false;
        }
      },
    },
    h('h1', { id: 'sign-in-title', tabindex: '-1', class: 'view-title' }, 'Sign in'),
    options.notice ? h('p', { class: 'message-error', role: 'alert' }, options.notice) : null,
    h('label', { for: 'admin-token' }, 'Admin token'),
    input,
    h(
      'p',
      { id: 'admin-token-help', class: 'help' },
      'The token starts with scgw_admin_. The local gateway writes it to local.json in its data directory; on AWS it is in Secrets Manager. It is kept in this browser tab only and forgotten when the tab closes.',
    ),
    h('div', { class: 'actions' }, button),
    message,
  );
  root.replaceChildren(form);
  input.focus();
};
