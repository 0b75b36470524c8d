/**
 * An application's own required attributes, on top of RFC 7643's (`userName`). Paths may be
 * plain, dotted, URN-qualified or value-filtered (`emails[type eq "work"].value`); a path is met
 * when it reaches at least one present value (`false` and `0` count; `""`, `[]`, `{}` do not).
 */
import { ScimError } from './errors';
import type { ScimData } from './resource';
import { isPlainObject, parseValuePath, valuesAt } from './value-path';

const isPresent = (value: unknown): boolean => {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.some(isPresent);
  if (isPlainObject(value)) return Object.values(value).some(isPresent);
  return true;
};

/** Why a policy path cannot be used, or undefined when it is fine (for validating admin input). */
export const requiredPathProblem = (path: string): string | undefined =>
  parseValuePath('User', path) ? undefined : `"${path}" does not name a User attribute this server knows.`;

/** Throws 400 invalidValue naming the first required path that `data` does not satisfy. */
export const checkRequiredAttributes = (data: ScimData, required: readonly string[]): void => {
  for (const text of required) {
    const path = parseValuePath('User', text);
    // Policies are validated when saved; one that no longer parses cannot be met by any client.
    if (!path) throw new Error(`Required-attribute policy holds an unusable path: ${text}`);
    if (!valuesAt(data, path).some(isPresent)) {
      throw ScimError.invalidValue(`Attribute "${text}" is required by this application.`);
    }
  }
};
