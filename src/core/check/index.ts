/**
 * `homeostat check`'s engine: holds the documented spec against new telemetry and reports each
 * discrepancy with its evidence. Pure (no DOM, no Node APIs) so the panel and the suggestion
 * engine can run it too.
 *
 * Decisions, per documented handler with at least `minSamples` calls (fewer: 'insufficient-data',
 * with how many more calls a decision would need, unless the few are already overwhelming):
 * - over-budget: the confidence interval of the statistic the budget names (order-statistic
 *   interval for quantiles, seeded bootstrap for the mean) lies entirely above the budget. For a
 *   quantile this holds at any sample size: if the true p95 were within budget, each call would
 *   exceed it with probability ≤ 0.05, so n calls all above it happen with probability ≤ 0.05ⁿ,
 *   and the order-statistic bound says exactly when that is rare enough (2 calls at 95%). The
 *   mean has no distribution-free bound: its bootstrap needs `minSamples`.
 * - drift: the interval of the median of the budget's metric (blocking when there is no budget)
 *   lies entirely outside baseline·(1 ± tolerance), and the difference exceeds the clock noise
 *   floor. The median, because it is the quantile a sample of ~100 pins down best. When the
 *   baseline's raw samples are given (`baselineSessions`), a one-sided Mann–Whitney test of the
 *   new samples against baseline·(1 ± tolerance) decides instead: it uses every sample.
 * - error-rate / transition-share: a two-proportion z-test against the baseline rate,
 *   significant at `confidence` and larger than a practical minimum difference. (The baseline
 *   keeps the transition share but not its denominator, so the baseline's call count stands in.)
 * Sequences: order (the most common observed variant is not the documented one, over at least
 * SEQUENCE_MIN_RUNS runs), over-budget and drift of their duration, by the same rules.
 */
import { formatMs } from '../format.ts';
import { FELT_METRICS } from '../metrics.ts';
import type { Baseline, Budget, HandlerMetric, HandlerSpec, SequenceSpec, SpecFile, Stat } from '../spec.ts';
import type { SessionFile } from '../session.ts';
import { compareContexts, contextOf, type BaselineContext, type Comparison } from '../machine.ts';
import { quantileRanks, STAT_QUANTILE, type StatInterval } from './interval.ts';
import { observeSessions, type HandlerObservation, type MetricValues, type Observations, type SequenceObservation } from './observed.ts';
import { twoProportionTest } from './proportion.ts';
import { mannWhitney } from './rank.ts';
import { callsByHandler, samplesOf, type HandlerSamples } from './samples.ts';

export { quantileInterval, meanInterval, statInterval, statValue, type StatInterval } from './interval.ts';
export { twoProportionTest, type ProportionTest } from './proportion.ts';
export { mannWhitney, type RankTest } from './rank.ts';
export { seededRandom, type Random } from './prng.ts';
export { observeSessions, observeField, observeCalls, type Observations } from './observed.ts';

export type DiscrepancyKind = 'over-budget' | 'drift' | 'undocumented' | 'unseen' | 'sequence-order' | 'error-rate' | 'transition-share';

export interface Discrepancy {
  kind: DiscrepancyKind;
  subject: { type: 'handler' | 'sequence'; name: string };
  severity: 'error' | 'warning' | 'info';
  message: string;
  evidence: {
    metric?: string;
    stat?: string;
    documented?: number;
    observed?: number;
    interval?: { low: number; high: number };
    n?: number;
    confidence?: number;
    pValue?: number;
    [k: string]: unknown;
  };
}

export type HandlerStatus = 'ok' | 'over-budget' | 'drifting' | 'undocumented' | 'unseen' | 'insufficient-data';

export interface CheckReport {
  discrepancies: Discrepancy[];
  /**
   * The documentation accuracy metric: of the documented handlers that could be judged (seen at
   * least `minSamples` times, or never seen at all), how many behave as documented.
   * `ratio` is null when none could be judged.
   */
  accuracy: { documented: number; matching: number; ratio: number | null; notComparable?: number };
  /** The machine context of the telemetry checked (replays record it), when known. */
  context?: BaselineContext | null;
  /**
   * Per handler: its status and `n`, the calls it was judged on. For 'insufficient-data' from a
   * budget or baseline metric that few calls have (settle, paint…), `n` counts the calls with a
   * finite value of that `metric`.
   */
  handlers: Array<{
    name: string;
    status: HandlerStatus;
    n: number;
    metric?: string;
    /**
     * For 'insufficient-data': how many more calls would let the rules decide, at the rate seen so
     * far (calls over the budget keep coming as often: an over-budget verdict; otherwise enough
     * calls to call it ok). Null when no number of calls like these would decide.
     */
    needed?: number | null;
    /** How its baseline's machine compares with this telemetry's (local checks). */
    comparison?: Comparison;
    /** Why it was not judged, when the sample size is not the reason (a provisional baseline, an unfair comparison). */
    reason?: string;
  }>;
}

export interface CheckOptions {
  /** Reserved for time-dependent rules; the verdicts do not depend on it today. */
  now?: Date;
  /** Seed of the bootstrap PRNG (default 1): same inputs and seed, same report. */
  seed?: number;
  /** The sessions the baselines were computed from, when available: drift then uses a rank test on their raw samples. */
  baselineSessions?: SessionFile[];
  /** The machine context of the telemetry (checkSpec computes it from the sessions). */
  context?: BaselineContext | null;
}

/** Differences smaller than this are clock noise, not drift (the coarsest clock step is 0.1 ms). */
export const DRIFT_FLOOR_MS = 0.1;
/** Smallest change in error rate worth reporting (absolute). */
export const ERROR_RATE_FLOOR = 0.01;
/** Smallest change in transition share worth reporting (absolute). */
export const TRANSITION_SHARE_FLOOR = 0.1;
/** Sequences run far less often than handlers: fewer runs settle their order. */
export const SEQUENCE_MIN_RUNS = 5;

/** Compares `spec` with the telemetry in `sessions`; see the module comment for the rules. */
export function checkSpec(spec: SpecFile, sessions: SessionFile[], options: CheckOptions = {}): CheckReport {
  return checkObserved(spec, observeSessions(sessions), { context: contextOf(sessions), ...options });
}

/**
 * The same rules on any observations: session files, or merged field histograms (whose
 * intervals are widened by the histograms' resolution). Field observations are held against the
 * field baselines (`HandlerSpec.field`), local ones against the local baselines: a production
 * device and a CI replay are not the same population.
 */
export function checkObserved(spec: SpecFile, obs: Observations, options: CheckOptions = {}): CheckReport {
  const seed = options.seed ?? 1;
  const observed = obs.handlers;
  const baselineCalls = options.baselineSessions ? callsByHandler(options.baselineSessions) : null;
  const discrepancies: Discrepancy[] = [];
  const handlers: CheckReport['handlers'] = [];
  let judged = 0;
  let matching = 0;
  let notComparable = 0;

  const names = [...new Set([...Object.keys(spec.handlers), ...observed.keys()])].sort();
  for (const name of names) {
    const doc = spec.handlers[name];
    const o = observed.get(name);
    const n = o?.n ?? 0;
    if (!doc) {
      discrepancies.push({
        kind: 'undocumented',
        subject: { type: 'handler', name },
        severity: 'warning',
        message: `${name} ran ${n} times but is not documented; run \`homeostat docs\``,
        evidence: { n },
      });
      handlers.push({ name, status: 'undocumented', n });
      continue;
    }
    if (!o || n === 0) {
      discrepancies.push({
        kind: 'unseen',
        subject: { type: 'handler', name },
        severity: 'warning',
        message: `${name} is documented but never ran in these sessions`,
        evidence: { n: 0 },
      });
      handlers.push({ name, status: 'unseen', n: 0 });
      judged++;
      // Docs that never saw it and say so are right about it; docs with a baseline said it runs.
      const said = obs.kind === 'field' ? doc.field : doc.baseline;
      if (!said || said.n === 0) matching++;
      continue;
    }
    const recorded = obs.kind === 'field' ? (doc.field ?? null) : doc.baseline;
    // A baseline needs the same minimum sample as a verdict: fewer calls describe one day, not the handler.
    const provisional = recorded !== null && recorded.n < spec.defaults.minSamples;
    const baseline = provisional ? null : recorded;
    const comparison: Comparison = obs.kind === 'field' ? { kind: 'same', factor: 1, reason: 'field data' } : compareContexts(baseline?.context, options.context);
    if (n < spec.defaults.minSamples) {
      // Few calls can still be overwhelming: all far over a p95 budget already decide it.
      const early = doc.budget ? budgetDiscrepancy(name, doc.budget, o.values(doc.budget.metric), spec.defaults, seed + hash(name)) : null;
      if (early) {
        discrepancies.push(early);
        judged++;
        if (overInBaseline(recorded, doc.budget!, comparison.factor)) matching++;
        handlers.push({ name, status: 'over-budget', n, metric: doc.budget!.metric });
        continue;
      }
      const metric = judgedMetric(doc, baseline);
      handlers.push({ name, status: 'insufficient-data', n, needed: samplesNeeded(doc, metric === null ? null : o.values(metric), spec.defaults) });
      continue;
    }
    const unfair = comparison.kind === 'unfair' && baseline !== null;
    const found = checkHandler(name, doc, unfair ? null : baseline, o, spec.defaults, seed + hash(name), baselineCalls?.get(name), comparison.factor);
    discrepancies.push(...found);
    if ((provisional || unfair) && !doc.budget && found.length === 0) {
      // Nothing to hold the calls against: not judged, and the docs say why.
      if (unfair) notComparable++;
      handlers.push({ name, status: 'insufficient-data', n, needed: null, comparison, reason: provisional ? `its baseline has ${recorded!.n} calls, fewer than the ${spec.defaults.minSamples} a baseline needs: regenerate the docs from more telemetry` : `not comparable: ${comparison.reason}` });
      continue;
    }
    // The budget (or baseline) is judged on the calls that have its metric, not on all calls:
    // 3 async settles among 100 calls are 3 samples, too few to call the handler "ok".
    const metric = judgedMetric(doc, baseline);
    const samples = metric === null ? n : o.values(metric).n;
    if (found.length === 0 && samples < spec.defaults.minSamples) {
      handlers.push({ name, status: 'insufficient-data', n: samples, ...(metric ? { metric } : {}), needed: samplesNeeded(doc, metric === null ? null : o.values(metric), spec.defaults) });
      continue;
    }
    judged++;
    // Over budget is what the docs say when their baseline (on this machine's speed) is over it too.
    const documentedOver = (d: Discrepancy) => d.kind === 'over-budget' && doc.budget !== null && overInBaseline(recorded, doc.budget, comparison.factor);
    if (found.every(documentedOver)) matching++;
    const status: HandlerStatus = found.some((d) => d.kind === 'over-budget') ? 'over-budget' : found.length > 0 ? 'drifting' : 'ok';
    handlers.push({ name, status, n, ...(comparison.kind === 'normalised' || comparison.kind === 'unfair' ? { comparison } : {}) });
  }

  const sequences = obs.sequences;
  const seqNames = [...new Set([...Object.keys(spec.sequences), ...sequences.keys()])].sort();
  for (const name of seqNames) {
    const doc = spec.sequences[name];
    const baseline = doc ? (obs.kind === 'field' ? (doc.field ?? null) : doc.baseline) : null;
    discrepancies.push(...checkSequence(name, doc, baseline, sequences.get(name), spec.defaults, seed + hash(name)));
  }

  return {
    discrepancies,
    accuracy: { documented: judged, matching, ratio: judged === 0 ? null : matching / judged, ...(notComparable > 0 ? { notComparable } : {}) },
    handlers,
    ...(options.context !== undefined ? { context: options.context } : {}),
  };
}

/** The baseline (scaled to this machine's speed) already breaks the budget: the docs say it is over. */
function overInBaseline(baseline: Baseline | null, budget: Budget, factor: number): boolean {
  const s = baseline?.metrics[budget.metric];
  return !!s && s[budget.stat] * factor > budget.ms;
}

/**
 * The metric a handler's documentation makes claims about: its budget's, else (for the drift
 * rule) what its baseline has of what the user felt, else blocking; null when it documents neither.
 */
function judgedMetric(doc: HandlerSpec, baseline: Baseline | null): HandlerMetric | null {
  if (doc.budget) return doc.budget.metric;
  return baseline ? driftMetric(doc, baseline) : null;
}

/** The metric drift is judged on: the budget's, else the first user-felt metric the baseline recorded, else blocking. */
function driftMetric(doc: HandlerSpec, baseline: Baseline): HandlerMetric {
  return doc.budget?.metric ?? FELT_METRICS.find((m) => baseline.metrics[m] !== undefined) ?? 'blocking';
}

function checkHandler(
  name: string,
  doc: HandlerSpec,
  baseline: Baseline | null,
  obs: HandlerObservation,
  defaults: SpecFile['defaults'],
  seed: number,
  baselineRaw: HandlerSamples | undefined,
  /** Machine speed now ÷ at the baseline: baseline timings are scaled by it (1 = as recorded). */
  factor = 1,
): Discrepancy[] {
  const out: Discrepancy[] = [];
  const { confidence, minSamples } = defaults;
  const subject = { type: 'handler' as const, name };
  const alpha = 1 - confidence;

  if (doc.budget) {
    const found = budgetDiscrepancy(name, doc.budget, obs.values(doc.budget.metric), defaults, seed);
    if (found) out.push(found);
  }

  if (baseline) {
    const metric = driftMetric(doc, baseline);
    const recordedBase = baseline.metrics[metric];
    const base = recordedBase && factor !== 1 ? { ...recordedBase, p50: recordedBase.p50 * factor } : recordedBase;
    const tolerance = doc.tolerance ?? defaults.tolerance;
    const values = obs.values(metric);
    const rawBase = baselineRaw ? samplesOf(baselineRaw.calls, metric).map((v) => v * factor) : [];
    if (values.raw && rawBase.length >= minSamples && values.raw.length >= minSamples) {
      const found = rankDrift(name, metric, values.raw as number[], rawBase, tolerance, confidence);
      if (found) out.push(found);
    } else if (base && values.n >= minSamples) {
      const ci = values.interval('p50', confidence, seed + 1);
      const slower = ci.low > base.p50 * (1 + tolerance) && ci.low - base.p50 > DRIFT_FLOOR_MS;
      const faster = ci.high < base.p50 * (1 - tolerance) && base.p50 - ci.high > DRIFT_FLOOR_MS;
      if (slower || faster) {
        const change = ci.estimate / base.p50 - 1;
        out.push({
          kind: 'drift',
          subject,
          severity: slower ? 'warning' : 'info',
          message:
            `${name}: median ${metric} ${fmt(ci.estimate)} ms (${pctOf(confidence)} CI ${fmtInterval(ci)}, n=${ci.n}) is ` +
            `${slower ? 'slower' : 'faster'} than its baseline ${fmt(base.p50)} ms (n=${baseline.n}${factor !== 1 ? `, ${fmt(recordedBase!.p50)} ms scaled by the machine's speed ×${factor.toFixed(2)}` : ''}) by ${pctOf(Math.abs(change))}, beyond the ±${pctOf(tolerance)} tolerance`,
          evidence: { ...evidence(metric, 'p50', base.p50, ci), tolerance, baselineN: baseline.n, change, ...(factor !== 1 ? { speedFactor: factor } : {}) },
        });
      }
    }

    const errors = twoProportionTest(baseline.errorRate, Math.max(1, baseline.n), obs.errors, obs.n);
    if (baseline.n > 0 && errors.pValue < alpha && Math.abs(errors.observed - errors.baseline) >= ERROR_RATE_FLOOR) {
      const rose = errors.observed > errors.baseline;
      out.push({
        kind: 'error-rate',
        subject,
        severity: rose ? 'error' : 'info',
        message: `${name}: error rate ${pctOf(errors.observed)} (${obs.errors}/${obs.n}) ${rose ? 'rose' : 'fell'} from ${pctOf(errors.baseline)} (p=${errors.pValue.toPrecision(2)})`,
        evidence: { metric: 'errorRate', documented: errors.baseline, observed: errors.observed, n: obs.n, pValue: errors.pValue, confidence },
      });
    }

    if (baseline.transitionShare !== null && obs.updating >= minSamples && baseline.n > 0) {
      const share = twoProportionTest(baseline.transitionShare, baseline.n, obs.transitions, obs.updating);
      if (share.pValue < alpha && Math.abs(share.observed - share.baseline) >= TRANSITION_SHARE_FLOOR) {
        const fell = share.observed < share.baseline;
        out.push({
          kind: 'transition-share',
          subject,
          severity: fell ? 'warning' : 'info',
          message: `${name}: ${pctOf(share.observed)} of its updates ran as transitions (${obs.transitions}/${obs.updating}), documented ${pctOf(share.baseline)}`,
          evidence: { metric: 'transitionShare', documented: share.baseline, observed: share.observed, n: obs.updating, pValue: share.pValue, confidence },
        });
      }
    }
  }
  return out;
}

/**
 * Over budget when the interval of the budget's statistic lies entirely above it: a quantile at
 * any sample size (its order-statistic bound is exact for every n), a mean from `minSamples` on.
 */
function budgetDiscrepancy(name: string, budget: Budget, values: MetricValues, defaults: SpecFile['defaults'], seed: number): Discrepancy | null {
  const { metric, stat, ms } = budget;
  if (values.n === 0 || (stat === 'mean' && values.n < defaults.minSamples)) return null;
  const ci = values.interval(stat, defaults.confidence, seed);
  if (!(ci.low > ms)) return null;
  const few = values.n < defaults.minSamples ? ` (few calls, but ${values.n} of ${values.n} over it cannot happen by chance at ${pctOf(defaults.confidence)} if the ${stat} were within it)` : '';
  return {
    kind: 'over-budget',
    subject: { type: 'handler', name },
    severity: 'error',
    message: `${name}: ${stat} ${metric} is ${fmt(ci.estimate)} ms (${pctOf(defaults.confidence)} CI ${fmtInterval(ci)}, n=${ci.n}), over its ${ms} ms budget${few}`,
    evidence: evidence(metric, stat, ms, ci),
  };
}

/**
 * How many more calls the rules need to decide, extrapolating the share of calls over the budget
 * seen so far: with a quantile budget that the calls exceed more often than the quantile allows,
 * the smallest n at which the order-statistic bound would clear the budget; otherwise enough
 * calls for an "ok" (`minSamples`). Null when calls like these never decide (field histograms
 * without raw samples fall back to `minSamples`).
 */
export function samplesNeeded(doc: HandlerSpec, values: MetricValues | null, defaults: SpecFile['defaults']): number | null {
  const n = values?.n ?? 0;
  const toMin = Math.max(0, defaults.minSamples - n);
  const budget = doc.budget;
  if (!budget || budget.stat === 'mean' || !values?.raw || n === 0) return toMin;
  const q = STAT_QUANTILE[budget.stat];
  const over = values.raw.filter((v) => v > budget.ms).length / n;
  if (over <= 1 - q) return toMin;
  // Over budget ⇔ the l-th smallest call is above it ⇔ fewer than l calls are within it. That
  // holds from some size on (l grows like q·n, the calls within like (1 − over)·n < q·n): find
  // it by doubling, then bisecting (each test costs O(n), so no linear scan).
  const decides = (total: number) => quantileRanks(total, q, defaults.confidence).l > Math.ceil(total * (1 - over) - 1e-9);
  let hi = n + 1;
  while (!decides(hi)) {
    if (hi > MAX_NEEDED) return null;
    hi *= 2;
  }
  let lo = Math.max(n, hi >> 1);
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (decides(mid)) hi = mid;
    else lo = mid;
  }
  return hi - n;
}

/** Past this many calls "how many more" is not a useful answer: the share over budget is too close to the quantile's. */
const MAX_NEEDED = 1_000_000;

/** Drift by a one-sided Mann–Whitney test of the new samples against the baseline's, scaled by 1 ± tolerance. */
function rankDrift(name: string, metric: string, now: number[], base: number[], tolerance: number, confidence: number): Discrepancy | null {
  // Two one-sided tests at (1 − confidence)/2 each: the same error budget as the two-sided interval.
  const alpha = (1 - confidence) / 2;
  const slower = mannWhitney(now, base.map((v) => v * (1 + tolerance)));
  const faster = mannWhitney(now, base.map((v) => v * (1 - tolerance)));
  const medNow = median(now);
  const medBase = median(base);
  const isSlower = slower.pGreater < alpha && medNow - medBase > DRIFT_FLOOR_MS;
  const isFaster = faster.pLess < alpha && medBase - medNow > DRIFT_FLOOR_MS;
  if (!isSlower && !isFaster) return null;
  const pValue = isSlower ? slower.pGreater : faster.pLess;
  return {
    kind: 'drift',
    subject: { type: 'handler', name },
    severity: isSlower ? 'warning' : 'info',
    message:
      `${name}: ${metric} is ${isSlower ? 'slower' : 'faster'} than its baseline beyond the ±${pctOf(tolerance)} tolerance ` +
      `(median ${fmt(medNow)} ms vs ${fmt(medBase)} ms; Mann–Whitney p=${pValue.toPrecision(2)}, n=${now.length} vs ${base.length})`,
    evidence: { metric, stat: 'p50', documented: medBase, observed: medNow, n: now.length, baselineN: base.length, confidence, pValue, tolerance, test: 'mann-whitney', change: medNow / medBase - 1 },
  };
}

function median(xs: readonly number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function checkSequence(
  name: string,
  doc: SequenceSpec | undefined,
  baseline: SequenceSpec['baseline'],
  obs: SequenceObservation | undefined,
  defaults: SpecFile['defaults'],
  seed: number,
): Discrepancy[] {
  const subject = { type: 'sequence' as const, name };
  const runs = obs?.runs ?? 0;
  // Sequences are named after the trigger and first handler, so new ones appear whenever the
  // app grows: worth a note, not a failure.
  if (!doc) return [{ kind: 'undocumented', subject, severity: 'info', message: `sequence ${name} ran ${runs} times but is not documented`, evidence: { n: runs } }];
  if (!obs || runs === 0) return [{ kind: 'unseen', subject, severity: 'info', message: `sequence ${name} is documented but never ran in these sessions`, evidence: { n: 0 } }];
  const out: Discrepancy[] = [];
  if (doc.handlers.length > 0 && runs >= SEQUENCE_MIN_RUNS) {
    const variants = [...obs.variants.values()].sort((a, b) => b.count - a.count);
    const top = variants[0]!;
    const documented = obs.variants.get(doc.handlers.join('\u0000'))?.count ?? 0;
    if (top.count > documented) {
      out.push({
        kind: 'sequence-order',
        subject,
        severity: 'warning',
        message: `sequence ${name}: most runs (${top.count}/${runs}) went ${top.handlers.join(' → ')}; documented ${doc.handlers.join(' → ')} (${documented}/${runs})`,
        evidence: { documentedOrder: doc.handlers, observedOrder: top.handlers, n: runs, documentedCount: documented, observedCount: top.count },
      });
    }
  }
  if (baseline && obs.durations.n >= defaults.minSamples) {
    // Same rule as handlers: the median's interval entirely outside baseline·(1 ± tolerance).
    const base = baseline.duration.p50;
    const ci = obs.durations.interval('p50', defaults.confidence, seed + 1);
    const slower = ci.low > base * (1 + defaults.tolerance) && ci.low - base > DRIFT_FLOOR_MS;
    const faster = ci.high < base * (1 - defaults.tolerance) && base - ci.high > DRIFT_FLOOR_MS;
    if (slower || faster) {
      out.push({
        kind: 'drift',
        subject,
        severity: slower ? 'warning' : 'info',
        message: `sequence ${name}: median duration ${fmt(ci.estimate)} ms (${pctOf(defaults.confidence)} CI ${fmtInterval(ci)}, n=${ci.n}) is ${slower ? 'slower' : 'faster'} than its baseline ${fmt(base)} ms (n=${baseline.n}) beyond the ±${pctOf(defaults.tolerance)} tolerance`,
        evidence: { ...evidence('duration', 'p50', base, ci), tolerance: defaults.tolerance, baselineN: baseline.n, change: ci.estimate / base - 1 },
      });
    }
  }
  if (doc.budget && obs.durations.n >= defaults.minSamples) {
    const ci: StatInterval = obs.durations.interval(doc.budget.stat, defaults.confidence, seed);
    if (ci.low > doc.budget.ms) {
      out.push({
        kind: 'over-budget',
        subject,
        severity: 'error',
        message: `sequence ${name}: ${doc.budget.stat} duration ${fmt(ci.estimate)} ms (${pctOf(defaults.confidence)} CI ${fmtInterval(ci)}, n=${ci.n}) over its ${doc.budget.ms} ms budget`,
        evidence: evidence('duration', doc.budget.stat, doc.budget.ms, ci),
      });
    }
  }
  return out;
}

function evidence(metric: string, stat: Stat, documented: number, ci: StatInterval): Discrepancy['evidence'] {
  return { metric, stat, documented, observed: ci.estimate, interval: { low: ci.low, high: ci.high }, n: ci.n, confidence: ci.confidence };
}

/** FNV-1a: a stable per-name offset so each handler's bootstrap draws its own stream. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const fmt = (v: number): string => formatMs(v);

function fmtInterval(ci: StatInterval): string {
  return `${fmt(ci.low)}–${fmt(ci.high)}`;
}

function pctOf(v: number): string {
  return `${Math.round(v * 1000) / 10}%`;
}
