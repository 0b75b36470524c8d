/**
 * DynamoDB tables built from the shared definitions in `lib/tables.ts`, so AWS and the local
 * runtime create exactly the same keys, indexes, TTL attribute and stream.
 */
import type { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { GsiProjection, TableDefinition } from '../tables';

export interface GatewayTableOptions {
  readonly definition: TableDefinition;
  readonly deletionProtection: boolean;
  readonly removalPolicy: RemovalPolicy;
}

const projectionOf = (projection: GsiProjection): Pick<dynamodb.GlobalSecondaryIndexProps, 'projectionType' | 'nonKeyAttributes'> =>
  projection.type === 'include'
    ? { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...projection.attributes] }
    : { projectionType: projection.type === 'keys' ? dynamodb.ProjectionType.KEYS_ONLY : dynamodb.ProjectionType.ALL };

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

/**
 * On-demand (SCIM traffic is bursty: a full sync, then near silence), point-in-time recovery, and
 * the AWS managed key `aws/dynamodb`: key use shows in CloudTrail without a customer key that every
 * function and the stream poller would need grants on.
 */
export const createGatewayTable = (scope: Construct, id: string, options: GatewayTableOptions): dynamodb.Table => {
  const { definition } = options;
  const table = new dynamodb.Table(scope, id, {
    partitionKey: stringKey(definition.partitionKey),
    sortKey: stringKey(definition.sortKey),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: options.deletionProtection,
    removalPolicy: options.removalPolicy,
    timeToLiveAttribute: definition.timeToLiveAttribute,
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    stream: definition.stream === 'NEW_AND_OLD_IMAGES' ? dynamodb.StreamViewType.NEW_AND_OLD_IMAGES : undefined,
  });
  for (const gsi of definition.globalSecondaryIndexes) {
    table.addGlobalSecondaryIndex({
      indexName: gsi.indexName,
      partitionKey: stringKey(gsi.partitionKey),
      sortKey: stringKey(gsi.sortKey),
      ...projectionOf(gsi.projection),
    });
  }
  return table;
};

/** Exact ARNs of a table's indexes (no `index/*` wildcard in any policy). */
export const indexArns = (table: dynamodb.ITable, definition: TableDefinition): string[] =>
  definition.globalSecondaryIndexes.map((gsi) => `${table.tableArn}/index/${gsi.indexName}`);
