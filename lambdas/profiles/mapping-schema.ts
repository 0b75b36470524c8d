/**
 * Validation of a mapping as an admin sends it (`PUT /admin/apps/{appId}/mapping`, the CLI's
 * `--set file.json`, the console). Two passes: zod checks the JSON shape, then every entry is
 * compiled (mapping-entry.ts) against the declared custom attributes. Every problem names its entry
 * by index and field (`attributes[3].scim`) and says what would be valid, so an admin fixes a whole
 * file in one round. Total: any JSON gives a mapping or problems, never an exception.
 *
 * Canonical form: paths as formatValuePath writes them, `default` and `transform` always present,
 * dates in defaults normalised. Saving the result and parsing it again gives it back unchanged.
 */
// zod/mini: the admin Lambda stays small (the full zod is ~450 KB of bundle).
import * as z from 'zod/mini';
import { ScimError } from '../scim/errors';
import { defaultAttribute } from './default-attributes';
import {
  CUSTOM_NAME,
  MAX_CUSTOM_ATTRIBUTES,
  MAX_MAPPED_ATTRIBUTES,
  MAX_PATH_LENGTH,
  MAX_SEPARATOR_LENGTH,
  MAX_TRANSFORMS,
  PLAIN_TRANSFORMS,
  type CustomAttribute,
  type MappingEntry,
  type ProfileMapping,
} from './mapping';
import { compileEntry } from './mapping-entry';
import { CUSTOM_TYPES, PROFILE_FIELDS, type CustomType, type ProfileType } from './types';

const unknownKeys =
  (fields: string) =>
  (issue: { code?: string; keys?: string[] }): string | undefined =>
    issue.code === 'unrecognized_keys' ? `unknown field ${(issue.keys ?? []).map((k) => `"${k}"`).join(', ')}; ${fields}` : undefined;

const Separator = z.string({ error: 'the separator must be text' }).check(
  z.minLength(1, 'the separator must not be empty'),
  z.maxLength(MAX_SEPARATOR_LENGTH, `the separator must be at most ${MAX_SEPARATOR_LENGTH} characters`),
);

const TRANSFORM_HINT = `${PLAIN_TRANSFORMS.map((t) => `"${t}"`).join(', ')}, {"split": "<separator>"} or {"join": "<separator>"}`;

const TransformSchema = z.union(
  [z.enum(PLAIN_TRANSFORMS), z.strictObject({ split: Separator }), z.strictObject({ join: Separator })],
  { error: `must be one of ${TRANSFORM_HINT}` },
);

const EntrySchema = z.strictObject(
  {
    profile: z.string({ error: 'must be the name of a profile attribute' }),
    scim: z.string({ error: 'must be a SCIM attribute path' }).check(
      z.minLength(1, 'must be a SCIM attribute path, e.g. name.givenName'),
      z.maxLength(MAX_PATH_LENGTH, `must be at most ${MAX_PATH_LENGTH} characters`),
    ),
    default: z.optional(z.unknown()),
    transform: z.optional(
      z
        .array(TransformSchema, { error: `must be a list of transforms: ${TRANSFORM_HINT}` })
        .check(z.maxLength(MAX_TRANSFORMS, `may list at most ${MAX_TRANSFORMS} transforms`)),
    ),
  },
  { error: (issue) => unknownKeys('an entry has "profile", "scim", "default" and "transform"')(issue) ?? 'must be an object like {"profile": "department", "scim": "department"}' },
);

const CustomSchema = z.strictObject(
  {
    name: z.string({ error: 'must be text' }),
    type: z.enum(CUSTOM_TYPES, { error: `must be one of ${CUSTOM_TYPES.map((t) => `"${t}"`).join(', ')}` }),
  },
  { error: (issue) => unknownKeys('a custom attribute has "name" and "type"')(issue) ?? 'must be an object like {"name": "costCenterCode", "type": "string"}' },
);

const MappingSchema = z.strictObject(
  {
    attributes: z
      .array(EntrySchema, { error: 'must be a list of mapping entries' })
      .check(z.maxLength(MAX_MAPPED_ATTRIBUTES, `may list at most ${MAX_MAPPED_ATTRIBUTES} entries`)),
    custom: z.optional(
      z
        .array(CustomSchema, { error: 'must be a list of custom attributes' })
        .check(z.maxLength(MAX_CUSTOM_ATTRIBUTES, `may declare at most ${MAX_CUSTOM_ATTRIBUTES} attributes`)),
    ),
  },
  { error: (issue) => unknownKeys('a mapping has "attributes" and "custom"')(issue) ?? 'a mapping must be a JSON object {"attributes": [...], "custom": [...]}' },
);

export interface MappingProblem {
  /** Where, as a reader writes it: `attributes[3].scim`, `custom[0].name`, `attributes`. */
  readonly at: string;
  /** The same place as data: the index lets callers find the entry. */
  readonly path: readonly (string | number)[];
  readonly problem: string;
}

export type MappingParse = { ok: true; mapping: ProfileMapping } | { ok: false; problems: MappingProblem[] };

const atOf = (path: readonly PropertyKey[]): string =>
  path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || 'mapping';

const problemAt = (path: (string | number)[], problem: string): MappingProblem => ({ at: atOf(path), path, problem });

const customNameProblem = (name: string): string | undefined => {
  if (!CUSTOM_NAME.test(name)) {
    return `"${name}" is not a valid name: start with a lower-case letter, then up to 63 letters, digits or "_" (e.g. costCenterCode)`;
  }
  if (defaultAttribute(name)) return `"${name}" is a default profile attribute; map it in "attributes" without declaring it`;
  if ((PROFILE_FIELDS as readonly string[]).includes(name)) return `"${name}" is a field of every profile; choose another name`;
  return undefined;
};

const checkCustom = (custom: readonly CustomAttribute[], problems: MappingProblem[]): Map<string, CustomType> => {
  const declared = new Map<string, CustomType>();
  custom.forEach(({ name, type }, index) => {
    const problem = customNameProblem(name) ?? (declared.has(name) ? `"${name}" is declared twice; declare each custom attribute once` : undefined);
    if (problem) problems.push(problemAt(['custom', index, 'name'], problem));
    else declared.set(name, type);
  });
  return declared;
};

/** Any JSON → the mapping in canonical form, or every problem found, each naming its entry and field. */
export const parseMapping = (input: unknown): MappingParse => {
  const shape = MappingSchema.safeParse(input);
  if (!shape.success) {
    return { ok: false, problems: shape.error.issues.map((issue) => problemAt(issue.path.map((p) => (typeof p === 'number' ? p : String(p))), issue.message)) };
  }
  const problems: MappingProblem[] = [];
  const custom: CustomAttribute[] = (shape.data.custom ?? []).map(({ name, type }) => ({ name, type }));
  const declared = checkCustom(custom, problems);
  const typeOf = (name: string): ProfileType | undefined => defaultAttribute(name)?.type ?? declared.get(name);
  const mappedAt = new Map<string, number>();
  const attributes: MappingEntry[] = [];
  shape.data.attributes.forEach((raw, index) => {
    const entry: MappingEntry = { profile: raw.profile, scim: raw.scim, default: (raw.default ?? null) as MappingEntry['default'], transform: raw.transform ?? [] };
    const first = mappedAt.get(entry.profile);
    if (first !== undefined) {
      problems.push(problemAt(['attributes', index, 'profile'], `"${entry.profile}" is already mapped by attributes[${first}]; map each profile attribute once`));
    } else {
      mappedAt.set(entry.profile, index);
    }
    const compiled = compileEntry(entry, typeOf);
    if (!compiled.ok) {
      for (const { field, step, problem } of compiled.problems) {
        problems.push(problemAt(step === undefined ? ['attributes', index, field] : ['attributes', index, field, step], problem));
      }
    } else {
      attributes.push(compiled.canonical);
    }
  });
  return problems.length ? { ok: false, problems } : { ok: true, mapping: { attributes, custom } };
};

/** The admin API's 400: every problem, each after where it is. */
export const mappingError = (problems: readonly MappingProblem[]): ScimError =>
  ScimError.invalidValue(`Invalid mapping: ${problems.map(({ at, problem }) => `${at}: ${problem.replace(/\.$/, '')}`).join('; ')}.`);
