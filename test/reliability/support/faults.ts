/**
 * Fault injection on the DynamoDB client the handlers share (`documentClient()`): an SDK
 * middleware that counts every command and, on the commands a plan picks, either throws a
 * correctly named service error (throttling, internal error) or sends the request to a closed
 * port, so the SDK meets a real ECONNREFUSED with its real retries.
 */
import { createServer } from 'node:net';
import { InternalServerError, ProvisionedThroughputExceededException, RequestLimitExceeded, ThrottlingException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type FaultKind =
  | 'ProvisionedThroughputExceededException'
  | 'ThrottlingException'
  | 'RequestLimitExceeded'
  | 'TransactionCanceled/ThrottlingError'
  | 'InternalServerError'
  | 'unreachable';

export const THROTTLES: readonly FaultKind[] = ['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'TransactionCanceled/ThrottlingError'];

/** What the client must see for each kind of fault. */
export const expectedStatus = (kind: FaultKind): number => (THROTTLES.includes(kind) ? 429 : 503);

const metadata = { httpStatusCode: 400, requestId: 'fault-injected', attempts: 3, totalRetryDelay: 300 };

/** The error the SDK would have thrown, after its own retries, for this kind of fault. */
export const serviceError = (kind: Exclude<FaultKind, 'unreachable'>, commandName: string): Error => {
  const message = `injected ${kind} on ${commandName}`;
  // Only a transaction can be cancelled; any other command is throttled the plain way.
  if (kind === 'TransactionCanceled/ThrottlingError' && commandName !== 'TransactWriteItemsCommand') kind = 'ThrottlingException';
  switch (kind) {
    case 'ProvisionedThroughputExceededException':
      return new ProvisionedThroughputExceededException({ message, $metadata: metadata });
    case 'ThrottlingException':
      return new ThrottlingException({ message, $metadata: metadata });
    case 'RequestLimitExceeded':
      return new RequestLimitExceeded({ message, $metadata: metadata });
    case 'InternalServerError':
      return new InternalServerError({ message, $metadata: { ...metadata, httpStatusCode: 500 } });
    case 'TransactionCanceled/ThrottlingError':
      return new TransactionCanceledException({
        message,
        $metadata: metadata,
        CancellationReasons: [{ Code: 'ThrottlingError', Message: 'Throughput exceeds the current capacity for one or more global secondary indexes.' }],
      });
  }
};

/** A loopback port with nothing listening on it. */
export const closedPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Decides, per command (1-based count since the last `reset`), whether it fails. */
export type FaultPlan = (commandName: string, n: number) => FaultKind | undefined;

export interface Faults {
  /** Commands seen since the last reset, in order. */
  readonly commands: string[];
  plan(plan: FaultPlan | undefined): void;
  reset(): void;
  /** How many commands were made to fail since the last reset. */
  readonly injected: number;
}

export const installFaults = async (client: DynamoDBDocumentClient): Promise<Faults> => {
  const deadPort = await closedPort();
  let current: FaultPlan | undefined;
  const commands: string[] = [];
  let injected = 0;

  // Initialize: count and decide once per command (the SDK's retries happen further down).
  client.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(context.commandName ?? 'unknown');
      const kind = current?.(context.commandName ?? 'unknown', commands.length);
      if (kind) injected++;
      if (kind && kind !== 'unreachable') throw serviceError(kind, context.commandName ?? 'unknown');
      // The context travels with this command through every step (and every retry).
      if (kind === 'unreachable') (context as { reliabilityUnreachable?: boolean }).reliabilityUnreachable = true;
      return next(args);
    },
    { step: 'initialize', name: 'reliabilityFaultPlan', priority: 'high' },
  );
  // Finalize: an unreachable command goes to a port where nothing listens, on every retry.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { hostname?: string; port?: number };
      if ((context as { reliabilityUnreachable?: boolean }).reliabilityUnreachable) {
        request.hostname = '127.0.0.1';
        request.port = deadPort;
      }
      return next(args);
    },
    { step: 'finalizeRequest', name: 'reliabilityUnreachable', priority: 'low' },
  );
  return {
    commands,
    get injected() {
      return injected;
    },
    plan(plan) {
      current = plan;
    },
    reset() {
      commands.length = 0;
      injected = 0;
      current = undefined;
    },
  };
};

/** Fail the n-th command (and only it) with `kind`. */
export const failNth =
  (n: number, kind: FaultKind): FaultPlan =>
  (_name, count) =>
    count === n ? kind : undefined;

/** Fail every command from the n-th on: the store goes away mid-request and stays away. */
export const failFrom =
  (n: number, kind: FaultKind): FaultPlan =>
  (_name, count) =>
    count >= n ? kind : undefined;
