/**
 * The provisioning report: filter by end user, application, action, status and time span (presets
 * or custom), Search (with no filter: everything in the span, newest first), Load more through the
 * API's cursor, and a detail view per row. The filters live in the URL, so a search can be
 * bookmarked, reloaded and reached with Back. Download CSV / JSON exports every row of the query.
 * On a narrow screen the filters fold away behind a Filters button.
 */
import { announce, h, replace, uid } from '../dom';
import { emptyState, errorState, formMessage, loadingState } from '../components';
import { HEADING_ATTRS, type ViewContext } from '../context';
import {
  customSpanProblem,
  DEFAULT_FILTERS,
  filtersFromParams,
  paramsFromFilters,
  REPORT_ACTIONS,
  reportApiQuery,
  type ReportFilters,
} from '../queries';
import { exportText, saveFile, type ExportFormat } from '../export';
import { reportTable } from '../report-rows';
import { reportSummary, spanWords } from '../report-summary';
import { hrefOf } from '../router';
import { fromLocalInput, SPAN_PRESETS, toLocalInput } from '../time';
import type { ReportsPageJson } from '../../../lambdas/admin/api-json';

export const PAGE_SIZE = 50;

const labelled = (label: string, control: HTMLElement, help?: string): HTMLElement => {
  const helpId = help ? uid('help') : undefined;
  if (helpId) control.setAttribute('aria-describedby', helpId);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, help ? h('p', { id: helpId, class: 'help' }, help) : null);
};

const option = (value: string, label: string, selected: boolean) => h('option', { value, selected }, label);

/** Download CSV / Download JSON: every row of the query, as one file. */
const downloads = (ctx: ViewContext, filters: ReportFilters): HTMLElement => {
  const status = h('span', { class: 'muted small', role: 'status' });
  const download = async (format: ExportFormat, button: HTMLButtonElement) => {
    button.disabled = true;
    status.textContent = 'Preparing the file…';
    try {
      const text = await exportText(ctx.api, filters, format, (rows) => (status.textContent = `Exporting… ${rows} events`));
      const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
      saveFile(text, `provisioning-report-${stamp}.${format}`, format === 'csv' ? 'text/csv' : 'application/json');
      status.textContent = 'Downloaded.';
    } catch (error) {
      status.textContent = `Download failed: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      button.disabled = false;
    }
  };
  const csv: HTMLButtonElement = h('button', { type: 'button', class: 'secondary', onclick: () => void download('csv', csv) }, 'Download CSV');
  const json: HTMLButtonElement = h('button', { type: 'button', class: 'secondary', onclick: () => void download('json', json) }, 'Download JSON');
  return h('div', { class: 'actions downloads' }, csv, json, status);
};

export const reportsView = async (ctx: ViewContext, params: Record<string, string>): Promise<void> => {
  const filters = filtersFromParams(params);

  const endUser = h('input', { id: 'filter-end-user', name: 'endUser', type: 'search', value: filters.endUser, autocomplete: 'off', spellcheck: 'false' });
  const application = h('select', { id: 'filter-application', name: 'application' }, option('', 'All applications', true));
  const action = h(
    'select',
    { id: 'filter-action', name: 'action' },
    option('', 'Any action', !filters.action),
    ...REPORT_ACTIONS.map((a) => option(a.value, a.label, a.value === filters.action)),
  );
  const status = h(
    'select',
    { id: 'filter-status', name: 'status' },
    option('', 'Any status', !filters.status),
    option('success', 'Success', filters.status === 'success'),
    option('failure', 'Failure', filters.status === 'failure'),
  );
  const span = h(
    'select',
    { id: 'filter-span', name: 'span' },
    ...SPAN_PRESETS.map((p) => option(p.value, p.label, p.value === filters.span)),
    option('custom', 'Custom…', filters.span === 'custom'),
  );
  const from = h('input', { id: 'filter-from', name: 'from', type: 'datetime-local', value: filters.from ? toLocalInput(filters.from) : '' });
  const to = h('input', { id: 'filter-to', name: 'to', type: 'datetime-local', value: filters.to ? toLocalInput(filters.to) : '' });
  const custom = h('div', { class: 'custom-span', hidden: filters.span !== 'custom' }, labelled('From', from), labelled('To', to, 'Empty means now. Your time zone.'));
  span.addEventListener('change', () => {
    custom.hidden = span.value !== 'custom';
    if (!custom.hidden) from.focus();
  });

  const message = formMessage();
  const results = h('section', { class: 'results', 'aria-labelledby': 'results-title', 'aria-busy': 'false' });

  const current = (): ReportFilters => ({
    endUser: endUser.value.trim(),
    application: application.value,
    action: action.value,
    status: status.value,
    span: span.value as ReportFilters['span'],
    from: fromLocalInput(from.value) ?? '',
    to: fromLocalInput(to.value) ?? '',
  });

  const form = h(
    'form',
    {
      class: 'card filters',
      role: 'search',
      'aria-label': 'Report filters',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const chosen = current();
        const problem = customSpanProblem(chosen);
        if (problem) {
          // The results below answer another query: they must not stand beside a refused one.
          replace(results, h('h2', { id: 'results-title' }, 'Results'), emptyState(problem));
          return message.error(new Error(problem));
        }
        message.clear();
        ctx.navigate(hrefOf({ view: 'reports', params: paramsFromFilters(chosen) }));
      },
    },
    h(
      'div',
      { class: 'filter-grid' },
      labelled('End user', endUser, 'userName, externalId or id'),
      labelled('Application', application),
      labelled('Action', action),
      labelled('Status', status),
      labelled('Time span', span),
    ),
    custom,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit' }, 'Search'),
      h('button', { type: 'button', class: 'secondary', onclick: () => ctx.navigate(hrefOf({ view: 'reports', params: paramsFromFilters(DEFAULT_FILTERS) })) }, 'Clear filters'),
    ),
    message.element,
  );

  // Narrow screens: the filters fold behind this button (CSS shows it only there), open when none is set.
  const active = Object.keys(paramsFromFilters(filters)).length;
  const toggle = h(
    'button',
    { type: 'button', class: 'secondary filters-toggle', 'aria-expanded': 'false', 'aria-controls': 'report-filters' },
    active ? `Filters (${active})` : 'Filters',
  );
  form.id = 'report-filters';
  form.classList.add('filters-collapsible');
  toggle.addEventListener('click', () => {
    const open = !form.classList.contains('filters-open');
    form.classList.toggle('filters-open', open);
    toggle.setAttribute('aria-expanded', String(open));
    if (open) endUser.focus();
  });

  ctx.root.replaceChildren(h('h1', HEADING_ATTRS, 'Provisioning report'), toggle, form, results);

  // The picker fills in when the list arrives; the search does not wait for it.
  let appName: string | undefined;
  void ctx.apps().then(
    (apps) => {
      if (!ctx.isCurrent()) return;
      appName = apps.find((app) => app.id === filters.application)?.name;
      if (appName && summary.textContent) summary.textContent = summaryText();
      application.append(...apps.map((app) => option(app.id, app.name, app.id === filters.application)));
      if (filters.application && !apps.some((app) => app.id === filters.application)) {
        application.append(option(filters.application, `Unknown application ${filters.application}`, true));
      }
    },
    () => undefined,
  );

  const problem = customSpanProblem(filters);
  if (problem) {
    replace(results, h('h2', { id: 'results-title' }, 'Results'), emptyState(problem));
    return;
  }

  // One application's report names it in the summary; its rows need not repeat it.
  const table = reportTable('Provisioning events, newest first', { withApp: !filters.application });
  const summary = h('p', { class: 'results-summary', role: 'status' });
  const more = h('div', { class: 'actions load-more' });
  let shown = 0;
  let hasMore = false;
  const summaryText = () =>
    reportSummary({ filters, shown, more: hasMore, failures: results.querySelectorAll('.row-failure').length, appName: appName ?? table.appName() });

  const load = async (cursor?: string): Promise<void> => {
    results.setAttribute('aria-busy', 'true');
    const loading = loadingState(cursor ? 'Loading more events…' : 'Searching…');
    if (cursor) replace(more, loading);
    else replace(results, h('h2', { id: 'results-title' }, 'Results'), loading);
    try {
      const page = await ctx.api.get<ReportsPageJson>('admin/reports', reportApiQuery(filters, { limit: PAGE_SIZE, cursor }));
      if (!ctx.isCurrent()) return;
      if (!cursor) {
        if (!page.reports.length) {
          replace(
            results,
            h('h2', { id: 'results-title' }, 'Results'),
            emptyState(`No provisioning events match these filters (${spanWords(filters)}).`, h('p', { class: 'help' }, 'Widen the time span or clear a filter.')),
          );
          announce('No events found.');
          return;
        }
        replace(results, h('h2', { id: 'results-title' }, 'Results'), summary, downloads(ctx, filters), table.element, more);
      }
      table.append(page.reports);
      shown += page.reports.length;
      hasMore = Boolean(page.nextCursor);
      summary.textContent = summaryText();
      replace(
        more,
        page.nextCursor ? h('button', { type: 'button', class: 'secondary', onclick: () => void load(page.nextCursor) }, 'Load more') : h('p', { class: 'muted small' }, 'End of results.'),
      );
      if (cursor) more.querySelector<HTMLElement>('button')?.focus();
      announce(summary.textContent);
    } catch (error) {
      if (!ctx.isCurrent()) return;
      const retry = () => void load(cursor);
      if (cursor) replace(more, errorState(error, retry));
      else replace(results, h('h2', { id: 'results-title' }, 'Results'), errorState(error, retry));
    } finally {
      results.setAttribute('aria-busy', 'false');
    }
  };
  await load();
};
