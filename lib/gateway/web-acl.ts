/**
 * Regional AWS WAF web ACL for the stage (aws-design.md §6.4): a rate limit per token (IdPs share
 * egress IPs, so per-IP limits alone would either be useless or throttle everyone), a generous
 * per-IP limit for unauthenticated floods, an optional body-size limit, and AWS's common rule set. Blocks are
 * answered in SCIM Error JSON with the status a SCIM client understands (429, 413).
 */
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { ScimError } from '../../lambdas/scim/errors';
import type { ResolvedWafOptions } from '../defaults';

const RATE_WINDOW_SECONDS = 300;
const BODY_THROTTLED = 'ScimThrottled';
const BODY_TOO_LARGE = 'ScimPayloadTooLarge';

const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

const blockWith = (status: number, bodyKey: string, headers: Record<string, string> = {}): wafv2.CfnWebACL.RuleActionProperty => ({
  block: {
    customResponse: {
      responseCode: status,
      customResponseBodyKey: bodyKey,
      // CloudFormation wants at least one header when the list is present.
      responseHeaders: Object.keys(headers).length ? Object.entries(headers).map(([name, value]) => ({ name, value })) : undefined,
    },
  },
});

const NO_TRANSFORMATION = [{ priority: 0, type: 'NONE' }];

export const createWebAcl = (scope: Construct, stage: apigateway.Stage, options: ResolvedWafOptions): wafv2.CfnWebACL => {
  const throttled = ScimError.throttled('Too many requests for this token; retry later.', 60);
  const bodyLimit = options.maxBodyKiB;
  const tooLarge = ScimError.payloadTooLarge(`The request body is larger than ${bodyLimit} KiB.`);
  const bodySizeRule: wafv2.CfnWebACL.RuleProperty[] = bodyLimit
    ? [
        {
          name: 'BodySize',
          priority: 2,
          action: blockWith(413, BODY_TOO_LARGE),
          statement: {
            sizeConstraintStatement: {
              // MATCH: a body longer than WAF can inspect counts as too large.
              fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
              comparisonOperator: 'GT',
              size: bodyLimit * 1024,
              textTransformations: NO_TRANSFORMATION,
            },
          },
          visibilityConfig: visibility('BodySize'),
        },
      ]
    : [];

  const webAcl = new wafv2.CfnWebACL(scope, 'WebAcl', {
    scope: 'REGIONAL',
    description: 'scim-gateway: rate limits per token and per IP, body size limit, AWS common rules',
    defaultAction: { allow: {} },
    visibilityConfig: visibility('ScimGatewayWebAcl'),
    // WAF sees at most this much of an API Gateway body; anything longer is blocked by BodySize.
    associationConfig: bodyLimit ? { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: `KB_${bodyLimit}` } } } : undefined,
    customResponseBodies: {
      [BODY_THROTTLED]: { contentType: 'APPLICATION_JSON', content: JSON.stringify(throttled.toBody()) },
      ...(bodyLimit ? { [BODY_TOO_LARGE]: { contentType: 'APPLICATION_JSON', content: JSON.stringify(tooLarge.toBody()) } } : {}),
    },
    rules: [
      {
        name: 'RatePerToken',
        priority: 0,
        action: blockWith(429, BODY_THROTTLED, throttled.headers),
        statement: {
          rateBasedStatement: {
            limit: options.rateLimit,
            evaluationWindowSec: RATE_WINDOW_SECONDS,
            aggregateKeyType: 'CUSTOM_KEYS',
            customKeys: [{ header: { name: 'authorization', textTransformations: NO_TRANSFORMATION } }],
          },
        },
        visibilityConfig: visibility('RatePerToken'),
      },
      {
        name: 'RatePerIp',
        priority: 1,
        action: blockWith(429, BODY_THROTTLED, throttled.headers),
        statement: {
          rateBasedStatement: { limit: options.ipRateLimit, evaluationWindowSec: RATE_WINDOW_SECONDS, aggregateKeyType: 'IP' },
        },
        visibilityConfig: visibility('RatePerIp'),
      },
      ...bodySizeRule,
      {
        name: 'AwsCommonRules',
        priority: 3,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name: 'AWSManagedRulesCommonRuleSet',
            // Its 8 KB body limit would block ordinary group PATCHes; the handlers enforce 1 MB.
            ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }],
          },
        },
        visibilityConfig: visibility('AwsCommonRules'),
      },
    ],
  });

  new wafv2.CfnWebACLAssociation(scope, 'WebAclAssociation', {
    resourceArn: stage.stageArn,
    webAclArn: webAcl.attrArn,
  });
  return webAcl;
};
