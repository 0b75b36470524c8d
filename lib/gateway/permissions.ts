/**
 * What each function may do, as one table: exact actions on exact resources, no `*` action and
 * no `index/*`. A handler the route table names but this table does not fails the synth, so a
 * new function never starts with permissions nobody decided on.
 *
 * DynamoDB has no `TransactWriteItems` IAM action: a transaction is authorised item by item with
 * `PutItem`/`UpdateItem`/`DeleteItem` and `ConditionCheckItem`
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html).
 */
import { Aws, Stack, Validations, type Acknowledgment } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { keys } from '../../lambdas/store/keys';
import type { GatewayFunctionName } from './functions';
import { secretName } from './secrets';

/** Everything a SCIM resource handler does to the main table (single-item ops, batches, transactions). */
const ITEM_READ_WRITE = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

export interface PermissionTargets {
  readonly table: dynamodb.ITable;
  readonly tableIndexes: string[];
  readonly reportTable: dynamodb.ITable;
  readonly reportIndexes: string[];
  readonly key: kms.IKey;
  readonly adminSecret: secretsmanager.ISecret;
  readonly secretPrefix: string;
  readonly deadLetterQueue: sqs.IQueue;
  /** The construct's `eventBus`, when given: the event stage puts events on it. */
  readonly eventBus?: events.IEventBus;
}

/** A statement, and the cdk-nag acknowledgement its unavoidable wildcard needs. */
export interface Permission {
  readonly statement: iam.PolicyStatement;
  readonly acknowledgement?: Acknowledgment;
}

const allow = (actions: string[], resources: string[], conditions?: Record<string, unknown>): Permission => ({
  statement: new iam.PolicyStatement({ actions, resources, conditions }),
});

/**
 * A secret-name pattern as an ARN. Secrets Manager appends `-` and six random characters to every
 * ARN, so a name can only be matched with a trailing wildcard.
 */
export const secretArnPattern = (pattern: string) =>
  `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${pattern}`;

/** The cdk-nag finding a secret-name pattern raises (its rendering of the ARN above). */
export const secretPatternFinding = (pattern: string) =>
  `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${pattern}]`;

/** Secrets under a name pattern: names are chosen at run time, so the pattern is the narrowest grant. */
const allowSecrets = (actions: string[], pattern: string, reason: string): Permission => ({
  statement: new iam.PolicyStatement({ actions, resources: [secretArnPattern(pattern)] }),
  acknowledgement: { id: secretPatternFinding(pattern), reason },
});

/** KMS use only through Secrets Manager, which decrypts on GetSecretValue and asks for a data key on writes. */
const viaSecretsManager = (scope: Construct) => ({ StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(scope).region}.amazonaws.com` } });

type Grants = (scope: Construct, t: PermissionTargets) => Permission[];

export const PERMISSIONS: Readonly<Partial<Record<GatewayFunctionName, Grants>>> = {
  users: (_scope, t) => [allow(ITEM_READ_WRITE, [t.table.tableArn]), allow(['dynamodb:Query'], t.tableIndexes)],
  groups: (_scope, t) => [allow(ITEM_READ_WRITE, [t.table.tableArn]), allow(['dynamodb:Query'], t.tableIndexes)],
  // POST /Bulk runs the Users and Groups writes, so it needs exactly what they need.
  bulk: (_scope, t) => [allow(ITEM_READ_WRITE, [t.table.tableArn]), allow(['dynamodb:Query'], t.tableIndexes)],
  // The root search (POST /.search) only reads, and records its refused requests as failure items.
  search: (_scope, t) => [
    allow(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:PutItem'], [t.table.tableArn]),
    allow(['dynamodb:Query'], t.tableIndexes),
  ],
  // Discovery documents are static apart from the calling application's own settings, its OAuth clients and
  // Entra setting (authenticationSchemes: the list of its clients is a Query on the lists index).
  discovery: (_scope, t) => [allow(['dynamodb:GetItem', 'dynamodb:Query'], [t.table.tableArn]), allow(['dynamodb:Query'], t.tableIndexes)],
  admin: (scope, t) => [
    allow(ITEM_READ_WRITE, [t.table.tableArn]),
    allow(['dynamodb:Query'], t.tableIndexes),
    allowSecrets(
      [
        'secretsmanager:GetSecretValue',
        'secretsmanager:CreateSecret',
        'secretsmanager:PutSecretValue',
        'secretsmanager:DeleteSecret',
        'secretsmanager:DescribeSecret',
        'secretsmanager:TagResource',
      ],
      secretName.appsPattern(t.secretPrefix),
      'The admin API creates one secret per application at run time (<prefix>/apps/<appId>), so only the prefix is known ' +
        'at deploy time; the grant covers that prefix and nothing else, and Secrets Manager ARNs end in a random suffix.',
    ),
    allow(['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'], [t.adminSecret.secretArn]),
    allow(['kms:Decrypt', 'kms:GenerateDataKey'], [t.key.keyArn], viaSecretsManager(scope)),
  ],
  // The OAuth token endpoint (issue 17): reads applications and clients, notes a client's last use and counts
  // refused client authentications (UpdateItem), publishes the signing keys' public half once (PutItem); reads the
  // client secret hashes, and reads or (on the deployment's first token) creates the signing key secret.
  'oauth-token': (scope, t) => [
    allow(['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'], [t.table.tableArn]),
    allowSecrets(
      ['secretsmanager:GetSecretValue'],
      secretName.appsPattern(t.secretPrefix),
      'The token endpoint reads the client secret hashes of the application a request names (<prefix>/apps/<appId>/oauth-clients), ' +
        'created at run time by the admin API; read-only, limited to this prefix.',
    ),
    allowSecrets(
      ['secretsmanager:GetSecretValue', 'secretsmanager:CreateSecret'],
      secretName.oauthPattern(t.secretPrefix),
      'The signing key secret (<prefix>/oauth/signing-keys) is created by the first token request (a private key cannot be ' +
        'generated by CloudFormation); the grant covers that prefix only.',
    ),
    allow(['kms:Decrypt', 'kms:GenerateDataKey'], [t.key.keyArn], viaSecretsManager(scope)),
  ],
  // The admin API's OAuth routes: client items and their hash secret, Entra settings, signing key rotation.
  'oauth-clients': (scope, t) => [
    allow(ITEM_READ_WRITE, [t.table.tableArn]),
    allow(['dynamodb:Query'], t.tableIndexes),
    allowSecrets(
      ['secretsmanager:GetSecretValue', 'secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:DeleteSecret'],
      secretName.appsPattern(t.secretPrefix),
      'The admin API keeps the client secret hashes of each application in a secret it creates at run time ' +
        '(<prefix>/apps/<appId>/oauth-clients); the grant covers that prefix and nothing else.',
    ),
    allowSecrets(
      ['secretsmanager:GetSecretValue', 'secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue'],
      secretName.oauthPattern(t.secretPrefix),
      'Signing key rotation reads and replaces the signing key secret (<prefix>/oauth/signing-keys), created at run time.',
    ),
    allow(['kms:Decrypt', 'kms:GenerateDataKey'], [t.key.keyArn], viaSecretsManager(scope)),
  ],
  // The console's user search and user view: reads only, no secrets.
  'admin-users': (_scope, t) => [
    allow(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'], [t.table.tableArn]),
    allow(['dynamodb:Query'], t.tableIndexes),
  ],
  // Serves the console's page and files from its own bundle: nothing beyond its log group.
  console: () => [],
  reports: (_scope, t) => [
    allow(['dynamodb:Query', 'dynamodb:GetItem'], [t.reportTable.tableArn]),
    allow(['dynamodb:Query'], t.reportIndexes),
    // Resolves application and user names for the rows it returns.
    allow(['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem'], [t.table.tableArn]),
    allow(['dynamodb:Query'], t.tableIndexes),
  ],
  authorizer: (scope, t) => [
    allowSecrets(
      ['secretsmanager:GetSecretValue'],
      secretName.allPattern(t.secretPrefix),
      'The authorizer reads the admin secret and the application secrets the admin API creates at run time; read-only, ' +
        'limited to this gateway\'s secret prefix.',
    ),
    allow(['kms:Decrypt'], [t.key.keyArn], viaSecretsManager(scope)),
    allow(['dynamodb:GetItem'], [t.table.tableArn]),
    // Counts refused connections for the report (store/auth-refusals.ts): refusal items only.
    allow(['dynamodb:UpdateItem'], [t.table.tableArn], { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [keys.authRefusalPattern] } }),
  ],
  // Directory events (issue 16): webhooks, deliveries and the event log in the report table; webhook
  // secrets and directory token hashes under <prefix>/apps/<appId>/…; application items to check the app.
  'events-admin': (scope, t) => [
    allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem'], [t.reportTable.tableArn]),
    allow(['dynamodb:GetItem'], [t.table.tableArn]),
    allowSecrets(
      ['secretsmanager:GetSecretValue', 'secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:TagResource'],
      secretName.appsPattern(t.secretPrefix),
      'Webhook signing secrets and directory token hashes are created at run time per application (<prefix>/apps/<appId>/…); ' +
        'the grant covers that prefix only, and Secrets Manager ARNs end in a random suffix.',
    ),
    allow(['kms:Decrypt', 'kms:GenerateDataKey'], [t.key.keyArn], viaSecretsManager(scope)),
  ],
  // The read API only reads: directory items from the main table, the event log from the report table.
  directory: (_scope, t) => [
    allow(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'], [t.table.tableArn]),
    allow(['dynamodb:Query'], t.tableIndexes),
    allow(['dynamodb:GetItem', 'dynamodb:Query'], [t.reportTable.tableArn]),
  ],
  // Appends events with their deliveries (a conditional transaction of puts); lists webhooks; reads deletion notes.
  // With the construct's `eventBus`, it also puts the events on that bus (and no other).
  'event-stage': (_scope, t) => [
    allow(['dynamodb:PutItem', 'dynamodb:Query'], [t.reportTable.tableArn]),
    allow(['dynamodb:BatchGetItem'], [t.table.tableArn]),
    allow(['sqs:SendMessage'], [t.deadLetterQueue.queueArn]),
    ...(t.eventBus ? [allow(['events:PutEvents'], [t.eventBus.eventBusArn])] : []),
  ],
  // Reads the queue and the webhooks, records attempts; reads webhook secrets to sign.
  'webhook-sender': (scope, t) => [
    allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'], [t.reportTable.tableArn]),
    allowSecrets(
      ['secretsmanager:GetSecretValue'],
      secretName.appsPattern(t.secretPrefix),
      'The sender reads the webhook signing secrets the admin API creates at run time per application; read-only, limited to that prefix.',
    ),
    allow(['kms:Decrypt'], [t.key.keyArn], viaSecretsManager(scope)),
  ],
  // Stream read permissions come from the event source (see stream-pipeline.ts).
  stream: (_scope, t) => [
    allow(['dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:UpdateItem'], [t.reportTable.tableArn]),
    // Deletes the memberships of a deleted group and keeps application items up to date.
    allow(
      [
        'dynamodb:Query',
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:BatchWriteItem',
      ],
      [t.table.tableArn],
    ),
    allow(['dynamodb:Query'], t.tableIndexes),
    allow(['sqs:SendMessage'], [t.deadLetterQueue.queueArn]),
  ],
};

export const grantGatewayPermissions = (
  scope: Construct,
  name: GatewayFunctionName,
  fn: lambda.IFunction,
  targets: PermissionTargets,
): void => {
  const grants = PERMISSIONS[name];
  if (!grants) throw new Error(`lib/gateway/permissions.ts declares no permissions for the "${name}" function.`);
  for (const { statement, acknowledgement } of grants(scope, targets)) {
    fn.addToRolePolicy(statement);
    if (acknowledgement && fn.role) Validations.of(fn.role).acknowledge(acknowledgement);
  }
};
