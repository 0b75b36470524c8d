import { Match, Template } from 'aws-cdk-lib/assertions';
import { LOCAL_ROUTES } from '../../lib/local/http-adapter';
import { ROUTES, type Route } from '../../lambdas/shared/routes';
import { resourcesOf, synthGateway, type SynthesizedGateway } from './gateway-fixture';

type Cfn = Record<string, any>;

/** `METHOD /full/path` of every API Gateway method, paths rebuilt from the resource tree. */
const templateRoutes = (template: Template): Map<string, Cfn> => {
  const resources = resourcesOf(template, 'AWS::ApiGateway::Resource');
  const pathOf = (ref: Cfn): string => {
    if (ref['Fn::GetAtt']?.[1] === 'RootResourceId') return '';
    const resource = resources[ref.Ref];
    if (!resource) throw new Error(`Unknown API resource ${JSON.stringify(ref)}`);
    return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
  };
  const methods = new Map<string, Cfn>();
  for (const method of Object.values(resourcesOf(template, 'AWS::ApiGateway::Method'))) {
    methods.set(`${method.Properties.HttpMethod} ${pathOf(method.Properties.ResourceId)}`, method.Properties);
  }
  return methods;
};

const routeKey = (route: Route) => `${route.method} ${route.path}`;

describe('ScimGateway REST API', () => {
  let gw: SynthesizedGateway;
  let methods: Map<string, Cfn>;
  beforeAll(() => {
    gw = synthGateway();
    methods = templateRoutes(gw.template);
  });

  it('exposes exactly the routes the local adapter serves', () => {
    expect([...methods.keys()].sort()).toEqual(LOCAL_ROUTES.map(routeKey).sort());
  });

  it('exposes exactly the routes of the route table', () => {
    expect([...methods.keys()].sort()).toEqual(ROUTES.map(routeKey).sort());
  });

  it.each(ROUTES.map((r) => [routeKey(r), r] as const))('%s names its operation and handler and is authorized as the route table says', (_key, route) => {
    const method = methods.get(routeKey(route))!;
    const authorizers = Object.keys(resourcesOf(gw.template, 'AWS::ApiGateway::Authorizer'));
    expect(method.OperationName).toBe(route.operation);
    expect(method.AuthorizationType).toBe(route.auth === 'none' ? 'NONE' : 'CUSTOM');
    if (route.auth !== 'none') expect(method.AuthorizerId).toEqual({ Ref: authorizers[0] });
    expect(method.Integration).toMatchObject({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' });
    const handlerFn = gw.logicalId(gw.gateway.functions[route.handler]);
    expect(JSON.stringify(method.Integration.Uri)).toContain(`"${handlerFn}"`);
  });

  it('serves the OAuth token endpoint without the authorizer, by its own function; the OAuth admin routes need the authorizer', () => {
    const token = methods.get('POST /apps/{appId}/oauth/token')!;
    expect(token.AuthorizationType).toBe('NONE');
    expect(JSON.stringify(token.Integration.Uri)).toContain(`"${gw.logicalId(gw.gateway.functions['oauth-token'])}"`);
    for (const key of ['POST /admin/apps/{appId}/oauth-clients', 'DELETE /admin/apps/{appId}/oauth-clients/{clientId}/secrets/{secretId}', 'PUT /admin/apps/{appId}/entra']) {
      expect([key, methods.get(key)?.AuthorizationType]).toEqual([key, 'CUSTOM']);
    }
    // The functions that create secrets encrypt them with the gateway's key.
    const env = (name: 'oauth-token' | 'oauth-clients') =>
      resourcesOf(gw.template, 'AWS::Lambda::Function')[gw.logicalId(gw.gateway.functions[name])].Properties.Environment.Variables;
    expect(env('oauth-token').SCIM_SECRET_KMS_KEY_ID).toEqual({ 'Fn::GetAtt': [gw.logicalId(gw.gateway.secretsKey), 'Arn'] });
    expect(env('oauth-clients').SCIM_SECRET_KMS_KEY_ID).toBeDefined();
  });

  it('checks path parameters with the request validator on every method', () => {
    const validators = resourcesOf(gw.template, 'AWS::ApiGateway::RequestValidator');
    expect(Object.values(validators).map((v) => v.Properties)).toEqual([
      expect.objectContaining({ ValidateRequestBody: true, ValidateRequestParameters: true }),
    ]);
    for (const route of ROUTES) {
      const method = methods.get(routeKey(route))!;
      expect(method.RequestValidatorId).toEqual({ Ref: Object.keys(validators)[0] });
      const params = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => `method.request.path.${name}`);
      expect(Object.keys(method.RequestParameters ?? {}).sort()).toEqual(params.sort());
    }
  });

  it('authorizes with one TOKEN authorizer on the Authorization header, cached for 300 s', () => {
    gw.template.resourceCountIs('AWS::ApiGateway::Authorizer', 1);
    gw.template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 300,
    });
    const [authorizer] = Object.values(resourcesOf(gw.template, 'AWS::ApiGateway::Authorizer'));
    expect(JSON.stringify(authorizer.Properties.AuthorizerUri)).toContain(`"${gw.logicalId(gw.gateway.functions.authorizer)}"`);
  });

  it('is a regional endpoint', () => {
    gw.template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
  });

  it('throttles the stage and logs errors only, without data traces', () => {
    gw.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          MetricsEnabled: true,
          ThrottlingRateLimit: 100,
          ThrottlingBurstLimit: 200,
        }),
      ],
    });
  });

  it('writes JSON access logs that carry no header, query string or body', () => {
    const [stage] = Object.values(resourcesOf(gw.template, 'AWS::ApiGateway::Stage'));
    const format = JSON.parse(stage.Properties.AccessLogSetting.Format) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', path: '$context.path', principal: '$context.authorizer.principalId' });
    for (const variable of Object.values(format)) {
      expect(variable).not.toMatch(/header|querystring|authorization|body|userAgent|\$input/i);
    }
  });
});

describe('ScimGateway gateway responses', () => {
  const { template } = synthGateway();
  const responses = Object.values(resourcesOf(template, 'AWS::ApiGateway::GatewayResponse')).map((r) => r.Properties);
  const responseOf = (type: string) => responses.find((r) => r.ResponseType === type);

  it.each([
    ['UNAUTHORIZED', 401],
    ['ACCESS_DENIED', 403],
    ['MISSING_AUTHENTICATION_TOKEN', 404],
    ['THROTTLED', 429],
    ['REQUEST_TOO_LARGE', 413],
    ['AUTHORIZER_FAILURE', 503],
    ['AUTHORIZER_CONFIGURATION_ERROR', 503],
    ['DEFAULT_4XX', 400],
    ['DEFAULT_5XX', 500],
  ])('%s → %i with a SCIM Error body in application/scim+json', (type, status) => {
    const response = responseOf(type);
    expect(response).toBeDefined();
    expect(response!.StatusCode).toBe(String(status));
    expect(response!.ResponseParameters['gatewayresponse.header.Content-Type']).toBe("'application/scim+json'");
    for (const body of Object.values(response!.ResponseTemplates as Record<string, string>)) {
      expect(JSON.parse(body)).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: String(status),
        detail: expect.any(String),
      });
    }
  });

  it('ACCESS_DENIED (a token used outside its scope) says what to check: the detail the authorizer put in its context', () => {
    for (const body of Object.values(responseOf('ACCESS_DENIED')!.ResponseTemplates as Record<string, string>)) {
      expect(JSON.parse(body).detail).toBe('$context.authorizer.accessDenied');
    }
  });

  it('asks for a bearer token on 401', () => {
    expect(responseOf('UNAUTHORIZED')!.ResponseParameters['gatewayresponse.header.WWW-Authenticate']).toBe("'Bearer'");
  });

  it('tells throttled clients when to retry', () => {
    expect(responseOf('THROTTLED')!.ResponseParameters['gatewayresponse.header.Retry-After']).toMatch(/^'\d+'$/);
  });
});

describe('ScimGateway web ACL', () => {
  const aclOf = (props: Parameters<typeof synthGateway>[0] = {}) => {
    const { template } = synthGateway(props);
    const [acl] = Object.values(resourcesOf(template, 'AWS::WAFv2::WebACL')).map((r) => r.Properties);
    return { acl, rule: (name: string) => acl.Rules.find((r: Cfn) => r.Name === name) };
  };

  it('limits requests per token and per IP and applies the AWS common rules; large member lists pass to the handlers', () => {
    const { acl, rule } = aclOf();
    expect(acl.Scope).toBe('REGIONAL');
    expect(rule('RatePerToken').Statement.RateBasedStatement).toEqual({
      Limit: 6000,
      EvaluationWindowSec: 300,
      AggregateKeyType: 'CUSTOM_KEYS',
      CustomKeys: [{ Header: { Name: 'authorization', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }],
    });
    expect(rule('RatePerIp').Statement.RateBasedStatement).toMatchObject({ Limit: 30000, AggregateKeyType: 'IP' });
    expect(rule('AwsCommonRules').Statement.ManagedRuleGroupStatement).toMatchObject({ VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' });
    expect(rule('RatePerToken').Action.Block.CustomResponse).toMatchObject({ ResponseCode: 429 });
    // A group PATCH with thousands of members is hundreds of KiB: by default WAF does not cap bodies.
    expect(rule('BodySize')).toBeUndefined();
    expect(acl.AssociationConfig).toBeUndefined();
  });

  it('caps the body at the chosen size when waf.maxBodyKiB is set', () => {
    const { acl, rule } = aclOf({ waf: { maxBodyKiB: 64 } });
    expect(rule('BodySize').Statement.SizeConstraintStatement).toMatchObject({
      FieldToMatch: { Body: { OversizeHandling: 'MATCH' } },
      ComparisonOperator: 'GT',
      Size: 64 * 1024,
    });
    expect(acl.AssociationConfig).toEqual({ RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_64' } } });
    expect(rule('BodySize').Action.Block.CustomResponse).toMatchObject({ ResponseCode: 413 });
  });

  it('answers its blocks with SCIM Error bodies', () => {
    const { acl } = aclOf({ waf: { maxBodyKiB: 32 } });
    const bodies = Object.values(acl.CustomResponseBodies as Record<string, { ContentType: string; Content: string }>);
    expect(bodies.map((b) => JSON.parse(b.Content).status).sort()).toEqual(['413', '429']);
    for (const body of bodies) {
      expect(body.ContentType).toBe('APPLICATION_JSON');
      expect(JSON.parse(body.Content).schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
    }
  });

  it('is associated with the stage', () => {
    const gw = synthGateway();
    const stage = gw.logicalId(gw.gateway.api.deploymentStage);
    const [association] = Object.values(resourcesOf(gw.template, 'AWS::WAFv2::WebACLAssociation')).map((r) => r.Properties);
    expect(JSON.stringify(association.ResourceArn)).toContain(`"${stage}"`);
  });

  it('is left out with waf: false', () => {
    const { template } = synthGateway({ waf: false });
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });
});
