/**
 * Defaults of the `ScimGateway` construct and the one place they are merged.
 *
 * Precedence (Solutions Constructs' `consolidateProps`): what the construct requires wins over the
 * caller's props, which win over these defaults. Required, never overridable: REST endpoint type
 * REGIONAL, Lambda proxy integrations, the TOKEN authorizer on every scim/admin route, arm64
 * Node.js functions bundled with esbuild, least-privilege IAM, PITR, encryption and the stream
 * settings of the report pipeline.
 */
import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { CustomDomainOptions, ScimGatewayProps, WafBodyLimitKiB } from './gateway/props';

export const DEFAULTS = {
  stageName: 'v1',
  reportRetention: Duration.days(90),
  authorizerCacheTtl: Duration.seconds(300),
  throttling: { rateLimit: 100, burstLimit: 200 },
  waf: { rateLimit: 6000, ipRateLimit: 30000, maxBodyKiB: undefined as WafBodyLimitKiB | undefined },
  deletionProtection: true,
  logRetention: RetentionDays.THREE_MONTHS,
  apiGatewayCloudWatchRole: true,
  /** The repository root: `lambdas/handlers/*.ts` and `package-lock.json` live there. */
  codeRoot: path.resolve(__dirname, '..'),
} as const;

/** Fixed settings of the functions and the stream pipeline (not props: the design depends on them). */
export const FUNCTION_SETTINGS = {
  api: { memorySize: 512, timeout: Duration.seconds(29) },
  /**
   * POST /Bulk: up to 1,000 operations one after another (docs/benchmarks.md measures them). The
   * timeout is API Gateway's 29 s, after which nobody hears the answer; the handler stops starting
   * operations 5 s before it (answering the rest 503), so it always answers. More memory is more
   * CPU for the per-operation JSON work.
   */
  bulk: { memorySize: 1024, timeout: Duration.seconds(29) },
  authorizer: { memorySize: 256, timeout: Duration.seconds(10) },
  stream: { memorySize: 512, timeout: Duration.seconds(60) },
  /** The directory-event stage: a second consumer of the main table's stream (lambdas/handlers/event-stage.ts). */
  eventStage: { memorySize: 512, timeout: Duration.seconds(60) },
  /** The webhook sender: started each minute, it passes over the delivery queue for most of it. */
  webhookSender: { memorySize: 512, timeout: Duration.seconds(80) },
  /** In-memory cache of secrets and application items inside the authorizer and handlers. */
  authCacheSeconds: 60,
  serviceName: 'scim-gateway',
} as const;

export interface ResolvedWafOptions {
  readonly rateLimit: number;
  readonly ipRateLimit: number;
  readonly maxBodyKiB: WafBodyLimitKiB | undefined;
}

export interface ResolvedGatewayProps {
  readonly stageName: string;
  readonly reportRetentionDays: number;
  readonly authorizerCacheTtl: Duration;
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  readonly waf?: ResolvedWafOptions;
  readonly customDomain?: CustomDomainOptions;
  readonly deletionProtection: boolean;
  readonly removalPolicy: RemovalPolicy;
  readonly logRetention: RetentionDays;
  readonly alarmTopic?: ScimGatewayProps['alarmTopic'];
  readonly eventBus?: ScimGatewayProps['eventBus'];
  readonly secretPrefix: string;
  readonly apiGatewayCloudWatchRole: boolean;
  readonly codeRoot: string;
}

const MAX_AUTHORIZER_TTL_SECONDS = 3600;
/** WAF's lowest rate-based limit per evaluation window. */
const MIN_WAF_RATE_LIMIT = 10;

/** Merges props over defaults and checks them; every problem is reported in one error. */
export const resolveGatewayProps = (scope: Construct, props: ScimGatewayProps = {}): ResolvedGatewayProps => {
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };

  const stageName = props.stageName ?? DEFAULTS.stageName;
  check(/^[A-Za-z0-9_-]{1,128}$/.test(stageName), `stageName "${stageName}" may only hold letters, digits, "-" and "_".`);

  const reportRetention = props.reportRetention ?? DEFAULTS.reportRetention;
  const reportRetentionDays = reportRetention.toDays({ integral: false });
  check(
    Number.isInteger(reportRetentionDays) && reportRetentionDays >= 1,
    `reportRetention must be a whole number of days, at least 1 (got ${reportRetention.toHumanString()}).`,
  );

  const authorizerCacheTtl = props.authorizerCacheTtl ?? DEFAULTS.authorizerCacheTtl;
  const ttlSeconds = authorizerCacheTtl.toSeconds({ integral: false });
  check(
    Number.isInteger(ttlSeconds) && ttlSeconds >= 0 && ttlSeconds <= MAX_AUTHORIZER_TTL_SECONDS,
    `authorizerCacheTtl must be whole seconds between 0 and ${MAX_AUTHORIZER_TTL_SECONDS} (got ${authorizerCacheTtl.toHumanString()}).`,
  );

  const throttling = { ...DEFAULTS.throttling, ...props.throttling };
  check(throttling.rateLimit > 0 && throttling.burstLimit > 0, 'throttling limits must be positive.');

  const wafInput = props.waf ?? true;
  const waf = wafInput === false ? undefined : { ...DEFAULTS.waf, ...(wafInput === true ? {} : wafInput) };
  if (waf) {
    check(
      Number.isInteger(waf.rateLimit) && waf.rateLimit >= MIN_WAF_RATE_LIMIT,
      `waf.rateLimit must be an integer of at least ${MIN_WAF_RATE_LIMIT}.`,
    );
    check(
      Number.isInteger(waf.ipRateLimit) && waf.ipRateLimit >= MIN_WAF_RATE_LIMIT,
      `waf.ipRateLimit must be an integer of at least ${MIN_WAF_RATE_LIMIT}.`,
    );
  }

  const secretPrefix = props.secretPrefix ?? Stack.of(scope).stackName;
  if (!Token.isUnresolved(secretPrefix)) {
    check(
      /^[A-Za-z0-9_+=.@-]+(\/[A-Za-z0-9_+=.@-]+)*$/.test(secretPrefix),
      `secretPrefix "${secretPrefix}" must be a Secrets Manager name without a leading or trailing "/".`,
    );
  }

  if (problems.length) throw new Error(`Invalid ScimGateway props:\n- ${problems.join('\n- ')}`);

  const deletionProtection = props.deletionProtection ?? DEFAULTS.deletionProtection;
  return {
    stageName,
    reportRetentionDays,
    authorizerCacheTtl,
    throttling,
    waf,
    customDomain: props.customDomain,
    deletionProtection,
    removalPolicy: props.removalPolicy ?? (deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY),
    logRetention: props.logRetention ?? DEFAULTS.logRetention,
    alarmTopic: props.alarmTopic,
    eventBus: props.eventBus,
    secretPrefix,
    apiGatewayCloudWatchRole: props.apiGatewayCloudWatchRole ?? DEFAULTS.apiGatewayCloudWatchRole,
    codeRoot: props.codeRoot ?? DEFAULTS.codeRoot,
  };
};
