/**
 * Summary statistics of latency samples. Percentiles use the nearest-rank method, so p99 of 100
 * samples is the 99th smallest, never an interpolated value that was not observed.
 */

export interface Summary {
  count: number;
  median: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

export const percentile = (sorted: readonly number[], p: number): number => {
  if (!sorted.length) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
};

export const summarize = (samples: readonly number[]): Summary => {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    median: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    min: sorted.length ? sorted[0] : Number.NaN,
    max: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
  };
};

/** Rounds for display and JSON: enough digits to compare, no float noise. */
export const round = (value: number, digits = 2): number => {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export const ratio = (large: number, small: number): number => (small > 0 ? large / small : Number.NaN);
