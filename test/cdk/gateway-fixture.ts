/**
 * Builds a ScimGateway for template assertions, with bundling skipped (0.5 s instead of ~6 s):
 * the template does not depend on the handlers' code, only on their entry files existing.
 */
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { GatewayFunctionName } from '../../lib/gateway/functions';
import type { ScimGatewayProps } from '../../lib/gateway/props';
import { HANDLERS } from '../../lambdas/shared/routes';
import { ScimGateway } from '../../lib/scim-gateway';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const FUNCTION_NAMES: readonly GatewayFunctionName[] = [...HANDLERS, 'authorizer', 'stream', 'event-stage', 'webhook-sender'];

/**
 * An App that skips asset bundling. CDK's built-in CloudFormation schema validation costs ~10 s
 * per process, so template tests leave it to the validation test (nag.test.ts), which keeps it on.
 */
export const testApp = (context: Record<string, unknown> = {}, options: { validate?: boolean } = {}): App =>
  new App({ context: { 'aws:cdk:bundling-stacks': [], ...context }, builtinCloudFormationValidation: options.validate ?? false });

export interface SynthesizedGateway {
  readonly app: App;
  readonly stack: Stack;
  readonly gateway: ScimGateway;
  readonly template: Template;
  /** The template's logical id of a construct's CloudFormation resource. */
  readonly logicalId: (resource: { node: { defaultChild?: unknown } } | unknown) => string;
}

export const synthGateway = (props: ScimGatewayProps = {}, stackName = 'ScimTest'): SynthesizedGateway => {
  const app = testApp();
  const stack = new Stack(app, stackName);
  const gateway = new ScimGateway(stack, 'Scim', props);
  const template = Template.fromStack(stack);
  const logicalId = (construct: unknown): string => {
    const c = construct as { node: { defaultChild?: unknown } };
    const cfn = (c.node.defaultChild ?? construct) as Parameters<Stack['getLogicalId']>[0];
    return stack.resolve(stack.getLogicalId(cfn)) as string;
  };
  return { app, stack, gateway, template, logicalId };
};

/** Every resource of one CloudFormation type, keyed by logical id. */
export const resourcesOf = (template: Template, type: string): Record<string, { Properties: Record<string, any> }> =>
  template.findResources(type) as Record<string, { Properties: Record<string, any> }>;
