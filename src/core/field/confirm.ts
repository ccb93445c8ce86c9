/**
 * Production confirms (or refutes) a deployed fix: field data of the build before the fix (A)
 * against the build after it (B), per fixed handler, with the very statistics local
 * verification uses (core/verdict.ts). The unit of sampling is the session, as the replay run is
 * locally: each session is reduced to one number per metric (the p95 of its calls, its error
 * count), so calls that share a page, a device and a moment are never counted as independent.
 * Then B/A is a log-ratio with a Welch t-interval over sessions, the primary metric must move
 * beyond the threshold, guards must be proven within their tolerance (TOST-style), and the
 * per-look confidence follows Pocock's boundary over the looks a team plans (confirm runs again
 * as data arrives, and peeking must not inflate false confirmations).
 *
 * Below `minSessions` per build only overwhelming evidence decides, as in `check`: the session
 * interval decides *and* the merged call distributions' order-statistic intervals of the p95 lie
 * apart beyond the threshold. Otherwise the answer is "not enough field data yet", with how many
 * sessions per build the interval would need at the spread seen so far.
 */
import { histogramQuantileInterval } from '../check/histogram.ts';
import { STAT_QUANTILE } from '../check/interval.ts';
import { normalQuantile } from '../check/normal.ts';
import { formatMs } from '../format.ts';
import { FROZEN_FRAME_MS, type HandlerMetric } from '../metrics.ts';
import { describeRunMetric, runMetricFloor, runMetricKey, type RunMetric } from '../run-metrics.ts';
import type { Stat } from '../spec.ts';
import { judgeFix, perLookConfidence, type FixJudgement, type MetricSpec, type RatioInterval, type RunValues } from '../verdict.ts';
import type { FieldDistribution, FieldSnapshot } from './merge.ts';

/** What production says about a fix. */
export type ProductionVerdict = 'confirmed' | 'partial' | 'refuted' | 'regressed' | 'not-enough-data';

export const PRODUCTION_VERDICTS = ['confirmed', 'partial', 'refuted', 'regressed', 'not-enough-data'] as const satisfies readonly ProductionVerdict[];

/** The handler and the statistic its fix claims to improve (history's primary metric, else p95 interaction). */
export interface ConfirmTarget {
  handler: string;
  metric: HandlerMetric;
  stat: Stat;
}

export interface ConfirmOptions {
  /** Smallest relative change of the primary metric that counts (default 0.1, as locally). */
  threshold?: number;
  /** How much worse a guard may get (default 0.2, the docs' default tolerance). */
  tolerance?: number;
  /** Overall confidence (default 0.95), split over `looks` by Pocock's boundary. */
  confidence?: number;
  /** How many times confirm is planned to look at a growing data set (default 5). */
  looks?: number;
  /** Sessions per build with the handler before an unremarkable difference may decide (default 20). */
  minSessions?: number;
}

export interface ProductionOutcome {
  handler: string;
  verdict: ProductionVerdict;
  /** "p95 interaction 432 → 96 ms (0.22×, CI 0.19–0.26× per session)". */
  why: string;
  primary: {
    key: string;
    label: string;
    /** The merged call distributions' statistic on A and B (ms), what users read. */
    before: number | null;
    after: number | null;
    /** B/A over sessions (ratio of geometric means of per-session values) with its interval. */
    ratio: RatioInterval | null;
  };
  /** Sessions per build in which the handler ran (the samples). */
  sessions: { before: number; after: number };
  /** Sessions per build the interval would need at the spread seen (not-enough-data only); null: would not decide. */
  needed: number | null;
  /** Decided below `minSessions` because the evidence is overwhelming. */
  overwhelming: boolean;
  judgement: FixJudgement;
  confidence: number;
}

const handlerMetric = (t: ConfirmTarget, metric: HandlerMetric): RunMetric => ({ kind: 'handler', handler: t.handler, metric, stat: t.stat });

/** Keys of the error guard (a count per session). */
export const errorsKey = (handler: string) => `${handler}:errors`;

/** Primary, guards (time to result, longest frame, errors) and the frozen-frame context, as local verification judges them. */
export function confirmSpecs(t: ConfirmTarget, tolerance = 0.2): MetricSpec[] {
  const spec = (m: RunMetric, role: MetricSpec['role'], extra: Partial<MetricSpec> = {}): MetricSpec => ({
    key: runMetricKey(m),
    label: describeRunMetric(m),
    role,
    floor: runMetricFloor(m),
    ...(role === 'guard' ? { tolerance } : {}),
    ...extra,
  });
  const out: MetricSpec[] = [spec(handlerMetric(t, t.metric), 'primary')];
  const keys = new Set(out.map((s) => s.key));
  const add = (s: MetricSpec) => {
    if (!keys.has(s.key)) out.push(s), keys.add(s.key);
  };
  for (const m of ['result', 'interaction'] as const) add(spec(handlerMetric(t, m), 'guard'));
  // "No more errors": tolerance 0 up to rounding (identical floored counts give a variance of 1e-32, not 0).
  add({ key: errorsKey(t.handler), label: `${t.handler} errors per session`, role: 'guard', floor: 0.5, tolerance: 1e-9, unit: 'count' });
  add(spec(handlerMetric(t, 'longestFrame'), 'context', { frozen: true }));
  return out;
}

/** One session reduced to one number per metric; null where the session has no sample of it. */
export function sessionValues(session: FieldSnapshot, t: ConfirmTarget, specs: readonly MetricSpec[]): RunValues {
  const h = session.handlers.get(t.handler);
  const out: RunValues = {};
  for (const s of specs) {
    if (s.key === errorsKey(t.handler)) {
      out[s.key] = h && h.calls > 0 ? h.errors : null;
      continue;
    }
    const metric = s.key.slice(s.key.lastIndexOf(':') + 1);
    const d = h?.metrics[metric];
    out[s.key] = d && d.count > 0 ? statOf(d, t.stat) : null;
  }
  return out;
}

function statOf(d: FieldDistribution, stat: Stat): number {
  return stat === 'mean' ? d.summary().mean : d.quantile(STAT_QUANTILE[stat]);
}

const known = (runs: readonly RunValues[], key: string) => runs.map((r) => r[key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));

/**
 * Decides one fixed handler from the sessions of A and B (each a per-session snapshot) and the
 * builds' merged snapshots (for the p95 users read and the few-but-overwhelming rule).
 */
export function confirmFix(
  target: ConfirmTarget,
  sessionsA: readonly FieldSnapshot[],
  sessionsB: readonly FieldSnapshot[],
  merged: { A: FieldSnapshot; B: FieldSnapshot },
  options: ConfirmOptions = {},
): ProductionOutcome {
  const threshold = options.threshold ?? 0.1;
  const tolerance = options.tolerance ?? 0.2;
  const minSessions = options.minSessions ?? 20;
  const confidence = perLookConfidence(options.confidence ?? 0.95, { minRuns: 1, maxRuns: Math.max(1, options.looks ?? 5) });
  const specs = confirmSpecs(target, tolerance);
  const A = sessionsA.map((s) => sessionValues(s, target, specs));
  const B = sessionsB.map((s) => sessionValues(s, target, specs));
  const judgement = judgeFix(specs, A, B, { confidence, threshold, tolerance, frozenMs: FROZEN_FRAME_MS });
  const primarySpec = specs[0]!;
  const nA = known(A, primarySpec.key).length;
  const nB = known(B, primarySpec.key).length;
  const p = judgement.results[0]!;
  const distA = merged.A.handlers.get(target.handler)?.metrics[target.metric];
  const distB = merged.B.handlers.get(target.handler)?.metrics[target.metric];
  const before = distA && distA.count > 0 ? statOf(distA, target.stat) : null;
  const after = distB && distB.count > 0 ? statOf(distB, target.stat) : null;
  const decisive = judgement.settled && judgement.verdict !== 'unresolved';
  const enough = Math.min(nA, nB) >= minSessions;
  const overwhelming = !enough && decisive && (judgement.verdict === 'improved' || judgement.verdict === 'regressed') && apart(distA, distB, target.stat, confidence, threshold, judgement.verdict);
  let verdict: ProductionVerdict;
  if (!(enough || overwhelming) || !decisive) verdict = 'not-enough-data';
  else verdict = ({ improved: 'confirmed', partial: 'partial', 'no-effect': 'refuted', regressed: 'regressed', unresolved: 'not-enough-data' } as const)[judgement.verdict];
  // A partial that is not settled is still partial once the primary is proven (verify does the same).
  if (verdict === 'not-enough-data' && enough && judgement.verdict === 'partial') verdict = 'partial';
  const needed = verdict === 'not-enough-data' ? sessionsNeeded(judgement, A, B, { confidence, threshold, minSessions, n: Math.min(nA, nB) }) : null;
  const label = `${target.stat} ${primarySpec.label.replace(`${target.handler} ${target.stat} `, '')}`;
  const ratio = p.comparison?.ratio ?? null;
  const numbers = `${label} ${formatMs(before)} → ${formatMs(after)} ms${ratio ? ` (${fmtRatio(ratio)} per session)` : ''}`;
  const why =
    verdict === 'not-enough-data'
      ? `not enough field data yet (${nA} / ${nB} sessions${needed === null ? '; sessions like these would not decide: the change sits at the threshold' : `, need ~${needed} per build`}): ${numbers}`
      : [`${numbers}${overwhelming ? ' (few sessions, but overwhelming)' : ''}`, ...guardParts(judgement.why)].join('; ');
  return { handler: target.handler, verdict, why, primary: { key: primarySpec.key, label, before, after, ratio }, sessions: { before: nA, after: nB }, needed, overwhelming, judgement, confidence };
}

/** The judgement's sentence without its first part (the primary, already said with the users' p95). */
function guardParts(why: string): string[] {
  return why.split('; ').slice(1);
}

function fmtRatio(r: RatioInterval): string {
  const f = (x: number) => (x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toPrecision(2));
  return `${f(r.estimate)}×, CI ${f(r.low)}–${f(r.high)}×`;
}

/**
 * The few-but-overwhelming rule on calls: the order-statistic intervals of the statistic on the
 * merged distributions lie apart beyond the threshold (improved: B's upper bound below A's lower
 * bound × (1 − threshold)). The mean has no distribution-free bound and never decides early.
 */
function apart(a: FieldDistribution | undefined, b: FieldDistribution | undefined, stat: Stat, confidence: number, threshold: number, verdict: 'improved' | 'regressed'): boolean {
  if (!a || !b || a.count === 0 || b.count === 0 || stat === 'mean') return false;
  const q = STAT_QUANTILE[stat];
  const ia = histogramQuantileInterval(a, q, confidence);
  const ib = histogramQuantileInterval(b, q, confidence);
  return verdict === 'improved' ? ib.high < ia.low * (1 - threshold) : ib.low > ia.high * (1 + threshold);
}

/**
 * Sessions per build at which the Welch interval of every undecided metric would clear its
 * nearest decision boundary, at the spread and estimate seen: n = z²(s²_A + s²_B) / gap² on the
 * log scale. Null when the estimate sits on a boundary (more sessions of the same would not decide).
 */
function sessionsNeeded(j: FixJudgement, A: readonly RunValues[], B: readonly RunValues[], o: { confidence: number; threshold: number; minSessions: number; n: number }): number | null {
  const z = normalQuantile(1 - (1 - o.confidence) / 2);
  let worst = o.minSessions;
  for (const r of j.results) {
    const undecided = r.state === 'unresolved' || r.state === 'no-data';
    if (!undecided || r.spec.role === 'context') continue;
    if (r.state === 'no-data' || !r.comparison) {
      if (r.spec.role === 'primary') worst = Math.max(worst, o.minSessions);
      continue;
    }
    const log = (x: number) => Math.log(Math.max(x, r.spec.floor));
    const a = known(A, r.spec.key).map(log);
    const b = known(B, r.spec.key).map(log);
    const v = (xs: number[]) => {
      const m = xs.reduce((s, x) => s + x, 0) / xs.length;
      return xs.length > 1 ? xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1) : 0;
    };
    const d = Math.log(r.comparison.ratio.estimate);
    const bounds = r.spec.role === 'guard' ? [Math.log(1 + (r.spec.tolerance ?? 0))] : [Math.log(1 - o.threshold), Math.log(1 + o.threshold)];
    const gap = Math.min(...bounds.map((x) => Math.abs(d - x)));
    if (gap < 1e-3) return null;
    worst = Math.max(worst, Math.ceil((z * z * (v(a) + v(b))) / (gap * gap)));
  }
  return Math.max(worst, o.n + 1);
}
