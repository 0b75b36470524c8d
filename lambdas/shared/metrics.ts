/**
 * CloudWatch metrics as Embedded Metric Format lines (Powertools Metrics): CloudWatch counts them
 * from the function's log, so emitting one costs no API call and no latency. Set
 * POWERTOOLS_METRICS_DISABLED=true to silence them (the local gateway does).
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger } from './logger';

export const METRICS_NAMESPACE = 'ScimGateway';

export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'scim-gateway' });

export const MetricName = {
  /** The authorizer refused a request to a Tenant URL of no known application (ids are not reported). */
  refusedUnknownApplication: 'RefusedUnknownApplication',
  /** A directory event too large for EventBridge (over 256 KB) was not put on the bus (it is in the log and webhooks). */
  eventTooLargeForBus: 'EventTooLargeForEventBridge',
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

/** What the webhook sender reports once per run (the construct's delivery alarms read them). */
export const SenderMetric = {
  /** Age of the oldest delivery still pending (seconds, 0 when none): events wait this long. */
  oldestPendingAge: 'WebhookOldestPendingAge',
  /** Deliveries dead-lettered (last attempt failed, or the endpoint answered 410). */
  deadLetters: 'WebhookDeadLetters',
  /** Attempts that failed and will be retried. */
  failedAttempts: 'WebhookFailedAttempts',
  delivered: 'WebhookDelivered',
} as const;

/** Emits the sender's figures of one run as one EMF line. Never throws. */
export const reportSenderRun = (run: { oldestPendingAgeSeconds: number; deadLetters: number; failedAttempts: number; delivered: number }): void => {
  try {
    const line = metrics.singleMetric();
    line.addMetric(SenderMetric.oldestPendingAge, MetricUnit.Seconds, run.oldestPendingAgeSeconds);
    line.addMetric(SenderMetric.deadLetters, MetricUnit.Count, run.deadLetters);
    line.addMetric(SenderMetric.failedAttempts, MetricUnit.Count, run.failedAttempts);
    line.addMetric(SenderMetric.delivered, MetricUnit.Count, run.delivered);
    line.publishStoredMetrics();
  } catch (error) {
    logger.warn('could not emit the sender metrics', { error: error as Error });
  }
};

/** Emits one count now (handlers without a metrics middleware have no buffer to flush). Never throws. */
export const countNow = (name: MetricName, value = 1): void => {
  try {
    metrics.singleMetric().addMetric(name, MetricUnit.Count, value);
  } catch (error) {
    logger.warn('could not emit a metric', { error: error as Error, metric: name });
  }
};
