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

/** The entries and declarations a problem is about, so they can be left out. */
const withoutProblemParts = (stored: Record<string, unknown>, problems: readonly MappingProblem[]): Record<string, unknown> => {
  const bad = { attributes: new Set<number>(), custom: new Set<number>() };
  for (const { path } of problems) {
    const [list, index] = path;
    if ((list === 'attributes' || list === 'custom') && typeof index === 'number') bad[list].add(index);
  }
  const keep = (list: unknown, drop: Set<number>) => (Array.isArray(list) ? list.filter((_, i) => !drop.has(i)) : list);
  return { ...stored, attributes: keep(stored.attributes, bad.attributes), custom: keep(stored.custom, bad.custom) };
};

const compileStored = (stored: unknown): CompiledMapping => {
  const parsed = parseMapping(stored);
  if (parsed.ok) return compileValid(parsed.mapping, []);
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return compileValid(EMPTY, parsed.problems);
  // Leaving out a custom declaration can unmap entries that use it: a second pass reports those too.
  let remaining = withoutProblemParts(stored as Record<string, unknown>, parsed.problems);
  const ignored = [...parsed.problems];
  for (let pass = 0; pass < 2; pass++) {
    const retry = parseMapping(remaining);
    if (retry.ok) return compileValid(retry.mapping, ignored);
    ignored.push(...retry.problems);
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
