/**
 * Counts DynamoDB round trips (commands sent, retries excluded) made through a runtime's document
 * client, with an SDK middleware, so cost targets are enforced by tests.
 */
import type { Runtime } from '../../lambdas/shared/runtime';

export interface RoundTripCounter {
  readonly commands: string[];
  reset(): void;
  count(): number;
}

export const countRoundTrips = (rt: Runtime): RoundTripCounter => {
  const commands: string[] = [];
  rt.dynamo.middlewareStack.add(
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
