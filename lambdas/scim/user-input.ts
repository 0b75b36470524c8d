/**
 * POST/PUT bodies for /Users (and PATCH results, re-validated by the handler). See
 * `resource-input.ts` for what is ignored and `attribute-values.ts` for how values are coerced.
 */
import { isNonEmptyText } from './attribute-values';
import { ScimError } from './errors';
import { parseResourceInput } from './resource-input';
import type { ScimData } from './resource-shapes';

export const parseUserInput = (body: unknown): ScimData => {
  const { data } = parseResourceInput('User', body);
  if (!isNonEmptyText(data.userName)) {
    throw ScimError.invalidValue('Attribute "userName" is required and must be a non-empty string.');
  }
  return data;
};
