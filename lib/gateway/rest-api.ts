/**
 * The REST API, built from THE route table (lambdas/shared/routes.ts): one resource per path, one method per
 * route, each a Lambda proxy integration of its handler's function with `operationName` set to the
 * route's operation (the handlers dispatch on `requestContext.operationName`). Its gateway
 * responses come from THE gateway-response table (lib/gateway-responses.ts).
 */
import { Validations, type Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { SCIM_CONTENT_TYPE } from '../../lambdas/shared/http';
import { answerBody, answerHeaders, GATEWAY_RESPONSES } from '../gateway-responses';
import { ROUTES, type HandlerName, type Route } from '../../lambdas/shared/routes';
import type { CustomDomainOptions } from './props';

/**
 * JSON access log: who, what, outcome, latency. No headers, no query string (filters name users),
 * no body, so neither tokens nor personal data reach the log. Short keys, and nothing the log event
 * already holds (its timestamp) or that another field repeats (`path` holds what `resourcePath`
 * would), keep a filtered GET's line near 330 B: log bytes are billed per request (docs/benchmarks.md).
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  method: '$context.httpMethod',
  path: '$context.path',
  status: '$context.status',
  bytes: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationMs: '$context.integration.latency',
  principal: '$context.authorizer.principalId',
  authorizerError: '$context.authorizer.error',
  error: '$context.error.responseType',
  errorMessage: '$context.error.message',
  waf: '$context.waf.status',
} as const;

export interface GatewayApiOptions {
  readonly stageName: string;
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  readonly authorizerCacheTtl: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly cloudWatchRole: boolean;
  readonly customDomain?: CustomDomainOptions;
  readonly authorizerFunction: lambda.IFunction;
  readonly functionOf: (handler: HandlerName) => lambda.IFunction;
  readonly routes?: readonly Route[];
}

export interface GatewayApi {
  readonly api: apigateway.RestApi;
  readonly authorizer: apigateway.TokenAuthorizer;
  readonly accessLogs: logs.LogGroup;
  readonly domain?: apigateway.DomainName;
}

/** Gateway response header values are mapping expressions: static strings are single-quoted. */
const quoted = (value: string) => `'${value.replace(/'/g, '')}'`;

const addGatewayResponses = (api: apigateway.RestApi): void => {
  for (const [type, response] of Object.entries(GATEWAY_RESPONSES)) {
    const body = JSON.stringify(answerBody(response, 'detailVariable' in response ? response.detailVariable : response.detail));
    api.addGatewayResponse(`GatewayResponse${type}`, {
      type: apigateway.ResponseType.of(type),
      statusCode: String(response.status),
      responseHeaders: Object.fromEntries(Object.entries(answerHeaders(response)).map(([name, value]) => [name, quoted(value)])),
      templates: { 'application/json': body, [SCIM_CONTENT_TYPE]: body },
    });
  }
};

const pathParameters = (path: string): Record<string, boolean> =>
  Object.fromEntries([...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => [`method.request.path.${name}`, true]));

export const createGatewayApi = (scope: Construct, options: GatewayApiOptions): GatewayApi => {
  const accessLogs = new logs.LogGroup(scope, 'AccessLogs', {
    retention: options.logRetention,
    removalPolicy: options.removalPolicy,
  });

  const api = new apigateway.RestApi(scope, 'Api', {
    description: 'scim-gateway: SCIM 2.0 for identity providers, plus the admin and report API',
    endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
    // Account-wide and possibly shared with other APIs, so it is retained on stack deletion (CDK's default).
    cloudWatchRole: options.cloudWatchRole,
    deployOptions: {
      stageName: options.stageName,
      throttlingRateLimit: options.throttling.rateLimit,
      throttlingBurstLimit: options.throttling.burstLimit,
      loggingLevel: apigateway.MethodLoggingLevel.ERROR,
      // Data traces would log full requests, Authorization header included.
      dataTraceEnabled: false,
      metricsEnabled: true,
      accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
      accessLogFormat: apigateway.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
    },
  });
  // The construct outputs the API URL itself (without CDK's trailing slash, or as the custom domain).
  api.node.tryRemoveChild('Endpoint');
  if (options.cloudWatchRole) {
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'The account-level role API Gateway itself assumes to write execution logs (required by APIG6). API Gateway names ' +
        'those log groups per API and stage at run time, and this AWS managed policy is the one AWS documents for it.',
    });
  }

  const authorizer = new apigateway.TokenAuthorizer(scope, 'TokenAuthorizer', {
    handler: options.authorizerFunction,
    identitySource: apigateway.IdentitySource.header('Authorization'),
    resultsCacheTtl: options.authorizerCacheTtl,
  });

  // APIG2. Path parameters are checked here; bodies are validated by the handlers, which answer
  // with SCIM errors (400 invalidSyntax / invalidValue) that a gateway model could not produce.
  const validator = new apigateway.RequestValidator(scope, 'RequestValidator', {
    restApi: api,
    validateRequestBody: true,
    validateRequestParameters: true,
  });

  const integrations = new Map<HandlerName, apigateway.LambdaIntegration>();
  const integrationOf = (handler: HandlerName) => {
    let integration = integrations.get(handler);
    if (!integration) {
      // Each method may invoke only its own function; no extra permission for console test calls.
      integration = new apigateway.LambdaIntegration(options.functionOf(handler), { proxy: true, allowTestInvoke: false });
      integrations.set(handler, integration);
    }
    return integration;
  };

  for (const route of options.routes ?? ROUTES) {
    const isPublic = route.auth === 'none';
    const method = api.root.resourceForPath(route.path).addMethod(route.method, integrationOf(route.handler), {
      operationName: route.operation,
      authorizationType: isPublic ? apigateway.AuthorizationType.NONE : apigateway.AuthorizationType.CUSTOM,
      authorizer: isPublic ? undefined : authorizer,
      requestValidator: validator,
      requestParameters: pathParameters(route.path),
    });
    if (isPublic) {
      const reason = `The route table marks ${route.method} ${route.path} as public (auth: none).`;
      Validations.of(method).acknowledge({ id: 'AwsSolutions-APIG4', reason }, { id: 'AwsSolutions-COG4', reason });
    } else {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason:
          'Callers are identity providers presenting SCIM bearer tokens (RFC 7644 §2) and admins with gateway-issued tokens; ' +
          'there is no Cognito user pool. The Lambda TOKEN authorizer checks every token against its hash in Secrets Manager.',
      });
    }
  }

  addGatewayResponses(api);

  const domain = options.customDomain
    ? api.addDomainName('CustomDomain', {
        domainName: options.customDomain.domainName,
        certificate: options.customDomain.certificate,
        endpointType: apigateway.EndpointType.REGIONAL,
        securityPolicy: apigateway.SecurityPolicy.TLS_1_2,
      })
    : undefined;

  return { api, authorizer, accessLogs, domain };
};
