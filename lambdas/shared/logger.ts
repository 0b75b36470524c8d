/**
 * One structured logger per container (Powertools). Never log the Authorization header or a
 * token: the request normaliser drops it before anything reaches here.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({
  serviceName: 'scim-gateway',
  logLevel: (process.env.SCIM_LOG_LEVEL as 'INFO' | 'DEBUG' | 'WARN' | 'ERROR' | 'SILENT' | undefined) ?? 'INFO',
});
