/**
 * Before/after verdicts for a fix, from alternated A/B samples (one number per replay run and
 * metric), judged on what the user feels.
 *
 * Every comparison is a log-ratio: a 95% Welch t-interval on the difference of mean log values,
 * read back as B/A (a ratio of geometric means). Its interval never passes −100% and huge
 * effects read as what they are ("0.002×"). Samples are floored at the metric's meaningful
 * minimum first (a frame, the long-frame threshold), so a drop from 0.3 ms to 0.01 ms is "below
 * a frame on both sides", not a 30× win.
 *
 * A fix is judged on one primary metric (the user-felt metric its rule claims to improve), with
 * guards that must not regress beyond a tolerance (time to result, long-frame blocking in the
 * flow, the longest frame, errors), and context metrics that explain the outcome (the longest
 * frame the handler's own work occupied). A fix that moves work out of the interaction but still
 * leaves a frozen frame is `partial`, not `improved`.
 *
 * Sampling is sequential (more runs until every needed decision is made) with the error rate
 * split over the planned looks (Pocock's boundary for equally spaced looks, Bonferroni where the
 * looks fall wherever the budget ends), so stopping early does not inflate it. Guards are
 * one-sided claims, read at the one-sided bound (guardConfidence).
 */
import { formatFactor, formatQuantity } from './format.ts';
import { tQuantile } from './check/normal.ts';
import { FROZEN_FRAME_MS } from './metrics.ts';

export interface RatioInterval {
  estimate: number;
  low: number;
  high: number;
}

export interface LogComparison {
  nA: number;
  nB: number;
  /** Arithmetic means of the raw samples (for reading), and geometric means of the floored ones. */
  meanA: number;
  meanB: number;
  geoA: number;
  geoB: number;
  /** B / A with its interval. */
  ratio: RatioInterval;
  confidence: number;
  floor: number;
  /** Paired comparisons: the rounds (clusters) the interval's degrees of freedom come from. */
  clusters?: number;
}

/** Welch's t-interval on the difference of means (B − A). */
function welch(a: readonly number[], b: readonly number[], confidence: number): { meanA: number; meanB: number; low: number; high: number } {
  const mv = (xs: readonly number[]) => {
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.length > 1 ? xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1) : 0;
    return { mean, variance };
  };
  const A = mv(a);
  const B = mv(b);
  const seA = A.variance / a.length;
  const seB = B.variance / b.length;
  const se = Math.sqrt(seA + seB);
  const d = B.mean - A.mean;
  if (se === 0) return { meanA: A.mean, meanB: B.mean, low: d, high: d };
  // Welch–Satterthwaite degrees of freedom.
  const df = (seA + seB) ** 2 / (seA ** 2 / Math.max(1, a.length - 1) + seB ** 2 / Math.max(1, b.length - 1));
  const t = tQuantile(1 - (1 - confidence) / 2, df);
  return { meanA: A.mean, meanB: B.mean, low: d - t * se, high: d + t * se };
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/**
 * B/A for a lower-is-better metric, from per-run samples of the baseline (A) and the patched
 * build (B). `floor` (> 0) is the metric's meaningful minimum.
 */
export function compareLogRatio(a: readonly number[], b: readonly number[], options: { confidence?: number; floor: number }): LogComparison {
  if (a.length < 2 || b.length < 2) throw new RangeError('compareLogRatio() needs at least two samples per side');
  if (!(options.floor > 0)) throw new RangeError('compareLogRatio() needs a positive floor');
  const confidence = options.confidence ?? 0.95;
  const log = (x: number) => Math.log(Math.max(x, options.floor));
  const w = welch(a.map(log), b.map(log), confidence);
  return {
    nA: a.length,
    nB: b.length,
    meanA: mean(a),
    meanB: mean(b),
    geoA: Math.exp(w.meanA),
    geoB: Math.exp(w.meanB),
    ratio: { estimate: Math.exp(w.meanB - w.meanA), low: Math.exp(w.low), high: Math.exp(w.high) },
    confidence,
    floor: options.floor,
  };
}

/** What a comparison says about a metric that should go down. */
export type Effect = 'improved' | 'regressed' | 'no-effect' | 'unresolved';

/** Improved when the whole interval lies below 1 − threshold; no effect when inside (1 − t, 1 + t). */
export function effectOf(c: LogComparison, threshold: number): Effect {
  if (c.ratio.high < 1 - threshold) return 'improved';
  if (c.ratio.low > 1 + threshold) return 'regressed';
  if (c.ratio.low >= 1 - threshold && c.ratio.high <= 1 + threshold) return 'no-effect';
  return 'unresolved';
}

/**
 * A guard: the fix must not make this metric worse beyond `tolerance`. That is a non-inferiority
 * claim (one side of TOST): it holds only when the whole interval lies below 1 + tolerance, fails
 * when the whole interval lies above it, and otherwise is not yet proven (more samples, or the
 * verdict says which guard stayed unproven). A point estimate within tolerance proves nothing.
 * The claim is one-sided, so its interval is the two-sided one at `guardConfidence(c)`: its upper
 * bound is the one-sided bound at `c` (TOST at level α reads the 1 − 2α interval).
 */
export function guardConfidence(confidence: number): number {
  return 2 * confidence - 1;
}

export type GuardState = 'ok' | 'regressed' | 'unresolved';

export function guardOf(c: LogComparison, tolerance: number): GuardState {
  if (c.ratio.low > 1 + tolerance) return 'regressed';
  if (c.ratio.high <= 1 + tolerance) return 'ok';
  return 'unresolved';
}

/** The verdict on a fix. `partial`: the primary metric improved, but the user still sees a frozen frame. */
export type Verdict = 'improved' | 'partial' | 'no-effect' | 'regressed' | 'unresolved';

export interface MetricSpec {
  /** Key into each run's values. */
  key: string;
  /** How reports name it ("renderReact p95 interaction"). */
  label: string;
  role: 'primary' | 'guard' | 'context';
  /** The metric's meaningful minimum (ms, or a count). */
  floor: number;
  /** Guards: the largest tolerated ratio above 1 (0.1 = 10% worse). */
  tolerance?: number;
  /** Context metric whose "still long" makes an improvement partial (the handler's longest frame). */
  frozen?: boolean;
  unit?: 'ms' | 'count';
}

export interface MetricResult {
  spec: MetricSpec;
  comparison: LogComparison | null;
  /** Primary and context: an Effect; guards: a GuardState; `no-data` when a side had no samples. */
  state: Effect | GuardState | 'no-data';
}

export interface FixJudgement {
  verdict: Verdict;
  /** No more samples would change what the verdict rests on. */
  settled: boolean;
  results: MetricResult[];
  /** One plain sentence with the numbers: "interaction 0.2× (CI …), result no sooner (1.01×), still a 1.7 s frame". */
  why: string;
}

export interface JudgeOptions {
  /** Smallest relative change of the primary metric that counts (default 0.1). */
  threshold?: number;
  /** Default guard tolerance (default 0.1). */
  tolerance?: number;
  /** Confidence of each interval (default 0.95; sequential sampling lowers the error rate per look). */
  confidence?: number;
  /** A frame at least this long is a visible freeze (default 200 ms: above it, INP is no longer "good"). */
  frozenMs?: number;
}

export const DEFAULT_FROZEN_MS = FROZEN_FRAME_MS;

/** One row per run: each metric's value, or null when the run had none. */
export type RunValues = Record<string, number | null>;

const samplesOf = (runs: readonly RunValues[], key: string) => runs.map((r) => r[key]).filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));

/**
 * "355 ms → 207 ms (0.58×, CI 0.40–0.84×)": the before/after of the very statistic the ratio is
 * of (geometric means of the floored samples; means of counts), so arrows and ratios never
 * disagree.
 */
export function formatChange(c: LogComparison, unit: 'ms' | 'count' = 'ms'): string {
  // Counts read as counts: a ratio of floored error counts (0 → 1 as "2×") would mislead.
  if (unit === 'count') return `${formatQuantity(c.meanA, unit)} → ${formatQuantity(c.meanB, unit)} per run`;
  return `${formatQuantity(c.geoA, unit)} → ${formatQuantity(c.geoB, unit)} (${formatFactor(c.ratio.estimate)}×, CI ${formatFactor(c.ratio.low)}–${formatFactor(c.ratio.high)}×)`;
}

/** "0.18× (CI 0.12–0.27×)". */
export function formatRatio(r: RatioInterval): string {
  return `${formatFactor(r.estimate)}× (CI ${formatFactor(r.low)}–${formatFactor(r.high)}×)`;
}


/**
 * Judges a fix from the runs taken so far: one number per run and metric, Welch over runs.
 */
export function judgeFix(specs: readonly MetricSpec[], A: readonly RunValues[], B: readonly RunValues[], options: JudgeOptions = {}): FixJudgement {
  return judgeComparisons(
    specs,
    (spec) => {
      const a = samplesOf(A, spec.key);
      const b = samplesOf(B, spec.key);
      if (a.length < 2 || b.length < 2) return null;
      return compareLogRatio(a, b, { floor: spec.floor, confidence: confidenceFor(spec, options.confidence ?? 0.95) });
    },
    options,
  );
}

/** The two-sided confidence a metric's interval is computed at: guards are one-sided claims (guardConfidence). */
export function confidenceFor(spec: Pick<MetricSpec, 'role'>, confidence: number): number {
  return spec.role === 'guard' ? guardConfidence(confidence) : confidence;
}

/**
 * The verdict from one comparison per metric (however it was made: per-run Welch, or paired
 * rounds): the primary's effect, every guard proven or not, the frozen-frame context.
 */
export function judgeComparisons(specs: readonly MetricSpec[], compare: (spec: MetricSpec) => LogComparison | null, options: JudgeOptions = {}): FixJudgement {
  const threshold = options.threshold ?? 0.1;
  const frozenMs = options.frozenMs ?? DEFAULT_FROZEN_MS;
  const results: MetricResult[] = specs.map((spec) => {
    const comparison = compare(spec);
    if (!comparison) return { spec, comparison: null, state: 'no-data' as const };
    const state = spec.role === 'guard' ? guardOf(comparison, spec.tolerance ?? options.tolerance ?? 0.1) : effectOf(comparison, threshold);
    return { spec, comparison, state };
  });
  const primary = results.find((r) => r.spec.role === 'primary');
  if (!primary) throw new RangeError('judgeFix() needs a primary metric');
  const guards = results.filter((r) => r.spec.role === 'guard' && r.state !== 'no-data');
  const frozen = results.find((r) => r.spec.frozen && r.comparison !== null);
  const why = explain(primary, results, frozen, frozenMs, threshold, options.tolerance ?? 0.1);

  const regressedGuard = guards.find((g) => g.state === 'regressed');
  if (regressedGuard || primary.state === 'regressed') return { verdict: 'regressed', settled: true, results, why };
  if (primary.state === 'no-data') return { verdict: 'unresolved', settled: false, results, why };
  if (primary.state === 'no-effect') return { verdict: 'no-effect', settled: true, results, why };
  if (primary.state === 'unresolved') return { verdict: 'unresolved', settled: false, results, why };
  // Primary improved, but the page still freezes about as long: never "improved". Once more runs
  // could not show the frame shorter, it is partial (an unproven guard could only make it worse).
  if (frozen && frozen.comparison!.geoB >= frozenMs && frozen.state !== 'improved') {
    const cannotImprove = frozen.state === 'no-effect' || frozen.state === 'regressed' || frozen.comparison!.ratio.low >= 1 - threshold;
    return { verdict: 'partial', settled: cannotImprove, results, why };
  }
  // Improved: every guard must be proven to hold.
  if (guards.some((g) => g.state === 'unresolved')) return { verdict: 'unresolved', settled: false, results, why };
  return { verdict: 'improved', settled: true, results, why };
}

function explain(primary: MetricResult, results: readonly MetricResult[], frozen: MetricResult | undefined, frozenMs: number, threshold: number, tolerance: number): string {
  const parts: string[] = [];
  const change = (r: MetricResult) => formatChange(r.comparison!, r.spec.unit);
  const p = primary.comparison;
  if (!p) parts.push(`${primary.spec.label}: no paired samples yet`);
  else if (primary.state === 'improved') parts.push(`${primary.spec.label} faster: ${change(primary)}`);
  else if (primary.state === 'regressed') parts.push(`${primary.spec.label} slower: ${change(primary)}`);
  else if (primary.state === 'no-effect') parts.push(`${primary.spec.label} unchanged: ${change(primary)}`);
  else parts.push(`${primary.spec.label} undecided: ${change(primary)}`);
  for (const r of results) {
    if (r.spec.role !== 'guard' || !r.comparison) continue;
    const c = r.comparison;
    const guard = `≤ ${formatFactor(1 + (r.spec.tolerance ?? tolerance))}×`;
    const name = /(^|:)result$/.test(r.spec.key) ? 'result' : r.spec.label;
    if (r.spec.unit === 'count') {
      if (r.state === 'regressed') parts.push(`more errors: ${change(r)}`);
      else if (r.state === 'unresolved') parts.push(`errors not yet proven no more: ${change(r)}`);
      continue;
    }
    if (r.state === 'regressed') parts.push(`${name} worse: ${change(r)}, beyond the ${guard} guard`);
    else if (r.state === 'unresolved') parts.push(`${name} not yet proven within ${guard}: ${change(r)}`);
    else if (c.ratio.low > 1) parts.push(`${name} worse: ${change(r)}, proven within the ${guard} guard`);
    else if (c.ratio.high < 1 - threshold) parts.push(`${name} better: ${change(r)}`);
  }
  if (frozen?.comparison) {
    const after = frozen.comparison.geoB;
    const before = frozen.comparison.geoA;
    if (after >= frozenMs && frozen.state !== 'improved') parts.push(`still a ${formatQuantity(after)} frame`);
    else if (frozen.state === 'improved' || before >= frozenMs) parts.push(`longest frame ${formatQuantity(before)} → ${formatQuantity(after)}`);
  }
  return parts.join('; ');
}

export interface SamplingPlan {
  /** Runs per side before the first decision (default 2: a huge effect decides there). */
  minRuns?: number;
  /** Give up (the verdict stays what it is, unsettled) at this many rounds (default 8; heal: 20, the budget decides first). */
  maxRuns?: number;
  /** ...or when the clock passes this (ms on `now`'s clock; default: none). */
  deadline?: number;
}

/**
 * Pocock's nominal two-sided significance level per look that keeps the overall level at 0.05
 * over K equally spaced looks: 2(1 − Φ(C_P(K))) with C_P from Jennison & Turnbull, Group
 * Sequential Methods (2000), table 2.1 (K = 1…10, 15, 20).
 */
const POCOCK_05: ReadonlyArray<readonly [number, number]> = [
  [1, 0.05], [2, 0.0294], [3, 0.0221], [4, 0.0182], [5, 0.0158], [6, 0.0142], [7, 0.013], [8, 0.012], [9, 0.0112], [10, 0.0106], [15, 0.0086], [20, 0.0075],
];

/**
 * The per-look confidence that keeps the overall error rate at `confidence` across every look a
 * sequential plan may take (one look per round from minRuns to maxRuns): peeking after each
 * round would otherwise inflate false verdicts. Pocock's boundary for 95% and up to 20 looks
 * (between tabulated K, the next larger K's level: more conservative), Bonferroni otherwise or
 * when asked (looks whose spacing is not known in advance).
 */
export function perLookConfidence(confidence: number, plan: SamplingPlan, method: 'pocock' | 'bonferroni' = 'pocock'): number {
  const looks = Math.max(1, (plan.maxRuns ?? 8) - (plan.minRuns ?? 2) + 1);
  const pocock = POCOCK_05.find(([k]) => k >= looks);
  // Pocock's levels assume equally spaced looks; Bonferroni holds wherever they fall.
  if (method === 'pocock' && Math.abs(confidence - 0.95) < 1e-9 && pocock) return 1 - pocock[1];
  return 1 - (1 - confidence) / looks;
}
