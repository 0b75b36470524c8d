/**
 * How big a reliability run is. `npm test` runs the quick slice (small counts, well under a
 * minute); `npm run test:reliability` sets RELIABILITY_SCALE=full for the real numbers.
 */
export type Scale = 'quick' | 'full';

export const SCALE: Scale = process.env.RELIABILITY_SCALE === 'full' ? 'full' : 'quick';
export const isFull = SCALE === 'full';

/** `quick` in the npm test slice, `full` in test:reliability. */
export const scaled = <T>(quick: T, full: T): T => (isFull ? full : quick);

/** Soak duration: RELIABILITY_SOAK_SECONDS wins, else 10 s quick / 300 s full. */
export const soakSeconds = (): number => {
  const configured = Number(process.env.RELIABILITY_SOAK_SECONDS);
  return Number.isFinite(configured) && configured > 0 ? configured : scaled(10, 300);
};

/** fast-check runs per property; RELIABILITY_RUNS overrides the full count. */
export const runs = (quick: number, full: number): number => {
  const configured = Number(process.env.RELIABILITY_RUNS);
  if (isFull && Number.isFinite(configured) && configured > 0) return configured;
  return scaled(quick, full);
};

/** A fixed seed in the quick slice (reproducible CI), a fresh one in full runs unless RELIABILITY_SEED is set. */
export const seed = (): number | undefined => {
  const configured = Number(process.env.RELIABILITY_SEED);
  if (Number.isInteger(configured)) return configured;
  return isFull ? undefined : 20261126;
};

/** Per-test timeout: jest's 60 s for the slice, an hour for a full run. */
export const testTimeout = (): number => scaled(60_000, 60 * 60_000);
