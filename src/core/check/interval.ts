/**
 * Confidence intervals for the statistic a budget names, from raw per-call samples:
 * - quantiles (p50…p99): the distribution-free order-statistic interval. The number of samples
 *   below the true q-quantile is Binomial(n, q), so the k-th smallest sample is below it with a
 *   probability read off that binomial's CDF. No assumption about the shape of the timings.
 * - the mean: a percentile bootstrap with a seeded PRNG (timings are skewed, so no t-interval).
 */
import { binomialDistribution, mean as meanOf, quantileSorted } from 'simple-statistics';
import { normalQuantile } from './normal.ts';
import type { Stat } from '../spec.ts';
import { seededRandom } from './prng.ts';

export interface StatInterval {
  /** Point estimate (type-7 sample quantile, or the sample mean). */
  estimate: number;
  /** Two-sided interval at `confidence`; `low` may be 0 and `high` Infinity when n is too small to bound a side. */
  low: number;
  high: number;
  n: number;
  confidence: number;
}

export const STAT_QUANTILE: Record<Exclude<Stat, 'mean'>, number> = { p50: 0.5, p75: 0.75, p95: 0.95, p99: 0.99 };

/** P(Binomial(n, q) ≤ k) for k = 0..n. */
function binomialCdf(n: number, q: number): number[] {
  const pmf = binomialDistribution(n, q);
  if (!pmf) throw new RangeError(`cannot compute Binomial(${n}, ${q})`);
  const cdf = new Array<number>(n + 1);
  let acc = 0;
  // simple-statistics stops once the mass is within epsilon of 1: the tail it leaves out is ~0.
  for (let k = 0; k <= n; k++) cdf[k] = Math.min(1, (acc += pmf[k] ?? 0));
  return cdf;
}

/** Above this many samples the binomial is replaced by its normal approximation (exact tables get slow). */
const EXACT_LIMIT = 50_000;

/**
 * The 1-based ranks (l, u) of the order statistics that bound the q-quantile of n samples at
 * `confidence`: l = 0 when no sample bounds it from below, u = n + 1 when none does from above.
 */
export function quantileRanks(n: number, q: number, confidence: number): { l: number; u: number } {
  const alpha = (1 - confidence) / 2;
  if (n > EXACT_LIMIT) {
    const half = normalQuantile(1 - alpha) * Math.sqrt(n * q * (1 - q));
    const l = Math.floor(n * q - half);
    const u = Math.ceil(n * q + half) + 1;
    return { l: Math.max(0, l), u: Math.min(n + 1, u) };
  }
  const cdf = binomialCdf(n, q);
  // Lower: the largest l with P(Bin ≤ l−1) ≤ α/2, so P(x(l) ≤ ξq) ≥ 1 − α/2.
  let l = 0;
  while (l + 1 <= n && (cdf[l] ?? 1) <= alpha) l++;
  // Upper: the smallest u with P(Bin ≤ u−1) ≥ 1 − α/2, so P(x(u) ≥ ξq) ≥ 1 − α/2.
  let u = 1;
  while (u <= n && (cdf[u - 1] ?? 1) < 1 - alpha) u++;
  return { l, u };
}

/** Order-statistic confidence interval for the q-quantile of `sorted` (ascending). */
export function quantileInterval(sorted: readonly number[], q: number, confidence: number): StatInterval {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantileInterval needs at least one sample');
  const { l, u } = quantileRanks(n, q, confidence);
  return {
    estimate: quantileSorted(sorted as number[], q),
    low: l < 1 ? 0 : sorted[l - 1]!,
    high: u > n ? Infinity : sorted[u - 1]!,
    n,
    confidence,
  };
}

/** Percentile-bootstrap confidence interval for the mean, deterministic for a given seed. */
export function meanInterval(samples: readonly number[], confidence: number, seed: number, resamples = 2000): StatInterval {
  const n = samples.length;
  if (n === 0) throw new RangeError('meanInterval needs at least one sample');
  const random = seededRandom(seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += samples[Math.floor(random() * n)]!;
    means[b] = sum / n;
  }
  means.sort();
  const alpha = (1 - confidence) / 2;
  const sorted = Array.from(means);
  return {
    estimate: meanOf(samples as number[]),
    low: quantileSorted(sorted, alpha),
    high: quantileSorted(sorted, 1 - alpha),
    n,
    confidence,
  };
}

/**
 * The point value of a statistic over samples (NaN when there are none), with the quantile
 * definition the intervals above use: what `check` compares with a budget, what an A/B run
 * reports and what a generated budget test asserts all agree.
 */
export function statValue(samples: readonly number[], stat: Stat): number {
  if (samples.length === 0) return NaN;
  if (stat === 'mean') return meanOf(samples as number[]);
  return quantileSorted(samples.slice().sort((a, b) => a - b), STAT_QUANTILE[stat]);
}

/** The interval for whichever statistic a budget or baseline names. */
export function statInterval(samples: readonly number[], stat: Stat, confidence: number, seed: number): StatInterval {
  if (stat === 'mean') return meanInterval(samples, confidence, seed);
  const sorted = samples.slice().sort((a, b) => a - b);
  return quantileInterval(sorted, STAT_QUANTILE[stat], confidence);
}
