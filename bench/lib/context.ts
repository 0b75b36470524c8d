/**
 * What every section gets: the options, a progress bar, and the in-process environment and the
 * local gateway process, each started on first use and shared by the sections that need it.
 */
import type { BenchEnvironment } from './environment';
import type { GatewayProcess } from './gateway-process';
import type { BenchSizes } from './options';
import type { ProgressFactory } from './progress';

export interface SectionContext {
  sizes: BenchSizes;
  quick: boolean;
  progress: ProgressFactory;
  /** Notes on stderr while the bench runs (not part of the results). */
  log(message: string): void;
  environment(): Promise<BenchEnvironment>;
  gateway(): Promise<GatewayProcess>;
}

/** Starts `start` once, on the first call; `stop` stops it only if it was started. */
export const lazy = <T>(start: () => Promise<T>, stopOne: (value: T) => Promise<void>) => {
  let started: Promise<T> | undefined;
  return {
    get: () => (started ??= start()),
    stop: async () => {
      if (!started) return;
      const value = await started.catch(() => undefined);
      if (value !== undefined) await stopOne(value);
    },
  };
};
