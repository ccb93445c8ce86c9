import { describe, expect, it } from 'vitest';
import { rng } from './__tests__/fixtures.ts';
import { compare, sampleUntilDecided } from './verdict.ts';

/** Normal samples (Box–Muller) from a seeded generator. */
function normals(seed: number, n: number, mean: number, sd: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => mean + sd * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()));
}

describe('compare', () => {
  it('matches a textbook Welch interval', () => {
    // Two samples whose Welch 95% interval on the difference is known: B − A = 2, df ≈ 7.67.
    const a = [10, 12, 11, 13, 9];
    const b = [12, 14, 13, 15, 11];
    const c = compare(a, b, { threshold: 0.05 });
    expect(c.difference).toBe(2);
    // t(0.975, df=8) = 2.306; se = sqrt(2.5/5 + 2.5/5) = 1
    expect(c.interval.low).toBeCloseTo(2 - 2.306, 2);
    expect(c.interval.high).toBeCloseTo(2 + 2.306, 2);
    expect(c.verdict).toBe('unresolved');
  });

  it('calls a large improvement improved, with its relative size', () => {
    const c = compare(normals(1, 10, 40, 4), normals(2, 10, 4, 1));
    expect(c.verdict).toBe('improved');
    expect(c.relative).toBeCloseTo(-0.9, 1);
    expect(c.relativeInterval.high).toBeLessThan(-0.1);
  });

  it('reads a huge improvement as a ratio whose interval stays positive, where the relative interval passes −100%', () => {
    // The demo's renderReact fix: ~250 ms of blocking with a wide spread, down to ~0.2 ms.
    const a = [237, 275, 253, 250, 239, 120, 410];
    const b = [0.15, 0.13, 0.29, 0.13, 1.11, 0.2, 0.18];
    const c = compare(a, b);
    expect(c.verdict).toBe('improved');
    expect(c.relativeInterval.low).toBeLessThan(-1);
    expect(c.ratio!.low).toBeGreaterThan(0);
    expect(c.ratio!.high).toBeLessThan(0.01);
    expect(c.ratio!.estimate).toBeGreaterThan(c.ratio!.low);
    expect(c.ratio!.estimate).toBeLessThan(c.ratio!.high);
    // Non-positive samples have no log: no ratio.
    expect(compare([0, 1, 2], [1, 2, 3]).ratio).toBeNull();
  });

  it('calls a regression regressed', () => {
    expect(compare(normals(3, 12, 10, 1), normals(4, 12, 13, 1)).verdict).toBe('regressed');
  });

  it('calls an identical build "no effect" when the interval fits the threshold, and rarely anything else', () => {
    let noEffect = 0;
    let wrong = 0;
    for (let seed = 0; seed < 200; seed++) {
      const v = compare(normals(seed * 2 + 10, 12, 20, 1), normals(seed * 2 + 11, 12, 20, 1)).verdict;
      if (v === 'no-effect') noEffect++;
      if (v === 'improved' || v === 'regressed') wrong++;
    }
    expect(noEffect).toBeGreaterThanOrEqual(190);
    expect(wrong).toBeLessThanOrEqual(2);
  });

  it('refuses to decide from fewer than two samples', () => {
    expect(() => compare([1], [2, 3])).toThrow(RangeError);
  });
});

describe('sampleUntilDecided', () => {
  it('alternates A and B and stops as soon as it is decided', async () => {
    const draws = { A: normals(5, 50, 30, 2), B: normals(6, 50, 10, 2) };
    const result = await sampleUntilDecided(async (side, i) => draws[side][i]!, { minRuns: 3 });
    expect(result.verdict).toBe('improved');
    expect(result.stoppedBy).toBe('decided');
    expect(result.order.slice(0, 6)).toEqual(['A', 'B', 'A', 'B', 'A', 'B']);
    expect(result.nA).toBe(3);
  });

  it('adds batches while unresolved and reports the cap when it never resolves', async () => {
    // A 10% change right at the threshold with lots of noise: never resolves.
    const draws = { A: normals(7, 50, 20, 6), B: normals(8, 50, 18, 6) };
    const result = await sampleUntilDecided(async (side, i) => draws[side][i]!, { minRuns: 4, batch: 3, maxRuns: 10 });
    expect(result.verdict).toBe('unresolved');
    expect(result.stoppedBy).toBe('max-runs');
    expect(result.nA).toBe(10);
    expect(result.order).toHaveLength(20);
  });

  it('stops at the time cap', async () => {
    let t = 0;
    const result = await sampleUntilDecided(
      async (side, i) => {
        t += 1000;
        // Means 20 and 19 (5% apart) with a spread of 10: the interval stays wide.
        return (side === 'A' ? 20 : 19) + (i % 2 === 0 ? -10 : 10);
      },
      { minRuns: 2, maxRuns: 100, timeCapMs: 9_000 },
      () => t,
    );
    expect(result.stoppedBy).toBe('time-cap');
  });
});
