/**
 * Reading a mapping's SCIM path from a user, with the rule for several matching values (a
 * multi-valued attribute such as `emails.value`, or a value filter that more than one entry meets):
 * - a list (a `stringList` attribute, or a mapping with `join`) takes every present value, in the
 *   order the client sent them;
 * - one value takes the entry marked `"primary": true` (RFC 7643 §2.4: at most one is), else the
 *   first entry that has a value. Entries without a value never win, so `[{type: "work"},
 *   {type: "work", value: "a@x"}]` gives "a@x".
 * The path grammar and matching are value-path.ts's; this file only chooses among what it reaches.
 */
import { describe, isAbsent } from '../scim/attribute-values';
import { getCaseInsensitive, isPlainObject } from '../scim/json';
import { valuesAt, type ValuePath } from '../scim/value-path';
import type { Step, Working } from './transforms';

const isPrimary = (entry: unknown): boolean => {
  if (!isPlainObject(entry)) return false;
  const primary = getCaseInsensitive(entry, 'primary');
  return primary === true || (typeof primary === 'string' && primary.toLowerCase() === 'true');
};

interface Candidate {
  readonly value: unknown;
  readonly primary: boolean;
}

/** Every present value the path reaches, each with whether its entry is the primary one. */
const candidates = (data: Record<string, unknown>, path: ValuePath): Candidate[] => {
  const { subAttribute, ...attribute } = path.resolved;
  const entries = valuesAt(data, { resolved: attribute, filter: path.filter });
  const found: Candidate[] = [];
  for (const entry of entries) {
    const value = subAttribute ? (isPlainObject(entry) ? getCaseInsensitive(entry, subAttribute.name) : undefined) : entry;
    if (!isAbsent(value)) found.push({ value, primary: isPrimary(entry) });
  }
  return found;
};

const scalarText = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;

/** A JSON value as the steps take it: lists hold text only, so no step meets a nested shape. */
const toWorking = (value: unknown): Step<Working> => {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || isPlainObject(value)) {
    return { ok: true, value };
  }
  if (Array.isArray(value)) {
    const texts = value.filter((v) => !isAbsent(v)).map(scalarText);
    if (texts.every((t) => t !== undefined)) return { ok: true, value: texts as string[] };
  }
  return { ok: false, problem: `${describe(value)} holds values that are not text, numbers or booleans` };
};

/** The value(s) a mapping starts from: see the file comment for which one wins. */
export const readSource = (data: Record<string, unknown>, path: ValuePath, asList: boolean): Step<Working> => {
  const found = candidates(data, path);
  if (!found.length) return { ok: true, value: undefined };
  if (!asList) return toWorking((found.find((c) => c.primary) ?? found[0]).value);
  const list: string[] = [];
  for (const { value } of found) {
    const text = scalarText(value);
    if (text !== undefined) {
      list.push(text);
      continue;
    }
    const nested = toWorking(value);
    if (!nested.ok) return nested;
    if (!Array.isArray(nested.value)) return { ok: false, problem: `${describe(value)} is not text, a number or a boolean` };
    list.push(...nested.value);
  }
  return { ok: true, value: list };
};
