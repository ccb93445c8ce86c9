/**
 * The checker's intervals when only a merged histogram is at hand (field data), not the raw
 * samples. Both are conservative by the histogram's resolution:
 * - quantiles: the same order-statistic ranks as `quantileInterval`, each read as the outer
 *   boundary of the bucket that holds it, so the interval covers every sample set the
 *   histogram could have come from;
 * - the mean: a Poisson bootstrap over the buckets (each bucket's count redrawn as
 *   Poisson(count), seeded), widened by the buckets' relative accuracy.
 */
import type { FieldDistribution } from '../field/merge.ts';
import type { Stat } from '../spec.ts';
import { quantileRanks, STAT_QUANTILE, type StatInterval } from './interval.ts';
import { seededRandom, type Random } from './prng.ts';

export function histogramQuantileInterval(d: FieldDistribution, q: number, confidence: number): StatInterval {
  const n = d.count;
  if (n === 0) throw new RangeError('histogramQuantileInterval needs at least one sample');
  const { l, u } = quantileRanks(n, q, confidence);
  return {
    estimate: d.quantile(q),
    low: l < 1 ? 0 : d.rankBounds(l - 1).low,
    high: u > n ? Infinity : d.rankBounds(u - 1).high,
    n,
    confidence,
  };
}

/** A Poisson(λ) draw: Knuth's method for small λ, the normal approximation beyond. */
function poisson(lambda: number, random: Random): number {
  if (lambda < 30) {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = random();
    while (p > limit) {
      k++;
      p *= random();
    }
    return k;
  }
  const z = Math.sqrt(-2 * Math.log(Math.max(1e-300, random()))) * Math.cos(2 * Math.PI * random());
  return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * z));
}

export function histogramMeanInterval(d: FieldDistribution, confidence: number, seed: number, resamples = 2000): StatInterval {
  const n = d.count;
  if (n === 0) throw new RangeError('histogramMeanInterval needs at least one sample');
  const buckets = [...d.buckets()];
  const random = seededRandom(seed);
  const means: number[] = [];
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    let count = 0;
    for (const { value, count: c } of buckets) {
      const w = poisson(c, random);
      sum += w * value;
      count += w;
    }
    if (count > 0) means.push(sum / count);
  }
  means.sort((a, b) => a - b);
  const alpha = (1 - confidence) / 2;
  const at = (p: number) => means[Math.min(means.length - 1, Math.max(0, Math.floor(p * (means.length - 1))))]!;
  const accuracy = d.relativeAccuracy;
  const estimate = d.summary().mean;
  return { estimate, low: Math.min(estimate, at(alpha) * (1 - accuracy)), high: Math.max(estimate, at(1 - alpha) * (1 + accuracy)), n, confidence };
}

export function histogramStatInterval(d: FieldDistribution, stat: Stat, confidence: number, seed: number): StatInterval {
  return stat === 'mean' ? histogramMeanInterval(d, confidence, seed) : histogramQuantileInterval(d, STAT_QUANTILE[stat], confidence);
}
