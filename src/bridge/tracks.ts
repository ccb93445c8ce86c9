/**
 * Homeostat in DevTools' Performance panel: handler calls, the React work they caused and their
 * interactions as a "Homeostat" track group, budget breaches as markers, through Chrome's
 * extensibility API (`performance.measure` with `detail.devtools`). Off unless the panel turns it
 * on; then the agent draws the calls of each tick after the fact (measures take explicit start
 * and end times), so the recording path pays nothing and only inspected pages pay ~5 µs per entry.
 *
 * Measures also land in the page's User Timing buffer, which pages read: ours are named
 * `handler()` and cleared right after they are drawn (the trace keeps them), so the buffer does
 * not grow and the app's own measures, named otherwise, are left alone.
 */
import { metricValue } from '../core/metrics.ts';
import type { HandlerCall } from '../core/model.ts';
import type { SpecFile } from '../core/spec.ts';

export const TRACK_GROUP = 'Homeostat';
export const TRACKS = { calls: 'Handler calls', react: 'React work caused', interactions: 'Interactions' } as const;
/** At most this many entries per tick (4 a second): 10 k calls/s would otherwise cost ~50 ms/s. */
export const MAX_ENTRIES = 500;

type Color = 'primary' | 'secondary' | 'tertiary' | 'error';
type Props = Array<[string, string]>;

/** What a `performance.measure` call needs; the page's `performance` in production. */
export interface MeasureTarget {
  measure(name: string, options: { start: number; end: number; detail: unknown }): unknown;
  mark(name: string, options: { startTime: number; detail: unknown }): unknown;
  clearMeasures(name?: string): void;
  clearMarks(name?: string): void;
}

const r1 = (v: number) => `${Math.round(v * 10) / 10} ms`;

/** Draws `calls` (finished, in order); returns the number of entries drawn. */
export function drawTracks(calls: readonly HandlerCall[], spec: SpecFile | null, perf: MeasureTarget = performance): number {
  const measures = new Set<string>();
  const marks = new Set<string>();
  let n = 0;
  const entry = (name: string, start: number, end: number, track: string, color: Color, tooltipText: string, properties: Props) => {
    if (n >= MAX_ENTRIES || !(end > start)) return;
    perf.measure(name, { start, end, detail: { devtools: { dataType: 'track-entry', track, trackGroup: TRACK_GROUP, color, tooltipText, properties } } });
    measures.add(name);
    n++;
  };
  const seqs = new Map<number, { trigger: string; start: number; end: number; interactionMs: number | null; calls: number }>();
  for (const c of calls) {
    const budget = spec?.handlers[c.handler]?.budget ?? null;
    const observed = budget ? metricValue(c, budget.metric) : null;
    const over = budget !== null && observed !== null && observed > budget.ms;
    const props: Props = [
      ['own work', r1(c.duration)],
      ['blocking (with the React flush)', r1(c.blockingMs)],
      ['React ran it as', c.mode],
    ];
    if (c.interactionMs !== null) props.push(['interaction', r1(c.interactionMs)]);
    if (budget) props.push(['budget', `${budget.stat} ${budget.metric} ≤ ${budget.ms} ms`]);
    const name = `${c.handler}()`;
    entry(name, c.start, c.start + Math.max(c.duration, 0.001), TRACKS.calls, over ? 'error' : c.mode === 'transition' ? 'tertiary' : 'primary', `${c.handler}: ${r1(c.duration)} own`, props);
    if (c.commits > 0 && c.blockingMs > c.duration + 0.05) {
      entry(name, c.start + c.duration, c.start + c.blockingMs, TRACKS.react, 'secondary', `React render + commit caused by ${c.handler}`, [['commits', String(c.commits)]]);
    }
    if (over && n < MAX_ENTRIES) {
      const label = `${c.handler} over budget`;
      perf.mark(label, {
        startTime: c.start,
        detail: { devtools: { dataType: 'marker', color: 'error', tooltipText: `${budget.metric} ${r1(observed)} > ${budget.ms} ms (${budget.stat} budget)` } },
      });
      marks.add(label);
      n++;
    }
    const s = seqs.get(c.sequence);
    const end = c.start + Math.max(c.blockingMs, c.duration);
    if (s) {
      s.end = Math.max(s.end, end);
      s.calls++;
      if (c.interactionMs !== null) s.interactionMs = Math.max(s.interactionMs ?? 0, c.interactionMs);
    } else seqs.set(c.sequence, { trigger: c.handler, start: c.start, end, interactionMs: c.interactionMs, calls: 1 });
  }
  for (const s of seqs.values()) {
    const props: Props = [['calls', String(s.calls)]];
    if (s.interactionMs !== null) props.push(['interaction', r1(s.interactionMs)]);
    entry(`${s.trigger}()`, s.start, s.end, TRACKS.interactions, 'primary', `interaction started by ${s.trigger}`, props);
  }
  for (const m of measures) perf.clearMeasures(m);
  for (const m of marks) perf.clearMarks(m);
  return n;
}
