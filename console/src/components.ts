/**
 * The console's building blocks: times, status badges, loading/empty/error states, copy buttons
 * and modal dialogs. Dialogs are native `<dialog>`: focus stays inside, Escape closes, and focus
 * returns to what opened them.
 */
import { ApiError } from './api';
import { h, replace, uid, type Child } from './dom';
import { localText, utcText } from './time';

/** A time in the browser's zone; the exact UTC instant on hover. */
export const timeEl = (iso: string | undefined): HTMLElement =>
  iso ? h('time', { datetime: iso, title: utcText(iso) }, localText(iso)) : h('span', { class: 'muted' }, '—');

/** Status as colour, icon and word, so it does not rely on colour alone. */
export const statusBadge = (status: string): HTMLElement => {
  const failed = status === 'failure';
  return h(
    'span',
    { class: `badge ${failed ? 'badge-failure' : 'badge-success'}` },
    h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, failed ? '✖' : '✔'),
    failed ? 'Failure' : 'Success',
  );
};

export const loadingState = (text = 'Loading…'): HTMLElement =>
  h('p', { class: 'state state-loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);

export const emptyState = (text: string, ...more: Child[]): HTMLElement => h('div', { class: 'state state-empty' }, h('p', null, text), ...more);

export const errorText = (error: unknown): string =>
  error instanceof ApiError ? error.detail : error instanceof Error ? error.message : 'Something went wrong.';

export const errorState = (error: unknown, retry?: () => void): HTMLElement =>
  h(
    'div',
    { class: 'state state-error', role: 'alert' },
    h('p', null, h('strong', null, 'Could not load. '), errorText(error)),
    retry ? h('button', { type: 'button', class: 'secondary', onclick: retry }, 'Try again') : null,
  );

/** An inline message under a form: `role=alert` for errors, `status` otherwise. */
export const formMessage = (): { element: HTMLElement; error(e: unknown): void; info(text: string): void; clear(): void } => {
  const element = h('div', { class: 'form-message', 'aria-live': 'polite' });
  return {
    element,
    error: (e) => replace(element, h('p', { class: 'message-error', role: 'alert' }, errorText(e))),
    info: (text) => replace(element, h('p', { class: 'message-info', role: 'status' }, text)),
    clear: () => replace(element),
  };
};

/**
 * The parts of a section listing things an admin acts on (OAuth clients, webhooks): its body (loading
 * at first), a place that reveals a panel (a secret shown once) with `show`/`hide`, a message line,
 * and `act`, which runs an action, then `reload`s the list, or shows why the action failed.
 */
export const actionSection = (loadingText: string, reload: () => Promise<void>) => {
  const body = h('div', null, loadingState(loadingText));
  const reveal = h('div');
  const message = formMessage();
  const show = (panel: HTMLElement) => {
    reveal.replaceChildren(panel);
    panel.querySelector<HTMLElement>('h3')?.focus();
  };
  const hide = () => reveal.replaceChildren();
  const act = async (work: () => Promise<void>) => {
    try {
      await work();
      await reload();
    } catch (error) {
      message.error(error);
    }
  };
  return { body, reveal, message, show, hide, act };
};

const copyText = async (text: string, fallback: HTMLInputElement | HTMLTextAreaElement): Promise<void> => {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Clipboard API unavailable (not a secure context): select and copy the old way.
    fallback.focus();
    fallback.select();
    document.execCommand('copy');
  }
};

/** A read-only field with a Copy button, e.g. a Tenant URL or a Secret Token. */
export const copyField = (label: string, value: string, options: { secret?: boolean; testId?: string } = {}): HTMLElement => {
  const id = uid('copy');
  const input = h('input', {
    id,
    class: `copy-input${options.secret ? ' secret' : ''}`,
    type: 'text',
    value,
    readonly: true,
    spellcheck: 'false',
    autocomplete: 'off',
    'data-testid': options.testId,
  });
  const done = h('span', { class: 'copy-done', role: 'status' });
  const button = h('button', {
    type: 'button',
    class: 'secondary',
    'aria-label': `Copy ${label}`,
    onclick: async () => {
      await copyText(value, input);
      done.textContent = 'Copied';
      setTimeout(() => (done.textContent = ''), 2500);
    },
  }, 'Copy');
  input.addEventListener('focus', () => input.select());
  return h('div', { class: 'copy-field' }, h('label', { for: id }, label), h('div', { class: 'copy-row' }, input, button, done));
};

export interface DialogHandle {
  dialog: HTMLDialogElement;
  body: HTMLElement;
  close(): void;
}

/** A modal dialog with a title and a close button; removed from the page when closed. */
export const openDialog = (title: string, build: (handle: DialogHandle) => Child, options: { wide?: boolean } = {}): DialogHandle => {
  const titleId = uid('dialog-title');
  const body = h('div', { class: 'dialog-body' });
  const dialog = h('dialog', { class: `dialog${options.wide ? ' dialog-wide' : ''}`, 'aria-labelledby': titleId });
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
  const handle: DialogHandle = { dialog, body, close: () => dialog.close() };
  dialog.append(
    h(
      'div',
      { class: 'dialog-head' },
      h('h2', { id: titleId }, title),
      h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close', onclick: () => dialog.close() }, '×'),
    ),
    body,
  );
  replace(body, build(handle));
  dialog.addEventListener('close', () => {
    dialog.remove();
    opener?.focus();
  });
  // A click on the backdrop (outside the box) closes it, as people expect.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
  document.body.append(dialog);
  dialog.showModal();
  return handle;
};

/** Asks before something that cannot be undone; resolves true when confirmed. */
export const confirmAction = (title: string, message: Child, confirmLabel: string): Promise<boolean> =>
  new Promise((resolve) => {
    let confirmed = false;
    const handle = openDialog(title, ({ close }) => [
      h('div', { class: 'dialog-message' }, message),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'danger', onclick: () => ((confirmed = true), close()) }, confirmLabel),
        h('button', { type: 'button', class: 'secondary', autofocus: true, onclick: () => close() }, 'Cancel'),
      ),
    ]);
    handle.dialog.addEventListener('close', () => resolve(confirmed));
  });

/** A table that scrolls sideways on a narrow window rather than squeezing its columns. */
export const tableWrap = (label: string, table: HTMLTableElement): HTMLElement =>
  h('div', { class: 'table-wrap', role: 'region', 'aria-label': label, tabindex: '0' }, table);

/** A table cell labelled for the narrow layout, where each row becomes a card of label/value pairs. */
export const dataCell = (label: string, ...content: Child[]): HTMLTableCellElement =>
  h('td', { 'data-label': label }, h('div', { class: 'cell' }, ...content));
