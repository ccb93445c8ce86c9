import { describe, expect, it } from 'vitest';
import { makeCall, makeMeta } from './__tests__/fixtures.ts';
import type { FrameRecord, HandlerCall } from './model.ts';
import { comparePaired, pairedValues, roundSample, type PairedSide, type RoundSample, type StepWindow } from './paired.ts';
import { SESSION_FORMAT, SESSION_VERSION } from './session.ts';
import { effectOf, guardOf } from './verdict.ts';

const call = (id: number, handler: string, start: number, patch: Partial<HandlerCall> = {}): HandlerCall => makeCall({ id, handler, start, ...patch });
const frame = (start: number, durationMs: number): FrameRecord => ({ start, durationMs, blockingMs: durationMs - 50, renderStart: null, styleLayoutMs: 0, forcedStyleLayoutMs: 0, invoker: null, sourceFunction: null });

function side(steps: StepWindow[], calls: HandlerCall[], frames: FrameRecord[] = []): PairedSide {
  return {
    steps,
    session: { format: SESSION_FORMAT, version: SESSION_VERSION, session: makeMeta(), calls, sequences: [], commits: [], vitals: [], frames, events: [], truncated: { calls: 0, sequences: 0, commits: 0 } },
  };
}
const windows = (...starts: number[]): StepWindow[] => starts.map((start, i) => ({ step: i + 1, start, end: start + 50, position: 0 }));

describe('pairedValues', () => {
  it("pairs the k-th call of a step with the k-th call of the same step, each page on its own clock, a missing value leaving its twin unpaired", () => {
    // Page A's clock started long before page B's: times only mean something within their page.
    const A = side(windows(1000, 2000), [call(1, 'h', 1001, { interactionMs: 80 }), call(2, 'h', 1010, { interactionMs: 90 }), call(3, 'h', 2001, { interactionMs: 70 })]);
    const B = side(windows(10, 600), [call(1, 'h', 11, { interactionMs: 40 }), call(2, 'h', 20, { interactionMs: null }), call(3, 'h', 30, { interactionMs: 50 }), call(4, 'h', 601, { interactionMs: 35 })]);
    expect(pairedValues(A, B, { kind: 'handler', handler: 'h', metric: 'interaction', stat: 'p95' })).toEqual([
      [80, 40],
      // The second call on B painted nothing of its own: the second call on A stays unpaired, and
      // the third call on B (the step has none on A) too.
      [70, 35],
    ]);
  });

  it('sums work per step (a step with no call on one side did none there) and takes frames per step where either side froze', () => {
    const A = side(windows(0, 1000, 2000), [call(1, 'f', 1, { duration: 3 }), call(2, 'f', 2, { duration: 3 }), call(3, 'f', 1001, { duration: 3 })], [frame(5, 120), frame(1005, 80)]);
    const B = side(windows(0, 1000, 2000), [call(1, 'f', 1, { duration: 0.1 })], [frame(7, 60)]);
    expect(pairedValues(A, B, { kind: 'handler', handler: 'f', metric: 'duration', stat: 'sum' })).toEqual([
      [6, 0.1],
      [3, 0],
    ]);
    // The third step froze on neither side: it says nothing about frames and is left out.
    expect(pairedValues(A, B, { kind: 'flow', metric: 'longestFrame' })).toEqual([
      [120, 60],
      [80, 0],
    ]);
    // Without Long Animation Frames on a page, frames cannot be compared.
    expect(pairedValues(side(windows(0), [call(1, 'f', 1)]), B, { kind: 'flow', metric: 'longestFrame' })).toBeNull();
  });
});

describe('roundSample and comparePaired', () => {
  it('summarise each round on the log scale, floored, with before and after consistent with the ratio', () => {
    const A = side(windows(0), [call(1, 'h', 1, { interactionMs: 200 }), call(2, 'h', 2, { interactionMs: 50 })]);
    const B = side(windows(0), [call(1, 'h', 1, { interactionMs: 100 }), call(2, 'h', 2, { interactionMs: 4 })]);
    const r = roundSample([[A, B]], { kind: 'handler', handler: 'h', metric: 'interaction', stat: 'p95' })!;
    // 4 ms is floored at the metric's floor: a sub-frame value never makes a huge ratio.
    expect(r.pairs).toBe(2);
    expect(Math.exp(r.b - r.a)).toBeCloseTo(Math.exp(r.d), 12);
    const rounds: RoundSample[] = [-0.7, -0.6, -0.8, -0.65].map((d) => ({ d, a: 5, b: 5 + d, rawA: 150, rawB: 150 * Math.exp(d), pairs: 12 }));
    const c = comparePaired(rounds, { confidence: 0.95, floor: 16 });
    expect(c.clusters).toBe(4);
    expect(c.nA).toBe(48);
    expect(c.geoB / c.geoA).toBeCloseTo(c.ratio.estimate, 10);
    // t over the four round values, df = 3: the 48 pairs are never counted as independent.
    const mean = -0.6875;
    const sd = Math.sqrt(rounds.reduce((s, x) => s + (x.d - mean) ** 2, 0) / 3);
    expect(Math.log(c.ratio.high) - mean).toBeCloseTo(3.1824 * (sd / 2), 3);
    expect(effectOf(c, 0.1)).toBe('improved');
  });

  it('a guard over noisy rounds is not proven, over steady rounds it is', () => {
    const steady = [0.02, -0.01, 0.03, 0.0, 0.01].map((d) => ({ d, a: 4, b: 4 + d, rawA: 60, rawB: 60, pairs: 20 }));
    const noisy = [0.4, -0.3, 0.35, -0.2, 0.1].map((d) => ({ d, a: 4, b: 4 + d, rawA: 60, rawB: 60, pairs: 20 }));
    expect(guardOf(comparePaired(steady, { confidence: 0.95, floor: 50 }), 0.2)).toBe('ok');
    const wide = comparePaired(noisy, { confidence: 0.95, floor: 50 });
    expect(wide.ratio.estimate).toBeLessThan(1.2);
    expect(guardOf(wide, 0.2)).toBe('unresolved');
  });

  it('keeps the error rate of the paired design: identical builds are rarely called improved or regressed', () => {
    // Rounds have a load level (a random effect on both sides) that pairing cancels, within-round
    // noise per pair, and a small round-level effect on the difference (page state).
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    let wrong = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const rounds: RoundSample[] = [];
      for (let g = 0; g < 6; g++) {
        const load = 0.5 * normal();
        let d = 0;
        for (let k = 0; k < 10; k++) d += 0.3 * normal();
        rounds.push({ d: d / 10 + 0.05 * normal(), a: 4 + load, b: 4 + load + d / 10, rawA: 50, rawB: 50, pairs: 10 });
      }
      const effect = effectOf(comparePaired(rounds, { confidence: 0.95, floor: 16 }), 0.1);
      if (effect === 'improved' || effect === 'regressed') wrong++;
    }
    expect(wrong / trials).toBeLessThanOrEqual(0.05);
  });
});
