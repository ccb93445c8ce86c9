/**
 * Before/after verdicts for a fix, from alternated A/B samples (one sample per replay run).
 *
 * Tachometer's rule, with an explicit equivalence region: a 95% Welch t-interval on the
 * difference of means (B − A). With `threshold` the smallest relative change that matters:
 * - improved:  the whole interval lies below −threshold·mean(A)   (lower is better: times)
 * - regressed: the whole interval lies above +threshold·mean(A)
 * - no effect: the whole interval lies inside ±threshold·mean(A)
 * - otherwise unresolved: take more samples, or give up at the cap and say so.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

export type Verdict = 'improved' | 'regressed' | 'no-effect' | 'unresolved';

export interface Interval {
  low: number;
  high: number;
}

export interface Comparison {
  verdict: Verdict;
  nA: number;
  nB: number;
  meanA: number;
  meanB: number;
  /** meanB − meanA, with its confidence interval. */
  difference: number;
  interval: Interval;
  /** The same, relative to meanA (−0.4 = 40% lower). */
  relative: number;
  relativeInterval: Interval;
  confidence: number;
  threshold: number;
  /**
   * B/A as a ratio of geometric means, with its interval (a Welch interval on log values), when
   * every sample is positive: how large effects read ("0.002×") without a relative interval
   * that runs past −100%. Descriptive only; the verdict comes from the difference above.
   */
  ratio: { estimate: number; low: number; high: number } | null;
}

export interface CompareOptions {
  /** Two-sided confidence level of the interval (default 0.95). */
  confidence?: number;
  /** Smallest relative change that counts (default 0.1 = 10%). */
  threshold?: number;
}

function meanVar(xs: readonly number[]): { mean: number; variance: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, variance };
}

/** Compares samples of a lower-is-better metric from the baseline (A) and the patched (B) build. */
/** Welch's interval on the difference of means (B − A). */
function welch(a: readonly number[], b: readonly number[], confidence: number): { A: { mean: number }; B: { mean: number }; difference: number; interval: Interval } {
  const A = meanVar(a);
  const B = meanVar(b);
  const seA = A.variance / a.length;
  const seB = B.variance / b.length;
  const se = Math.sqrt(seA + seB);
  // Welch–Satterthwaite degrees of freedom; identical constant samples have se = 0.
  const df = se === 0 ? Infinity : (seA + seB) ** 2 / ((seA ** 2) / (a.length - 1) + (seB ** 2) / (b.length - 1));
  const t = Number.isFinite(df) ? tQuantile(1 - (1 - confidence) / 2, df) : 1.959963984540054;
  const difference = B.mean - A.mean;
  return { A, B, difference, interval: { low: difference - t * se, high: difference + t * se } };
}

export function compare(a: readonly number[], b: readonly number[], options: CompareOptions = {}): Comparison {
  const confidence = options.confidence ?? 0.95;
  const threshold = options.threshold ?? 0.1;
  if (a.length < 2 || b.length < 2) throw new RangeError('compare() needs at least two samples per side');
  const { A, B, difference, interval } = welch(a, b, confidence);
  const positive = a.every((x) => x > 0) && b.every((x) => x > 0);
  const logs = positive ? welch(a.map(Math.log), b.map(Math.log), confidence) : null;
  const ratio = logs ? { estimate: Math.exp(logs.difference), low: Math.exp(logs.interval.low), high: Math.exp(logs.interval.high) } : null;
  const scale = Math.abs(A.mean) || 1;
  const margin = threshold * scale;
  let verdict: Verdict = 'unresolved';
  if (interval.high < -margin) verdict = 'improved';
  else if (interval.low > margin) verdict = 'regressed';
  else if (interval.low >= -margin && interval.high <= margin) verdict = 'no-effect';
  return {
    verdict,
    nA: a.length,
    nB: b.length,
    meanA: A.mean,
    meanB: B.mean,
    difference,
    interval,
    relative: difference / scale,
    relativeInterval: { low: interval.low / scale, high: interval.high / scale },
    confidence,
    threshold,
    ratio,
  };
}

export interface SamplingPlan {
  /** Samples per side before the first decision (default 5). */
  minRuns?: number;
  /** Samples per side added when unresolved (default 2). */
  batch?: number;
  /** Give up (verdict stays unresolved) at this many samples per side (default 15). */
  maxRuns?: number;
  /** ...or after this much wall time (default 180 s). */
  timeCapMs?: number;
}

export interface SampledComparison extends Comparison {
  /** The order runs were taken in: A and B alternate, starting with A. */
  order: Array<'A' | 'B'>;
  stoppedBy: 'decided' | 'max-runs' | 'time-cap';
}

/**
 * Takes samples alternately (ABAB…) from the two builds until the comparison resolves or a cap
 * is hit. `sample` runs one replay of one side and returns its metric value.
 */
export async function sampleUntilDecided(
  sample: (side: 'A' | 'B', index: number) => Promise<number>,
  plan: SamplingPlan & CompareOptions = {},
  now: () => number = Date.now,
): Promise<SampledComparison> {
  const minRuns = plan.minRuns ?? 5;
  const batch = plan.batch ?? 2;
  const maxRuns = plan.maxRuns ?? 15;
  const deadline = now() + (plan.timeCapMs ?? 180_000);
  const a: number[] = [];
  const b: number[] = [];
  const order: Array<'A' | 'B'> = [];
  let target = Math.max(2, minRuns);
  for (;;) {
    while (a.length < target || b.length < target) {
      order.push('A');
      a.push(await sample('A', a.length));
      order.push('B');
      b.push(await sample('B', b.length));
    }
    const result = compare(a, b, plan);
    if (result.verdict !== 'unresolved') return { ...result, order, stoppedBy: 'decided' };
    if (a.length >= maxRuns) return { ...result, order, stoppedBy: 'max-runs' };
    if (now() >= deadline) return { ...result, order, stoppedBy: 'time-cap' };
    target = Math.min(maxRuns, a.length + batch);
  }
}
