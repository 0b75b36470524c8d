/**
 * A stored mapping → what computeProfile runs, and the mapping a new application starts with.
 *
 * Compiling is total, like the required-attribute policy's: a stored mapping that no longer
 * validates (written by an older version, or by hand) keeps its usable entries; the others are
 * listed in `ignored`, never thrown, so no stored setting can turn a user write into a 500. The
 * result is cached per mapping object (a WeakMap, so nothing outlives the mapping), which keeps
 * path parsing out of the per-write cost when a handler reuses the mapping it loaded.
 */
import { DEFAULT_ATTRIBUTES, defaultAttribute } from './default-attributes';
import type { ProfileMapping } from './mapping';
import { compileEntry, type CompiledEntry } from './mapping-entry';
import { parseMapping, type MappingProblem } from './mapping-schema';
import type { ProfileType } from './types';

export interface CompiledMapping {
  readonly entries: readonly CompiledEntry[];
  /** Declared custom attributes with their types (mapped or not). */
  readonly custom: ReadonlyMap<string, ProfileType>;
  /** Stored parts that could not be used, and why. */
  readonly ignored: readonly MappingProblem[];
}

/** Every default attribute from the path Entra's default mapping fills, no defaults, no transforms. */
export const defaultMapping = (): ProfileMapping => ({
  attributes: DEFAULT_ATTRIBUTES.map(({ name, scim }) => ({ profile: name, scim, default: null, transform: [] })),
  custom: [],
});

const compileValid = (mapping: ProfileMapping, ignored: readonly MappingProblem[]): CompiledMapping => {
  const custom = new Map<string, ProfileType>(mapping.custom.map(({ name, type }) => [name, type]));
  const typeOf = (name: string) => defaultAttribute(name)?.type ?? custom.get(name);
  const entries: CompiledEntry[] = [];
  for (const entry of mapping.attributes) {
    const compiled = compileEntry(entry, typeOf);
    if (compiled.ok) entries.push(compiled.compiled);
  }
  return { entries, custom, ignored };
};

const EMPTY: ProfileMapping = { attributes: [], custom: [] };

type ListName = 'attributes' | 'custom';
const LISTS: readonly ListName[] = ['attributes', 'custom'];

/** What is left of a stored mapping, and where each kept element was in the stored lists. */
interface Remaining {
  readonly value: Record<string, unknown>;
  readonly origin: Record<ListName, number[]>;
}

const indexed = (stored: Record<string, unknown>): Remaining => ({
  value: stored,
  origin: {
    attributes: Array.isArray(stored.attributes) ? stored.attributes.map((_, i) => i) : [],
    custom: Array.isArray(stored.custom) ? stored.custom.map((_, i) => i) : [],
  },
});

/** A problem of a later pass, pointing into the stored lists (not the shortened ones). */
const inStored = (problem: MappingProblem, origin: Remaining['origin']): MappingProblem => {
  const [list, index, ...rest] = problem.path;
  if ((list !== 'attributes' && list !== 'custom') || typeof index !== 'number') return problem;
  const path = [list, origin[list][index] ?? index, ...rest];
  const at = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
  return { ...problem, path, at };
};

/** The mapping without the entries and declarations the problems are about. */
const withoutProblemParts = ({ value, origin }: Remaining, problems: readonly MappingProblem[]): Remaining => {
  const bad: Record<ListName, Set<number>> = { attributes: new Set(), custom: new Set() };
  for (const { path } of problems) {
    const [list, index] = path;
    if ((list === 'attributes' || list === 'custom') && typeof index === 'number') bad[list].add(index);
  }
  const next: Remaining = { value: { ...value }, origin: { attributes: [], custom: [] } };
  for (const list of LISTS) {
    const items = value[list];
    if (!Array.isArray(items)) continue;
    next.value[list] = items.filter((_, i) => !bad[list].has(i));
    next.origin[list] = origin[list].filter((_, i) => !bad[list].has(i));
  }
  return next;
};

const compileStored = (stored: unknown): CompiledMapping => {
  const parsed = parseMapping(stored);
  if (parsed.ok) return compileValid(parsed.mapping, []);
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return compileValid(EMPTY, parsed.problems);
  // A bad custom declaration hidden behind a shape problem shows up on the next pass, through the entries using it.
  let remaining = withoutProblemParts(indexed(stored as Record<string, unknown>), parsed.problems);
  const ignored = [...parsed.problems];
  for (let pass = 0; pass < 2; pass++) {
    const retry = parseMapping(remaining.value);
    if (retry.ok) return compileValid(retry.mapping, ignored);
    ignored.push(...retry.problems.map((p) => inStored(p, remaining.origin)));
    remaining = withoutProblemParts(remaining, retry.problems);
  }
  return compileValid(EMPTY, ignored);
};

const cache = new WeakMap<object, CompiledMapping>();

/** Compiles (and caches per object) a stored mapping; total on any input. */
export const compileMapping = (stored: unknown): CompiledMapping => {
  if (typeof stored !== 'object' || stored === null) return compileStored(stored);
  const hit = cache.get(stored);
  if (hit) return hit;
  const compiled = compileStored(stored);
  cache.set(stored, compiled);
  return compiled;
};
