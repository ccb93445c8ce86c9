import { DDSketch } from '@datadog/sketches-js';

/** Relative accuracy of every quantile we report: within 1% of the true value. */
export const RELATIVE_ACCURACY = 0.01;

/** Summary statistics of a distribution of milliseconds. Quantiles come from a DDSketch. */
export interface Summary {
  count: number;
  mean: number;
  min: number;
  max: number;
  p50: number;
  p75: number;
  p95: number;
  p99: number;
}

/** Counts per bucket; `edges` has one more entry than `counts` (ms, log-spaced). */
export interface Histogram {
  edges: number[];
  counts: number[];
}

/** Serialisable form of a `Distribution` (structured-clone and JSON safe). */
export interface DistributionState {
  count: number;
  sum: number;
  min: number;
  max: number;
  zero: number;
  /** Key of `bins[0]` in the sketch's logarithmic mapping. */
  minKey: number;
  bins: number[];
}

/**
 * A mergeable distribution of non-negative values (durations in ms): exact count, sum, min and
 * max, and quantiles from a DDSketch with `RELATIVE_ACCURACY`.
 */
export class Distribution {
  private sketch = new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });

  get count(): number {
    return this.sketch.count;
  }

  get sum(): number {
    return this.sketch.sum;
  }

  add(value: number): void {
    if (value >= 0 && Number.isFinite(value)) this.sketch.accept(value);
  }

  /** The value at quantile `q` (0..1), clamped to the observed range; NaN when empty. */
  quantile(q: number): number {
    const s = this.sketch;
    if (s.count === 0) return NaN;
    const v = s.getValueAtQuantile(q);
    return Math.min(s.max, Math.max(s.min, v));
  }

  summary(): Summary {
    const s = this.sketch;
    const empty = s.count === 0;
    return {
      count: s.count,
      mean: empty ? NaN : s.sum / s.count,
      min: empty ? NaN : s.min,
      max: empty ? NaN : s.max,
      p50: this.quantile(0.5),
      p75: this.quantile(0.75),
      p95: this.quantile(0.95),
      p99: this.quantile(0.99),
    };
  }

  /** Re-buckets the sketch's fine logarithmic bins into about `buckets` coarse ones for charts. */
  histogram(buckets = 24): Histogram {
    const s = this.sketch;
    if (s.count === 0) return { edges: [], counts: [] };
    const lo = Math.max(s.min, 0.001);
    const hi = Math.max(s.max, lo * 1.0001);
    const ratio = Math.pow(hi / lo, 1 / buckets);
    const edges = Array.from({ length: buckets + 1 }, (_, i) => (i === 0 ? 0 : lo * Math.pow(ratio, i)));
    edges[buckets] = hi;
    const counts = new Array<number>(buckets).fill(0);
    counts[0] += s.zeroCount;
    const store = s.store;
    for (let i = 0; i < store.bins.length; i++) {
      const n = store.bins[i] ?? 0;
      if (n === 0) continue;
      const value = s.mapping.value(i + store.offset);
      let b = value <= lo ? 0 : Math.floor(Math.log(value / lo) / Math.log(ratio));
      b = Math.min(buckets - 1, Math.max(0, b));
      counts[b] = (counts[b] ?? 0) + n;
    }
    return { edges, counts };
  }

  merge(other: Distribution): void {
    this.sketch.merge(other.sketch);
  }

  state(): DistributionState {
    const s = this.sketch;
    const store = s.store;
    const bins: number[] = [];
    let minKey = 0;
    if (store.count > 0) {
      minKey = store.minKey;
      for (let k = store.minKey; k <= store.maxKey; k++) bins.push(store.bins[k - store.offset] ?? 0);
    }
    return { count: s.count, sum: s.sum, min: s.min, max: s.max, zero: s.zeroCount, minKey, bins };
  }

  static fromState(state: DistributionState): Distribution {
    const d = new Distribution();
    const s = d.sketch;
    state.bins.forEach((n, i) => {
      if (n > 0) s.store.add(state.minKey + i, n);
    });
    s.zeroCount = state.zero;
    s.count = state.count;
    s.sum = state.sum;
    s.min = state.min;
    s.max = state.max;
    return d;
  }
}
