/**
 * Raw per-call samples from session files, by handler and metric: the checker's statistics
 * need the individual values, not the sketch quantiles the aggregates keep.
 */
import type { HandlerCall } from '../model.ts';
import type { SessionFile } from '../session.ts';
import { metricValue } from '../metrics.ts';
import type { HandlerMetric } from '../spec.ts';

export { metricValue } from '../metrics.ts';

export interface HandlerSamples {
  calls: HandlerCall[];
  /** Calls that threw or rejected. */
  errors: number;
  /** Calls whose updates React scheduled (blocking, transition or mixed), and those with a transition. */
  updating: number;
  transitions: number;
}

/** Groups every call of every session (or of any lists of calls) by handler name. */
export function callsByHandler(sessions: ReadonlyArray<Pick<SessionFile, 'calls'>>): Map<string, HandlerSamples> {
  const out = new Map<string, HandlerSamples>();
  for (const file of sessions) {
    for (const call of file.calls) {
      let h = out.get(call.handler);
      if (!h) out.set(call.handler, (h = { calls: [], errors: 0, updating: 0, transitions: 0 }));
      h.calls.push(call);
      if (call.error !== null || call.outcome === 'threw' || call.outcome === 'rejected') h.errors++;
      if (call.mode === 'blocking' || call.mode === 'transition' || call.mode === 'mixed') h.updating++;
      if (call.mode === 'transition' || call.mode === 'mixed') h.transitions++;
    }
  }
  return out;
}

/** Values of `metric` over `calls`, skipping calls that have none. */
export function samplesOf(calls: readonly HandlerCall[], metric: HandlerMetric): number[] {
  const out: number[] = [];
  for (const c of calls) {
    const v = metricValue(c, metric);
    if (v !== null && Number.isFinite(v)) out.push(v);
  }
  return out;
}

export interface SequenceSamples {
  durations: number[];
  /** Observed handler orders with their counts. */
  variants: Map<string, { handlers: string[]; count: number }>;
}

/** Sequence durations (start to end) and handler orders, by sequence name. */
export function sequencesByName(sessions: readonly SessionFile[]): Map<string, SequenceSamples> {
  const out = new Map<string, SequenceSamples>();
  for (const file of sessions) {
    for (const s of file.sequences) {
      let acc = out.get(s.name);
      if (!acc) out.set(s.name, (acc = { durations: [], variants: new Map() }));
      // Only finite durations are samples: the count of a budget's samples is what it was judged on.
      const d = s.end - s.start;
      if (Number.isFinite(d)) acc.durations.push(Math.max(0, d));
      const key = s.handlers.join('\u0000');
      const v = acc.variants.get(key);
      if (v) v.count++;
      else acc.variants.set(key, { handlers: s.handlers.slice(), count: 1 });
    }
  }
  return out;
}
