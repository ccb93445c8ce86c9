/**
 * The one list of what Homeostat measures per handler call and per sequence: name, unit, and
 * how to read it from a recorded call or sequence. Field export, field baselines and the field
 * checker are driven by this list, so a metric added here is exported, merged and documented
 * without touching them. (Budgets name the subset in `spec.ts`'s `HANDLER_METRICS`.)
 */
import type { HandlerCall, SequenceRecord } from './model.ts';

/** Milliseconds on the page's clock: every Homeostat timing. */
export type MetricUnit = 'ms';

export interface MetricDefinition<R> {
  /** Stable key: spec baselines, budgets and export attribute values use it. */
  readonly name: string;
  readonly unit: MetricUnit;
  /** One line for docs and the OTLP metric description. */
  readonly description: string;
  /** The value for one record, or null when the record has none (e.g. no settle for a sync call). */
  read(record: R): number | null;
}

export type CallMetric = MetricDefinition<HandlerCall>;
export type SequenceMetric = MetricDefinition<SequenceRecord>;

/** Per handler call. */
export const CALL_METRICS: readonly CallMetric[] = [
  { name: 'duration', unit: 'ms', description: 'Synchronous time of the call itself', read: (c) => c.duration },
  { name: 'settle', unit: 'ms', description: 'Entry to settle, for calls that returned a promise', read: (c) => c.settle },
  {
    name: 'blocking',
    unit: 'ms',
    description: 'Longest uninterrupted main-thread span the call caused (call + synchronous React flush)',
    read: (c) => c.blockingMs,
  },
  { name: 'commit', unit: 'ms', description: 'Call end to the last React commit it caused', read: (c) => c.commitMs },
  { name: 'render', unit: 'ms', description: 'React render time of the commits the call caused', read: (c) => c.renderMs },
  { name: 'paint', unit: 'ms', description: 'Call start to the next paint', read: (c) => c.paintMs },
];

/** Per sequence (one interaction, or one explicit `sequence()`). */
export const SEQUENCE_METRICS: readonly SequenceMetric[] = [
  {
    name: 'duration',
    unit: 'ms',
    description: 'Input event (or sequence start) to the paint after its last work',
    read: (s) => Math.max(0, s.end - s.start),
  },
];

/** A usable sample: finite and non-negative (timings never are negative; a clock glitch is dropped). */
export function metricSample(value: number | null): number | null {
  return value !== null && Number.isFinite(value) && value >= 0 ? value : null;
}

export function callMetric(name: string): CallMetric | undefined {
  return CALL_METRICS.find((m) => m.name === name);
}

export function sequenceMetric(name: string): SequenceMetric | undefined {
  return SEQUENCE_METRICS.find((m) => m.name === name);
}
