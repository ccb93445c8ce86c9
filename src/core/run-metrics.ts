/**
 * One number per replay run, for before/after verdicts: a statistic of one handler's calls, or a
 * property of the whole flow (its long frames, its errors). A run may span several sessions (one
 * per recorded flow). Pure: heal's verification, its generated tests and the reports share it.
 */
import { statValue } from './check/interval.ts';
import { METRICS, metricValue, type HandlerMetric } from './metrics.ts';
import type { SessionFile } from './session.ts';
import type { Stat } from './spec.ts';

/** What one run is reduced to. Lower is better for every one of them. */
export type RunMetric =
  | {
      kind: 'handler';
      handler: string;
      metric: HandlerMetric;
      /** A quantile of the run's calls, their total (work that should happen less often), or the worst call. */
      stat: Stat | 'sum' | 'max';
    }
  | {
      kind: 'flow';
      /**
       * Over the run from its first interaction on (page load excluded: it is the same for both
       * builds and only adds noise): the total blocking of its Long Animation Frames, the longest
       * one, the p95 interaction latency of its interactions; or the calls that threw or rejected.
       */
      metric: 'frameBlocking' | 'longestFrame' | 'interaction' | 'errors';
    };

const FLOW_LABELS = {
  frameBlocking: 'total long-frame blocking in the flow',
  longestFrame: 'longest frame in the flow',
  interaction: 'p95 interaction in the flow',
  errors: 'errors in the flow',
} as const;

/** "renderReact p95 interaction", "longest frame in the flow". */
export function describeRunMetric(m: RunMetric): string {
  if (m.kind === 'flow') return FLOW_LABELS[m.metric];
  const stat = m.stat === 'sum' ? 'total' : m.stat;
  return `${m.handler} ${stat} ${METRICS[m.metric].label}${m.stat === 'sum' ? ' per run' : ''}`;
}

/** A stable key for a run metric (history, reports). */
export function runMetricKey(m: RunMetric): string {
  return m.kind === 'flow' ? `flow:${m.metric}` : `${m.handler}:${m.stat}:${m.metric}`;
}

/**
 * The value below which differences do not count (a frame, the long-frame threshold, half an
 * error): log-ratio verdicts floor samples there so tiny absolute values never make huge ratios.
 */
export function runMetricFloor(m: RunMetric): number {
  if (m.kind === 'flow') return m.metric === 'errors' ? 0.5 : m.metric === 'longestFrame' ? METRICS.longestFrame.floorMs : m.metric === 'interaction' ? METRICS.interaction.floorMs : METRICS.frameBlocking.floorMs;
  return METRICS[m.metric].floorMs;
}

/** True when the metric counts something rather than timing it. */
export function isCount(m: RunMetric): boolean {
  return m.kind === 'flow' && m.metric === 'errors';
}

/** Where a run's interactions began: long frames and calls before this (page load) are left out. */
function firstInteraction(file: SessionFile): number {
  let first = Infinity;
  for (const s of file.sequences) if (s.trigger !== null && s.start < first) first = s.start;
  return first;
}

/** The metric's value for one run, or null when the run has no sample of it (the handler never ran). */
export function runMetricValue(sessions: readonly SessionFile[], m: RunMetric): number | null {
  if (m.kind === 'flow') {
    if (m.metric === 'errors') {
      let errors = 0;
      for (const f of sessions) for (const c of f.calls) if (c.error !== null || c.outcome === 'threw' || c.outcome === 'rejected') errors++;
      return errors;
    }
    if (m.metric === 'interaction') {
      const values: number[] = [];
      for (const f of sessions) for (const s of f.sequences) if (s.interactionMs !== null && s.interactionMs !== undefined) values.push(s.interactionMs);
      return values.length === 0 ? null : statValue(values, 'p95');
    }
    let total = 0;
    let longest = 0;
    let observed = false;
    for (const f of sessions) {
      const from = firstInteraction(f);
      // Sessions from pages that cannot see Long Animation Frames carry none and no call has frame evidence.
      if (f.frames.length > 0 || f.calls.some((c) => c.frames !== null)) observed = true;
      for (const fr of f.frames) {
        if (fr.start + fr.durationMs < from) continue;
        total += fr.blockingMs;
        longest = Math.max(longest, fr.durationMs);
      }
    }
    if (!observed) return null;
    return m.metric === 'frameBlocking' ? total : longest;
  }
  // Calls from the first interaction on, like the frames: page load is the same for both builds,
  // and a fix that moves work to load time (a memoised value) must not be judged on it.
  const values: number[] = [];
  for (const f of sessions) {
    const from = firstInteraction(f);
    for (const c of f.calls) {
      if (c.handler !== m.handler || c.start < from) continue;
      const v = metricValue(c, m.metric);
      if (v !== null) values.push(v);
    }
  }
  // No call at all is no work at all; no call is no sample of a per-call statistic.
  if (m.stat === 'sum') return values.reduce((a, b) => a + b, 0);
  if (values.length === 0) return null;
  if (m.stat === 'max') return Math.max(...values);
  return statValue(values, m.stat);
}
