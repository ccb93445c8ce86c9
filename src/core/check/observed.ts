/**
 * What the checker judges, whatever it came from: raw calls from session files (every sample
 * known) or merged field histograms (counts per bucket). Each metric answers with its sample
 * count and the confidence interval of a statistic; raw samples, when known, also feed the
 * rank test against baseline samples.
 */
import type { FieldDistribution, FieldSnapshot } from '../field/merge.ts';
import type { HandlerCall } from '../model.ts';
import type { SessionFile } from '../session.ts';
import type { HandlerMetric, Stat } from '../spec.ts';
import { histogramStatInterval } from './histogram.ts';
import { statInterval, type StatInterval } from './interval.ts';
import { callsByHandler, samplesOf, sequencesByName } from './samples.ts';

export interface MetricValues {
  readonly n: number;
  interval(stat: Stat, confidence: number, seed: number): StatInterval;
  /** The samples themselves, when known (session files); null for field histograms. */
  readonly raw: readonly number[] | null;
}

export interface HandlerObservation {
  /** Calls. */
  n: number;
  /** Calls that threw or rejected. */
  errors: number;
  /** Calls whose updates React scheduled, and those with a transition. */
  updating: number;
  transitions: number;
  values(metric: HandlerMetric): MetricValues;
}

export interface SequenceObservation {
  runs: number;
  durations: MetricValues;
  variants: Map<string, { handlers: string[]; count: number }>;
}

export interface Observations {
  /** Which baselines the observations are comparable with: local runs, or the field's. */
  kind: 'local' | 'field';
  handlers: Map<string, HandlerObservation>;
  sequences: Map<string, SequenceObservation>;
}

function rawValues(samples: number[]): MetricValues {
  return { n: samples.length, raw: samples, interval: (stat, confidence, seed) => statInterval(samples, stat, confidence, seed) };
}

const NO_VALUES: MetricValues = {
  n: 0,
  raw: [],
  interval: () => {
    throw new RangeError('no samples');
  },
};

function histogramValues(d: FieldDistribution | undefined): MetricValues {
  if (!d || d.count === 0) return { ...NO_VALUES, raw: null };
  return { n: d.count, raw: null, interval: (stat, confidence, seed) => histogramStatInterval(d, stat, confidence, seed) };
}

/** Raw samples from session files. */
export function observeSessions(sessions: readonly SessionFile[]): Observations {
  const handlers = observeHandlers(sessions);
  const sequences = new Map<string, SequenceObservation>();
  for (const [name, s] of sequencesByName(sessions)) {
    sequences.set(name, { runs: s.durations.length, durations: s.durations.length > 0 ? rawValues(s.durations) : NO_VALUES, variants: s.variants });
  }
  return { kind: 'local', handlers, sequences };
}

/**
 * Raw samples from calls alone (the DevTools panel's recent calls): the same observations of
 * handlers as from session files, without sequences. The panel's badges then come from the very
 * rules `homeostat check` applies.
 */
export function observeCalls(calls: readonly HandlerCall[]): Observations {
  return { kind: 'local', handlers: observeHandlers([{ calls: calls as HandlerCall[] }]), sequences: new Map() };
}

function observeHandlers(sessions: ReadonlyArray<Pick<SessionFile, 'calls'>>): Map<string, HandlerObservation> {
  const handlers = new Map<string, HandlerObservation>();
  for (const [name, h] of callsByHandler(sessions)) {
    const cache = new Map<HandlerMetric, MetricValues>();
    handlers.set(name, {
      n: h.calls.length,
      errors: h.errors,
      updating: h.updating,
      transitions: h.transitions,
      values(metric) {
        let v = cache.get(metric);
        if (!v) cache.set(metric, (v = rawValues(samplesOf(h.calls, metric))));
        return v;
      },
    });
  }
  return handlers;
}

/** Merged histograms and counts from the field. */
export function observeField(field: FieldSnapshot): Observations {
  const handlers = new Map<string, HandlerObservation>();
  for (const [name, h] of field.handlers) {
    if (h.calls === 0) continue;
    handlers.set(name, {
      n: h.calls,
      errors: h.errors,
      updating: h.modes.blocking + h.modes.transition + h.modes.mixed,
      transitions: h.modes.transition + h.modes.mixed,
      values: (metric) => histogramValues(h.metrics[metric]),
    });
  }
  const sequences = new Map<string, SequenceObservation>();
  for (const [name, s] of field.sequences) {
    if (s.runs === 0) continue;
    const variants = new Map(s.variants.map((v) => [v.handlers.join('\u0000'), { handlers: v.handlers, count: v.count }]));
    sequences.set(name, { runs: s.runs, durations: histogramValues(s.metrics['duration']), variants });
  }
  return { kind: 'field', handlers, sequences };
}
