/**
 * An application's required-attribute policy: how admins write it, how the gateway keeps it, and
 * how a stored one becomes paths to check. Entries are attribute paths in the grammar requests use
 * (value-path.ts), plus two conveniences for people typing them:
 * - the short name of an extension attribute (`department`) stands for its URN form, when exactly
 *   one extension has it; the policy keeps the URN form;
 * - a preset name (`entra-default`) stands for a list of paths; the policy keeps the name, so the
 *   console can show it as one checkbox and the preset can follow Entra's default mapping.
 * Saved entries are canonical (formatValuePath), so one path spelled two ways is kept once.
 */
import { valuePathProblem } from './path-problems';
import { RESOURCE_SCHEMAS, resolveAttribute, type SchemaDef } from './schemas';
import { formatValuePath, parseValuePath, type ValuePath } from './value-path';

/** The attributes Entra ID's default user mapping always sends (entra-scim.md §11.2). */
export const REQUIRED_PRESETS = {
  'entra-default': ['userName', 'name.givenName', 'name.familyName', 'emails[type eq "work"].value', 'displayName', 'active'],
} as const satisfies Record<string, readonly string[]>;

export type RequiredPreset = keyof typeof REQUIRED_PRESETS;

/** RFC 7643 §4.1: every user has a userName, whatever the application says. */
export const ALWAYS_REQUIRED = 'userName';

const HINT =
  'Valid entries are paths as SCIM requests write them (e.g. name.givenName, emails[type eq "work"].value, ' +
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department or just department, ' +
  `urn:ietf:params:scim:schemas:extension:<Name>:2.0:User:<attribute>) and the preset ${Object.keys(REQUIRED_PRESETS).join(', ')}.`;

export type EntryResult = { readonly entry: string } | { readonly problem: string };

const presetNamed = (text: string): RequiredPreset | undefined =>
  (Object.keys(REQUIRED_PRESETS) as RequiredPreset[]).find((name) => name === text.trim().toLowerCase());

/**
 * `department` → `urn:…:enterprise:2.0:User:department` (and `manager.value` likewise) when exactly
 * one extension has the attribute. Core and common attributes keep their bare form, as in requests;
 * a name no schema has is left for the path grammar to explain.
 */
export const resolveShortName = (
  text: string,
  extensions: readonly SchemaDef[] = RESOURCE_SCHEMAS.User.extensions,
): { readonly path: string } | { readonly problem: string } => {
  const path = text.trim();
  if (/^urn:/i.test(path)) return { path };
  const name = /^[^.[]*/.exec(path)?.[0] ?? '';
  if (!name || resolveAttribute('User', name)) return { path };
  const owners = extensions.filter((schema) => schema.attributes.some((a) => a.name.toLowerCase() === name.toLowerCase()));
  if (owners.length === 1) return { path: `${owners[0].id}:${path}` };
  if (owners.length > 1) {
    return {
      problem: `"${path}" is ambiguous: ${owners.map((s) => s.id).join(' and ')} both have "${name}"; write it with the URN of the one you mean, e.g. "${owners[0].id}:${path}".`,
    };
  }
  return { path };
};

const isReadOnly = ({ resolved }: ValuePath): boolean =>
  resolved.attribute.mutability === 'readOnly' || resolved.subAttribute?.mutability === 'readOnly';

/** One entry as the policy keeps it (canonical path or preset name), or why it cannot be one. */
export const normaliseRequiredEntry = (text: string): EntryResult => {
  const preset = presetNamed(text);
  if (preset) return { entry: preset };
  const short = resolveShortName(text);
  if ('problem' in short) return short;
  const parsed = parseValuePath('User', short.path);
  if (!parsed) return { problem: `${valuePathProblem('User', short.path)} ${HINT}` };
  const entry = formatValuePath(parsed);
  if (isReadOnly(parsed)) {
    return { problem: `"${entry}" is read-only: the gateway sets it and clients never send it, so no user could meet it. ${HINT}` };
  }
  return { entry };
};

export interface PolicyProblem {
  /** Position in the admin's list. */
  readonly index: number;
  readonly problem: string;
}

/**
 * An admin's list → the policy to save: canonical entries, userName first, each once. Problems
 * name the entry and what would be valid; a caller saves nothing while there are any.
 */
export const normaliseRequiredPolicy = (texts: readonly string[]): { entries: string[]; problems: PolicyProblem[] } => {
  const entries = new Set<string>([ALWAYS_REQUIRED]);
  const problems: PolicyProblem[] = [];
  texts.forEach((text, index) => {
    const result = normaliseRequiredEntry(text);
    if ('problem' in result) problems.push({ index, problem: result.problem });
    else entries.add(result.entry);
  });
  return { entries: [...entries], problems };
};

/** A path the core checks, with its canonical text (what a refusal names). */
export interface RequiredPath {
  readonly text: string;
  readonly path: ValuePath;
}

export interface CompiledPolicy {
  readonly paths: readonly RequiredPath[];
  /** Stored entries that cannot be used (written by an older version, or by hand): skipped. */
  readonly ignored: readonly { readonly entry: string; readonly problem: string }[];
}

const compiledPath = (text: string): RequiredPath | undefined => {
  const path = parseValuePath('User', text);
  return path && { text: formatValuePath(path), path };
};

/**
 * A stored policy → the paths to check, presets expanded, each once, userName always first. Total:
 * whatever is stored (non-strings, unknown presets, paths no grammar accepts) is skipped and listed
 * in `ignored`, never thrown, so no stored setting can turn a request into a 500.
 */
export const compileRequiredPolicy = (stored: readonly unknown[]): CompiledPolicy => {
  const paths = new Map<string, RequiredPath>();
  const ignored: { entry: string; problem: string }[] = [];
  const add = (text: string) => {
    const path = compiledPath(text);
    if (path && !paths.has(path.text)) paths.set(path.text, path);
  };
  add(ALWAYS_REQUIRED);
  for (const value of stored) {
    if (typeof value !== 'string') {
      ignored.push({ entry: JSON.stringify(value) ?? String(value), problem: 'an entry must be a string' });
      continue;
    }
    const result = normaliseRequiredEntry(value);
    if ('problem' in result) ignored.push({ entry: value, problem: result.problem });
    else if (presetNamed(result.entry)) REQUIRED_PRESETS[result.entry as RequiredPreset].forEach(add);
    else add(result.entry);
  }
  return { paths: [...paths.values()], ignored };
};

/**
 * A list as people type it (`--required a,b`, one a line in a text box) → its entries: commas and
 * line breaks split, except inside a `[…]` value filter or a quoted literal; blanks dropped.
 */
export const splitRequiredList = (text: string): string[] => {
  const entries: string[] = [];
  let current = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      current += char;
      if (char === '\\') current += text[++i] ?? '';
      else if (char === '"') quoted = false;
      continue;
    }
    if (char === '"') quoted = true;
    if (char === '[') depth++;
    if (char === ']') depth = Math.max(0, depth - 1);
    if (char === '\n' || char === '\r' || (char === ',' && depth === 0)) {
      entries.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  entries.push(current);
  return entries.map((entry) => entry.trim()).filter(Boolean);
};
