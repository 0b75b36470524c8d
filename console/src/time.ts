/**
 * Times as an admin reads them: in the browser's time zone, with the exact UTC instant on hover,
 * and the report's time-span presets. Pure.
 */

/** `2025-01-31T12:00:00.000Z` → `2025-01-31 12:00:00 UTC` (the hover text). */
export const utcText = (iso: string): string => {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '')} UTC`;
};

/** In the browser's zone (or the one given), e.g. `31 Jan 2025, 13:00:00`. */
export const localText = (iso: string, locale?: string, timeZone?: string): string => {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone }).format(date);
};

export const SPAN_PRESETS = [
  { value: '1h', label: 'Last hour' },
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
] as const;
export type SpanPreset = (typeof SPAN_PRESETS)[number]['value'];
export const DEFAULT_SPAN: SpanPreset = '24h';

export const isSpanPreset = (value: string): value is SpanPreset => SPAN_PRESETS.some((p) => p.value === value);

/** A `datetime-local` value (local wall time, no zone) → ISO 8601 UTC, or undefined when empty or invalid. */
export const fromLocalInput = (value: string): string | undefined => {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

/** ISO 8601 → a `datetime-local` value in the browser's zone (minutes precision). */
export const toLocalInput = (iso: string): string => {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};
