/** Reduces recent calls to a bounded series for charts: charts never get more than `buckets` points. */
import type { CallLite } from '../../src/bridge/protocol.ts';

export interface Point {
  /** Seconds since the page's time origin (bucket start). */
  t: number;
  /** Slowest value in the bucket per metric (null when no call in it had one), and how many calls it holds. */
  duration: number;
  blocking: number;
  interaction: number | null;
  result: number | null;
  frame: number | null;
  n: number;
}

/** The chartable series. */
export type Series = 'duration' | 'blocking' | 'interaction' | 'result' | 'frame';

const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

function point(t: number, c: CallLite): Point {
  return { t, duration: c.duration, blocking: c.blockingMs, interaction: c.interactionMs, result: c.resultMs, frame: c.longestFrameMs, n: 1 };
}

export function downsample(calls: readonly CallLite[], buckets = 150): Point[] {
  if (calls.length === 0) return [];
  if (calls.length <= buckets) {
    return calls.map((c) => point(c.start / 1000, c));
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of calls) {
    if (c.start < lo) lo = c.start;
    if (c.start > hi) hi = c.start;
  }
  const width = Math.max((hi - lo) / buckets, 1e-6);
  const out: Array<Point | undefined> = new Array(buckets);
  for (const c of calls) {
    const i = Math.min(buckets - 1, Math.floor((c.start - lo) / width));
    const p = out[i];
    // Max, not mean: a spike is what the chart must not hide.
    if (!p) out[i] = point((lo + i * width) / 1000, c);
    else {
      p.duration = Math.max(p.duration, c.duration);
      p.blocking = Math.max(p.blocking, c.blockingMs);
      p.interaction = maxOf(p.interaction, c.interactionMs);
      p.result = maxOf(p.result, c.resultMs);
      p.frame = maxOf(p.frame, c.longestFrameMs);
      p.n++;
    }
  }
  return out.filter((p): p is Point => p !== undefined);
}
