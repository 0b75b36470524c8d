/**
 * The transforms, twice: statically over value kinds (a mapping is refused when a step gets a
 * kind it cannot take, so admins learn at save time, not on the next user write) and at run time
 * over values (total: a value of an unexpected shape gives a problem, never an exception; stored
 * mappings from older versions and custom extension attributes, whose type SCIM leaves open, make
 * that necessary).
 *
 * Leniency where clients differ: the text steps also read numbers and booleans as their text
 * (custom extension attributes arrive as any of them); `boolean` reads true/false, yes/no, on/off
 * and 1/0 in any case (Entra's "True"); `split` drops empty parts, so "a,,b" gives two values.
 */
import { describe } from '../scim/attribute-values';
import { isPlainObject } from '../scim/json';
import { transformName, type Transform } from './mapping';

/**
 * What a step sees: `scalar` is a value of open type (custom extension attributes: text, number
 * or boolean); `complex` an object (the enterprise manager).
 */
export type ValueKind = 'text' | 'number' | 'boolean' | 'list' | 'scalar' | 'complex';

/** A value between steps: undefined means "no value". */
export type Working = string | number | boolean | string[] | Record<string, unknown> | undefined;

export type Step<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Step<T> => ({ ok: true, value });
const fail = <T>(problem: string): Step<T> => ({ ok: false, problem });

export const KIND_WORDS: Record<ValueKind, string> = {
  text: 'text',
  number: 'a number',
  boolean: 'a boolean',
  list: 'a list of values',
  scalar: 'a text, number or boolean value',
  complex: 'an object',
};

const ACCEPTS: Record<ReturnType<typeof transformName>, readonly ValueKind[]> = {
  trim: ['text', 'list', 'scalar'],
  lowercase: ['text', 'list', 'scalar'],
  uppercase: ['text', 'list', 'scalar'],
  boolean: ['text', 'boolean', 'number', 'scalar'],
  number: ['text', 'number', 'scalar'],
  split: ['text', 'scalar'],
  join: ['list'],
};

const TAKES: Record<ReturnType<typeof transformName>, string> = {
  trim: 'text or a list of text',
  lowercase: 'text or a list of text',
  uppercase: 'text or a list of text',
  boolean: 'text, a number or a boolean',
  number: 'text or a number',
  split: 'text',
  join: 'a list of values (from a multi-valued attribute, or after "split")',
};

/** The kind a step gives for `input`, or why it cannot take it. */
export const transformKind = (t: Transform, input: ValueKind): Step<ValueKind> => {
  const name = transformName(t);
  if (!ACCEPTS[name].includes(input)) return fail(`"${name}" takes ${TAKES[name]}, but here it gets ${KIND_WORDS[input]}`);
  switch (name) {
    case 'boolean':
      return ok('boolean');
    case 'number':
      return ok('number');
    case 'split':
      return ok('list');
    case 'join':
      return ok('text');
    default:
      return ok(input === 'list' ? 'list' : 'text');
  }
};

const textOf = (value: Working): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);

/** Booleans as clients spell them; "" is no value. */
export const readBoolean = (value: Working, words: 'strict' | 'lenient'): Step<boolean | undefined> => {
  if (typeof value === 'boolean') return ok(value);
  if (words === 'lenient' && (value === 1 || value === 0)) return ok(value === 1);
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (word === '') return ok(undefined);
    if (word === 'true' || (words === 'lenient' && TRUE_WORDS.has(word))) return ok(true);
    if (word === 'false' || (words === 'lenient' && FALSE_WORDS.has(word))) return ok(false);
  }
  const spelled = words === 'lenient' ? 'true/false, yes/no, on/off or 1/0' : 'true or false';
  return fail(`${describe(value)} is not a boolean (${spelled})`);
};

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Finite numbers, and decimal text (trimmed) that spells one; "" is no value. */
export const readNumber = (value: Working): Step<number | undefined> => {
  if (typeof value === 'number') return Number.isFinite(value) ? ok(value) : fail(`${describe(value)} is not a finite number`);
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return ok(undefined);
    const number = DECIMAL.test(text) ? Number(text) : Number.NaN;
    if (Number.isFinite(number)) return ok(number);
  }
  return fail(`${describe(value)} is not a number (decimal digits, e.g. 42 or 3.5)`);
};

const mapText = (value: Working, name: string, fn: (text: string) => string): Step<Working> => {
  if (Array.isArray(value)) return ok(value.map(fn));
  const text = textOf(value);
  return text === undefined ? fail(`"${name}" takes text, but got ${describe(value)}`) : ok(fn(text));
};

/** One step at run time. A missing value stays missing: steps never invent one. */
export const applyTransform = (t: Transform, value: Working): Step<Working> => {
  if (value === undefined) return ok(undefined);
  const name = transformName(t);
  switch (name) {
    case 'trim':
      return mapText(value, name, (s) => s.trim());
    case 'lowercase':
      return mapText(value, name, (s) => s.toLowerCase());
    case 'uppercase':
      return mapText(value, name, (s) => s.toUpperCase());
    case 'boolean':
      return Array.isArray(value) || isPlainObject(value) ? fail(`"boolean" takes one value, but got ${describe(value)}`) : readBoolean(value, 'lenient');
    case 'number':
      return Array.isArray(value) || isPlainObject(value) ? fail(`"number" takes one value, but got ${describe(value)}`) : readNumber(value);
    case 'split': {
      const text = textOf(value);
      if (text === undefined) return fail(`"split" takes text, but got ${describe(value)}`);
      return ok(text.split((t as { split: string }).split).filter((part) => part !== ''));
    }
    case 'join':
      // One value where a list was expected (a single-valued attribute): a list of one.
      if (Array.isArray(value)) return ok(value.join((t as { join: string }).join));
      return textOf(value) === undefined ? fail(`"join" takes a list of values, but got ${describe(value)}`) : ok(textOf(value));
  }
};
