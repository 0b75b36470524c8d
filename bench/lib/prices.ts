/**
 * Unit prices (us-east-1, on demand) and the request mix of the cost model, with their sources.
 * Figures and sources are those of /work/shared/reference/aws-design.md §5.1 and §5.3 (checked
 * there against the AWS pricing pages); change them here, in one place, when prices move.
 */

export interface Price {
  usd: number;
  per: string;
  source: string;
}

export const PRICES = {
  restApiPerMillion: { usd: 3.5, per: 'million REST API requests (first 333 M/month)', source: 'https://aws.amazon.com/api-gateway/pricing/' },
  httpApiPerMillion: { usd: 1.0, per: 'million HTTP API requests (first 300 M/month)', source: 'https://aws.amazon.com/api-gateway/pricing/' },
  wafPerMillion: { usd: 0.6, per: 'million requests inspected by AWS WAF', source: 'https://aws.amazon.com/waf/pricing/' },
  wafWebAclPerMonth: { usd: 5, per: 'web ACL per month (+ $1 per rule)', source: 'https://aws.amazon.com/waf/pricing/' },
  lambdaRequestsPerMillion: { usd: 0.2, per: 'million Lambda invocations', source: 'https://aws.amazon.com/lambda/pricing/' },
  lambdaArmGbSecond: { usd: 0.0000133334, per: 'GB-second, arm64 (1 ms billing; INIT billed since 1 Aug 2025)', source: 'https://aws.amazon.com/lambda/pricing/' },
  dynamoWriteUnitsPerMillion: { usd: 0.625, per: 'million write request units (on demand)', source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/' },
  dynamoReadUnitsPerMillion: { usd: 0.125, per: 'million read request units (on demand)', source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/' },
  secretsManagerPer10k: { usd: 0.05, per: '10,000 Secrets Manager API calls', source: 'https://aws.amazon.com/secrets-manager/pricing/' },
  secretPerMonth: { usd: 0.4, per: 'secret per month', source: 'https://aws.amazon.com/secrets-manager/pricing/' },
  logsIngestionPerGb: { usd: 0.5, per: 'GB of CloudWatch Logs ingested', source: 'https://aws.amazon.com/cloudwatch/pricing/' },
} as const satisfies Record<string, Price>;

/** The mix of aws-design.md §5.3: which measured operation stands for each share. */
export const REQUEST_MIX = [
  { op: 'filterUserName', share: 0.5, label: 'filtered GET (userName eq)', reportEvents: 0 },
  { op: 'patchFlag', share: 0.3, label: 'user PATCH (flag dialect, no rename)', reportEvents: 1 },
  { op: 'createUser', share: 0.1, label: 'POST /Users', reportEvents: 1 },
  { op: 'addMember5', share: 0.05, label: 'group PATCH adding 5 members', reportEvents: 5 },
  { op: 'deleteUser', share: 0.05, label: 'DELETE /Users/{id}', reportEvents: 1 },
] as const;

/** Assumptions of the model besides the measured figures; each is printed with the result. */
export const ASSUMPTIONS = {
  /** FUNCTION_SETTINGS in lib/defaults.ts (read at run time when present). */
  handlerMemoryMb: 512,
  authorizerMemoryMb: 256,
  streamMemoryMb: 512,
  /** AWS: cold starts are under 1 % of invocations (aws-design.md §4.1). */
  coldStartShare: 0.01,
  /** Hello-world nodejs22.x arm64 INIT (lambda-perf, aws-design.md §4.1), added to our bundle's load time. */
  runtimeInitMs: 124,
  /** API Gateway's authorizer cache (stack default, lib/defaults.ts). */
  authorizerCacheTtlSeconds: 300,
  /** Sustained request rate of one application's provisioning (sets how often the authorizer cache expires). */
  requestsPerSecond: 10,
  /** A Secrets Manager GetSecretValue call from the authorizer when its own cache misses. */
  secretsManagerLatencyMs: 30,
  /** Report rows: base table + byUser index for user and membership rows (lambdas/store/reports.ts). */
  reportRowWriteUnits: 2,
  /** The stream consumer's strongly consistent BatchGet of the entities a record names. */
  reportRowReadUnits: 1,
  /** Stream records per stream-consumer invocation, and its billed time per invocation. */
  streamBatchSize: 10,
  streamInvocationMs: 60,
} as const;
