/**
 * The runtime a test builds real handlers from (`createUsersHandler(testRuntime(tables))`): the
 * configuration a deployed function reads from its environment, given here directly — this
 * suite's tables, nothing logged, anything else a test names — and a client on DynamoDB Local.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadConfig } from '../../lambdas/shared/config';
import { createRuntime, type Runtime } from '../../lambdas/shared/runtime';
import type { TestTables } from './tables';

/** `settings`: further SCIM_* variables (a secret file, a cache time, a log level…). */
export const testRuntime = (
  tables: Pick<TestTables, 'tableName' | 'reportTableName'>,
  settings: Record<string, string> = {},
  clients: { dynamo?: DynamoDBDocumentClient } = {},
): Runtime =>
  createRuntime(
    loadConfig({ SCIM_TABLE_NAME: tables.tableName, SCIM_REPORT_TABLE_NAME: tables.reportTableName, SCIM_LOG_LEVEL: 'SILENT', ...settings }),
    clients,
  );
