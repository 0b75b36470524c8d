/**
 * TransactWriteItems with named actions, so a cancelled transaction can be explained: each action
 * carries what its condition means, and the first failed condition becomes the client's error
 * (uniqueness → 409, version → 412, missing member → 400, missing resource → 404).
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ScimError } from '../scim/errors';
import { backoffDelay, CONFLICT_RETRY, pause } from './retry';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export interface NamedAction {
  item: TransactItem;
  /** The error a failed condition on this action means; undefined = unexpected. */
  onConditionFailed?: () => ScimError;
}

/** DynamoDB's limit on actions per transaction. */
export const MAX_TRANSACTION_ACTIONS = 100;

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

/**
 * One action needs no transaction: a plain conditional write is atomic on its own and costs half
 * (DynamoDB bills transactional writes twice). Most PATCHes and PUTs change no unique value.
 */
const singleWrite = async (client: DynamoDBDocumentClient, action: NamedAction): Promise<boolean> => {
  const { Put, Update, Delete } = action.item;
  const command = Put ? new PutCommand(Put) : Update ? new UpdateCommand(Update) : Delete ? new DeleteCommand(Delete) : undefined;
  if (!command) return false;
  try {
    await client.send(command as PutCommand);
  } catch (error) {
    const failed = error instanceof ConditionalCheckFailedException || (error as Error)?.name === 'ConditionalCheckFailedException';
    if (failed) throw action.onConditionFailed?.() ?? ScimError.conflict('The request conflicts with the current state; retry it.');
    throw error;
  }
  return true;
};

/** Runs one transaction (≤100 actions), retrying DynamoDB's own transaction conflicts briefly. */
export const transact = async (client: DynamoDBDocumentClient, actions: readonly NamedAction[]): Promise<void> => {
  if (actions.length === 0) return;
  if (actions.length === 1 && (await singleWrite(client, actions[0]))) return;
  if (actions.length > MAX_TRANSACTION_ACTIONS) throw new Error(`transaction of ${actions.length} actions exceeds ${MAX_TRANSACTION_ACTIONS}`);
  for (let attempt = 0; ; attempt++) {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: actions.map((a) => a.item) }));
      return;
    } catch (error) {
      if (isConflictOnly(error) && attempt + 1 < CONFLICT_RETRY.maxAttempts) {
        await pause(backoffDelay(CONFLICT_RETRY, attempt + 1));
        continue;
      }
      const explained = explainCancellation(error, actions);
      if (explained) throw explained;
      if (isConflictOnly(error)) throw ScimError.conflict('Another request changed this resource at the same time; retry it.');
      throw error;
    }
  }
};

/**
 * Values DynamoDB (or the SDK's marshaller) refuses inside an item, found before the write so the
 * client gets a 400 rather than a failed write (a 500): whole numbers beyond ±(2^53 − 1), other
 * numbers outside DynamoDB's 1e-130…1e126, attribute names over 64 KB, nesting past 32 levels.
 */
const MAX_DEPTH = 32;
const MAX_NAME_BYTES = 65_535;
const storableNumber = (n: number): boolean =>
  Number.isInteger(n) ? Number.isSafeInteger(n) : Number.isFinite(n) && Math.abs(n) >= 1e-130 && Math.abs(n) < 1e126;

const unstorable = (value: unknown, depth: number): string | undefined => {
  if (typeof value === 'number') {
    return storableNumber(value)
      ? undefined
      : `the number ${value} cannot be stored exactly (whole numbers up to ±9007199254740991, other numbers between 1e-130 and 1e126)`;
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (depth > MAX_DEPTH) return `a value is nested more than ${MAX_DEPTH} levels deep`;
  for (const [key, child] of Object.entries(value)) {
    if (Buffer.byteLength(key, 'utf8') > MAX_NAME_BYTES) return `an attribute name is longer than ${MAX_NAME_BYTES} bytes`;
    const found = unstorable(child, depth + 1);
    if (found) return found;
  }
  return undefined;
};

/** DynamoDB refuses items over 400 KB; refuse them first, with a message a person understands. */
const MAX_ITEM_BYTES = 380 * 1024;
export const assertItemSize = (item: Record<string, unknown>, what: string): void => {
  const problem = unstorable(item, 0);
  if (problem) throw ScimError.invalidValue(`The ${what} cannot be stored: ${problem}.`);
  const bytes = Buffer.byteLength(JSON.stringify(item), 'utf8');
  if (bytes > MAX_ITEM_BYTES) {
    throw ScimError.payloadTooLarge(`The ${what} would take ${Math.ceil(bytes / 1024)} KB; the store allows at most ${MAX_ITEM_BYTES / 1024} KB per resource.`);
  }
};
