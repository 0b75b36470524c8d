/**
 * One Lambda function per handler module, all built the same way: Node.js on arm64, bundled by
 * local esbuild (no Docker), each with its own log group and its own role that holds nothing but
 * what `permissions.ts` grants. The role is ours, not CDK's default, so no AWS managed policy
 * (`AWSLambdaBasicExecutionRole`, which may write to any log group) is attached.
 */
import * as path from 'node:path';
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { HandlerName } from '../../lambdas/shared/routes';

/** Every function of the gateway: one per API handler in the route table, plus these (the last two: directory events). */
export type GatewayFunctionName = HandlerName | 'authorizer' | 'stream' | 'event-stage' | 'webhook-sender';

/**
 * The newest Node.js runtime that both aws-cdk-lib 2.276 and cdk-nag's L1 rule know. cdk-nag
 * compares against `Runtime.ALL`, so this must move when aws-cdk-lib learns a newer one.
 */
export const GATEWAY_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** Where a function's code lives, relative to the code root. */
export const entryOf = (codeRoot: string, name: GatewayFunctionName): string =>
  path.join(codeRoot, 'lambdas', 'handlers', `${name}.ts`);

/**
 * esbuild settings shared by every function.
 * - CJS: middy and the SDK bundle into CommonJS without the `createRequire` banner ESM would need.
 * - `externalModules: []`: the pinned AWS SDK v3 clients are bundled instead of taken from the
 *   runtime, so the code runs against the version it was tested with, and a minified bundle of
 *   the few modular clients used starts faster than loading the runtime's full SDK from disk.
 * - `target: node22`: the oldest Node.js the code is tested on; the runtime is newer.
 * - `mainFields: module first`: packages' ES builds tree-shake better (the users bundle drops from
 *   1.17 MB to 0.95 MB); every bundle was loaded and invoked with it.
 * - The SDK's default credential chain is replaced by the environment's keys, which Lambda always
 *   sets (`lambdas/shared/lambda-credentials.ts`): ~135 KB less code parsed at every cold start.
 * - Source maps without `sourcesContent`: stack traces still name our files and lines (the stack sets
 *   `--enable-source-maps`), but Node reads and parses a map of ~0.5 MB at load instead of ~2 MB.
 */
/** The SDK clients' default credential chain, which the bundles replace. */
const CREDENTIAL_CHAIN = '@aws-sdk/credential-provider-node';

export const BUNDLING: NonNullable<ConstructorParameters<typeof NodejsFunction>[2]>['bundling'] = {
  forceDockerBundling: false,
  format: OutputFormat.CJS,
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  // No keepNames: it adds ~230 KB per bundle, and nothing relies on function names (errors set `name`).
  target: 'node22',
  mainFields: ['module', 'main'],
  externalModules: [],
  // Relative to the project root, where NodejsFunction runs esbuild.
  esbuildArgs: { '--alias': `${CREDENTIAL_CHAIN}=./lambdas/shared/lambda-credentials.ts` },
};

/**
 * Lambda's JSON log format with its platform lines (START, END, REPORT: ~260 B per invocation) at
 * WARN, so a request's log bytes are the access-log line alone; duration and memory stay in
 * CloudWatch metrics. Powertools follows the application level (Lambda's advanced logging
 * controls) over `SCIM_LOG_LEVEL` when deployed, so an operator changes the level on the function.
 */
export const LAMBDA_LOGGING = {
  loggingFormat: lambda.LoggingFormat.JSON,
  systemLogLevelV2: lambda.SystemLogLevel.WARN,
  applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
} as const;

export interface GatewayFunctionOptions {
  readonly name: GatewayFunctionName;
  readonly description: string;
  readonly codeRoot: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/** `admin-users` → `AdminUsers`, for construct ids. */
const pascal = (name: string) => name.replace(/(^|-)([a-z])/g, (_m, _dash, c: string) => c.toUpperCase());

export const createGatewayFunction = (scope: Construct, options: GatewayFunctionOptions): NodejsFunction => {
  const id = pascal(options.name);
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    retention: options.logRetention,
    removalPolicy: options.removalPolicy,
  });
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `scim-gateway ${options.name} function`,
  });
  // Only its own log group; the group exists, so no logs:CreateLogGroup.
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
  );

  return new NodejsFunction(scope, `${id}Function`, {
    description: options.description,
    entry: entryOf(options.codeRoot, options.name),
    handler: 'handler',
    projectRoot: options.codeRoot,
    depsLockFilePath: path.join(options.codeRoot, 'package-lock.json'),
    runtime: GATEWAY_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    memorySize: options.memorySize,
    timeout: options.timeout,
    role,
    logGroup,
    ...LAMBDA_LOGGING,
    environment: { ...options.environment, NODE_OPTIONS: '--enable-source-maps' },
    bundling: BUNDLING,
  });
};
