/**
 * Provisioning report rows: the results table (newest first, failures marked by colour, icon and
 * word; changes by their friendly names, short values inline as old → new, the SCIM path on hover)
 * and the detail dialog with every changed attribute as old → new.
 */
import { h, type Child } from './dom';
import { dataCell as cell, openDialog, statusBadge, tableWrap, timeEl } from './components';
import { actionLabel } from './queries';
import type { ReportRow } from '../../lambdas/domain/report-row';

/** Who or what the event is about: the user, the group for group and membership events, the connection, or every profile. */
export const subjectOf = (row: ReportRow): string =>
  row.userName ??
  row.groupDisplayName ??
  row.externalId ??
  row.resourceId ??
  (row.resourceType === 'Connection' ? 'Connection' : row.resourceType === 'Application' ? 'All profiles' : '—');

/** A refused connection is one row a minute: how many times it happened. */
const timesOf = (row: ReportRow): string => (row.count !== undefined && row.count > 1 ? `${row.count}× ` : '');

/** Values up to this long are shown inline (`active: true → false`); longer ones only in the detail. */
const INLINE_VALUE = 40;
const CHANGES_SHOWN = 3;

type Change = NonNullable<ReportRow['changes']>[number];

/** `Department: Sales → Marketing`, or just the name when a value is long; the SCIM path on hover. */
const changeItem = (change: Change): HTMLElement => {
  const label = change.label ?? change.name;
  const short = (change.old ?? '').length <= INLINE_VALUE && (change.new ?? '').length <= INLINE_VALUE;
  const none = h('span', { class: 'muted' }, '(none)');
  return h(
    'li',
    { title: change.name },
    h('span', { class: 'change-name' }, label),
    short ? [': ', change.old ?? none, h('span', { 'aria-label': ' changed to ' }, ' → '), change.new ?? none] : null,
  );
};

/** What the provisioning features did with the request, when not what it asked: `delete → nothing`. */
const featuresOutcome = (row: ReportRow): string | undefined =>
  row.requested && row.applied ? `Requested ${row.requested.join(', ') || 'nothing'} → applied ${row.applied.join(', ') || 'nothing'}` : undefined;

const changeSummary = (row: ReportRow): Child => {
  if (row.status === 'failure') return h('span', { class: 'failure-detail' }, timesOf(row), row.detail ?? `HTTP ${row.httpStatus ?? ''}`);
  const changes = row.changes ?? [];
  const outcome = featuresOutcome(row);
  if (!changes.length && outcome) return h('span', { title: row.detail }, outcome);
  if (!changes.length && row.recompute) return row.detail ?? '';
  if (!changes.length) return row.groupDisplayName && row.userName ? `Group ${row.groupDisplayName}` : h('span', { class: 'muted' }, '—');
  return h(
    'ul',
    { class: 'change-list' },
    ...changes.slice(0, CHANGES_SHOWN).map(changeItem),
    changes.length > CHANGES_SHOWN ? h('li', { class: 'muted' }, `+${changes.length - CHANGES_SHOWN} more`) : null,
  );
};

/**
 * The HTTP status of a row: the one the request answered, which every row of a SCIM request
 * carries (a success's is recorded with its write). Rows written before successes carried it get
 * what the gateway answers that operation (201 created, 204 deleted, 200 a user update; a group
 * change answers 204 to PATCH and 200 to PUT, which such a row cannot tell apart). Rows that are
 * not about a request (a finished profile recompute) have none.
 */
export const httpStatusOf = (row: ReportRow): string => {
  if (row.httpStatus !== undefined) return String(row.httpStatus);
  if (row.status === 'failure' || row.resourceType === 'Application') return '';
  if (row.action === 'create') return '201';
  if (row.action === 'delete') return '204';
  if (row.resourceType === 'User') return '200';
  return row.resourceType === 'Group' || row.resourceType === 'Membership' ? '200/204' : '';
};


const rowOf = (row: ReportRow, open: (row: ReportRow) => void, withApp: boolean): HTMLTableRowElement => {
  const button = h(
    'button',
    { type: 'button', class: 'link-button', 'aria-label': `Details of ${actionLabel(row.action)} ${subjectOf(row)}, ${row.status}`, onclick: () => open(row) },
    subjectOf(row),
  );
  const tr = h(
    'tr',
    { class: row.status === 'failure' ? 'row-failure' : undefined, 'data-event-id': row.eventId },
    cell('Time', timeEl(row.time)),
    cell('User or group', button, row.userName && row.groupDisplayName ? h('div', { class: 'muted small' }, `in ${row.groupDisplayName}`) : null),
    withApp ? cell('Application', row.appName ?? row.appId) : null,
    cell('Action', actionLabel(row.action)),
    cell('Status', statusBadge(row.status), httpStatusOf(row) ? h('span', { class: 'muted small http-status' }, ` ${httpStatusOf(row)}`) : null),
    cell('Changes', changeSummary(row)),
  );
  // The whole row opens the detail for a mouse; the button in it serves the keyboard.
  tr.addEventListener('click', (event) => {
    if (!(event.target instanceof HTMLButtonElement)) open(row);
  });
  return tr;
};

export interface ReportTable {
  element: HTMLElement;
  append(rows: readonly ReportRow[]): void;
  /** The application name the rows carry (the first row's), for a one-application summary. */
  appName(): string | undefined;
}

/** `withApp: false` in a one-application view, whose heading already names it. */
export const reportTable = (label: string, options: { open?: (row: ReportRow) => void; withApp?: boolean } = {}): ReportTable => {
  const { open = openReportDetail, withApp = true } = options;
  const columns = ['Time', 'User or group', ...(withApp ? ['Application'] : []), 'Action', 'Status', 'Changes'];
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'data-table report-table' },
    h('caption', { class: 'visually-hidden' }, label),
    h(
      'thead',
      null,
      h('tr', null, ...columns.map((name) => h('th', { scope: 'col' }, name))),
    ),
    tbody,
  );
  let appName: string | undefined;
  return {
    element: tableWrap(label, table),
    append: (rows) => {
      appName ??= rows.find((row) => row.appName)?.appName;
      tbody.append(...rows.map((row) => rowOf(row, open, withApp)));
    },
    appName: () => appName,
  };
};

const valueCell = (value: string | undefined, label: string) =>
  cell(label, value === undefined ? h('span', { class: 'muted' }, '(none)') : h('code', { class: 'value' }, value));

const field = (term: string, ...value: Child[]): Child[] => [h('dt', null, term), h('dd', null, ...value)];

/** Every detail of one event; the changed attributes as old → new. */
export const openReportDetail = (row: ReportRow): void => {
  const changes = row.changes ?? [];
  openDialog(
    `${actionLabel(row.action)} · ${subjectOf(row)}`,
    () => [
      h(
        'dl',
        { class: 'details' },
        field('Status', statusBadge(row.status)),
        field('Time', timeEl(row.time), h('span', { class: 'muted small' }, ` (${row.time})`)),
        field('HTTP status', httpStatusOf(row) || '—'),
        row.scimType ? field('SCIM type', h('code', null, row.scimType)) : null,
        row.detail ? field('Detail', h('span', { class: row.status === 'failure' ? 'failure-detail' : undefined }, row.detail)) : null,
        featuresOutcome(row) ? field('Provisioning features', featuresOutcome(row)!) : null,
        row.recompute
          ? field('Profiles', `${row.recompute.users} users read, ${row.recompute.rewritten} rewritten, ${row.recompute.failed} kept the previous one (mapping version ${row.recompute.mappingVersion})`)
          : null,
        row.reason ? field('Reason', h('code', null, row.reason)) : null,
        row.count !== undefined ? field('Refusals', `${row.count} in this minute`) : null,
        field('Application', row.appName ?? '', ' ', h('code', { class: 'muted' }, row.appId)),
        field('Resource', `${row.resourceType}${row.resourceId ? ' ' : ''}`, row.resourceId ? h('code', null, row.resourceId) : null),
        row.userName ? field('User name', row.userName) : null,
        row.externalId ? field('External id', h('code', null, row.externalId)) : null,
        row.groupDisplayName || row.groupId ? field('Group', row.groupDisplayName ?? '', ' ', row.groupId ? h('code', { class: 'muted' }, row.groupId) : null) : null,
        field('Request id', row.requestId ? h('code', null, row.requestId) : '—'),
        field('Source', [row.sourceIp, row.userAgent].filter(Boolean).join(' · ') || '—'),
        field('Event id', h('code', { class: 'muted' }, row.eventId)),
      ),
      h('h3', null, 'Changed attributes'),
      changes.length
        ? tableWrap(
            'Changed attributes',
            h(
              'table',
              { class: 'data-table changes-table' },
              h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Attribute'), h('th', { scope: 'col' }, 'Old value'), h('th', { scope: 'col' }, h('span', { 'aria-hidden': 'true' }, '→ '), 'New value'))),
              h(
                'tbody',
                null,
                ...changes.map((c) =>
                  h(
                    'tr',
                    null,
                    h('th', { scope: 'row', 'data-label': 'Attribute' }, h('div', { class: 'cell', title: c.name }, c.label ?? c.name, c.label ? h('div', null, h('code', { class: 'muted small' }, c.name)) : null)),
                    valueCell(c.old, 'Old value'),
                    valueCell(c.new, 'New value'),
                  ),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, row.status === 'failure' ? 'Nothing changed: the request was refused.' : 'No attribute changed in this event.'),
    ],
    { wide: true },
  );
};
