import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ScimGateway } from '../../lib/scim-gateway';
import { FUNCTION_NAMES, resourcesOf, synthGateway, testApp } from './gateway-fixture';

type Cfn = Record<string, any>;

const alarmsOf = (template: Template): Cfn[] => Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties);
const metricNames = (alarm: Cfn): string[] =>
  alarm.MetricName ? [alarm.MetricName] : (alarm.Metrics as Cfn[]).filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric.MetricName);

describe('ScimGateway monitoring', () => {
  const gw = synthGateway();
  const alarms = alarmsOf(gw.template);

  it('alarms on the API 5xx rate, a 4xx spike and p99 latency', () => {
    const api = alarms.filter((a) => metricNames(a).some((m) => ['5XXError', '4XXError', 'Latency'].includes(m)));
    expect(api.map(metricNames).map((names) => names.sort().join('+')).sort()).toEqual(['4XXError+Count', '5XXError+Count', 'Latency']);
    expect(api.find((a) => a.ExtendedStatistic === 'p99')).toBeDefined();
  });

  it('alarms on errors and throttles of every function', () => {
    const functions = Object.values(gw.gateway.functions).map((fn) => gw.logicalId(fn));
    expect(functions).toHaveLength(FUNCTION_NAMES.length);
    for (const metric of ['Errors', 'Throttles']) {
      const watched = alarms.filter((a) => a.MetricName === metric && a.Namespace === 'AWS/Lambda').map((a) => a.Dimensions[0].Value.Ref);
      expect(watched.sort()).toEqual([...functions].sort());
    }
  });

  it('alarms on DynamoDB throttling of both tables', () => {
    const throttled = alarms
      .filter((a) => metricNames(a).includes('ReadThrottleEvents') && metricNames(a).includes('WriteThrottleEvents'))
      .map((a) => JSON.stringify(a.Metrics));
    expect(throttled).toHaveLength(2);
    expect(throttled.some((m) => m.includes(`"${gw.logicalId(gw.gateway.table)}"`))).toBe(true);
    expect(throttled.some((m) => m.includes(`"${gw.logicalId(gw.gateway.reportTable)}"`))).toBe(true);
  });

  it('alarms when reports fall behind and when stream batches are dead-lettered', () => {
    expect(alarms.find((a) => a.MetricName === 'IteratorAge')).toMatchObject({ Statistic: 'Maximum', Threshold: 300000 });
    expect(alarms.find((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible')).toMatchObject({
      Namespace: 'AWS/SQS',
      Threshold: 1,
    });
  });

  it('alarms when directory events fall behind the stream, a webhook delivery waits over an hour, deliveries are dead-lettered or attempts keep failing', () => {
    const stageId = gw.logicalId(gw.gateway.functions['event-stage']);
    const stageAge = alarms.filter((a) => a.MetricName === 'IteratorAge' && a.Dimensions[0].Value.Ref === stageId);
    expect(stageAge).toEqual([expect.objectContaining({ Statistic: 'Maximum', Threshold: 300000 })]);
    const sender = (name: string) => alarms.filter((a) => a.MetricName === name && a.Namespace === 'ScimGateway');
    expect(sender('WebhookOldestPendingAge')).toEqual([
      expect.objectContaining({ Statistic: 'Maximum', Threshold: 3600, Dimensions: [{ Name: 'service', Value: 'scim-gateway' }] }),
    ]);
    expect(sender('WebhookDeadLetters')).toEqual([expect.objectContaining({ Statistic: 'Sum', Threshold: 1 })]);
    expect(sender('WebhookFailedAttempts')).toEqual([expect.objectContaining({ Statistic: 'Sum', Threshold: 25, EvaluationPeriods: 2 })]);
  });

  it('draws one dashboard', () => {
    gw.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('leaves alarms without actions when no topic is given', () => {
    expect(alarms.every((a) => a.AlarmActions === undefined)).toBe(true);
  });

  it('notifies the alarm topic of every alarm and its recovery', () => {
    const app = testApp();
    const stack = new Stack(app, 'WithTopic');
    const topic = new sns.Topic(stack, 'Alarms');
    new ScimGateway(stack, 'Scim', { alarmTopic: topic });
    const withTopic = alarmsOf(Template.fromStack(stack));
    expect(withTopic.length).toBe(alarms.length);
    const topicRef = { Ref: stack.resolve(stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic)) };
    for (const alarm of withTopic) {
      expect(alarm.AlarmActions).toEqual([topicRef]);
      expect(alarm.OKActions).toEqual([topicRef]);
    }
  });
});
