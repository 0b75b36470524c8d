/**
 * Alarms and one dashboard for what goes wrong in production: the API failing or slowing down,
 * a function erroring or throttled, DynamoDB throttling, the report stream falling behind, and
 * batches given up on (DLQ); for directory events, the event stage falling behind the stream, the
 * oldest pending webhook delivery waiting too long, deliveries dead-lettered and attempts failing
 * (figures the webhook sender emits each run: lambdas/shared/metrics.ts). Alarms notify
 * `alarmTopic` when one is given.
 */
import { Duration } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SenderMetric } from '../../lambdas/shared/metrics';

const PERIOD = Duration.minutes(5);

/** Thresholds, in one place so the runbook and the alarms agree. */
export const ALARM_THRESHOLDS = {
  /** Percent of requests answered 5xx. */
  api5xxPercent: 1,
  /** Percent of requests answered 4xx, once there are at least `api4xxMinRequests` requests. */
  api4xxPercent: 25,
  api4xxMinRequests: 50,
  /** p99 latency, ms (warm handlers answer in tens of ms; seconds mean DynamoDB or cold-start trouble). */
  apiLatencyP99Ms: 3000,
  /** Oldest unprocessed stream record, ms: reports are this far behind. */
  iteratorAgeMs: 5 * 60 * 1000,
  /** Oldest pending webhook delivery, seconds: an endpoint has been failing (or is paused) this long. */
  oldestPendingDeliverySeconds: 60 * 60,
  /** Failed webhook attempts (retried) per 5 minutes, two periods running. */
  webhookFailedAttempts: 25,
} as const;

export interface MonitoringOptions {
  readonly api: apigateway.RestApi;
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  readonly tables: Readonly<Record<string, dynamodb.ITable>>;
  readonly streamFunction: lambda.IFunction;
  /** The directory-event stage (the stream's second consumer). */
  readonly eventStageFunction: lambda.IFunction;
  readonly deadLetterQueue: sqs.IQueue;
  readonly alarmTopic?: sns.ITopic;
}

export class GatewayMonitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, options: MonitoringOptions) {
    super(scope, id);
    const { api } = options;
    const count = api.metricCount({ period: PERIOD, statistic: 'Sum' });
    const errors5xx = api.metricServerError({ period: PERIOD, statistic: 'Sum' });
    const errors4xx = api.metricClientError({ period: PERIOD, statistic: 'Sum' });
    const rate5xx = new cloudwatch.MathExpression({
      expression: 'IF(requests > 0, 100 * serverErrors / requests, 0)',
      usingMetrics: { requests: count, serverErrors: errors5xx },
      label: '5xx %',
      period: PERIOD,
    });
    const rate4xx = new cloudwatch.MathExpression({
      expression: `IF(requests >= ${ALARM_THRESHOLDS.api4xxMinRequests}, 100 * clientErrors / requests, 0)`,
      usingMetrics: { requests: count, clientErrors: errors4xx },
      label: '4xx %',
      period: PERIOD,
    });
    const latencyP99 = api.metricLatency({ period: PERIOD, statistic: 'p99' });

    this.alarm('Api5xxRate', rate5xx, ALARM_THRESHOLDS.api5xxPercent, 'More than 1 % of API requests answered 5xx.', 2);
    this.alarm('Api4xxSpike', rate4xx, ALARM_THRESHOLDS.api4xxPercent, 'A quarter of API requests answered 4xx: a client misconfigured or an attack.', 2);
    this.alarm('ApiLatencyP99', latencyP99, ALARM_THRESHOLDS.apiLatencyP99Ms, 'API p99 latency above 3 s.', 3);

    const functionWidgets: cloudwatch.IWidget[] = [];
    for (const [name, fn] of Object.entries(options.functions)) {
      const fnErrors = fn.metricErrors({ period: PERIOD, statistic: 'Sum' });
      const fnThrottles = fn.metricThrottles({ period: PERIOD, statistic: 'Sum' });
      this.alarm(`${name}Errors`, fnErrors, 1, `The ${name} function failed (unhandled error or timeout).`);
      this.alarm(`${name}Throttles`, fnThrottles, 1, `The ${name} function was throttled (concurrency limit).`);
      functionWidgets.push(
        new cloudwatch.GraphWidget({
          title: `${name} function`,
          left: [fn.metricInvocations({ period: PERIOD }), fnErrors, fnThrottles],
          right: [fn.metricDuration({ period: PERIOD, statistic: 'p99' })],
          width: 8,
        }),
      );
    }

    const tableWidgets: cloudwatch.IWidget[] = [];
    for (const [name, table] of Object.entries(options.tables)) {
      const throttles = new cloudwatch.MathExpression({
        expression: 'reads + writes',
        usingMetrics: {
          reads: table.metric('ReadThrottleEvents', { period: PERIOD, statistic: 'Sum' }),
          writes: table.metric('WriteThrottleEvents', { period: PERIOD, statistic: 'Sum' }),
        },
        label: `${name} throttle events`,
        period: PERIOD,
      });
      this.alarm(`${name}TableThrottles`, throttles, 1, `DynamoDB throttled requests on the ${name} table.`);
      tableWidgets.push(
        new cloudwatch.GraphWidget({
          title: `${name} table`,
          left: [
            table.metricConsumedReadCapacityUnits({ period: PERIOD }),
            table.metricConsumedWriteCapacityUnits({ period: PERIOD }),
          ],
          right: [throttles],
          width: 12,
        }),
      );
    }

    const iteratorAge = options.streamFunction.metric('IteratorAge', { period: PERIOD, statistic: 'Maximum' });
    this.alarm('StreamIteratorAge', iteratorAge, ALARM_THRESHOLDS.iteratorAgeMs, 'Provisioning reports are more than 5 minutes behind.');
    const dlqDepth = options.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' });
    this.alarm('StreamDeadLetters', dlqDepth, 1, 'Stream batches were given up on; replay them from the DLQ message (docs/deploy.md).');

    // Directory events: the stage's place in the stream, and what the webhook sender reports each run.
    const stageIteratorAge = options.eventStageFunction.metric('IteratorAge', { period: PERIOD, statistic: 'Maximum' });
    this.alarm('EventStageIteratorAge', stageIteratorAge, ALARM_THRESHOLDS.iteratorAgeMs, 'Directory events (webhooks, EventBridge) are more than 5 minutes behind the changes.');
    const senderMetric = (name: string, statistic: string) =>
      new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: { service: 'scim-gateway' }, period: PERIOD, statistic });
    const oldestPending = senderMetric(SenderMetric.oldestPendingAge, 'Maximum');
    const deadLetters = senderMetric(SenderMetric.deadLetters, 'Sum');
    const failedAttempts = senderMetric(SenderMetric.failedAttempts, 'Sum');
    this.alarm('WebhookOldestPendingAge', oldestPending, ALARM_THRESHOLDS.oldestPendingDeliverySeconds, 'A webhook delivery has waited over an hour: an endpoint is failing or paused (console: Deliveries).');
    this.alarm('WebhookDeadLetters', deadLetters, 1, 'Webhook deliveries were dead-lettered (retries exhausted or 410); redeliver them from Deliveries once the endpoint works.');
    this.alarm('WebhookFailedAttempts', failedAttempts, ALARM_THRESHOLDS.webhookFailedAttempts, 'Webhook attempts keep failing (they are retried); check the endpoints in Deliveries.', 2);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      widgets: [
        [
          new cloudwatch.GraphWidget({ title: 'API requests', left: [count, errors4xx, errors5xx], width: 8 }),
          new cloudwatch.GraphWidget({ title: 'API error rates (%)', left: [rate5xx, rate4xx], width: 8 }),
          new cloudwatch.GraphWidget({ title: 'API latency p99 (ms)', left: [latencyP99], width: 8 }),
        ],
        functionWidgets,
        tableWidgets,
        [
          new cloudwatch.GraphWidget({ title: 'Report stream iterator age (ms)', left: [iteratorAge], width: 12 }),
          new cloudwatch.GraphWidget({ title: 'Stream dead letters', left: [dlqDepth], width: 12 }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'Event stage iterator age (ms)', left: [stageIteratorAge], width: 8 }),
          new cloudwatch.GraphWidget({ title: 'Oldest pending webhook delivery (s)', left: [oldestPending], width: 8 }),
          new cloudwatch.GraphWidget({ title: 'Webhook dead letters and failed attempts', left: [deadLetters, failedAttempts], width: 8 }),
        ],
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 })],
      ],
    });

    if (options.alarmTopic) {
      const action = new actions.SnsAction(options.alarmTopic);
      for (const alarm of this.alarms) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
  }

  private alarm(id: string, metric: cloudwatch.IMetric, threshold: number, description: string, periods = 1): void {
    this.alarms.push(
      new cloudwatch.Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: periods,
        datapointsToAlarm: periods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `scim-gateway: ${description}`,
      }),
    );
  }
}
