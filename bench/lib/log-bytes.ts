/**
 * Log bytes a deployed request costs beside what the handlers log themselves (measured): the
 * access-log line API Gateway writes in the stack's own format (lib/gateway/rest-api.ts
 * ACCESS_LOG_FIELDS), filled in as API Gateway fills it for a filtered GET answered 200 (UUIDs, an
 * id-length path, "-" for what the request did not have), and the handler function's Lambda
 * platform lines (START, END, REPORT), which Lambda writes only below the stack's system log level
 * (lib/gateway/functions.ts LAMBDA_LOGGING).
 */
import { LAMBDA_LOGGING } from '../../lib/gateway/functions';
import { ACCESS_LOG_FIELDS } from '../../lib/gateway/rest-api';

const APP_ID = 'a'.repeat(26);
const REQUEST_ID = '6f1c2f8e-3c0b-4f4e-9a51-0c2f7d1b9e42';

/** What each `$context` variable holds for a typical filtered GET; "-" where API Gateway has nothing. */
const TYPICAL: Record<string, string> = {
  '$context.requestId': REQUEST_ID,
  '$context.identity.sourceIp': '20.36.128.17',
  '$context.httpMethod': 'GET',
  '$context.path': `/prod/apps/${APP_ID}/scim/v2/Users`,
  '$context.status': '200',
  '$context.responseLength': '1163',
  '$context.responseLatency': '38',
  '$context.integration.latency': '35',
  '$context.authorizer.principalId': `app:${APP_ID}:tk4f1c2f8e3c0b`,
};

/** One access-log line (JSON plus its newline) for a filtered GET, in bytes. */
export const accessLogBytesPerRequest = (): number => {
  const line = Object.fromEntries(Object.entries(ACCESS_LOG_FIELDS).map(([name, variable]) => [name, TYPICAL[variable] ?? '-']));
  return Buffer.byteLength(`${JSON.stringify(line)}\n`);
};

/**
 * Lambda's START, END and REPORT lines for one invocation (no cold start, no X-Ray). They are
 * INFO-level platform events, so a system log level of WARN or ERROR writes none.
 */
export const lambdaPlatformBytesPerRequest = (): number => {
  if (['WARN', 'ERROR'].includes(LAMBDA_LOGGING.systemLogLevelV2)) return 0;
  return Buffer.byteLength(
    [
      `START RequestId: ${REQUEST_ID} Version: $LATEST`,
      `END RequestId: ${REQUEST_ID}`,
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 36.12 ms\tBilled Duration: 37 ms\tMemory Size: 512 MB\tMax Memory Used: 98 MB\t`,
      '',
    ].join('\n'),
  );
};
