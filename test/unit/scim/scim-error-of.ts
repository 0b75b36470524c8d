import { isScimError, type ScimError } from '../../../lambdas/scim/errors';

/** Runs `fn` and returns the ScimError it throws; fails the test if it returns or throws anything else. */
export const scimErrorOf = (fn: () => unknown): ScimError => {
  try {
    fn();
  } catch (error) {
    if (isScimError(error)) return error;
    throw error;
  }
  throw new Error('expected a ScimError, but nothing was thrown');
};
