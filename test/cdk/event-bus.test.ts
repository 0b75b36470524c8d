/**
 * The opt-in `eventBus` prop: with it, the event stage (and only it) may put events on that bus,
 * and only on that bus, and is told the bus's name; without it, no function may call EventBridge.
 */
import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { ScimGateway } from '../../lib/scim-gateway';
import { ScimGatewayStack } from '../../lib/scim-gateway-stack';
import { resourcesOf, synthGateway, testApp } from './gateway-fixture';
import { Template } from 'aws-cdk-lib/assertions';

type Statement = { Action: string | string[]; Resource: unknown };

/** Every statement granting `events:PutEvents`, with the role it is attached to. */
const putEventsGrants = (template: Template) =>
  Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as Statement[])
      .filter((s) => [s.Action].flat().includes('events:PutEvents'))
      .map((s) => ({ roles: policy.Properties.Roles as { Ref: string }[], resource: s.Resource })),
  );

const busNameEnv = (template: Template) =>
  Object.entries(resourcesOf(template, 'AWS::Lambda::Function'))
    .filter(([, fn]) => fn.Properties.Environment?.Variables?.SCIM_EVENT_BUS_NAME !== undefined)
    .map(([id, fn]) => ({ id, value: fn.Properties.Environment.Variables.SCIM_EVENT_BUS_NAME }));

describe('ScimGateway eventBus', () => {
  it('without a bus, no function may put events and none is told a bus name', () => {
    const { template } = synthGateway();
    expect(putEventsGrants(template)).toEqual([]);
    expect(busNameEnv(template)).toEqual([]);
  });

  it('with a bus, only the event stage may put events, on that bus only, and it knows the bus name', () => {
    const app = testApp();
    const stack = new Stack(app, 'ScimTest');
    const bus = new events.EventBus(stack, 'DirectoryBus', { eventBusName: 'directory-events' });
    const gateway = new ScimGateway(stack, 'Scim', { eventBus: bus });
    const template = Template.fromStack(stack);
    const logicalId = (construct: { node: { defaultChild?: unknown } }) => stack.resolve(stack.getLogicalId(construct.node.defaultChild as never)) as string;
    const stageId = logicalId(gateway.functions['event-stage']);
    const stageRole = resourcesOf(template, 'AWS::Lambda::Function')[stageId].Properties.Role['Fn::GetAtt'][0];
    const busArn = { 'Fn::GetAtt': [logicalId(bus), 'Arn'] };

    expect(putEventsGrants(template)).toEqual([{ roles: [{ Ref: stageRole }], resource: busArn }]);
    expect(busNameEnv(template)).toEqual([{ id: stageId, value: { Ref: logicalId(bus) } }]);
  });

  it('accepts an imported bus: the grant names its ARN', () => {
    const app = testApp();
    const stack = new Stack(app, 'ScimTest');
    const arn = 'arn:aws:events:eu-west-1:111122223333:event-bus/shared';
    new ScimGateway(stack, 'Scim', { eventBus: events.EventBus.fromEventBusArn(stack, 'Shared', arn) });
    const template = Template.fromStack(stack);
    expect(putEventsGrants(template).map((g) => g.resource)).toEqual([arn]);
    expect(busNameEnv(template).map((e) => e.value)).toEqual(['shared']);
  });

  it('the deployable stack takes the bus from the context key eventBusArn', () => {
    const arn = 'arn:aws:events:eu-west-1:111122223333:event-bus/from-context';
    const stack = new ScimGatewayStack(testApp({ eventBusArn: arn }), 'ScimTest');
    expect(putEventsGrants(Template.fromStack(stack)).map((g) => g.resource)).toEqual([arn]);
  });
});
