/**
 * The evidence of a verification as people read it: one line per metric (primary, guards,
 * context) with before → after, the after/before ratio and its interval, and what the diagnosis
 * predicted. Commit messages, the report, the terminal summary and generated tests share it.
 */
import { describePrediction, type Diagnosis } from '../core/diagnose.ts';
import { formatFactor } from '../core/format.ts';
import { runMetricKey } from '../core/run-metrics.ts';
import { formatChange, formatRatio, type MetricResult } from '../core/verdict.ts';
import type { Verification } from './verify.ts';

const STATE_TEXT: Record<MetricResult['state'], string> = {
  improved: 'improved',
  regressed: 'regressed',
  'no-effect': 'unchanged',
  unresolved: 'undecided',
  ok: 'proven to hold',
  'no-data': 'no samples',
};

/** The predicted after/before ratio for a metric, when the diagnosis made one. */
export function predictedRatio(d: Diagnosis, key: string): number | null {
  if (runMetricKey(d.impact.metric) === key && d.impact.currentMs > 0) return d.impact.predictedMs / d.impact.currentMs;
  const p = d.impact.predictions.find((x) => runMetricKey(x.metric) === key);
  return p && p.current > 0 ? p.predicted / p.current : null;
}

/** "primary renderReact interaction, per call: 908 ms → 164 ms (0.18×, CI 0.12–0.27×), improved; predicted 0.20×". */
export function metricLine(r: MetricResult, d: Diagnosis): string {
  const role = r.spec.role === 'guard' ? `guard (≤ ${formatFactor(1 + (r.spec.tolerance ?? 0))}×)` : r.spec.role;
  const c = r.comparison;
  const predicted = predictedRatio(d, r.spec.key);
  const head = `${role} ${r.spec.label}`;
  if (!c) return `${head}: no samples on one side`;
  return (
    `${head}: ${formatChange(c, r.spec.unit)}, ${r.spec.role === 'guard' && r.state === 'unresolved' ? 'not yet proven' : STATE_TEXT[r.state]}` +
    (c.clusters ? ` (${c.nA} pairs in ${c.clusters} rounds)` : '') +
    (predicted !== null ? `; predicted ${formatRatio({ estimate: predicted, low: predicted, high: predicted }).replace(/ \(CI .*\)$/, '')}` : '')
  );
}

/** Every metric line of a verification, primary first. */
export function evidenceLines(v: Verification, d: Diagnosis): string[] {
  if (!v.judgement) return v.reasons.slice();
  const order = { primary: 0, guard: 1, context: 2 } as const;
  return v.judgement.results
    .slice()
    .sort((a, b) => order[a.spec.role] - order[b.spec.role])
    .map((r) => metricLine(r, d));
}

/** What the diagnosis predicted, one line per metric. */
export function predictionLines(d: Diagnosis): string[] {
  return d.impact.predictions.map(describePrediction);
}
