/**
 * Two-proportion z-test: did a rate (errors per call, transitions per updating call) change
 * between the baseline and the new telemetry? Pooled standard error, two-sided p-value.
 */
import { normalCdf } from './normal.ts';

export interface ProportionTest {
  baseline: number;
  observed: number;
  /** Two-sided p-value; 1 when both rates are 0 or 1 (nothing can differ). */
  pValue: number;
}

/** Compares `x2/n2` (observed) against `p1` measured over `n1` trials (baseline). */
export function twoProportionTest(p1: number, n1: number, x2: number, n2: number): ProportionTest {
  const p2 = n2 === 0 ? 0 : x2 / n2;
  const x1 = Math.round(p1 * n1);
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { baseline: p1, observed: p2, pValue: p1 === p2 ? 1 : 0 };
  const z = Math.abs(p2 - p1) / se;
  return { baseline: p1, observed: p2, pValue: Math.min(1, 2 * (1 - normalCdf(z))) };
}
