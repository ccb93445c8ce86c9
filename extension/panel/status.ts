/**
 * A handler's standing against its docs: the badge the handlers table shows. Budgets and
 * baselines come from the spec the page exposes (`init({ spec })`, later the living docs).
 *
 * The verdict is `homeostat check`'s, not a rule of the panel's own: `judge` runs the checker on
 * the panel's recent calls (at most JUDGE_WINDOW per handler), so a handler seen three times is
 * "too few calls to judge" in the panel exactly when check says so, and three calls far over a
 * p95 budget are "over budget" in both. The numbers shown beside it are the aggregates' point
 * estimates. Only a handler with no recent calls left (all older than the panel keeps) falls back
 * to comparing those point estimates.
 */
import type { CallLite } from '../../src/bridge/protocol.ts';
import type { HandlerAggregate } from '../../src/core/aggregate.ts';
import { checkObserved, observeCalls, type HandlerStatus } from '../../src/core/check/index.ts';
import type { HandlerCall } from '../../src/core/model.ts';
import { FELT_METRICS } from '../../src/core/metrics.ts';
import { metricSummary, observedFor, type HandlerMetric, type SpecFile, type Stat } from '../../src/core/spec.ts';

export type Verdict = 'within' | 'drifting' | 'over' | 'too-few' | 'undocumented';

export const VERDICT_LABEL: Record<Verdict, string> = {
  within: 'within docs',
  drifting: 'drifting',
  over: 'over budget',
  'too-few': 'too few calls to judge',
  undocumented: 'undocumented',
};

/** Recent calls per handler the checker judges in the panel (its bootstrap costs grow with n). */
export const JUDGE_WINDOW = 1000;

/** A recent call as the checker reads calls: only the fields its metrics use are known. */
export function asHandlerCall(c: CallLite): HandlerCall {
  const frames =
    c.longestFrameMs === null
      ? null
      : { count: 0, blockingMs: c.frameBlockingMs ?? 0, totalMs: 0, longestMs: c.longestFrameMs, styleLayoutMs: c.styleLayoutMs ?? 0, forcedStyleLayoutMs: 0 };
  return {
    id: c.id,
    handler: c.handler,
    sequence: c.sequence,
    parent: c.parent,
    start: c.start,
    duration: c.duration,
    settle: c.settle,
    outcome: c.outcome,
    error: c.error === null ? null : { name: c.error, message: '' },
    mode: c.mode,
    updates: { blocking: 0, transition: 0 },
    commits: c.commits,
    renderMs: c.renderMs,
    commitMs: c.commitMs,
    blockingMs: c.blockingMs,
    paintMs: c.paintMs,
    loaf: null,
    interactionMs: c.interactionMs,
    resultMs: c.resultMs,
    frames,
  };
}

/** `homeostat check`'s status of each handler with recent calls, on those calls; null without docs. */
export function judge(spec: SpecFile | null, calls: readonly CallLite[]): Map<string, HandlerStatus> | null {
  if (!spec) return null;
  const kept = new Map<string, number>();
  const window: HandlerCall[] = [];
  for (let i = calls.length - 1; i >= 0; i--) {
    const c = calls[i]!;
    const n = kept.get(c.handler) ?? 0;
    if (n >= JUDGE_WINDOW) continue;
    kept.set(c.handler, n + 1);
    window.push(asHandlerCall(c));
  }
  window.reverse();
  const report = checkObserved(spec, observeCalls(window));
  return new Map(report.handlers.filter((h) => kept.has(h.name)).map((h) => [h.name, h.status]));
}

const FROM_CHECK: Partial<Record<HandlerStatus, Verdict>> = {
  ok: 'within',
  'over-budget': 'over',
  drifting: 'drifting',
  'insufficient-data': 'too-few',
  undocumented: 'undocumented',
};

export interface Standing {
  verdict: Verdict;
  /** What the budget and baseline are measured on: the budget's, else the first metric the user felt that has samples. */
  metric: HandlerMetric;
  stat: Stat;
  budgetMs: number | null;
  baselineMs: number | null;
  observedMs: number | null;
  /** Relative drift tolerated around the baseline. */
  tolerance: number;
}

/** Metrics a baseline may document, in the order the panel prefers them: what the user felt first. */
const DOCUMENTED_ORDER: readonly HandlerMetric[] = [...FELT_METRICS, 'blocking', 'duration', 'settle', 'commit', 'paint'];

/** The first user-felt metric the handler has samples of (interaction, frames, time to result), else its blocking. */
export function feltMetric(h: HandlerAggregate): HandlerMetric {
  return FELT_METRICS.find((m) => (metricSummary(h, m)?.count ?? 0) > 0) ?? 'blocking';
}

/** `judged`: the handler's status from `judge` (check's rule); without it, the point estimates decide. */
export function standing(h: HandlerAggregate, spec: SpecFile | null, judged?: HandlerStatus): Standing {
  const doc = spec?.handlers[h.handler];
  const budget = doc?.budget ?? null;
  // Without a budget: what the baseline documents (user-felt first), else what the user felt now.
  const baselineMetrics = doc?.baseline?.metrics;
  const metric = budget?.metric ?? (baselineMetrics ? DOCUMENTED_ORDER.find((m) => baselineMetrics[m] !== undefined) : undefined) ?? feltMetric(h);
  const stat = budget?.stat ?? 'p95';
  const tolerance = doc?.tolerance ?? spec?.defaults.tolerance ?? 0.2;
  const summary = metricSummary(h, metric);
  const observedMs = budget ? observedFor(h, budget) : summary && summary.count > 0 ? summary[stat] : null;
  const baselineMs = doc?.baseline?.metrics[metric]?.[stat] ?? null;
  const base = { metric, stat, budgetMs: budget?.ms ?? null, baselineMs, observedMs, tolerance };
  if (!doc || (budget === null && baselineMs === null)) return { ...base, verdict: 'undocumented' };
  const fromCheck = judged === undefined ? undefined : FROM_CHECK[judged];
  if (fromCheck) return { ...base, verdict: fromCheck };
  if (budget && observedMs !== null && observedMs > budget.ms) return { ...base, verdict: 'over' };
  // Enough calls *with this metric* (3 settles among 100 calls are 3 samples).
  const enough = (summary?.count ?? 0) >= (spec?.defaults.minSamples ?? 1);
  if (baselineMs !== null && observedMs !== null && enough && Math.abs(observedMs - baselineMs) > tolerance * Math.max(baselineMs, 0.05)) {
    return { ...base, verdict: 'drifting' };
  }
  return { ...base, verdict: 'within' };
}
