/**
 * What the console sends: the report API's query string from the report filters, and the SCIM
 * filter of the user search box. Pure, so both are unit-tested without a browser.
 */
import type { ReportAction } from '../../lambdas/domain/report-row';
import { DEFAULT_SPAN, isSpanPreset, type SpanPreset } from './time';

/**
 * The words the console shows for the report API's actions: every `ReportAction` of the server
 * (lambdas/reports/row.ts), in the order the filter lists them; a new action does not compile
 * until it has its words here.
 */
const ACTION_LABELS = {
  create: 'Create',
  update: 'Update',
  rename: 'Rename',
  disable: 'Disable',
  enable: 'Enable',
  delete: 'Delete',
  'member-added': 'Member added',
  'member-removed': 'Member removed',
  authenticate: 'Connection refused',
  'recompute-profiles': 'Profiles recomputed',
  read: 'Read',
  other: 'Other',
} as const satisfies Record<ReportAction, string>;

export const REPORT_ACTIONS: readonly { value: ReportAction; label: string }[] = Object.entries(ACTION_LABELS).map(([value, label]) => ({
  value: value as ReportAction,
  label,
}));

export const actionLabel = (action: string): string => REPORT_ACTIONS.find((a) => a.value === action)?.label ?? action;

export interface ReportFilters {
  endUser: string;
  /** An application id; empty for all. */
  application: string;
  action: string;
  /** `success`, `failure` or empty for both. */
  status: string;
  span: SpanPreset | 'custom';
  /** ISO 8601, used when `span` is `custom`. */
  from: string;
  to: string;
}

export const DEFAULT_FILTERS: ReportFilters = { endUser: '', application: '', action: '', status: '', span: DEFAULT_SPAN, from: '', to: '' };

/** The report view's URL parameters → filters; anything unknown falls back to its default. */
export const filtersFromParams = (params: Readonly<Record<string, string>>): ReportFilters => {
  const span = params.span === 'custom' || (params.span && isSpanPreset(params.span)) ? (params.span as ReportFilters['span']) : DEFAULT_SPAN;
  const iso = (value: string | undefined) => (value && !Number.isNaN(Date.parse(value)) ? value : '');
  return {
    endUser: params.endUser?.trim() ?? '',
    application: params.application ?? '',
    action: REPORT_ACTIONS.some((a) => a.value === params.action) ? (params.action as string) : '',
    status: params.status === 'success' || params.status === 'failure' ? params.status : '',
    span,
    from: span === 'custom' ? iso(params.from) : '',
    to: span === 'custom' ? iso(params.to) : '',
  };
};

/** Filters → the report view's URL parameters (defaults left out, so a plain search has a short URL). */
export const paramsFromFilters = (filters: ReportFilters): Record<string, string> => {
  const out: Record<string, string> = {};
  if (filters.endUser.trim()) out.endUser = filters.endUser.trim();
  if (filters.application) out.application = filters.application;
  if (filters.action) out.action = filters.action;
  if (filters.status) out.status = filters.status;
  if (filters.span !== DEFAULT_SPAN) out.span = filters.span;
  if (filters.span === 'custom') {
    if (filters.from) out.from = filters.from;
    if (filters.to) out.to = filters.to;
  }
  return out;
};

/**
 * Filters → `GET /admin/reports` parameters. Presets are sent as spans back from now (`24h`), so
 * the API resolves them with its own clock and every page of one search reads the same window.
 */
export const reportApiQuery = (filters: ReportFilters, options: { limit?: number; cursor?: string }): URLSearchParams => {
  const query = new URLSearchParams();
  if (filters.endUser.trim()) query.set('endUser', filters.endUser.trim());
  if (filters.application) query.set('application', filters.application);
  if (filters.action) query.set('action', filters.action);
  if (filters.status) query.set('status', filters.status);
  if (filters.span === 'custom') {
    if (filters.from) query.set('from', filters.from);
    if (filters.to) query.set('to', filters.to);
  } else {
    query.set('from', filters.span);
  }
  if (options.limit !== undefined) query.set('limit', String(options.limit));
  if (options.cursor) query.set('cursor', options.cursor);
  return query;
};

/** A custom span the API would refuse, said before asking it; undefined when fine. */
export const customSpanProblem = (filters: ReportFilters): string | undefined => {
  if (filters.span !== 'custom') return undefined;
  if (!filters.from) return 'Choose when the custom time span starts.';
  if (filters.to && Date.parse(filters.from) > Date.parse(filters.to)) return 'The custom time span ends before it starts.';
  return undefined;
};

/** A SCIM string literal (a JSON string: `"` and `\` escaped). */
export const scimString = (value: string): string => JSON.stringify(value);

/**
 * The search box → a SCIM filter over the users of one application: userName starts with it,
 * externalId is it, or an e-mail or the display name contains it. Empty → no filter (everyone).
 */
export const userSearchFilter = (text: string): string | undefined => {
  const value = text.trim();
  if (!value) return undefined;
  const s = scimString(value);
  return `userName sw ${s} or externalId eq ${s} or emails.value co ${s} or displayName co ${s}`;
};

/** The Groups search box → a SCIM filter: displayName starts with it (any letter case). Empty → every group. */
export const groupSearchFilter = (text: string): string | undefined => {
  const value = text.trim();
  return value ? `displayName sw ${scimString(value)}` : undefined;
};

/** A group's members: the users whose groups hold it (answered from keys, paged). */
export const groupMembersFilter = (groupId: string): string => `groups.value eq ${scimString(groupId)}`;

/**
 * The required-attributes box → the list the admin API takes: one path a line (commas also
 * split, except inside a `[…]` value filter), blanks and repeats dropped.
 */
export const parseAttributeList = (text: string): string[] => {
  const paths: string[] = [];
  let current = '';
  let depth = 0;
  for (const char of text) {
    if (char === '[') depth++;
    if (char === ']') depth = Math.max(0, depth - 1);
    if (char === '\n' || (char === ',' && depth === 0)) {
      paths.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  paths.push(current);
  return [...new Set(paths.map((p) => p.trim()).filter(Boolean))];
};

/** The gateway's preset for Entra ID's default mapping (lambdas/scim/required-policy.ts), shown as a checkbox. */
export const ENTRA_DEFAULT = 'entra-default';
export const ENTRA_DEFAULT_ATTRIBUTES = ['userName', 'name.givenName', 'name.familyName', 'emails[type eq "work"].value', 'displayName', 'active'];

/** A saved policy → the checkbox (is the preset in it?) and the other entries, for the text box. */
export const splitPolicy = (requiredAttributes: readonly string[]): { entraDefault: boolean; paths: string[] } => ({
  entraDefault: requiredAttributes.includes(ENTRA_DEFAULT),
  paths: requiredAttributes.filter((entry) => entry !== ENTRA_DEFAULT),
});

/** The checkbox and the text box → the list the admin API takes (it checks and canonicalises it). */
export const policyOf = (entraDefault: boolean, text: string): string[] => {
  const paths = parseAttributeList(text);
  const typed = paths.some((entry) => entry.toLowerCase() === ENTRA_DEFAULT);
  return entraDefault && !typed ? [ENTRA_DEFAULT, ...paths] : paths;
};
