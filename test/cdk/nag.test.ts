import * as fs from 'node:fs';
import * as path from 'node:path';
import { Stack, Validations, type App } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { ROUTES } from '../../lambdas/shared/routes';
import { ScimGatewayStack } from '../../lib/scim-gateway-stack';
import { testApp } from './gateway-fixture';

/** The stack as bin/app.ts builds it, on an App that runs every validation plugin. */
const appLikeBin = (context: Record<string, unknown> = {}) => {
  const app = testApp(context, { validate: true });
  new ScimGatewayStack(app, 'ScimGateway');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
};

/** `{ id: reason }` of every acknowledgement in the tree. */
const acknowledgements = (root: IConstruct): { id: string; reason: string; path: string }[] =>
  root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          id: id.replace(/^annotation::/i, ''),
          reason,
          path: construct.node.path,
        })),
      ),
  );

const violationsOf = (app: App) => new AwsSolutionsChecks(app).validateScope(app).violations;

describe('cdk-nag AwsSolutionsChecks', () => {
  it('reports the findings of a stack that has some (the pack really runs)', () => {
    const app = testApp();
    new sqs.Queue(new Stack(app, 'Bad'), 'Queue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    expect(violationsOf(app).map((v) => v.ruleName)).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
  });

  it.each([
    ['with WAF (default)', {}],
    ['without WAF', { waf: false }],
  ])('reports no unacknowledged finding on the stack %s', (_name, context) => {
    expect(violationsOf(appLikeBin(context))).toEqual([]);
  });

  it('synthesizes with every validation plugin passing, CloudFormation schema checks included', () => {
    const assembly = appLikeBin().synth();
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    const violations = (report.pluginReports as { violations?: unknown[] }[]).flatMap((r) => r.violations ?? []);
    expect(violations).toEqual([]);
  }, 180_000);

  it('acknowledges only these findings, each with a reason', () => {
    const acks = acknowledgements(appLikeBin());
    for (const ack of acks) expect(ack.reason.length).toBeGreaterThanOrEqual(40);
    // APIG4 (no authorization) is acknowledged on public routes only, if the route table has any.
    const publicRoutes = ROUTES.some((route) => route.auth === 'none') ? ['AwsSolutions-APIG4'] : [];
    expect([...new Set(acks.map((a) => a.id))].sort()).toEqual(
      [
        ...publicRoutes,
        'AwsSolutions-COG4',
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:ScimGateway/*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:ScimGateway/apps/*]',
        // The OAuth signing key secret, created at run time by the first token request (issue 17).
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:ScimGateway/oauth/*]',
        'AwsSolutions-SMG4',
        'AwsSolutions-SQS3',
      ].sort(),
    );
  });

  it('acknowledges Cognito and public-route findings per method, never for the whole API', () => {
    const acks = acknowledgements(appLikeBin()).filter((a) => a.id === 'AwsSolutions-COG4' || a.id === 'AwsSolutions-APIG4');
    expect(acks.filter((a) => a.id === 'AwsSolutions-COG4')).toHaveLength(ROUTES.length);
    expect(acks.filter((a) => a.id === 'AwsSolutions-APIG4')).toHaveLength(ROUTES.filter((r) => r.auth === 'none').length);
    for (const ack of acks) expect(ack.path).toMatch(/\/Api\/Default\/.+\/(GET|POST|PUT|PATCH|DELETE)$/);
  });
});
