/**
 * A handler's standing against its docs: the badge the handlers table shows. Budgets and
 * baselines come from the spec the page exposes (`init({ spec })`, later the living docs).
 */
import type { HandlerAggregate } from '../../src/core/aggregate.ts';
import { FELT_METRICS } from '../../src/core/metrics.ts';
import { metricSummary, observedFor, type HandlerMetric, type SpecFile, type Stat } from '../../src/core/spec.ts';

export type Verdict = 'within' | 'drifting' | 'over' | 'undocumented';

export const VERDICT_LABEL: Record<Verdict, string> = {
  within: 'within docs',
  drifting: 'drifting',
  over: 'over budget',
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

export function standing(h: HandlerAggregate, spec: SpecFile | null): Standing {
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
  if (budget && observedMs !== null && observedMs > budget.ms) return { ...base, verdict: 'over' };
  // Enough calls *with this metric* (3 settles among 100 calls are 3 samples).
  const enough = (summary?.count ?? 0) >= (spec?.defaults.minSamples ?? 1);
  if (baselineMs !== null && observedMs !== null && enough && Math.abs(observedMs - baselineMs) > tolerance * Math.max(baselineMs, 0.05)) {
    return { ...base, verdict: 'drifting' };
  }
  return { ...base, verdict: 'within' };
}
