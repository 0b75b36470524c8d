/**
 * The report's one-line summary, naming every active filter so a screenshot or a glance says what
 * was asked: "4 events for alice@contoso.com in Entra ID – Contoso, last 7 days". Pure.
 */
import { actionLabel, type ReportFilters } from './queries';
import { localText, SPAN_PRESETS } from './time';

/** The time span in words: `last 7 days`, or `1 Dec 2026, 10:00:00 – now`. */
export const spanWords = (filters: ReportFilters, locale?: string, timeZone?: string): string => {
  if (filters.span !== 'custom') return (SPAN_PRESETS.find((p) => p.value === filters.span)?.label ?? filters.span).toLowerCase();
  const from = filters.from ? localText(filters.from, locale, timeZone) : '…';
  const to = filters.to ? localText(filters.to, locale, timeZone) : 'now';
  return `${from} – ${to}`;
};

export interface SummaryInput {
  filters: ReportFilters;
  /** Rows shown so far, and whether more match (Load more). */
  shown: number;
  more: boolean;
  failures: number;
  /** The name of the application filtered on, when known. */
  appName?: string;
  locale?: string;
  timeZone?: string;
}

export const reportSummary = ({ filters, shown, more, failures, appName, locale, timeZone }: SummaryInput): string => {
  const parts = [`${shown}${more ? '+' : ''} event${shown === 1 && !more ? '' : 's'}`];
  if (filters.action) parts.push(`(${actionLabel(filters.action)}${filters.status ? `, ${filters.status}` : ''})`);
  else if (filters.status) parts.push(`(${filters.status})`);
  if (filters.endUser) parts.push(`for ${filters.endUser}`);
  if (filters.application) parts.push(`in ${appName ?? filters.application}`);
  const text = `${parts.join(' ')}, ${spanWords(filters, locale, timeZone)}, newest first`;
  return failures && filters.status !== 'failure' ? `${text} · ${failures} failed.` : `${text}.`;
};
