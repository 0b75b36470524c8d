/**
 * An application's provisioning features: which writes its SCIM client may make. All on by default,
 * so a new application behaves as before the switches existed. Validation names the field and what
 * is valid; reading a stored value is total (a bad or missing field takes its default), so no stored
 * setting can turn a SCIM request into a 500.
 *
 * `delete` says what a DELETE does: remove the user, deactivate it instead, or nothing. It answers
 * for DELETE requests only; `deactivate` answers for PUT/PATCH that set `active` to false. Saving
 * `delete: "deactivate"` with `deactivate: false` is refused: the admin would be saying both "users
 * may not be deactivated" and "deletes deactivate them". (A stored pair from elsewhere still
 * deactivates on DELETE: `delete` is the more specific answer.)
 */
// zod/mini: the admin Lambda stays small (the full zod is ~450 KB of bundle).
import * as z from 'zod/mini';
import { ScimError } from '../scim/errors';

export const DELETE_MODES = ['delete', 'deactivate', 'ignore'] as const;
export type DeleteMode = (typeof DELETE_MODES)[number];

export interface ProvisioningFeatures {
  /** POST /Users. @default true */
  create: boolean;
  /** PUT/PATCH changes to a user's attributes other than `active`. @default true */
  update: boolean;
  /** PUT/PATCH that set `active` to false. @default true */
  deactivate: boolean;
  /** PUT/PATCH that set `active` back to true. @default true */
  reactivate: boolean;
  /** What DELETE /Users/{id} does. @default "delete" */
  delete: DeleteMode;
  /** POST, PUT, PATCH and DELETE on /Groups (reads are always answered). @default true */
  groups: boolean;
}

export type FeatureSwitch = keyof ProvisioningFeatures;

export const DEFAULT_FEATURES: Readonly<ProvisioningFeatures> = Object.freeze({
  create: true,
  update: true,
  deactivate: true,
  reactivate: true,
  delete: 'delete',
  groups: true,
});

const FIELDS = Object.keys(DEFAULT_FEATURES) as FeatureSwitch[];

const flag = (name: string) => z.optional(z.boolean({ error: `"${name}" must be true or false` }));

const FeaturesSchema = z.strictObject(
  {
    create: flag('create'),
    update: flag('update'),
    deactivate: flag('deactivate'),
    reactivate: flag('reactivate'),
    delete: z.optional(z.enum(DELETE_MODES, { error: `"delete" must be one of ${DELETE_MODES.map((m) => `"${m}"`).join(', ')}` })),
    groups: flag('groups'),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field ${(issue.keys as string[]).map((k) => `"${k}"`).join(', ')}; the features are ${FIELDS.map((f) => `"${f}"`).join(', ')}`
        : `the features must be a JSON object such as ${JSON.stringify(DEFAULT_FEATURES)}`,
  },
);

export interface FeaturesProblem {
  /** The field, or `features` for the whole object. */
  readonly at: string;
  readonly problem: string;
}

export type FeaturesParse = { ok: true; features: ProvisioningFeatures } | { ok: false; problems: FeaturesProblem[] };

/**
 * Any JSON → features: fields given replace those of `base`, fields left out keep it. A PUT passes
 * the defaults (a missing field is on); a partial change such as the CLI's `--create off` passes the
 * current features.
 */
export const parseFeatures = (input: unknown, base: Readonly<ProvisioningFeatures> = DEFAULT_FEATURES): FeaturesParse => {
  const parsed = FeaturesSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => ({ at: issue.path.length ? String(issue.path[0]) : 'features', problem: issue.message })) };
  }
  const features: ProvisioningFeatures = { ...base };
  for (const field of FIELDS) {
    const value = parsed.data[field];
    if (value !== undefined) (features as unknown as Record<string, unknown>)[field] = value;
  }
  if (features.delete === 'deactivate' && !features.deactivate) {
    return {
      ok: false,
      problems: [{ at: 'delete', problem: '"delete": "deactivate" deactivates users, but "deactivate" is off; turn "deactivate" on, or choose "delete": "ignore"' }],
    };
  }
  return { ok: true, features };
};

/** The admin API's 400, naming every field. */
export const featuresError = (problems: readonly FeaturesProblem[]): ScimError =>
  ScimError.invalidValue(`Invalid provisioning features: ${problems.map(({ at, problem }) => `${at}: ${problem}`).join('; ')}.`);

/** A stored value → features; total: each field that is missing or invalid takes its default. */
export const readFeatures = (stored: unknown): ProvisioningFeatures => {
  const features: ProvisioningFeatures = { ...DEFAULT_FEATURES };
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return features;
  const record = stored as Record<string, unknown>;
  for (const field of FIELDS) {
    const value = Object.hasOwn(record, field) ? record[field] : undefined;
    const valid = field === 'delete' ? (DELETE_MODES as readonly unknown[]).includes(value) : typeof value === 'boolean';
    if (valid) (features as unknown as Record<string, unknown>)[field] = value;
  }
  return features;
};
