/**
 * Checking a user against its application's required-attribute policy (compiled by
 * required-policy.ts). A path is met when it reaches at least one present value (`false` and `0`
 * count; `""`, `[]`, `{}` do not).
 *
 * Creates must meet every path. Updates (PUT, PATCH) must leave the user no less compliant: the
 * set of paths unmet after the write must be a subset of those unmet before it. So tightening the
 * policy never blocks what a client does to users that predate it — deactivating, reactivating or
 * any change that leaves the missing attributes missing — while a write that takes away a required
 * value is refused, naming it. Deletes are not checked at all.
 */
import { ScimError } from './errors';
import { isPlainObject } from './json';
import type { RequiredPath } from './required-policy';
import type { ScimData } from './resource-shapes';
import { valuesAt } from './value-path';

const isPresent = (value: unknown): boolean => {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.some(isPresent);
  if (isPlainObject(value)) return Object.values(value).some(isPresent);
  return true;
};

/** The canonical text of every path of `policy` that `data` does not meet, in policy order. */
export const unmetRequiredPaths = (data: ScimData, policy: readonly RequiredPath[]): string[] =>
  policy.filter(({ path }) => !valuesAt(data, path).some(isPresent)).map(({ text }) => text);

/**
 * Throws 400 invalidValue naming the first required path that `after` misses: any, for a create
 * (no `before`); for an update, only one that `before` met.
 */
export const checkRequiredAttributes = (after: ScimData, policy: readonly RequiredPath[], before?: ScimData): void => {
  const alreadyUnmet = new Set(before ? unmetRequiredPaths(before, policy) : []);
  const missing = unmetRequiredPaths(after, policy).find((text) => !alreadyUnmet.has(text));
  if (missing === undefined) return;
  throw ScimError.invalidValue(
    before
      ? `Attribute "${missing}" is required by this application and cannot be removed.`
      : `Attribute "${missing}" is required by this application.`,
  );
};
