/**
 * TransactWriteItems with named actions, so a cancelled transaction can be explained: each action
 * carries what its condition means, and the first failed condition becomes the client's error
 * (uniqueness → 409, version → 412, missing member → 400, missing resource → 404).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ScimError } from '../scim/errors';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export interface NamedAction {
  item: TransactItem;
  /** The error a failed condition on this action means; undefined = unexpected. */
  onConditionFailed?: () => ScimError;
}

/** DynamoDB's limit on actions per transaction. */
export const MAX_TRANSACTION_ACTIONS = 100;
const CONFLICT_RETRIES = 3;

/** The error a transaction was refused with, in the client's terms. */
export const explainCancellation = (error: unknown, actions: readonly NamedAction[]): ScimError | undefined => {
  if (!(error instanceof TransactionCanceledException) && (error as Error)?.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
  const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
  if (failed >= 0) return actions[failed]?.onConditionFailed?.() ?? ScimError.conflict('The request conflicts with the current state; retry it.');
  if (reasons.some((r) => r.Code === 'TransactionConflict')) return undefined; // retried by the caller
  if (reasons.some((r) => r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded')) {
    return ScimError.throttled('The data store is throttling requests; retry shortly.');
  }
  if (reasons.some((r) => r.Code === 'ValidationError')) {
    return ScimError.payloadTooLarge('The resource is too large to store (DynamoDB allows 400 KB per item).');
  }
  return undefined;
};

const isConflictOnly = (error: unknown): boolean =>
  (error as Error)?.name === 'TransactionCanceledException' &&
  ((error as TransactionCanceledException).CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict') &&
  !((error as TransactionCanceledException).CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');

/** Runs one transaction (≤100 actions), retrying DynamoDB's own transaction conflicts briefly. */
export const transact = async (client: DynamoDBDocumentClient, actions: readonly NamedAction[]): Promise<void> => {
  if (actions.length === 0) return;
  if (actions.length > MAX_TRANSACTION_ACTIONS) throw new Error(`transaction of ${actions.length} actions exceeds ${MAX_TRANSACTION_ACTIONS}`);
  for (let attempt = 0; ; attempt++) {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: actions.map((a) => a.item) }));
      return;
    } catch (error) {
      if (isConflictOnly(error) && attempt < CONFLICT_RETRIES) {
        await new Promise((r) => setTimeout(r, 20 * 2 ** attempt + Math.random() * 20));
        continue;
      }
      const explained = explainCancellation(error, actions);
      if (explained) throw explained;
      if (isConflictOnly(error)) throw ScimError.conflict('Another request changed this resource at the same time; retry it.');
      throw error;
    }
  }
};

/** DynamoDB refuses items over 400 KB; refuse them first, with a message a person understands. */
const MAX_ITEM_BYTES = 380 * 1024;
export const assertItemSize = (item: Record<string, unknown>, what: string): void => {
  const bytes = Buffer.byteLength(JSON.stringify(item), 'utf8');
  if (bytes > MAX_ITEM_BYTES) {
    throw ScimError.payloadTooLarge(`The ${what} would take ${Math.ceil(bytes / 1024)} KB; the store allows at most ${MAX_ITEM_BYTES / 1024} KB per resource.`);
  }
};
