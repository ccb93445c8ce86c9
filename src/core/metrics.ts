/**
 * The metrics, per handler call: the one list budgets, baselines, aggregates, `check`, heal's
 * verification, the docs and the panel all read, so a metric added here exists everywhere.
 *
 * The first four are what the user feels, from the browser's own evidence (Event Timing, Long
 * Animation Frames, the paint after the work); the rest describe the handler's own work and
 * are kept for diagnosis. `blocking` in particular is not what the user feels: a call that only
 * starts a transition has ~0 blocking by construction while the frame it causes may still freeze.
 */
import type { HandlerCall } from './model.ts';

export const HANDLER_METRICS = [
  'interaction',
  'frameBlocking',
  'longestFrame',
  'result',
  'duration',
  'settle',
  'blocking',
  'commit',
  'paint',
] as const;
export type HandlerMetric = (typeof HANDLER_METRICS)[number];

export interface MetricDef {
  id: HandlerMetric;
  /** How budgets, tables and reports name it ("p95 time to result ≤ 300 ms"). */
  label: string;
  /** What the user feels, as opposed to the handler's own work. Shown first everywhere. */
  felt: boolean;
  /** One line for docs and tooltips. */
  description: string;
  /**
   * The smallest value that means anything for this metric: below it a change is not felt or not
   * observable (a frame, the Long Animation Frame threshold, the clock). Log-ratio verdicts floor
   * samples here, so "0.3 ms → 0.01 ms" never reads as a 30× improvement.
   */
  floorMs: number;
  /** The call's value, or null when the call has none (no paint seen, not run by an input, ...). */
  of(call: HandlerCall): number | null;
}

/** A frame at 60 Hz. */
export const FRAME_MS = 16;
/** Frames shorter than this are not Long Animation Frames: the browser does not report them. */
export const LONG_FRAME_MS = 50;
/**
 * A frame at least this long is a freeze the user sees (and any input during it waits as long):
 * the limit of a "good" interaction in Web Vitals (INP ≤ 200 ms).
 */
export const FROZEN_FRAME_MS = 200;

export const METRICS: Readonly<Record<HandlerMetric, MetricDef>> = {
  interaction: {
    id: 'interaction',
    label: 'interaction',
    felt: true,
    description:
      'Interaction latency: Event Timing duration of the input whose dispatch ran the call (input delay + processing + presentation, INP-style); calls not run by an input have none.',
    floorMs: FRAME_MS,
    of: (c) => c.interactionMs ?? null,
  },
  frameBlocking: {
    id: 'frameBlocking',
    label: 'frame blocking',
    felt: true,
    description:
      'Blocking time of the Long Animation Frames the call’s work occupied, until its result was painted (script, style and layout included).',
    floorMs: FRAME_MS,
    of: (c) => c.frames?.blockingMs ?? null,
  },
  longestFrame: {
    id: 'longestFrame',
    label: 'longest frame',
    felt: true,
    description: 'The longest frame (Long Animation Frame) the call’s work occupied: how long the page stayed frozen; 0 when no frame was long.',
    floorMs: LONG_FRAME_MS,
    of: (c) => c.frames?.longestMs ?? null,
  },
  result: {
    id: 'result',
    label: 'time to result',
    felt: true,
    description:
      'Time to result: from the start of the interaction (its input event) to the paint after the call’s last work, transitions and async settles included.',
    floorMs: FRAME_MS,
    of: (c) => c.resultMs ?? null,
  },
  duration: {
    id: 'duration',
    label: 'duration',
    felt: false,
    description: 'Synchronous time of the call itself.',
    floorMs: 0.1,
    of: (c) => c.duration,
  },
  settle: {
    id: 'settle',
    label: 'settle',
    felt: false,
    description: 'For calls that returned a promise: entry to settle.',
    floorMs: 1,
    of: (c) => c.settle,
  },
  blocking: {
    id: 'blocking',
    label: 'blocking',
    felt: false,
    description:
      'The longest uninterrupted script span the call caused (the call plus a synchronous React render and commit). Leaves out style and layout, and is ~0 for a call that only starts a transition.',
    floorMs: 1,
    of: (c) => c.blockingMs,
  },
  commit: {
    id: 'commit',
    label: 'commit',
    felt: false,
    description: 'From the end of the call to the end of the last React commit it caused.',
    floorMs: 1,
    of: (c) => c.commitMs,
  },
  paint: {
    id: 'paint',
    label: 'paint',
    felt: false,
    description: 'From the start of the call to the next paint after its task.',
    floorMs: FRAME_MS,
    of: (c) => c.paintMs,
  },
};

/** Metric ids in display order: what the user feels first. */
export const FELT_METRICS: readonly HandlerMetric[] = HANDLER_METRICS.filter((m) => METRICS[m].felt);

/** The value of `metric` for one call, or null when the call has none. */
export function metricValue(call: HandlerCall, metric: HandlerMetric): number | null {
  const v = METRICS[metric].of(call);
  return v === null || v === undefined || !Number.isFinite(v) ? null : v;
}

/** "time to result" → `result`; also accepts the ids themselves. Case-insensitive; null when unknown. */
export function metricFromLabel(text: string): HandlerMetric | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  for (const m of HANDLER_METRICS) if (METRICS[m].label === t || m.toLowerCase() === t) return m;
  return null;
}
