import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { DEFAULTS, resolveGatewayProps } from '../../lib/defaults';
import { ScimGateway } from '../../lib/scim-gateway';
import { readStackContext, ScimGatewayStack } from '../../lib/scim-gateway-stack';
import { resourcesOf, synthGateway, testApp } from './gateway-fixture';

describe('resolveGatewayProps', () => {
  const stack = () => new Stack(testApp(), 'Props');

  it('applies the documented defaults', () => {
    const resolved = resolveGatewayProps(stack());
    expect(resolved).toMatchObject({
      stageName: 'v1',
      reportRetentionDays: 90,
      throttling: { rateLimit: 100, burstLimit: 200 },
      waf: { rateLimit: 6000, ipRateLimit: 30000, maxBodyKiB: undefined },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      logRetention: DEFAULTS.logRetention,
      secretPrefix: 'Props',
      apiGatewayCloudWatchRole: true,
    });
    expect(resolved.authorizerCacheTtl.toSeconds()).toBe(300);
  });

  it('lets caller props win over defaults, field by field', () => {
    const resolved = resolveGatewayProps(stack(), { throttling: { rateLimit: 10 }, waf: { rateLimit: 500 } });
    expect(resolved.throttling).toEqual({ rateLimit: 10, burstLimit: 200 });
    expect(resolved.waf).toEqual({ rateLimit: 500, ipRateLimit: 30000, maxBodyKiB: undefined });
  });

  it('destroys on removal by default once deletion protection is off', () => {
    expect(resolveGatewayProps(stack(), { deletionProtection: false }).removalPolicy).toBe(RemovalPolicy.DESTROY);
    expect(resolveGatewayProps(stack(), { deletionProtection: false, removalPolicy: RemovalPolicy.RETAIN }).removalPolicy).toBe(
      RemovalPolicy.RETAIN,
    );
  });

  it('reports every invalid prop in one error', () => {
    expect(() =>
      resolveGatewayProps(stack(), {
        stageName: 'has space',
        reportRetention: Duration.hours(36),
        authorizerCacheTtl: Duration.hours(2),
        waf: { rateLimit: 5 },
        secretPrefix: 'trailing/',
      }),
    ).toThrow(/stageName[\s\S]*reportRetention[\s\S]*authorizerCacheTtl[\s\S]*waf\.rateLimit[\s\S]*secretPrefix/);
  });
});

describe('ScimGateway props', () => {
  it('names the stage, caches authorizer decisions and keeps report rows as configured', () => {
    const gw = synthGateway({ stageName: 'prod', authorizerCacheTtl: Duration.seconds(60), reportRetention: Duration.days(30) });
    gw.template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod' });
    gw.template.hasResourceProperties('AWS::ApiGateway::Authorizer', { AuthorizerResultTtlInSeconds: 60 });
    const functions = Object.values(resourcesOf(gw.template, 'AWS::Lambda::Function'));
    for (const fn of functions) expect(fn.Properties.Environment.Variables.SCIM_REPORT_RETENTION_DAYS).toBe('30');
  });

  it('scopes secrets to a custom prefix', () => {
    const gw = synthGateway({ secretPrefix: 'acme/scim' });
    gw.template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'acme/scim/admin' });
    expect(JSON.stringify(gw.template.toJSON())).toContain(':secret:acme/scim/apps/*');
  });

  it('serves a custom domain and outputs it as the API URL', () => {
    const app = testApp();
    const stack = new Stack(app, 'Domain');
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc');
    new ScimGateway(stack, 'Scim', { customDomain: { domainName: 'scim.example.com', certificate } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'scim.example.com',
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'TLS_1_2',
    });
    template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 1);
    const outputs = Object.entries(template.toJSON().Outputs as Record<string, { Value: unknown }>);
    expect(outputs.find(([id]) => id.startsWith('ScimApiUrl'))?.[1].Value).toBe('https://scim.example.com');
    expect(outputs.some(([id]) => id.startsWith('ScimCustomDomainTarget'))).toBe(true);
  });

  it('leaves the account-wide API Gateway logging role to another stack when asked', () => {
    const gw = synthGateway({ apiGatewayCloudWatchRole: false });
    gw.template.resourceCountIs('AWS::ApiGateway::Account', 0);
  });
});

describe('ScimGatewayStack context', () => {
  it('reads command-line strings and cdk.json values alike', () => {
    const app = testApp({ waf: 'false', deletionProtection: false, stage: 'dev', reportRetentionDays: '30' });
    expect(readStackContext(app.node)).toEqual({
      stackName: 'ScimGateway',
      waf: false,
      deletionProtection: false,
      stage: 'dev',
      reportRetentionDays: 30,
    });
  });

  it('refuses a domain without its certificate', () => {
    expect(() => readStackContext(testApp({ domainName: 'scim.example.com' }).node)).toThrow(/domainName and certificateArn/);
  });

  it('refuses a flag that is not a boolean', () => {
    expect(() => readStackContext(testApp({ waf: 'maybe' }).node)).toThrow(/waf/);
  });

  it('builds the gateway from context', () => {
    const app = testApp({ waf: 'false', stage: 'dev', deletionProtection: 'false' });
    const stack = new ScimGatewayStack(app, 'FromContext');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'dev' });
    template.allResourcesProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
  });
});
