/**
 * The OpenTelemetry base-2 exponential histogram (the OTLP `ExponentialHistogram` data point),
 * for non-negative values. At scale `s` bucket `i` holds the values in (b^i, b^(i+1)] with
 * b = 2^(2^-s); exact zeros go to the zero bucket. Two histograms merge exactly at the smaller
 * of their scales, so per-session histograms from thousands of browsers add up without any
 * loss beyond the coarsest session's resolution.
 *
 * Quantiles are read at rank ⌊q·(n−1)⌋ (DDSketch's convention, as `distribution.ts`): the
 * estimate is the point of the bucket that minimises the worst relative error, so it lies within
 * `relativeAccuracy(scale)` of the exact order statistic.
 */

/** The serialisable state: exactly the fields of an OTLP data point this histogram uses. */
export interface ExpHistogramState {
  scale: number;
  count: number;
  sum: number;
  zeroCount: number;
  /** Index of `counts[0]`. */
  offset: number;
  counts: number[];
  /** Infinity / -Infinity when empty. */
  min: number;
  max: number;
}

/** Finest scale recorded in the page: relative accuracy ≈ 1.08%, close to the local DDSketch's 1%. */
export const DEFAULT_MAX_SCALE = 5;
/** Buckets a page keeps per histogram: ten octaves at scale 5 before it halves its resolution. */
export const DEFAULT_MAX_SIZE = 320;

/** Worst relative error of a quantile read from a histogram at `scale`. */
export function relativeAccuracy(scale: number): number {
  const base = Math.pow(2, Math.pow(2, -scale));
  return (base - 1) / (base + 1);
}

/** Index of the bucket holding `value` (> 0) at `scale`. */
export function bucketIndex(value: number, scale: number): number {
  if (scale >= 0) return Math.ceil(Math.log2(value) * Math.pow(2, scale)) - 1;
  return (Math.ceil(Math.log2(value)) - 1) >> -scale;
}

/** Lower boundary of bucket `index` at `scale` (its upper boundary is that of `index + 1`). */
export function lowerBoundary(index: number, scale: number): number {
  return Math.pow(2, index * Math.pow(2, -scale));
}

export class ExpHistogram {
  scale: number;
  count = 0;
  sum = 0;
  zeroCount = 0;
  min = Infinity;
  max = -Infinity;
  private offset = 0;
  private counts: number[] = [];

  /** `maxSize` bounds the bucket array (the histogram halves its scale to fit); Infinity never downscales on its own. */
  constructor(
    readonly maxScale = DEFAULT_MAX_SCALE,
    readonly maxSize = DEFAULT_MAX_SIZE,
  ) {
    this.scale = maxScale;
  }

  /** Records a value; negative, NaN and infinite values are ignored (timings never are). */
  record(value: number): void {
    if (!(value >= 0) || !Number.isFinite(value)) return;
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (value === 0) {
      this.zeroCount++;
      return;
    }
    let index = bucketIndex(value, this.scale);
    if (this.counts.length > 0) {
      const lo = Math.min(this.offset, index);
      const hi = Math.max(this.offset + this.counts.length - 1, index);
      const shift = this.shiftToFit(lo, hi);
      if (shift > 0) {
        this.downscale(shift);
        index = bucketIndex(value, this.scale);
      }
    }
    this.addToBucket(index, 1);
  }

  /** Adds everything `other` holds, at the smaller scale of the two (and smaller still if `maxSize` requires). */
  merge(other: ExpHistogram | ExpHistogramState): void {
    const o = other instanceof ExpHistogram ? other.state() : other;
    if (o.count === 0 && o.zeroCount === 0) return;
    if (o.scale < this.scale) this.downscale(this.scale - o.scale);
    const d = o.scale - this.scale;
    const theirs = o.counts.length > 0 ? { lo: o.offset >> d, hi: (o.offset + o.counts.length - 1) >> d } : null;
    if (theirs && this.counts.length > 0) {
      const lo = Math.min(this.offset, theirs.lo);
      const hi = Math.max(this.offset + this.counts.length - 1, theirs.hi);
      const shift = this.shiftToFit(lo, hi);
      if (shift > 0) this.downscale(shift);
    }
    const shift = o.scale - this.scale;
    for (let i = 0; i < o.counts.length; i++) {
      const n = o.counts[i]!;
      if (n > 0) this.addToBucket((o.offset + i) >> shift, n);
    }
    this.count += o.count;
    this.sum += o.sum;
    this.zeroCount += o.zeroCount;
    if (o.min < this.min) this.min = o.min;
    if (o.max > this.max) this.max = o.max;
  }

  /** The value at quantile `q` (0..1), within `relativeAccuracy(scale)` of the exact one; NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.floor(Math.min(1, Math.max(0, q)) * (this.count - 1));
    // The extremes are known exactly.
    if (rank === this.count - 1) return this.max;
    if (rank === 0) return this.min;
    let seen = this.zeroCount;
    if (rank < seen) return 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (rank < seen) {
        const lo = lowerBoundary(this.offset + i, this.scale);
        const hi = lowerBoundary(this.offset + i + 1, this.scale);
        return Math.min(this.max, Math.max(this.min, (2 * lo * hi) / (lo + hi)));
      }
    }
    return this.max;
  }

  /** Bounds on the value of rank `rank` (0-based): the boundaries of the bucket holding it. */
  rankBounds(rank: number): { low: number; high: number } {
    let seen = this.zeroCount;
    if (rank < seen) return { low: 0, high: 0 };
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (rank < seen) {
        const low = Math.max(this.min, lowerBoundary(this.offset + i, this.scale));
        const high = Math.min(this.max, lowerBoundary(this.offset + i + 1, this.scale));
        return { low: Math.min(low, high), high };
      }
    }
    return { low: this.max, high: this.max };
  }

  /** Non-empty buckets in ascending order, with a representative value (zero bucket first). */
  *buckets(): Generator<{ value: number; low: number; high: number; count: number }> {
    if (this.zeroCount > 0) yield { value: 0, low: 0, high: 0, count: this.zeroCount };
    for (let i = 0; i < this.counts.length; i++) {
      const n = this.counts[i]!;
      if (n === 0) continue;
      const lo = lowerBoundary(this.offset + i, this.scale);
      const hi = lowerBoundary(this.offset + i + 1, this.scale);
      yield { value: Math.min(this.max, Math.max(this.min, (2 * lo * hi) / (lo + hi))), low: lo, high: hi, count: n };
    }
  }

  get relativeAccuracy(): number {
    return relativeAccuracy(this.scale);
  }

  state(): ExpHistogramState {
    return {
      scale: this.scale,
      count: this.count,
      sum: this.sum,
      zeroCount: this.zeroCount,
      offset: this.offset,
      counts: this.counts.slice(),
      min: this.min,
      max: this.max,
    };
  }

  static fromState(state: ExpHistogramState, maxSize = Infinity): ExpHistogram {
    const h = new ExpHistogram(state.scale, maxSize);
    h.merge(state);
    return h;
  }

  /** Smallest number of halvings after which buckets lo..hi fit `maxSize`. */
  private shiftToFit(lo: number, hi: number): number {
    let shift = 0;
    while ((hi >> shift) - (lo >> shift) + 1 > this.maxSize) shift++;
    return shift;
  }

  private downscale(by: number): void {
    if (by <= 0) return;
    this.scale -= by;
    if (this.counts.length === 0) return;
    const newOffset = this.offset >> by;
    const newLast = (this.offset + this.counts.length - 1) >> by;
    const merged = new Array<number>(newLast - newOffset + 1).fill(0);
    for (let i = 0; i < this.counts.length; i++) merged[((this.offset + i) >> by) - newOffset]! += this.counts[i]!;
    this.offset = newOffset;
    this.counts = merged;
  }

  private addToBucket(index: number, n: number): void {
    if (this.counts.length === 0) {
      this.offset = index;
      this.counts = [n];
      return;
    }
    if (index < this.offset) {
      const grow = this.offset - index;
      this.counts = new Array<number>(grow).fill(0).concat(this.counts);
      this.offset = index;
    } else if (index >= this.offset + this.counts.length) {
      const grow = index - (this.offset + this.counts.length) + 1;
      for (let i = 0; i < grow; i++) this.counts.push(0);
    }
    this.counts[index - this.offset]! += n;
  }
}
