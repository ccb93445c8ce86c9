/**
 * One-sided Mann–Whitney (Wilcoxon rank-sum) tests, for drift when the baseline's raw samples are
 * at hand: is the new sample stochastically greater (or less) than the baseline's? Normal
 * approximation with continuity correction; ties get average ranks and no variance correction,
 * which only makes the test a little conservative.
 */
import { normalCdf } from './normal.ts';
import { wilcoxonRankSum } from 'simple-statistics';

export interface RankTest {
  /** Mann–Whitney U of `x` (the number of pairs where x beats y, ties counting half). */
  u: number;
  z: number;
  /** One-sided p-value for "x tends to be greater than y". */
  pGreater: number;
  /** One-sided p-value for "x tends to be less than y". */
  pLess: number;
}

export function mannWhitney(x: readonly number[], y: readonly number[]): RankTest {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitney needs two non-empty samples');
  const w = wilcoxonRankSum(x as number[], y as number[]);
  const u = w - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const sd = Math.sqrt((n1 * n2 * (n1 + n2 + 1)) / 12);
  const zGreater = (u - mean - 0.5) / sd;
  const zLess = (u - mean + 0.5) / sd;
  return { u, z: (u - mean) / sd, pGreater: 1 - normalCdf(zGreater), pLess: normalCdf(zLess) };
}
