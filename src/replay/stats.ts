/** Run-to-run statistics: spread of a per-run figure, and how many runs a change needs to show. */
import { normalQuantile } from '../core/check/normal.ts';

export interface SeriesStats {
  /** One value per run (null where the run had no sample). */
  values: (number | null)[];
  n: number;
  mean: number | null;
  /** Sample standard deviation (n − 1). */
  sd: number | null;
  /** Coefficient of variation, sd / mean; null with fewer than two values or a zero mean. */
  cv: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
}

export function seriesStats(values: readonly (number | null)[]): SeriesStats {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { values: [...values], n, mean: null, sd: null, cv: null, median: null, min: null, max: null };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : null;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(n / 2);
  const median = n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return {
    values: [...values],
    n,
    mean,
    sd,
    cv: sd !== null && mean > 0 ? sd / mean : null,
    median,
    min: sorted[0]!,
    max: sorted[n - 1]!,
  };
}

export { normalQuantile } from '../core/check/normal.ts';

/**
 * Runs per build needed to detect a relative change of `change` in a mean with coefficient of
 * variation `cv`, two-sample two-sided test: n = 2 (z₁₋α/₂ + z₁₋β)² cv² / change². A normal
 * approximation; with fewer than ~10 runs a t-test needs one or two more.
 */
export function runsToDetect(cv: number, change = 0.2, options: { alpha?: number; power?: number } = {}): number {
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  return Math.max(2, Math.ceil((2 * z * z * cv * cv) / (change * change)));
}

/**
 * Geometric mean, with values floored at `floor` (the clock step: a 0 ms reading means "under
 * one tick"). Uses every sample, and a handler whose calls differ in size by design (the first
 * key of a search renders far more rows than the last) moves it in proportion, so per-run
 * geometric means vary less from run to run than per-run medians.
 */
export function geometricMean(values: readonly number[], floor: number): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += Math.log(Math.max(v, floor));
  return Math.exp(sum / values.length);
}
