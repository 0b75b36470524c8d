import { MAIN_TABLE, REPORT_TABLE } from '../../lib/tables';
import { FUNCTION_NAMES, resourcesOf, synthGateway, type SynthesizedGateway } from './gateway-fixture';

type Cfn = Record<string, any>;
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Cfn };

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

const mainIndexes = MAIN_TABLE.globalSecondaryIndexes.map((gsi) => gsi.indexName);
const reportIndexes = REPORT_TABLE.globalSecondaryIndexes.map((gsi) => gsi.indexName);

/** `action on label` pairs, one per action and resource. */
const pairs = (actions: string[], ...labels: string[]) => labels.flatMap((label) => actions.map((a) => `${a} on ${label}`));

const SCIM_ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];
const OWN_LOGS = pairs(['logs:CreateLogStream', 'logs:PutLogEvents'], 'own log group');
const MAIN_INDEX_QUERY = pairs(['dynamodb:Query'], ...mainIndexes.map((i) => `table index ${i}`));

/** The whole intended policy of each function, written out independently of lib/gateway/permissions.ts. */
const EXPECTED: Record<string, string[]> = {
  users: [...OWN_LOGS, ...pairs(SCIM_ITEM_ACTIONS, 'table'), ...MAIN_INDEX_QUERY],
  groups: [...OWN_LOGS, ...pairs(SCIM_ITEM_ACTIONS, 'table'), ...MAIN_INDEX_QUERY],
  bulk: [...OWN_LOGS, ...pairs(SCIM_ITEM_ACTIONS, 'table'), ...MAIN_INDEX_QUERY],
  search: [...OWN_LOGS, ...pairs(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:PutItem'], 'table'), ...MAIN_INDEX_QUERY],
  discovery: [...OWN_LOGS, ...pairs(['dynamodb:GetItem', 'dynamodb:Query'], 'table'), ...MAIN_INDEX_QUERY],
  admin: [
    ...OWN_LOGS,
    ...pairs(SCIM_ITEM_ACTIONS, 'table'),
    ...MAIN_INDEX_QUERY,
    ...pairs(
      [
        'secretsmanager:GetSecretValue',
        'secretsmanager:CreateSecret',
        'secretsmanager:PutSecretValue',
        'secretsmanager:DeleteSecret',
        'secretsmanager:DescribeSecret',
        'secretsmanager:TagResource',
      ],
      'secrets ScimTest/apps/*',
    ),
    ...pairs(['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'], 'admin secret'),
    ...pairs(['kms:Decrypt', 'kms:GenerateDataKey'], 'secrets key'),
  ],
  'oauth-token': [
    ...OWN_LOGS,
    ...pairs(['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'], 'table'),
    ...pairs(['secretsmanager:GetSecretValue'], 'secrets ScimTest/apps/*'),
    ...pairs(['secretsmanager:GetSecretValue', 'secretsmanager:CreateSecret'], 'secrets ScimTest/oauth/*'),
    ...pairs(['kms:Decrypt', 'kms:GenerateDataKey'], 'secrets key'),
  ],
  'oauth-clients': [
    ...OWN_LOGS,
    ...pairs(SCIM_ITEM_ACTIONS, 'table'),
    ...MAIN_INDEX_QUERY,
    ...pairs(
      ['secretsmanager:GetSecretValue', 'secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:DeleteSecret'],
      'secrets ScimTest/apps/*',
    ),
    ...pairs(['secretsmanager:GetSecretValue', 'secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue'], 'secrets ScimTest/oauth/*'),
    ...pairs(['kms:Decrypt', 'kms:GenerateDataKey'], 'secrets key'),
  ],
  'admin-users': [...OWN_LOGS, ...pairs(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'], 'table'), ...MAIN_INDEX_QUERY],
  console: [...OWN_LOGS],
  reports: [
    ...OWN_LOGS,
    ...pairs(['dynamodb:Query', 'dynamodb:GetItem'], 'report table'),
    ...pairs(['dynamodb:Query'], ...reportIndexes.map((i) => `report table index ${i}`)),
    ...pairs(['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem'], 'table'),
    ...MAIN_INDEX_QUERY,
  ],
  authorizer: [
    ...OWN_LOGS,
    ...pairs(['secretsmanager:GetSecretValue'], 'secrets ScimTest/*'),
    ...pairs(['kms:Decrypt'], 'secrets key'),
    ...pairs(['dynamodb:GetItem', 'dynamodb:UpdateItem'], 'table'),
  ],
  'events-admin': [
    ...OWN_LOGS,
    ...pairs(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem'], 'report table'),
    ...pairs(['dynamodb:GetItem'], 'table'),
    ...pairs(['secretsmanager:GetSecretValue', 'secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:TagResource'], 'secrets ScimTest/apps/*'),
    ...pairs(['kms:Decrypt', 'kms:GenerateDataKey'], 'secrets key'),
  ],
  directory: [
    ...OWN_LOGS,
    ...pairs(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'], 'table'),
    ...MAIN_INDEX_QUERY,
    ...pairs(['dynamodb:GetItem', 'dynamodb:Query'], 'report table'),
  ],
  'event-stage': [
    ...OWN_LOGS,
    ...pairs(['dynamodb:PutItem', 'dynamodb:Query'], 'report table'),
    ...pairs(['dynamodb:BatchGetItem'], 'table'),
    ...pairs(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], 'table stream'),
    ...pairs(['dynamodb:ListStreams'], '*'),
    ...pairs(['sqs:SendMessage'], 'dead-letter queue'),
  ],
  'webhook-sender': [
    ...OWN_LOGS,
    ...pairs(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'], 'report table'),
    ...pairs(['secretsmanager:GetSecretValue'], 'secrets ScimTest/apps/*'),
    ...pairs(['kms:Decrypt'], 'secrets key'),
  ],
  stream: [
    ...OWN_LOGS,
    ...pairs(['dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:UpdateItem'], 'report table'),
    ...pairs(
      ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
      'table',
    ),
    ...MAIN_INDEX_QUERY,
    ...pairs(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], 'table stream'),
    // ListStreams has no resource-level permissions (acknowledged IAM5 finding).
    ...pairs(['dynamodb:ListStreams'], '*'),
    ...pairs(['sqs:SendMessage'], 'dead-letter queue'),
  ],
};

describe('ScimGateway IAM', () => {
  let gw: SynthesizedGateway;
  let policies: Cfn[];
  beforeAll(() => {
    gw = synthGateway();
    policies = Object.values(resourcesOf(gw.template, 'AWS::IAM::Policy')).map((p) => p.Properties);
  });

  const functionResource = (name: string) => resourcesOf(gw.template, 'AWS::Lambda::Function')[gw.logicalId(gw.gateway.functions[name as 'users'])];
  const roleOf = (name: string): string => functionResource(name).Properties.Role['Fn::GetAtt'][0];

  const statementsOf = (roleId: string): Statement[] =>
    policies
      .filter((p) => (p.Roles as Cfn[]).some((r) => r.Ref === roleId))
      .flatMap((p) => p.PolicyDocument.Statement as Statement[]);

  /** Names a policy resource by what it is, so expectations need no logical ids. */
  const labelOf = (fnName: string, resource: unknown): string => {
    if (resource === '*') return '*';
    const json = JSON.stringify(resource);
    const id = (construct: unknown) => `"${gw.logicalId(construct)}"`;
    const { gateway } = gw;
    const index = /\/index\/([A-Za-z0-9_.-]+)"/.exec(json)?.[1];
    if (json.includes(id(gateway.reportTable))) return index ? `report table index ${index}` : 'report table';
    if (json.includes(id(gateway.table))) {
      if (index) return `table index ${index}`;
      return json.includes('"StreamArn"') ? 'table stream' : 'table';
    }
    if (json.includes(id(gateway.secretsKey))) return 'secrets key';
    if (json.includes(id(gateway.adminSecret))) return 'admin secret';
    if (json.includes(id(gateway.deadLetterQueue))) return 'dead-letter queue';
    const logGroup = functionResource(fnName).Properties.LoggingConfig?.LogGroup?.Ref;
    if (logGroup && json.includes(`"${logGroup}"`)) return 'own log group';
    const secretPattern = /:secret:([^"]+)"/.exec(json)?.[1];
    if (secretPattern) return `secrets ${secretPattern}`;
    return json;
  };

  it.each(FUNCTION_NAMES.map((name) => [name]))('grants the %s function exactly its intended actions', (name) => {
    expect(EXPECTED[name]).toBeDefined();
    const statements = statementsOf(roleOf(name));
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
    const granted = statements.flatMap((s) => asList(s.Action).flatMap((a) => asList(s.Resource).map((r) => `${a} on ${labelOf(name, r)}`)));
    expect(granted.sort()).toEqual([...EXPECTED[name]].sort());
  });

  it('gives every function its own role with no managed policy and no inline policy', () => {
    const roles = resourcesOf(gw.template, 'AWS::IAM::Role');
    const functionRoles = FUNCTION_NAMES.map(roleOf);
    expect(new Set(functionRoles).size).toBe(FUNCTION_NAMES.length);
    for (const roleId of functionRoles) {
      expect(roles[roleId].Properties.ManagedPolicyArns).toBeUndefined();
      expect(roles[roleId].Properties.Policies).toBeUndefined();
      expect(roles[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([
        expect.objectContaining({ Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }),
      ]);
    }
  });

  it('has no wildcard action in any identity policy', () => {
    const roles = Object.values(resourcesOf(gw.template, 'AWS::IAM::Role'));
    const documents = [
      ...policies.map((p) => p.PolicyDocument),
      ...roles.flatMap((r) => (r.Properties.Policies ?? []).map((p: Cfn) => p.PolicyDocument)),
    ];
    const actions = documents.flatMap((d) => (d.Statement as Statement[]).flatMap((s) => asList(s.Action)));
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  });

  it('lets functions use the secrets key only through Secrets Manager', () => {
    const keyStatements = policies
      .flatMap((p) => p.PolicyDocument.Statement as Statement[])
      .filter((s) => asList(s.Action).some((a) => a.startsWith('kms:')));
    // admin, authorizer, the two OAuth functions (client hashes and signing keys), events-admin and webhook-sender.
    expect(keyStatements).toHaveLength(6);
    for (const statement of keyStatements) {
      expect(JSON.stringify(statement.Condition?.StringEquals?.['kms:ViaService'])).toContain('secretsmanager.');
    }
  });

  it('lets the authorizer write refused-connection counters only: UpdateItem on their partition keys', () => {
    const writes = statementsOf(roleOf('authorizer')).filter((s) => asList(s.Action).some((a) => a !== 'dynamodb:GetItem' && a.startsWith('dynamodb:')));
    expect(writes).toEqual([
      expect.objectContaining({
        Action: 'dynamodb:UpdateItem',
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['APP#*#REFUSED#*'] } },
      }),
    ]);
  });

  it('attaches an AWS managed policy only to the API Gateway logging role', () => {
    const managed = Object.values(resourcesOf(gw.template, 'AWS::IAM::Role')).flatMap((r) => r.Properties.ManagedPolicyArns ?? []);
    expect(managed).toHaveLength(1);
    expect(JSON.stringify(managed[0])).toContain('AmazonAPIGatewayPushToCloudWatchLogs');
  });
});
