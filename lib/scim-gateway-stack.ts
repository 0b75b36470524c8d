/**
 * The deployable stack: one `ScimGateway`, configured from CDK context so a deployment is chosen
 * on the command line (`cdk deploy -c stage=prod -c waf=false`) or in cdk.json, never by editing code.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct, Node } from 'constructs';
import { z } from 'zod';
import type { ScimGatewayProps } from './gateway/props';
import { ScimGateway } from './scim-gateway';

/** `-c name=value` arrives as a string, cdk.json values keep their JSON type. */
const flag = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

/** Every context key the stack reads, with what it means. */
export const StackContextSchema = z
  .object({
    /** CloudFormation stack name. */
    stackName: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/).default('ScimGateway'),
    /** API Gateway stage name. */
    stage: z.string().optional(),
    /** Days provisioning report rows are kept. */
    reportRetentionDays: z.coerce.number().int().min(1).optional(),
    /** AWS WAF on or off. */
    waf: flag.optional(),
    /** Custom domain name and its ACM certificate ARN (both or neither). */
    domainName: z.string().optional(),
    certificateArn: z.string().startsWith('arn:').optional(),
    /** DynamoDB deletion protection; off also makes `cdk destroy` delete the data. */
    deletionProtection: flag.optional(),
    /** SNS topic for alarm notifications. */
    alarmTopicArn: z.string().startsWith('arn:').optional(),
    /** An EventBridge bus that receives the directory events too (the construct's `eventBus`). */
    eventBusArn: z.string().startsWith('arn:').optional(),
    /** Secrets Manager name prefix. */
    secretPrefix: z.string().optional(),
  })
  .refine((c) => !c.domainName === !c.certificateArn, { message: 'domainName and certificateArn go together.' });

export type StackContext = z.infer<typeof StackContextSchema>;

const CONTEXT_KEYS = Object.keys(StackContextSchema.shape) as (keyof StackContext)[];

/** Reads and checks the stack's context keys; an invalid value stops the synth with a named message. */
export const readStackContext = (node: Node): StackContext => {
  const raw = Object.fromEntries(CONTEXT_KEYS.map((key) => [key, node.tryGetContext(key)]).filter(([, v]) => v !== undefined));
  const parsed = StackContextSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`Invalid scim-gateway context: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
};

export interface ScimGatewayStackProps extends StackProps {
  /** Construct props; anything set here wins over the context. */
  readonly gateway?: ScimGatewayProps;
}

export class ScimGatewayStack extends Stack {
  readonly gateway: ScimGateway;

  constructor(scope: Construct, id: string, props: ScimGatewayStackProps = {}) {
    super(scope, id, props);
    const context = readStackContext(this.node);
    const fromContext: ScimGatewayProps = {
      stageName: context.stage,
      reportRetention: context.reportRetentionDays === undefined ? undefined : Duration.days(context.reportRetentionDays),
      waf: context.waf,
      deletionProtection: context.deletionProtection,
      secretPrefix: context.secretPrefix,
      customDomain:
        context.domainName && context.certificateArn
          ? {
              domainName: context.domainName,
              certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', context.certificateArn),
            }
          : undefined,
      alarmTopic: context.alarmTopicArn ? sns.Topic.fromTopicArn(this, 'AlarmTopic', context.alarmTopicArn) : undefined,
      eventBus: context.eventBusArn ? events.EventBus.fromEventBusArn(this, 'EventBus', context.eventBusArn) : undefined,
    };
    const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
    this.gateway = new ScimGateway(this, 'Gateway', { ...defined(fromContext), ...defined(props.gateway ?? {}) });
  }
}
