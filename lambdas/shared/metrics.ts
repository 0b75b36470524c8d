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
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

/** Emits one count now (handlers without a metrics middleware have no buffer to flush). Never throws. */
export const countNow = (name: MetricName, value = 1): void => {
  try {
    metrics.singleMetric().addMetric(name, MetricUnit.Count, value);
  } catch (error) {
    logger.warn('could not emit a metric', { error: error as Error, metric: name });
  }
};
