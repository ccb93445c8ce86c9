/**
 * The distributions the statistics need, from jStat (one small, dependency-free package):
 * the standard normal's CDF and quantile, and Student's t quantile.
 */
import jstat from 'jstat';

interface Distribution {
  cdf(x: number, ...params: number[]): number;
  inv(p: number, ...params: number[]): number;
}
// jStat ships no type declarations: these are the two distributions used, as documented.
const { normal, studentt } = (jstat as unknown as { jStat: { normal: Distribution; studentt: Distribution } }).jStat;

/** The inverse of the standard normal CDF. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  return normal.inv(p, 0, 1);
}

/** P(Z ≤ z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return normal.cdf(z, 0, 1);
}

/** The `p` quantile of Student's t distribution with `df` degrees of freedom (df may be fractional: Welch). */
export function tQuantile(p: number, df: number): number {
  return studentt.inv(p, df);
}
