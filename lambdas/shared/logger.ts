/**
 * One structured logger per container (Powertools). Its level comes from the configuration
 * (`SCIM_LOG_LEVEL`), applied by `useLogLevel` when the runtime is built (runtime.ts): this module
 * reads no environment. Never log the Authorization header or a token: the request normaliser
 * drops it before anything reaches here.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Config } from './config';

export const logger = new Logger({ serviceName: 'scim-gateway' });

/**
 * Makes `level` the level every invocation starts at. Powertools' Lambda middleware puts the
 * logger back to its initial level on each warm invocation, so setting only the current level
 * would last one request; the initial level is what its constructor sets (pinned version 2.36.0).
 */
export const useLogLevel = (level: Config['SCIM_LOG_LEVEL']): void => {
  logger['setInitialLogLevel'](level);
  logger.setLogLevel(level);
};
