/**
 * `ScimGateway`: the whole production deployment as one construct. The minimal use is
 * `new ScimGateway(stack, 'Scim')`; every option is in `ScimGatewayProps` (lib/gateway/props.ts),
 * with defaults in lib/defaults.ts.
 */
import { CfnOutput, Stack, Validations, type Duration } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTION_SETTINGS, resolveGatewayProps, type ResolvedGatewayProps } from './defaults';
import { createGatewayFunction, type GatewayFunctionName } from './gateway/functions';
import { GatewayMonitoring } from './gateway/monitoring';
import { grantGatewayPermissions } from './gateway/permissions';
import type { ScimGatewayProps } from './gateway/props';
import { createGatewayApi } from './gateway/rest-api';
import { ADMIN_BOOTSTRAP_KEY, ADMIN_TOKEN_PREFIX, createGatewaySecrets, secretName } from './gateway/secrets';
import { createGatewayTable, indexArns } from './gateway/storage';
import { connectStream, createDeadLetterQueue, scheduleSender } from './gateway/stream-pipeline';
import { createWebAcl } from './gateway/web-acl';
import { HANDLERS, type HandlerName } from '../lambdas/shared/routes';
import { MAIN_TABLE, REPORT_TABLE } from './tables';

/** The functions that create secrets at run time. */
const SECRET_CREATORS: ReadonlySet<HandlerName> = new Set<HandlerName>(['admin', 'oauth-clients', 'oauth-token', 'events-admin']);

/** The functions of a gateway: one per API handler of the route table, the authorizer and the stream consumer. */
export type GatewayFunctions = Readonly<Partial<Record<HandlerName, NodejsFunction>>> & {
  readonly authorizer: NodejsFunction;
  readonly stream: NodejsFunction;
  /** Directory events: the second stream consumer and the webhook sender. */
  readonly 'event-stage': NodejsFunction;
  readonly 'webhook-sender': NodejsFunction;
};

export class ScimGateway extends Construct {
  /** The REST API; the Tenant URL of an application is `<api url>/apps/<appId>/scim/v2`. */
  readonly api: apigateway.RestApi;
  /** Users, groups, memberships, applications and uniqueness sentinels (single table). */
  readonly table: dynamodb.Table;
  /** Provisioning report rows, written by the stream consumer. */
  readonly reportTable: dynamodb.Table;
  readonly functions: GatewayFunctions;
  /** Holds the admin token hashes and the generated bootstrap value. Never output by value. */
  readonly adminSecret: secretsmanager.Secret;
  /** Encrypts the admin secret and every application secret. */
  readonly secretsKey: kms.Key;
  /** Stream batches that failed after every retry (metadata to replay them from the stream). */
  readonly deadLetterQueue: sqs.Queue;
  readonly monitoring: GatewayMonitoring;
  /** The settings in effect, defaults applied. */
  readonly settings: ResolvedGatewayProps;

  constructor(scope: Construct, id: string, props: ScimGatewayProps = {}) {
    super(scope, id);
    const settings = resolveGatewayProps(this, props);
    this.settings = settings;

    this.table = createGatewayTable(this, 'Table', { definition: MAIN_TABLE, ...settings });
    this.reportTable = createGatewayTable(this, 'ReportTable', { definition: REPORT_TABLE, ...settings });
    const { key, adminSecret } = createGatewaySecrets(this, { prefix: settings.secretPrefix, removalPolicy: settings.removalPolicy });
    this.secretsKey = key;
    this.adminSecret = adminSecret;
    this.deadLetterQueue = createDeadLetterQueue(this, settings.removalPolicy);

    const environment = {
      SCIM_TABLE_NAME: this.table.tableName,
      SCIM_REPORT_TABLE_NAME: this.reportTable.tableName,
      SCIM_SECRET_STORE: 'secrets-manager',
      SCIM_SECRET_PREFIX: settings.secretPrefix,
      SCIM_AUTH_CACHE_SECONDS: String(FUNCTION_SETTINGS.authCacheSeconds),
      // The console states how long a revoked token may still pass (handlers/reports.ts, app health).
      SCIM_AUTHORIZER_CACHE_SECONDS: String(settings.authorizerCacheTtl.toSeconds()),
      SCIM_REPORT_RETENTION_DAYS: String(settings.reportRetentionDays),
      POWERTOOLS_SERVICE_NAME: FUNCTION_SETTINGS.serviceName,
      // The bundled SDK is pinned; its Node-version notice is noise in every cold start.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const targets = {
      table: this.table,
      tableIndexes: indexArns(this.table, MAIN_TABLE),
      reportTable: this.reportTable,
      reportIndexes: indexArns(this.reportTable, REPORT_TABLE),
      key,
      adminSecret,
      secretPrefix: settings.secretPrefix,
      deadLetterQueue: this.deadLetterQueue,
      eventBus: settings.eventBus,
    };
    const build = (name: GatewayFunctionName, description: string, sizing: { memorySize: number; timeout: Duration }, extraEnv = {}) => {
      const fn = createGatewayFunction(this, {
        name,
        description,
        codeRoot: settings.codeRoot,
        ...sizing,
        environment: { ...environment, ...extraEnv },
        logRetention: settings.logRetention,
        removalPolicy: settings.removalPolicy,
      });
      grantGatewayPermissions(this, name, fn, targets);
      return fn;
    };

    const handlers: Partial<Record<HandlerName, NodejsFunction>> = {};
    for (const name of HANDLERS) {
      // These functions create secrets (application, client hash and signing key secrets), encrypted with the gateway's key.
      const extraEnv = SECRET_CREATORS.has(name) ? { SCIM_SECRET_KMS_KEY_ID: key.keyArn } : {};
      handlers[name] = build(name, `scim-gateway ${name} API handler`, name === 'bulk' ? FUNCTION_SETTINGS.bulk : FUNCTION_SETTINGS.api, extraEnv);
    }
    const authorizer = build('authorizer', 'scim-gateway TOKEN authorizer (SCIM and admin bearer tokens)', FUNCTION_SETTINGS.authorizer);
    const stream = build('stream', 'scim-gateway main-table stream consumer: provisioning report rows', FUNCTION_SETTINGS.stream);
    connectStream(stream, this.table, this.deadLetterQueue);
    // Directory events: a second consumer of the stream, and the sender over the delivery queue.
    const eventStage = build(
      'event-stage',
      'scim-gateway main-table stream consumer: directory events',
      FUNCTION_SETTINGS.eventStage,
      settings.eventBus ? { SCIM_EVENT_BUS_NAME: settings.eventBus.eventBusName } : {},
    );
    connectStream(eventStage, this.table, this.deadLetterQueue);
    const webhookSender = build('webhook-sender', 'scim-gateway webhook sender (delivery queue → signed webhooks)', FUNCTION_SETTINGS.webhookSender);
    scheduleSender(this, webhookSender);
    this.functions = { ...handlers, authorizer, stream, 'event-stage': eventStage, 'webhook-sender': webhookSender };

    const { api, domain } = createGatewayApi(this, {
      stageName: settings.stageName,
      throttling: settings.throttling,
      authorizerCacheTtl: settings.authorizerCacheTtl,
      logRetention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
      cloudWatchRole: settings.apiGatewayCloudWatchRole,
      customDomain: settings.customDomain,
      authorizerFunction: authorizer,
      functionOf: (name) => {
        const fn = handlers[name];
        if (!fn) throw new Error(`No function was built for handler "${name}".`);
        return fn;
      },
    });
    this.api = api;

    if (settings.waf) {
      createWebAcl(this, api.deploymentStage, settings.waf);
    } else {
      Validations.of(api.deploymentStage).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason: 'AWS WAF was turned off for this deployment (waf: false); stage throttling still applies.',
      });
    }

    this.monitoring = new GatewayMonitoring(this, 'Monitoring', {
      api,
      functions: this.functions as Readonly<Record<string, NodejsFunction>>,
      tables: { main: this.table, report: this.reportTable },
      streamFunction: stream,
      eventStageFunction: eventStage,
      deadLetterQueue: this.deadLetterQueue,
      alarmTopic: settings.alarmTopic,
    });

    const stack = Stack.of(this);
    const executeApiUrl = `https://${api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/${settings.stageName}`;
    this.addOutputs(settings.customDomain ? `https://${settings.customDomain.domainName}` : executeApiUrl, domain);
  }

  private addOutputs(apiUrl: string, domain: apigateway.DomainName | undefined): void {
    const region = Stack.of(this).region;
    const adminSecretName = secretName.admin(this.settings.secretPrefix);
    const readSecret = `aws secretsmanager get-secret-value --region ${region} --secret-id ${adminSecretName} --query SecretString --output text`;
    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the API. The Tenant URL of an application is <ApiUrl>/apps/<appId>/scim/v2.',
      value: apiUrl,
    });
    if (domain) {
      new CfnOutput(this, 'CustomDomainTarget', {
        description: 'Point a CNAME (or alias) for the custom domain at this name.',
        value: domain.domainNameAliasDomainName,
      });
    }
    new CfnOutput(this, 'AdminSecretName', { description: 'Secrets Manager secret holding the admin tokens.', value: adminSecretName });
    new CfnOutput(this, 'AdminSecretArn', { value: this.adminSecret.secretArn });
    new CfnOutput(this, 'AdminTokenCommand', {
      description: `Prints the first admin token (${ADMIN_TOKEN_PREFIX}<${ADMIN_BOOTSTRAP_KEY}>). Needs the AWS CLI and jq.`,
      value: `${readSecret} | jq -r '"${ADMIN_TOKEN_PREFIX}" + .${ADMIN_BOOTSTRAP_KEY}'`,
    });
    new CfnOutput(this, 'CreateFirstApplicationCommand', {
      description:
        'Creates the first application and prints its Tenant URL and Secret Token for Entra ID. ' +
        'Set SCIM_GATEWAY_ADMIN_TOKEN to the admin token first (AdminTokenCommand).',
      value: `npx scim-gateway apps create --api-url ${apiUrl} --admin-token "$SCIM_GATEWAY_ADMIN_TOKEN" --name "Entra ID"`,
    });
  }
}
