/**
 * How every surface prints a number (docs, terminal, reports, commit messages, the panel): one
 * rule for precision, so the same value never reads differently in two places. Pure, no locale.
 */

export interface MsFormat {
  /** Append " ms" (or " s" above a second with `seconds`). */
  unit?: boolean;
  /**
   * For sentences rather than tables: 1,000 ms and more as seconds, two significant digits
   * ("1.7 s", "89 ms", "4.2 ms"); implies a unit.
   */
  seconds?: boolean;
  /** What a missing value reads as. */
  empty?: string;
  /**
   * The clock's resolution: never print digits finer than it could tell apart (100 µs → at most
   * one decimal).
   */
  resolutionMs?: number | null;
}

/** Decimals that keep about three significant digits: 1.23, 12.3, 123. */
function digitsFor(v: number): number {
  const a = Math.abs(v);
  return a >= 100 ? 0 : a >= 10 ? 1 : 2;
}

/** Milliseconds with precision that shrinks as values grow: "1.23", "12.3", "123" (tables), "1.7 s" (sentences). */
export function formatMs(v: number | null | undefined, o: MsFormat = {}): string {
  const empty = o.empty ?? '–';
  if (v === null || v === undefined || Number.isNaN(v)) return empty;
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  if (o.seconds && Math.abs(v) >= 1000) return `${(v / 1000).toFixed(1)} s`;
  let digits = o.seconds ? (Math.abs(v) >= 10 ? 0 : 1) : digitsFor(v);
  if (o.resolutionMs !== undefined && o.resolutionMs !== null && o.resolutionMs > 0) {
    digits = Math.min(digits, Math.max(0, -Math.floor(Math.log10(o.resolutionMs) + 1e-9)));
  }
  const text = v.toFixed(digits);
  return o.unit || o.seconds ? `${text} ms` : text;
}

/** A share as a percentage: "0%", "3.5%", "42%". */
export function formatPct(v: number | null | undefined, o: { empty?: string } = {}): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return o.empty ?? '–';
  const p = v * 100;
  return `${p === 0 || Math.abs(p) >= 10 ? p.toFixed(0) : p.toFixed(1)}%`;
}

/** A confidence level with one decimal where it has one: "95%", "97.5%" (formatPct would say "98%"). */
export function formatConfidence(c: number): string {
  return `${Number((c * 100).toFixed(1))}%`;
}

/** A count that may be a mean over runs: "3", "0.4". */
export function formatCount(v: number): string {
  return `${Number(v.toFixed(1))}`;
}

/** A value of a metric in its own unit, for a sentence: "12 ms", "1.7 s", or a count. */
export function formatQuantity(v: number, unit: 'ms' | 'count' = 'ms'): string {
  return unit === 'count' ? formatCount(v) : formatMs(v, { seconds: true });
}

/** A ratio with the precision its size deserves: "0.18", "1.07", "12", "0.0014". */
export function formatFactor(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '–';
  return x >= 10 ? x.toFixed(0) : x >= 0.1 ? x.toFixed(2) : x.toPrecision(2);
}
