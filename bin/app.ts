#!/usr/bin/env node
/**
 * The CDK app (`cdk synth`, `cdk deploy`): one ScimGatewayStack, configured from context, checked
 * by cdk-nag's AWS Solutions pack. Any unacknowledged finding fails the synth; the acknowledgements
 * sit beside the resources they concern, each with its reason (lib/gateway/*.ts).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readStackContext, ScimGatewayStack } from '../lib/scim-gateway-stack';

const app = new App();
const { stackName } = readStackContext(app.node);
new ScimGatewayStack(app, stackName, {
  description: 'scim-gateway: serverless SCIM 2.0 gateway (API Gateway, Lambda, DynamoDB)',
  // Account and region of the deploying credentials; absent offline, which gives an environment-agnostic template.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
