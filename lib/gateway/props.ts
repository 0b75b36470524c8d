/**
 * The public options of the `ScimGateway` construct. Every field is optional; the defaults live in
 * `lib/defaults.ts` and are merged once, in `resolveGatewayProps` (precedence documented there).
 */
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';

/** Stage-wide API Gateway throttling (token bucket), applied to every method. */
export interface ThrottlingOptions {
  /** Steady-state requests per second. @default 100 */
  readonly rateLimit?: number;
  /** Bucket size: requests accepted in a burst. @default 200 */
  readonly burstLimit?: number;
}

/** Optional WAF body limit: how much of a request body WAF may inspect; larger bodies are blocked with 413. */
export type WafBodyLimitKiB = 16 | 32 | 48 | 64;

/** The regional WAFv2 web ACL in front of the stage. */
export interface WafOptions {
  /**
   * Requests per 5 minutes per `Authorization` header value (one SCIM token) before WAF answers
   * 429. IdPs call from shared egress addresses, so the per-token limit is the meaningful one.
   * @default 6000
   */
  readonly rateLimit?: number;
  /** Requests per 5 minutes per client IP address, with or without a token. @default 30000 */
  readonly ipRateLimit?: number;
  /**
   * Largest request body WAF lets through, in KiB; bodies above it are answered 413. WAF can
   * inspect at most 64 KiB of an API Gateway body (AWS charges extra beyond 16 KiB), while a group
   * PATCH with thousands of members is several hundred KiB, so by default WAF does not limit bodies
   * and the handlers' own 1 MB limit (`SCIM_MAX_BODY_BYTES`) applies. Set it only if your clients
   * never send large member lists.
   * @default undefined (no WAF body limit)
   */
  readonly maxBodyKiB?: WafBodyLimitKiB;
}

/** A custom domain name for the API (regional endpoint, TLS 1.2). */
export interface CustomDomainOptions {
  /** e.g. `scim.example.com`; point a CNAME or alias at the `CustomDomainTarget` output. */
  readonly domainName: string;
  /** An ACM certificate for `domainName`, in the stack's region. */
  readonly certificate: ICertificate;
}

export interface ScimGatewayProps {
  /**
   * API Gateway stage name. It is the first path segment of the execute-api URL
   * (`https://<id>.execute-api.<region>.amazonaws.com/<stage>`).
   * @default 'v1'
   */
  readonly stageName?: string;

  /**
   * How long provisioning report rows are kept (DynamoDB TTL; whole days). Passed to the functions
   * as `SCIM_REPORT_RETENTION_DAYS`.
   * @default Duration.days(90)
   */
  readonly reportRetention?: Duration;

  /**
   * How long API Gateway caches the authorizer's decision per token (0 disables, at most 1 hour).
   * This is the **revocation latency**: a revoked or rotated-out token keeps working for up to this
   * long. The authorizer's policy is scoped to the token's own application, so a cached decision
   * never opens another application's routes.
   * @default Duration.seconds(300)
   */
  readonly authorizerCacheTtl?: Duration;

  /** Stage-wide throttling. @default { rateLimit: 100, burstLimit: 200 } */
  readonly throttling?: ThrottlingOptions;

  /**
   * AWS WAF in front of the stage: `true` for the defaults of `WafOptions`, `false` for none.
   * WAF costs $5 per web ACL per month + $1 per rule + $0.60 per million requests.
   * @default true
   */
  readonly waf?: boolean | WafOptions;

  /** Serve the API under your own domain name as well. @default - the execute-api URL only */
  readonly customDomain?: CustomDomainOptions;

  /** DynamoDB deletion protection on both tables. @default true */
  readonly deletionProtection?: boolean;

  /**
   * What happens to the stateful resources (tables, KMS key, admin secret, DLQ, log groups) when
   * they leave the stack.
   * @default RemovalPolicy.RETAIN when `deletionProtection` is on, otherwise RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;

  /** Retention of every log group the construct creates. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;

  /**
   * An EventBridge bus that receives every directory event as well as the webhooks do: the
   * envelope as `detail`, the type as `detail-type`, source `scim-gateway` (docs/events.md). The
   * event stage gets `events:PutEvents` on this bus only. A bus does not keep order: consumers
   * compare `detail.sequence`; delivery is at least once (same event ids).
   * @default - no bus: events go to webhooks and the read API only
   */
  readonly eventBus?: IEventBus;

  /** Where alarms (and their recovery) are announced. @default - alarms have no actions */
  readonly alarmTopic?: ITopic;

  /**
   * Name prefix of every secret: the admin secret is `<prefix>/admin`, application secrets are
   * created at run time as `<prefix>/apps/<appId>`. IAM grants are scoped to this prefix.
   * @default - the stack name
   */
  readonly secretPrefix?: string;

  /**
   * Create the account-wide role API Gateway needs to write execution logs. There is one per
   * account and region; turn this off when another stack already manages it.
   * @default true
   */
  readonly apiGatewayCloudWatchRole?: boolean;

  /**
   * The directory holding `lambdas/handlers/*.ts` and the `package-lock.json` they are bundled with.
   * @default - the root of this package
   */
  readonly codeRoot?: string;
}
