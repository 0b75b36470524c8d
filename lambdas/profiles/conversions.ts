/**
 * The last step of every mapping: a value becomes the profile attribute's type, or a problem that
 * says what is wrong with it (the 400's detail quotes it). Conversions are the lossless ones only:
 * text that spells a number, date or boolean is read; a number or boolean becomes its text for a
 * string attribute; one value becomes a list of one. Nothing is guessed (no "1st of May").
 *
 * Dates: ISO 8601 / RFC 3339 text. A date stays a date (`2024-05-31`); a date-time becomes UTC with
 * milliseconds (`2024-05-31T07:00:00.000Z`), one spelling per instant so diffs see real changes
 * only. A date-time without an offset is read as UTC (what `Z` would say), since a profile must
 * name one instant and SCIM's dateTime (RFC 7643 §2.3.5) has no local-time form.
 */
import { describe } from '../scim/attribute-values';
import { isPlainObject } from '../scim/json';
import { readBoolean, readNumber, type Step, type Working } from './transforms';
import type { ManagerRef, ProfileType, ProfileValue } from './types';

const ok = <T>(value: T): Step<T> => ({ ok: true, value });
const fail = <T>(problem: string): Step<T> => ({ ok: false, problem });

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

const DATE_HINT = 'an ISO 8601 date (e.g. 2024-05-31) or date-time (e.g. 2024-05-31T09:30:00Z or 2024-05-31T09:30:00+02:00)';

const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const daysIn = (year: number, month: number): number => [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];

const validDay = (year: number, month: number, day: number): boolean => month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);

/** ISO 8601 text → its one spelling, or undefined when it is not a real date or date-time. */
export const normaliseDate = (text: string): string | undefined => {
  const value = text.trim();
  const date = DATE.exec(value);
  if (date) return validDay(+date[1], +date[2], +date[3]) ? value : undefined;
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [+m[1], +m[2], +m[3], +m[4], +m[5], +(m[6] ?? 0)];
  if (!validDay(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  const offsetHours = m[10] === undefined ? 0 : +m[10];
  const offsetMinutes = m[11] === undefined ? 0 : +m[11];
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const sign = m[9] === '-' ? -1 : 1;
  const millis = Number(`0.${m[7] ?? '0'}`) * 1000;
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  at.setUTCHours(hour, minute, second, Math.floor(millis));
  const instant = at.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  const utc = new Date(instant);
  const utcYear = utc.getUTCFullYear();
  return utcYear >= 0 && utcYear <= 9999 ? utc.toISOString() : undefined;
};

const toText = (value: Working): Step<string | undefined> => {
  if (typeof value === 'string') return ok(value === '' ? undefined : value);
  if (typeof value === 'number' || typeof value === 'boolean') return ok(String(value));
  return fail(`${describe(value)} is not text${Array.isArray(value) ? ' (add {"join": ", "} to make one text of a list)' : ''}`);
};

const toDate = (value: Working): Step<string | undefined> => {
  if (value === '') return ok(undefined);
  if (typeof value !== 'string') return fail(`${describe(value)} is not ${DATE_HINT}`);
  const date = normaliseDate(value);
  return date === undefined ? fail(`${describe(value)} is not ${DATE_HINT}`) : ok(date);
};

const toList = (value: Working): Step<string[] | undefined> => {
  const items = Array.isArray(value) ? value : [value];
  const list: string[] = [];
  for (const item of items) {
    const text = toText(item as Working);
    if (!text.ok) return text;
    if (text.value !== undefined) list.push(text.value);
  }
  return ok(list.length ? list : undefined);
};

/** `{value, displayName}` (the enterprise manager, any letter case) or a bare id. */
const toManager = (value: Working): Step<ManagerRef | undefined> => {
  if (typeof value === 'string' || typeof value === 'number') {
    const id = String(value);
    return ok(id.trim() === '' ? undefined : { id });
  }
  if (!isPlainObject(value)) return fail(`${describe(value)} is not a manager (an object with "value", or the manager's id)`);
  let id: unknown;
  let displayName: unknown;
  for (const [key, field] of Object.entries(value)) {
    const lower = key.toLowerCase();
    if (lower === 'value') id = field;
    else if (lower === 'displayname') displayName = field;
  }
  if (id === undefined || id === null || id === '') return ok(undefined); // Entra clears a manager with {"value": ""}
  if (typeof id !== 'string' && typeof id !== 'number') return fail(`the manager's "value" is ${describe(id)}, not an id`);
  const manager: ManagerRef = { id: String(id) };
  if (typeof displayName === 'string' && displayName !== '') manager.displayName = displayName;
  return ok(manager);
};

/** A value after the transforms → the profile type; undefined: no value (the default applies). */
export const toProfileValue = (type: ProfileType, value: Working): Step<ProfileValue | undefined> => {
  if (value === undefined || value === null) return ok(undefined);
  if (Array.isArray(value) && type !== 'stringList' && value.length <= 1) return toProfileValue(type, value[0] as Working);
  switch (type) {
    case 'string':
      return toText(value);
    case 'number':
      return readNumber(value);
    case 'boolean':
      return readBoolean(value, 'strict');
    case 'date':
      return toDate(value);
    case 'stringList':
      return toList(value);
    case 'manager':
      return toManager(value);
  }
};

const EXAMPLES: Record<ProfileType, string> = {
  string: '"Sales"',
  number: '42',
  boolean: 'true',
  date: '"2024-05-31"',
  stringList: '["a", "b"]',
  manager: '{"id": "<user id>"}',
};

/**
 * A mapping's `default`: already of the attribute's JSON type (no conversions: what the admin
 * typed is what consumers get), dates normalised. null means "no default".
 */
export const checkDefault = (type: ProfileType, value: unknown): Step<ProfileValue | null> => {
  if (value === null || value === undefined) return ok(null);
  const wrong = fail<ProfileValue | null>(`must be a ${type} like ${EXAMPLES[type]}, or null for none`);
  switch (type) {
    case 'string':
      if (value === '') return fail('an empty default is no value; write null for none');
      return typeof value === 'string' ? ok(value) : wrong;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? ok(value) : wrong;
    case 'boolean':
      return typeof value === 'boolean' ? ok(value) : wrong;
    case 'date': {
      const date = typeof value === 'string' ? normaliseDate(value) : undefined;
      return date === undefined ? fail(`must be ${DATE_HINT}, or null for none`) : ok(date);
    }
    case 'stringList':
      return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v !== '') ? ok([...value]) : wrong;
    case 'manager': {
      if (!isPlainObject(value) || typeof value.id !== 'string' || value.id === '') return wrong;
      const extra = Object.keys(value).filter((k) => k !== 'id' && k !== 'displayName');
      if (extra.length || (value.displayName !== undefined && typeof value.displayName !== 'string')) return wrong;
      return ok(typeof value.displayName === 'string' ? { id: value.id, displayName: value.displayName } : { id: value.id });
    }
  }
};
