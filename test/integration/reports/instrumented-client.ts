/**
 * A document client on DynamoDB Local that counts the commands it sends and can be told to fail
 * one of them, by an SDK middleware at the start of the stack (before any request is made).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../lambdas/store/client';

export interface InstrumentedClient {
  client: DynamoDBDocumentClient;
  /** Commands sent so far, by command name (`BatchWriteItemCommand`, …). */
  calls: Map<string, number>;
  /** Throw (once) instead of sending the next command that matches. */
  failNext(match: (commandName: string, input: unknown) => boolean): void;
  /** Whether a failNext trap is still waiting for its command. */
  armed(): boolean;
  destroy(): void;
}

export class InjectedFault extends Error {
  override readonly name = 'InjectedFault';
}

export const createInstrumentedClient = (): InstrumentedClient => {
  const raw = new DynamoDBClient({ maxAttempts: 1 });
  const calls = new Map<string, number>();
  let trap: ((commandName: string, input: unknown) => boolean) | undefined;
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName);
      calls.set(name, (calls.get(name) ?? 0) + 1);
      if (trap?.(name, args.input)) {
        trap = undefined;
        throw new InjectedFault(`injected failure of ${name}`);
      }
      return next(args);
    },
    { step: 'initialize', name: 'faultInjection' },
  );
  return {
    client: createDocumentClient(raw),
    calls,
    failNext: (match) => (trap = match),
    armed: () => trap !== undefined,
    destroy: () => raw.destroy(),
  };
};
