import { Match } from 'aws-cdk-lib/assertions';
import { MAIN_TABLE, REPORT_TABLE, type TableDefinition } from '../../lib/tables';
import { resourcesOf, synthGateway } from './gateway-fixture';

const keySchemaOf = (partitionKey: string, sortKey: string) => [
  { AttributeName: partitionKey, KeyType: 'HASH' },
  { AttributeName: sortKey, KeyType: 'RANGE' },
];

const expectedTable = (definition: TableDefinition) => ({
  KeySchema: keySchemaOf(definition.partitionKey, definition.sortKey),
  BillingMode: 'PAY_PER_REQUEST',
  PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  DeletionProtectionEnabled: true,
  TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true },
  // SSEEnabled without a key ARN: the AWS managed key aws/dynamodb.
  SSESpecification: { SSEEnabled: true },
  GlobalSecondaryIndexes: definition.globalSecondaryIndexes.map((gsi) => ({
    IndexName: gsi.indexName,
    KeySchema: keySchemaOf(gsi.partitionKey, gsi.sortKey),
    Projection:
      gsi.projection.type === 'include'
        ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...gsi.projection.attributes] }
        : { ProjectionType: gsi.projection.type === 'keys' ? 'KEYS_ONLY' : 'ALL' },
  })),
});

describe('ScimGateway tables', () => {
  const gw = synthGateway();
  const tables = resourcesOf(gw.template, 'AWS::DynamoDB::Table');
  const main = tables[gw.logicalId(gw.gateway.table)] as unknown as { Properties: Record<string, unknown>; DeletionPolicy: string };
  const report = tables[gw.logicalId(gw.gateway.reportTable)] as unknown as { Properties: Record<string, unknown>; DeletionPolicy: string };

  it('builds the main table from its definition: on demand, PITR, TTL, GSIs, deletion protection', () => {
    expect(main.Properties).toMatchObject(expectedTable(MAIN_TABLE));
  });

  it('copies only keys and the item type into the main table indexes (issue 18: no index write when no key changes)', () => {
    const indexes = main.Properties.GlobalSecondaryIndexes as { IndexName: string; Projection: unknown }[];
    expect(indexes.map((i) => i.Projection)).toEqual([
      { ProjectionType: 'INCLUDE', NonKeyAttributes: ['type'] },
      { ProjectionType: 'INCLUDE', NonKeyAttributes: ['type'] },
    ]);
  });

  it('streams new and old images of the main table', () => {
    expect(main.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });

  it('builds the report table from its definition, without a stream', () => {
    expect(report.Properties).toMatchObject(expectedTable(REPORT_TABLE));
    expect(report.Properties.StreamSpecification).toBeUndefined();
  });

  it('keeps both tables when they leave the stack', () => {
    expect([main.DeletionPolicy, report.DeletionPolicy]).toEqual(['Retain', 'Retain']);
  });

  it('drops deletion protection and deletes the tables with deletionProtection: false', () => {
    const dev = synthGateway({ deletionProtection: false });
    dev.template.allResourcesProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
    dev.template.allResources('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  });
});

describe('ScimGateway report stream', () => {
  const gw = synthGateway();
  const mappings = Object.values(resourcesOf(gw.template, 'AWS::Lambda::EventSourceMapping')).map((m) => m.Properties);
  const mappingOf = (fn: unknown) => mappings.find((m) => JSON.stringify(m.FunctionName) === JSON.stringify({ Ref: gw.logicalId(fn) }));
  const mapping = mappingOf(gw.gateway.functions.stream)!;

  it('feeds the main table stream to the stream function and, as a second consumer, to the event stage', () => {
    gw.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    expect(mapping.EventSourceArn).toEqual({ 'Fn::GetAtt': [gw.logicalId(gw.gateway.table), 'StreamArn'] });
    const stage = mappingOf(gw.gateway.functions['event-stage']);
    expect(stage).toMatchObject({ EventSourceArn: mapping.EventSourceArn, BisectBatchOnFunctionError: true, FunctionResponseTypes: ['ReportBatchItemFailures'], ParallelizationFactor: 1 });
  });

  it('starts the webhook sender each minute, one instance at a time', () => {
    const sender = { 'Fn::GetAtt': [gw.logicalId(gw.gateway.functions['webhook-sender']), 'Arn'] };
    gw.template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)', Targets: Match.arrayWith([Match.objectLike({ Arn: sender })]) });
    expect(resourcesOf(gw.template, 'AWS::Lambda::Function')[gw.logicalId(gw.gateway.functions['webhook-sender'])].Properties.ReservedConcurrentExecutions).toBe(1);
  });

  it('bisects, retries a bounded number of times, reports item failures and keeps order', () => {
    expect(mapping).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 6 * 3600,
      ParallelizationFactor: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('sends what still fails to the dead-letter queue', () => {
    expect(mapping.DestinationConfig).toEqual({
      OnFailure: { Destination: { 'Fn::GetAtt': [gw.logicalId(gw.gateway.deadLetterQueue), 'Arn'] } },
    });
  });

  it('drops uniqueness sentinels before invoking the function', () => {
    const patterns = (mapping.FilterCriteria.Filters as { Pattern: string }[]).map((f) => JSON.parse(f.Pattern));
    expect(patterns).toEqual([
      { dynamodb: { NewImage: { type: { S: [{ 'anything-but': ['Unique'] }] } } } },
      { eventName: ['REMOVE'], dynamodb: { OldImage: { type: { S: [{ 'anything-but': ['Unique'] }] } } } },
    ]);
  });

  it('encrypts the dead-letter queue and refuses plain HTTP', () => {
    gw.template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    gw.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('ScimGateway functions', () => {
  const gw = synthGateway();
  const functions = resourcesOf(gw.template, 'AWS::Lambda::Function');
  const fn = (name: string) => functions[gw.logicalId(gw.gateway.functions[name as 'users'])].Properties;

  it('runs every function on Node.js 24, arm64', () => {
    for (const properties of Object.values(functions).map((f) => f.Properties)) {
      expect(properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
    }
  });

  it('sizes API handlers for API Gateway, the authorizer and the stream consumer for their jobs', () => {
    expect(fn('users')).toMatchObject({ MemorySize: 512, Timeout: 29 });
    expect(fn('authorizer')).toMatchObject({ MemorySize: 256, Timeout: 10 });
    expect(fn('stream')).toMatchObject({ MemorySize: 512, Timeout: 60 });
  });

  it('configures every function through the SCIM_* variables config.ts reads', () => {
    expect(fn('users').Environment.Variables).toEqual({
      SCIM_TABLE_NAME: { Ref: gw.logicalId(gw.gateway.table) },
      SCIM_REPORT_TABLE_NAME: { Ref: gw.logicalId(gw.gateway.reportTable) },
      SCIM_SECRET_STORE: 'secrets-manager',
      SCIM_SECRET_PREFIX: 'ScimTest',
      SCIM_AUTH_CACHE_SECONDS: '60',
      // The authorizerCacheTtl default: the console's revoke dialog states it (app health).
      SCIM_AUTHORIZER_CACHE_SECONDS: '300',
      SCIM_REPORT_RETENTION_DAYS: '90',
      POWERTOOLS_SERVICE_NAME: 'scim-gateway',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('tells only the admin function which key encrypts application secrets', () => {
    const keyArn = { 'Fn::GetAtt': [gw.logicalId(gw.gateway.secretsKey), 'Arn'] };
    expect(fn('admin').Environment.Variables.SCIM_SECRET_KMS_KEY_ID).toEqual(keyArn);
    expect(fn('users').Environment.Variables.SCIM_SECRET_KMS_KEY_ID).toBeUndefined();
  });

  it('logs each function to its own log group, kept 90 days', () => {
    const logGroups = resourcesOf(gw.template, 'AWS::Logs::LogGroup');
    const groups = Object.values(functions).map((f) => f.Properties.LoggingConfig.LogGroup.Ref as string);
    expect(new Set(groups).size).toBe(groups.length);
    for (const group of groups) expect(logGroups[group].Properties.RetentionInDays).toBe(90);
  });

  it("logs JSON with Lambda's platform lines at WARN, so a request costs its access-log line alone (issue 18)", () => {
    for (const properties of Object.values(functions).map((f) => f.Properties)) {
      expect(properties.LoggingConfig).toMatchObject({ LogFormat: 'JSON', SystemLogLevel: 'WARN', ApplicationLogLevel: 'INFO' });
    }
  });
});

describe('ScimGateway secrets', () => {
  const gw = synthGateway();
  const json = JSON.stringify(gw.template.toJSON());

  it('generates the admin secret at deploy time, encrypted with the rotating customer key', () => {
    gw.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'ScimTest/admin',
      KmsKeyId: { 'Fn::GetAtt': [gw.logicalId(gw.gateway.secretsKey), 'Arn'] },
      GenerateSecretString: {
        SecretStringTemplate: '{"tokens":[]}',
        GenerateStringKey: 'bootstrap',
        PasswordLength: 48,
        ExcludePunctuation: true,
      },
    });
    gw.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('puts no secret value anywhere in the template', () => {
    const keys: string[] = [];
    JSON.stringify(gw.template.toJSON(), (key, value) => {
      keys.push(key);
      return value;
    });
    expect(keys).not.toContain('SecretString');
    expect(json).not.toContain('{{resolve:secretsmanager');
    // The only token-shaped text is the bootstrap prefix in the read-it-yourself command.
    expect(new Set([...json.matchAll(/scgw_[A-Za-z0-9_-]*/g)].map(([m]) => m))).toEqual(new Set(['scgw_admin_boot_']));
  });

  it('outputs the API URL, how to read the admin token and how to create the first application', () => {
    const outputs = gw.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const byName = (suffix: string) => JSON.stringify(Object.entries(outputs).find(([id]) => id.startsWith(`Scim${suffix}`))?.[1].Value);
    expect(byName('ApiUrl')).toContain('.execute-api.');
    expect(byName('ApiUrl')).toContain('/v1');
    expect(byName('AdminSecretName')).toBe('"ScimTest/admin"');
    expect(byName('AdminTokenCommand')).toContain('aws secretsmanager get-secret-value');
    expect(byName('AdminTokenCommand')).toContain('--secret-id ScimTest/admin');
    expect(byName('CreateFirstApplicationCommand')).toContain('npx scim-gateway apps create --api-url https://');
    expect(byName('CreateFirstApplicationCommand')).toContain('--name \\"Entra ID\\"');
  });
});
