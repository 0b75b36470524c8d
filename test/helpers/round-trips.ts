/**
 * Counts DynamoDB round trips (commands sent, retries excluded) made through the shared document
 * client, with an SDK middleware, so cost targets are enforced by tests.
 */
import { documentClient } from '../../lambdas/store/client';

export interface RoundTripCounter {
  readonly commands: string[];
  reset(): void;
  count(): number;
}

export const countRoundTrips = (): RoundTripCounter => {
  const commands: string[] = [];
  documentClient().middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: `roundTripCounter-${Math.random()}` },
  );
  return {
    commands,
    reset: () => commands.splice(0, commands.length),
    count: () => commands.length,
  };
};
