/**
 * What a field data point must satisfy beyond its schema before it is merged. The OTLP schema
 * lets a point say things no histogram can mean (an offset whose buckets lie beyond any double,
 * a count that is not the sum of its buckets, a bucket of 2^64, a negative counter); merged
 * anyway, they crash the reader or give wrong n, mean and quantiles under an "ok" status. Each
 * rule returns what is wrong in words; the readers name the file and the point's place.
 */
import type { ExpHistogramState } from './exphist.ts';

/**
 * Bucket boundaries are 2^(index·2^-scale): beyond these exponents they are 0 or Infinity as
 * doubles (the smallest subnormal is 2^-1074, the largest double just under 2^1024).
 */
const MIN_EXPONENT = -1074;
const MAX_EXPONENT = 1024;

/** A count read from a uint64 must be an exact double to be added up. */
function countProblem(what: string, n: number): string | null {
  if (!Number.isFinite(n) || n < 0 || !Number.isInteger(n)) return `${what} ${n} is not a non-negative integer`;
  if (n > Number.MAX_SAFE_INTEGER) return `${what} ${n} is beyond 2^53 and cannot be counted exactly`;
  return null;
}

/** Problems of one exponential histogram point (positive buckets; `negativeCount`: the sum of its negative ones). */
export function histogramProblems(h: ExpHistogramState, negativeCount = 0): string[] {
  const out: string[] = [];
  const push = (p: string | null) => p !== null && out.push(p);
  push(countProblem('count', h.count));
  push(countProblem('zeroCount', h.zeroCount));
  let buckets = 0;
  for (const [i, n] of h.counts.entries()) {
    const p = countProblem(`bucketCounts[${i}]`, n);
    if (p) {
      out.push(p);
      break;
    }
    buckets += n;
  }
  if (out.length > 0) return out;
  if (!Number.isInteger(h.offset)) out.push(`offset ${h.offset} is not an integer`);
  else if (h.counts.length > 0) {
    const unit = Math.pow(2, -h.scale);
    const low = h.offset * unit;
    const high = (h.offset + h.counts.length) * unit;
    if (low < MIN_EXPONENT || high > MAX_EXPONENT) {
      out.push(`offset ${h.offset} with ${h.counts.length} buckets at scale ${h.scale} puts bucket bounds at 2^${low}..2^${high}, outside what a double holds (2^${MIN_EXPONENT}..2^${MAX_EXPONENT})`);
    }
  }
  const total = h.zeroCount + buckets + negativeCount;
  if (total > Number.MAX_SAFE_INTEGER) out.push(`its buckets add up beyond 2^53`);
  else if (total !== h.count) out.push(`count ${h.count} differs from the sum of its buckets (${total}: zeroCount ${h.zeroCount} + buckets ${buckets + negativeCount})`);
  if (!Number.isFinite(h.sum) || h.sum < 0) out.push(`sum ${h.sum} is not a non-negative number (timings are never negative)`);
  if (h.count > 0 && (h.min < 0 || h.max < h.min)) out.push(`min ${h.min} and max ${h.max} are not an interval of timings`);
  return out;
}

/** Problems of one cumulative counter value. */
export function counterProblems(value: number): string[] {
  if (!Number.isFinite(value) || value < 0) return [`value ${value} is negative or not finite: a counter only counts up from 0`];
  if (value > Number.MAX_SAFE_INTEGER) return [`value ${value} is beyond 2^53 and cannot be counted exactly`];
  return [];
}
