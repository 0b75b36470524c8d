/**
 * Main-table stream → report function (aws-design.md §2.8). Defaults would let one poison record
 * block its shard for 24 h and then drop it; here failures are bisected, retried a bounded number
 * of times, and what still fails is recorded in an encrypted dead-letter queue.
 */
import { Duration, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ItemType } from '../../lambdas/domain/items';
import { Attr } from '../../lambdas/store/keys';

export const STREAM_SETTINGS = {
  batchSize: 100,
  maxBatchingWindow: Duration.seconds(1),
  retryAttempts: 10,
  /**
   * Long enough to ride out a throttled report table or a bad deploy, short enough to leave 18 of
   * the stream's 24 hours for an operator to replay a dead-lettered batch from its shard position.
   */
  maxRecordAge: Duration.hours(6),
  /** One batch per shard at a time keeps each item's changes in order. */
  parallelizationFactor: 1,
} as const;

export const createDeadLetterQueue = (scope: Construct, removalPolicy: RemovalPolicy): sqs.Queue => {
  const queue = new sqs.Queue(scope, 'StreamDeadLetterQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy,
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself the dead-letter destination of the stream event-source mapping; it holds failed-batch ' +
      'metadata for an operator and is not consumed, so it needs no DLQ of its own.',
  });
  return queue;
};

/**
 * The mapping's on-failure destination. CDK's `SqsDlq` also grants GetQueueAttributes and
 * GetQueueUrl; Lambda only needs `sqs:SendMessage`, which permissions.ts grants.
 */
const sendOnlyDlq = (queue: sqs.IQueue): lambda.IEventSourceDlq => ({
  bind: () => ({ destination: queue.queueArn }),
});

/**
 * Sentinel items only guard uniqueness; they never become report rows, so they are dropped before
 * the function is invoked. Inserts and updates carry a NewImage, removals only an OldImage.
 */
const notUnique = lambda.FilterRule.notEquals(ItemType.unique);
export const STREAM_FILTERS = [
  lambda.FilterCriteria.filter({ dynamodb: { NewImage: { [Attr.type]: { S: notUnique } } } }),
  lambda.FilterCriteria.filter({
    eventName: lambda.FilterRule.isEqual('REMOVE'),
    dynamodb: { OldImage: { [Attr.type]: { S: notUnique } } },
  }),
];

export const connectStream = (
  fn: lambda.IFunction,
  table: dynamodb.ITable,
  deadLetterQueue: sqs.IQueue,
): DynamoEventSource => {
  const source = new DynamoEventSource(table, {
    startingPosition: lambda.StartingPosition.TRIM_HORIZON,
    ...STREAM_SETTINGS,
    bisectBatchOnError: true,
    reportBatchItemFailures: true,
    onFailure: sendOnlyDlq(deadLetterQueue),
    filters: STREAM_FILTERS,
  });
  fn.addEventSource(source);
  if (fn.role) {
    Validations.of(fn.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams, which the DynamoDB event source grants, supports no resource-level permissions; the stream ' +
        "read actions themselves (DescribeStream, GetRecords, GetShardIterator) are scoped to this table's stream ARN.",
    });
  }
  return source;
};

/**
 * The webhook sender runs once a minute and passes over the delivery queue for most of that
 * minute; one instance at a time (reserved concurrency 1) keeps the per-subject order rule, which
 * the sender applies in memory, true across invocations.
 */
export const scheduleSender = (scope: Construct, fn: lambda.Function): void => {
  const rule = new events.Rule(scope, 'WebhookSenderSchedule', {
    schedule: events.Schedule.rate(Duration.minutes(1)),
    description: 'Starts the scim-gateway webhook sender each minute',
  });
  rule.addTarget(new targets.LambdaFunction(fn, { retryAttempts: 0 }));
  (fn.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions = 1;
};
