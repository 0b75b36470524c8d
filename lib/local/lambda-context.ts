/**
 * A minimal Lambda `Context` for handlers run by the local gateway: enough for Powertools'
 * `injectLambdaContext` and middy's timeout logic, with the values Lambda would give.
 */
import type { Context } from 'aws-lambda';

export interface LambdaContextOptions {
  functionName: string;
  requestId: string;
  /** The function's timeout; `getRemainingTimeInMillis` counts down from it. */
  timeoutMs: number;
  memoryLimitInMB?: number;
  region?: string;
  accountId?: string;
}

export const createLambdaContext = (options: LambdaContextOptions): Context => {
  const deadline = Date.now() + options.timeoutMs;
  const region = options.region ?? 'local';
  const accountId = options.accountId ?? '000000000000';
  const unsupported = (name: string) => () => {
    throw new Error(`context.${name}() is a legacy callback API; return a value or a promise instead.`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${options.functionName}`,
    memoryLimitInMB: String(options.memoryLimitInMB ?? 512),
    awsRequestId: options.requestId,
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: `local/[$LATEST]${options.requestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
};
