/**
 * How one attribute value compares with one filter value (RFC 7644 §3.4.2.2), leniently:
 * - strings compare case-insensitively unless the attribute is caseExact; `gt/ge/lt/le` are lexicographic,
 *   except that two date-times compare as instants (offsets honoured, sub-millisecond digits kept);
 * - booleans also equal the strings "true"/"false" in any case (Entra sends `roles[primary eq "True"]`);
 * - a number equals a string that spells it (unquoted `externalId eq 123` finds "123"; the store's key
 *   lookup uses the same text), and orders numerically against a numeric string.
 */
import type { CompValue, CompareOp } from './ast';

export interface ValueContext {
  /** The attribute is caseExact: no case folding. */
  readonly caseExact: boolean;
  /** The attribute is a dateTime (`meta.created`, `meta.lastModified`): compare as instants when both parse. */
  readonly dateTime: boolean;
}

export interface Instant {
  /** Whole seconds since the epoch, UTC. */
  readonly seconds: number;
  /** Fraction of a second as exactly nine digits, so it compares as text. */
  readonly fraction: string;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** xsd:dateTime-ish: `2015-10-10T14:38:21.8617979-07:00`, `…Z`, no offset (UTC), or a bare date. */
export const parseInstant = (text: string): Instant | undefined => {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', , sign, oh = '0', om = '0'] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 || Number(oh) > 23 || Number(om) > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC: it maps years 0–99 to 1900–1999
  if (date.getUTCDate() !== day) return undefined; // 2023-02-30
  date.setUTCHours(hour, minute, second, 0);
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60) : 0;
  return { seconds: date.getTime() / 1000 - offset, fraction: frac.padEnd(9, '0').slice(0, 9) };
};

export const isDateTimeText = (text: string): boolean => /^\d{4}-\d{2}-\d{2}[Tt]/.test(text) && parseInstant(text) !== undefined;

export const compareInstants = (a: Instant, b: Instant): number =>
  a.seconds !== b.seconds ? Math.sign(a.seconds - b.seconds) : compareText(a.fraction, b.fraction);

export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const foldCase = (text: string, caseExact: boolean): string => (caseExact ? text : text.toLowerCase());

export const asBoolean = (value: unknown): boolean | undefined => {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
};

const asNumber = (value: unknown): number | undefined => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && JSON_NUMBER.test(value)) return Number(value);
  return undefined;
};

/** Three-way order of two scalars, or undefined when they are not comparable (e.g. a boolean and a date). */
export const orderValues = (actual: unknown, expected: unknown, ctx: ValueContext): number | undefined => {
  if (typeof actual === 'string' && typeof expected === 'string') {
    if (ctx.dateTime || isDateTimeText(expected)) {
      const a = parseInstant(actual);
      const b = parseInstant(expected);
      if (a && b) return compareInstants(a, b);
    }
    return compareText(foldCase(actual, ctx.caseExact), foldCase(expected, ctx.caseExact));
  }
  if (typeof actual === 'number' || typeof expected === 'number') {
    const a = asNumber(actual);
    const b = asNumber(expected);
    return a === undefined || b === undefined ? undefined : Math.sign(a - b);
  }
  return undefined;
};

const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

/**
 * Does one attribute value satisfy `op expected`? `ne` and `null` are handled by the caller
 * (`ne` is `not eq`, `eq null` is "not present"), so `expected` is never null here.
 */
export const compareValue = (actual: unknown, op: Exclude<CompareOp, 'ne'>, expected: Exclude<CompValue, null>, ctx: ValueContext): boolean => {
  if (!isScalar(actual)) return false;
  if (typeof actual === 'boolean' || typeof expected === 'boolean') {
    if (op !== 'eq') return false; // booleans have no order and no substrings (RFC 7644: gt on boolean is meaningless)
    const a = asBoolean(actual);
    return a !== undefined && a === asBoolean(expected);
  }
  if (op === 'co' || op === 'sw' || op === 'ew') {
    const a = foldCase(String(actual), ctx.caseExact);
    const b = foldCase(String(expected), ctx.caseExact);
    return op === 'co' ? a.includes(b) : op === 'sw' ? a.startsWith(b) : a.endsWith(b);
  }
  if (op === 'eq' && typeof actual !== typeof expected) return String(actual) === String(expected); // a number and a string
  const order = orderValues(actual, expected, ctx);
  if (order === undefined) return false;
  switch (op) {
    case 'eq':
      return order === 0;
    case 'gt':
      return order > 0;
    case 'ge':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'le':
      return order <= 0;
  }
};
