/**
 * One mapping entry, checked and compiled: the SCIM path parsed once with the product's grammar
 * (short names of extension attributes resolved as the required-attribute policy resolves them),
 * the transforms typed from the path's kind to the profile attribute's type, the default checked
 * against that type. Admins learn every problem when they save; a compiled entry then cannot meet
 * a type error at run time except through values of open type (custom extension attributes).
 */
import { valuePathProblem } from '../scim/path-problems';
import { resolveShortName } from '../scim/required-policy';
import { isCustomUserExtension, SchemaUrn, type AttributeDef } from '../scim/schemas';
import { formatValuePath, parseValuePath, type ValuePath } from '../scim/value-path';
import { checkDefault } from './conversions';
import { transformName, type MappingEntry, type Transform } from './mapping';
import { KIND_WORDS, transformKind, type ValueKind } from './transforms';
import type { ProfileType, ProfileValue } from './types';

export interface CompiledEntry {
  readonly profile: string;
  readonly type: ProfileType;
  /** The canonical path: what problems and reports name. */
  readonly scim: string;
  readonly path: ValuePath;
  /** A multi-valued source read as a list (every value) rather than one value. */
  readonly asList: boolean;
  readonly transform: readonly Transform[];
  readonly default: ProfileValue | null;
}

export type EntryField = 'profile' | 'scim' | 'default' | 'transform';

export interface EntryProblem {
  readonly field: EntryField;
  /** For `transform`: which step. */
  readonly step?: number;
  readonly problem: string;
}

const PATH_HINT =
  'Write a path as SCIM requests do, e.g. name.givenName, emails[type eq "work"].value, title, ' +
  `${SchemaUrn.enterpriseUser}:department (or just department), or urn:ietf:params:scim:schemas:extension:<Name>:2.0:User:<attribute>.`;

const kindOfDef = (def: AttributeDef): ValueKind => {
  switch (def.type) {
    case 'complex':
      return 'complex';
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'decimal':
      return 'number';
    default:
      return 'text';
  }
};

/** What one value at the path is: custom extension attributes are of open type. */
export const sourceKind = (path: ValuePath): ValueKind => {
  const { resolved } = path;
  if (resolved.extension && isCustomUserExtension(resolved.schemaUrn)) return 'scalar';
  return kindOfDef(resolved.subAttribute ?? resolved.attribute);
};

const isEnterpriseManager = (path: ValuePath): boolean =>
  path.resolved.schemaUrn === SchemaUrn.enterpriseUser && path.resolved.attribute.name === 'manager' && !path.resolved.subAttribute;

/** Which kinds can become each type (conversions.ts does the converting). */
const FILLS: Record<ProfileType, readonly ValueKind[]> = {
  string: ['text', 'number', 'boolean', 'scalar'],
  number: ['text', 'number', 'scalar'],
  boolean: ['text', 'boolean', 'number', 'scalar'],
  date: ['text', 'scalar'],
  stringList: ['text', 'number', 'boolean', 'scalar', 'list'],
  manager: ['text', 'scalar', 'complex'],
};

const fitHint = (type: ProfileType, kind: ValueKind): string => {
  if (kind === 'list') return ' Add {"join": ", "} to make one text of the values, or make the attribute a stringList.';
  if (kind === 'complex') return ' Name one of its sub-attributes, e.g. name.givenName or emails[type eq "work"].value.';
  if (type === 'number' || type === 'date') return ' Map text that spells one instead.';
  return '';
};

const parsePath = (text: string): { path: ValuePath; scim: string } | { problem: string } => {
  const short = resolveShortName(text);
  if ('problem' in short) return short;
  const path = parseValuePath('User', short.path);
  if (!path) return { problem: `${valuePathProblem('User', short.path)} ${PATH_HINT}` };
  const scim = formatValuePath(path);
  const { mutability, name } = path.resolved.attribute;
  if (name === 'groups') return { problem: `"groups" fills the profile's own "groups" list; map a user attribute instead. ${PATH_HINT}` };
  if (mutability === 'readOnly' || mutability === 'writeOnly') {
    return { problem: `"${scim}" is never part of a stored user (the gateway sets it or never keeps it), so it would never have a value. ${PATH_HINT}` };
  }
  return { path, scim };
};

/** Checks one entry whose fields have the right JSON types; `typeOf` knows default and declared custom attributes. */
export const compileEntry = (
  entry: MappingEntry,
  typeOf: (profile: string) => ProfileType | undefined,
): { ok: true; compiled: CompiledEntry; canonical: MappingEntry } | { ok: false; problems: EntryProblem[] } => {
  const problems: EntryProblem[] = [];
  const type = typeOf(entry.profile);
  if (!type) {
    problems.push({
      field: 'profile',
      problem: `"${entry.profile}" is neither a default profile attribute nor declared in "custom"; declare it there first, e.g. {"name": "${entry.profile}", "type": "string"}`,
    });
  }
  const parsed = parsePath(entry.scim);
  if ('problem' in parsed) problems.push({ field: 'scim', problem: parsed.problem });
  if (type) {
    const checked = checkDefault(type, entry.default);
    if (!checked.ok) problems.push({ field: 'default', problem: checked.problem });
  }
  if (!type || 'problem' in parsed) return { ok: false, problems };

  const kind = sourceKind(parsed.path);
  if (kind === 'complex' && !(type === 'manager' && isEnterpriseManager(parsed.path))) {
    problems.push({ field: 'scim', problem: `"${parsed.scim}" holds objects, and only the manager type takes one.${fitHint(type, kind)}` });
    return { ok: false, problems };
  }
  const multiValued = parsed.path.resolved.attribute.multiValued;
  const asList = multiValued && (type === 'stringList' || entry.transform.some((t) => transformName(t) === 'join'));
  let current: ValueKind = asList ? 'list' : kind;
  let from = `"${parsed.scim}" gives ${KIND_WORDS[current]}`;
  for (const [step, t] of entry.transform.entries()) {
    const next = transformKind(t, current);
    if (!next.ok) {
      problems.push({ field: 'transform', step, problem: `${next.problem} (${from})` });
      return { ok: false, problems };
    }
    current = next.value;
    from = `after "${transformName(t)}" it is ${KIND_WORDS[current]}`;
  }
  if (!FILLS[type].includes(current)) {
    const field: EntryField = entry.transform.length ? 'transform' : 'scim';
    problems.push({ field, problem: `${from}, which cannot fill the ${type} attribute "${entry.profile}".${fitHint(type, current)}` });
  }
  if (problems.length) return { ok: false, problems };
  const checked = checkDefault(type, entry.default);
  const defaultValue = checked.ok ? checked.value : null;
  const transform = entry.transform.map((t): Transform => (typeof t === 'string' ? t : 'split' in t ? { split: t.split } : { join: t.join }));
  return {
    ok: true,
    compiled: { profile: entry.profile, type, scim: parsed.scim, path: parsed.path, asList, transform, default: defaultValue },
    canonical: { profile: entry.profile, scim: parsed.scim, default: defaultValue, transform },
  };
};
