import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketIndex, ExpHistogram, lowerBoundary, relativeAccuracy } from './exphist.ts';

function exact(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

const QS = [0, 0.5, 0.75, 0.95, 0.99, 1];

function withinAccuracy(estimate: number, truth: number, accuracy: number): boolean {
  return Math.abs(estimate - truth) <= accuracy * truth + 1e-12;
}

describe('ExpHistogram', () => {
  it('puts each value in the bucket whose boundaries hold it (OTel mapping)', () => {
    for (const scale of [-2, 0, 3, 5, 8]) {
      for (const v of [1e-6, 0.004, 0.5, 1, 2, 3, 1024, 1025, 123456.789]) {
        const i = bucketIndex(v, scale);
        expect(lowerBoundary(i, scale)).toBeLessThan(v * (1 + 1e-12));
        expect(lowerBoundary(i + 1, scale)).toBeGreaterThanOrEqual(v * (1 - 1e-12));
      }
    }
    // Powers of two are the upper (inclusive) boundary of their bucket.
    expect(bucketIndex(1, 0)).toBe(-1);
    expect(bucketIndex(4, 1)).toBe(3);
  });

  it('reads quantiles within its stated relative accuracy of the exact order statistic', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.001, max: 60_000, noNaN: true }), { minLength: 1, maxLength: 500 }), (values) => {
        const h = new ExpHistogram();
        values.forEach((v) => h.record(v));
        const sorted = values.slice().sort((a, b) => a - b);
        for (const q of QS) {
          if (!withinAccuracy(h.quantile(q), exact(sorted, q), h.relativeAccuracy)) return false;
        }
        return h.count === values.length && Math.abs(h.sum - values.reduce((a, b) => a + b, 0)) < 1e-6 * h.sum + 1e-9;
      }),
    );
  });

  it('halves its scale to stay within maxSize buckets', () => {
    const h = new ExpHistogram(5, 40);
    for (const v of [0.01, 0.1, 1, 10, 100, 1000]) h.record(v);
    const s = h.state();
    expect(s.counts.length).toBeLessThanOrEqual(40);
    expect(s.scale).toBeLessThan(5);
    expect(h.quantile(0)).toBe(0.01);
    expect(h.quantile(1)).toBe(1000);
  });

  it('merges sessions without losing accuracy beyond the coarsest one, in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: 0.005, max: 5000, noNaN: true }), { maxLength: 80 }), { minLength: 1, maxLength: 12 }),
        (sessions) => {
          const parts = sessions.map((vs) => {
            const h = new ExpHistogram();
            vs.forEach((v) => h.record(v));
            return h;
          });
          const forward = new ExpHistogram(20, Infinity);
          parts.forEach((p) => forward.merge(p.state()));
          const backward = new ExpHistogram(20, Infinity);
          parts.slice().reverse().forEach((p) => backward.merge(p));
          // Float sums may differ in the last bit with the order; everything else is exact.
          expect({ ...forward.state(), sum: 0 }).toEqual({ ...backward.state(), sum: 0 });
          expect(forward.sum).toBeCloseTo(backward.sum, 6);
          const all = sessions.flat().sort((a, b) => a - b);
          if (all.length === 0) return forward.count === 0;
          const coarsest = Math.min(...parts.filter((p) => p.count > 0).map((p) => p.scale));
          expect(forward.scale).toBe(coarsest);
          for (const q of QS) if (!withinAccuracy(forward.quantile(q), exact(all, q), relativeAccuracy(coarsest))) return false;
          return forward.count === all.length;
        },
      ),
    );
  });

  it('keeps zeros in the zero bucket and round-trips through its state', () => {
    const h = new ExpHistogram();
    [0, 0, 0, 2, 4].forEach((v) => h.record(v));
    h.record(-1);
    h.record(Number.NaN);
    expect(h.count).toBe(5);
    expect(h.zeroCount).toBe(3);
    expect(h.quantile(0.5)).toBe(0);
    expect(h.quantile(1)).toBe(4);
    const back = ExpHistogram.fromState(h.state());
    expect(back.state()).toEqual(h.state());
    const bounds = h.rankBounds(3);
    expect(bounds.low).toBeLessThanOrEqual(2);
    expect(bounds.high).toBeGreaterThanOrEqual(2);
  });

  it('states 1.08% accuracy at scale 5', () => {
    expect(relativeAccuracy(5)).toBeCloseTo(0.01083, 5);
  });
});
