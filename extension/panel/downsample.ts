/** Reduces recent calls to a bounded series for charts: charts never get more than `buckets` points. */
import type { CallLite } from '../../src/bridge/protocol.ts';

export interface Point {
  /** Seconds since the page's time origin (bucket start). */
  t: number;
  /** Slowest duration and blocking in the bucket, and how many calls it holds. */
  duration: number;
  blocking: number;
  n: number;
}

export function downsample(calls: readonly CallLite[], buckets = 150): Point[] {
  if (calls.length === 0) return [];
  if (calls.length <= buckets) {
    return calls.map((c) => ({ t: c.start / 1000, duration: c.duration, blocking: c.blockingMs, n: 1 }));
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
    if (!p) out[i] = { t: (lo + i * width) / 1000, duration: c.duration, blocking: c.blockingMs, n: 1 };
    else {
      p.duration = Math.max(p.duration, c.duration);
      p.blocking = Math.max(p.blocking, c.blockingMs);
      p.n++;
    }
  }
  return out.filter((p): p is Point => p !== undefined);
}
