import { describe, expect, it } from 'vitest';
import { rng } from './__tests__/fixtures.ts';
import {
  compareLogRatio,
  confidenceFor,
  effectOf,
  guardConfidence,
  guardOf,
  judgeFix,
  perLookConfidence,
  formatChange,
  type MetricSpec,
  type RunValues,
} from './verdict.ts';

/** Lognormal samples around `median` with log-sd `sigma`, from a seeded generator. */
function lognormals(seed: number, n: number, median: number, sigma: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => median * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())));
}

/** What heal verifies a transition fix on: interaction first, then guards, then the handler's own longest frame. */
const SPECS: MetricSpec[] = [
  { key: 'interaction', label: 'interaction', role: 'primary', floor: 16 },
  { key: 'result', label: 'time to result', role: 'guard', floor: 16, tolerance: 0.1 },
  { key: 'flowBlocking', label: 'long-frame blocking', role: 'guard', floor: 16, tolerance: 0.1 },
  { key: 'flowLongest', label: 'longest frame in the flow', role: 'guard', floor: 50, tolerance: 0.1 },
  { key: 'errors', label: 'errors', role: 'guard', floor: 0.5, tolerance: 0, unit: 'count' },
  { key: 'frame', label: 'longest frame', role: 'context', floor: 50, frozen: true },
];

function runs(seed: number, n: number, medians: Record<string, number>, sigma = 0.05): RunValues[] {
  const cols = Object.fromEntries(Object.entries(medians).map(([k, m], i) => [k, k === 'errors' ? Array(n).fill(m) : lognormals(seed * 31 + i, n, m, sigma)]));
  return Array.from({ length: n }, (_, j) => Object.fromEntries(Object.keys(medians).map((k) => [k, cols[k]![j]!])));
}

describe('compareLogRatio', () => {
  it('is a Welch interval on log values, read back as a ratio of geometric means', () => {
    const a = [100, 200, 400];
    const b = [50, 100, 200];
    const c = compareLogRatio(a, b, { floor: 1 });
    expect(c.ratio.estimate).toBeCloseTo(0.5, 10);
    expect(c.geoA).toBeCloseTo(200, 8);
    expect(c.geoB).toBeCloseTo(100, 8);
    // log-sd = ln 2 on both sides, se = sqrt(2/3)·ln2, df = 4, t(0.975, 4) = 2.7764
    const half = 2.7764 * Math.sqrt(2 / 3) * Math.LN2;
    expect(Math.log(c.ratio.high / c.ratio.estimate)).toBeCloseTo(half, 3);
    expect(c.ratio.low).toBeGreaterThan(0);
  });

  it('floors samples at the metric minimum: sub-frame changes do not read as huge ratios', () => {
    const c = compareLogRatio([0.3, 0.32, 0.29], [0.01, 0.012, 0.011], { floor: 16 });
    expect(c.ratio).toEqual({ estimate: 1, low: 1, high: 1 });
    expect(effectOf(c, 0.1)).toBe('no-effect');
  });

  it('decides a 1000× effect with two runs per side; its interval stays positive', () => {
    const c = compareLogRatio([2092, 1890], [2.1, 1.9], { floor: 0.1 });
    expect(effectOf(c, 0.1)).toBe('improved');
    expect(c.ratio.low).toBeGreaterThan(0);
    expect(c.ratio.high).toBeLessThan(0.01);
  });

  it('guards fail on a clear regression beyond the tolerance, hold only when the whole interval is within it, and wait otherwise', () => {
    const same = compareLogRatio(lognormals(1, 8, 100, 0.03), lognormals(2, 8, 101, 0.03), { floor: 1 });
    expect(guardOf(same, 0.1)).toBe('ok');
    const later = compareLogRatio(lognormals(3, 8, 100, 0.03), lognormals(4, 8, 160, 0.03), { floor: 1 });
    expect(guardOf(later, 0.1)).toBe('regressed');
    // An estimate within tolerance proves nothing while the interval reaches past it.
    const noisySame = compareLogRatio([100, 130], [95, 140], { floor: 1 });
    expect(noisySame.ratio.estimate).toBeLessThan(1.1);
    expect(guardOf(noisySame, 0.1)).toBe('unresolved');
    const noisyWorse = compareLogRatio([100, 130], [120, 170], { floor: 1 });
    expect(noisyWorse.ratio.low).toBeLessThan(1.1);
    expect(guardOf(noisyWorse, 0.1)).toBe('unresolved');
  });
});

describe('judgeFix', () => {
  it('a transition that leaves the frozen frame is partial: interaction faster, result no sooner, still a 1.7 s frame', () => {
    const before = runs(1, 6, { interaction: 2092, result: 2011, flowBlocking: 1900, flowLongest: 1750, errors: 0, frame: 1750 }, 0.03);
    const after = runs(2, 6, { interaction: 16, result: 2020, flowBlocking: 1890, flowLongest: 1740, errors: 0, frame: 1740 }, 0.03);
    const j = judgeFix(SPECS, before, after);
    expect(j.verdict).toBe('partial');
    expect(j.settled).toBe(true);
    expect(j.why).toMatch(/^interaction faster: 2\.1 s → 16 ms \(0\.00\d+×, CI [\d.]+–[\d.]+×\)/);
    // The result guard is proven (its interval lies within ≤ 1.10×): nothing to say about it.
    expect(j.why).not.toMatch(/result/);
    expect(j.why).toMatch(/still a 1\.7 s frame/);
  });

  it('still frozen is partial even while a guard is undecided: more runs could only make it worse', () => {
    const before = runs(11, 6, { interaction: 2700, result: 2800, errors: 0, frame: 1700 }, 0.03);
    const noisyResult = runs(13, 6, { result: 3400 }, 0.25);
    const after = runs(12, 6, { interaction: 20, errors: 0, frame: 1750 }, 0.03).map((r, i) => ({ ...r, result: noisyResult[i]!['result']! }));
    const j = judgeFix(SPECS, before, after);
    expect(j.results.find((r) => r.spec.key === 'result')!.state).toBe('unresolved');
    expect(j).toMatchObject({ verdict: 'partial', settled: true });
    expect(j.why).toMatch(/result not yet proven within ≤ 1\.10×: [\d.]+ s → [\d.]+ s \(1\.\d+×, CI [\d.]+–[\d.]+×\); still a 1\.\d s frame/);
  });

  it('rendering fewer rows per frame shortens the frozen frame: improved', () => {
    const before = runs(3, 4, { interaction: 2092, result: 2011, flowBlocking: 1900, flowLongest: 1750, errors: 0, frame: 1750 });
    const after = runs(4, 4, { interaction: 40, result: 120, flowBlocking: 60, flowLongest: 90, errors: 0, frame: 90 });
    const j = judgeFix(SPECS, before, after);
    expect(j.verdict).toBe('improved');
    expect(j.why).toMatch(/result better: 2\.0 s → 1\d\d ms \(0\.0\d+×/);
    expect(j.why).toMatch(/longest frame 1\.\d s → \d\d ms/);
  });

  it('a fix that delays the result regresses, whatever the interaction did', () => {
    const before = runs(5, 4, { interaction: 300, result: 400, flowBlocking: 300, flowLongest: 250, errors: 0, frame: 250 });
    const after = runs(6, 4, { interaction: 30, result: 700, flowBlocking: 300, flowLongest: 250, errors: 0, frame: 120 });
    const j = judgeFix(SPECS, before, after);
    expect(j.verdict).toBe('regressed');
    expect(j.why).toMatch(/result worse: 4\d\d ms → 7\d\d ms \(1\.\d+×, CI [\d.]+–[\d.]+×\), beyond the ≤ 1\.10× guard/);
  });

  it('a result later but proven within the guard tolerance is still improved, and said to be later', () => {
    const before = runs(15, 12, { interaction: 300, result: 400, flowBlocking: 300, flowLongest: 250, errors: 0, frame: 100 });
    const after = runs(16, 12, { interaction: 30, result: 440, flowBlocking: 300, flowLongest: 250, errors: 0, frame: 100 });
    const specs = SPECS.map((x) => (x.key === 'result' ? { ...x, tolerance: 0.2 } : x));
    const j = judgeFix(specs, before, after);
    expect(j.verdict).toBe('improved');
    const result = j.results.find((r) => r.spec.key === 'result')!;
    expect(result.comparison!.ratio.high).toBeLessThanOrEqual(1.2);
    expect(j.why).toMatch(/result worse: 4\d\d ms → 4\d\d ms \(1\.\d+×, CI 1\.\d+–1\.\d+×\), proven within the ≤ 1\.20× guard/);
  });

  it('a guard whose estimate is better but whose interval is wide is not yet proven: the verdict waits', () => {
    const before = runs(17, 3, { interaction: 300, result: 2000, flowBlocking: 300, flowLongest: 250, errors: 0, frame: 100 });
    const after = runs(18, 3, { interaction: 30, result: 30, flowBlocking: 300, flowLongest: 250, errors: 0, frame: 100 });
    // One run whose result came seconds late (a loaded machine): the interval spans 1.
    after[0]!['result'] = 4000;
    const j = judgeFix(SPECS, before, after);
    expect(j).toMatchObject({ verdict: 'unresolved', settled: false });
    expect(j.why).toMatch(/result not yet proven within ≤ 1\.10×: [\d.]+ s → [\d.]+ ms \(0\.\d+×, CI [\d.]+–[\d.]+×\)/);
  });

  it('a new error per run is a regression', () => {
    const before = runs(7, 3, { interaction: 300, result: 400, flowBlocking: 300, flowLongest: 250, errors: 0, frame: 100 });
    const after = runs(8, 3, { interaction: 30, result: 300, flowBlocking: 100, flowLongest: 100, errors: 1, frame: 60 });
    const j = judgeFix(SPECS, before, after);
    expect(j.verdict).toBe('regressed');
    expect(j.why).toMatch(/more errors: 0 → 1 per run/);
  });

  it('keeps sampling while a guard is undecided, and says no effect when the primary is unchanged', () => {
    const before: RunValues[] = [
      { interaction: 300, result: 400, flowBlocking: 300, flowLongest: 100, errors: 0, frame: 60 },
      { interaction: 310, result: 300, flowBlocking: 300, flowLongest: 100, errors: 0, frame: 60 },
    ];
    const after: RunValues[] = [
      { interaction: 30, result: 520, flowBlocking: 300, flowLongest: 100, errors: 0, frame: 60 },
      { interaction: 31, result: 390, flowBlocking: 300, flowLongest: 100, errors: 0, frame: 60 },
    ];
    const j = judgeFix(SPECS, before, after);
    expect(j).toMatchObject({ verdict: 'unresolved', settled: false });
    const none = judgeFix(SPECS, runs(9, 8, { interaction: 100, result: 100, errors: 0 }, 0.02), runs(10, 8, { interaction: 101, result: 100, errors: 0 }, 0.02));
    expect(none).toMatchObject({ verdict: 'no-effect', settled: true });
  });

  it('keeps its error rate under sequential sampling: no-effect pairs are almost never called improved or regressed', () => {
    const plan = { minRuns: 2, maxRuns: 8 };
    const confidence = perLookConfidence(0.95, plan);
    const specs: MetricSpec[] = [{ key: 'x', label: 'x', role: 'primary', floor: 1 }];
    let wrong = 0;
    const trials = 300;
    for (let s = 0; s < trials; s++) {
      const a = lognormals(1000 + s, 8, 100, 0.1);
      const b = lognormals(5000 + s, 8, 100, 0.1);
      for (let n = plan.minRuns; n <= plan.maxRuns; n++) {
        const j = judgeFix(specs, a.slice(0, n).map((x) => ({ x })), b.slice(0, n).map((x) => ({ x })), { confidence, threshold: 0.1 });
        if (j.verdict === 'improved' || j.verdict === 'regressed') wrong++;
        if (j.settled) break;
      }
    }
    expect(wrong / trials).toBeLessThanOrEqual(0.05);
  });
});

describe('guards are one-sided claims', () => {
  it('read the upper bound of the 2c − 1 interval: the one-sided bound at c', () => {
    expect(guardConfidence(0.95)).toBeCloseTo(0.9, 12);
    expect(confidenceFor({ role: 'guard' }, 0.975)).toBeCloseTo(0.95, 12);
    expect(confidenceFor({ role: 'primary' }, 0.975)).toBe(0.975);
  });

  it('holds when the one-sided bound is within the tolerance although the two-sided 95% bound is not', () => {
    const a = [100, 104, 98, 101, 103, 99];
    const b = [102, 106, 99, 104, 104, 103];
    const two = compareLogRatio(a, b, { floor: 1, confidence: 0.95 });
    const one = compareLogRatio(a, b, { floor: 1, confidence: guardConfidence(0.95) });
    expect(two.ratio.high).toBeGreaterThan(1.05);
    expect(one.ratio.high).toBeLessThanOrEqual(1.05);
    const specs: MetricSpec[] = [
      { key: 'x', label: 'x', role: 'primary', floor: 1 },
      { key: 'g', label: 'g', role: 'guard', floor: 1, tolerance: 0.05 },
    ];
    const j = judgeFix(specs, a.map((g, i) => ({ x: 300 + i, g })), b.map((g, i) => ({ x: 30 + i, g })));
    const guard = j.results.find((r) => r.spec.key === 'g')!;
    expect(guard.comparison!.confidence).toBeCloseTo(0.9, 12);
    expect(guard.state).toBe('ok');
    expect(j.verdict).toBe('improved');
  });

  it('calls a guard that is exactly at its tolerance "holds" at most at the one-sided error rate', () => {
    let held = 0;
    const trials = 600;
    for (let s = 0; s < trials; s++) {
      const c = compareLogRatio(lognormals(20_000 + s, 6, 100, 0.1), lognormals(40_000 + s, 6, 110, 0.1), { floor: 1, confidence: guardConfidence(0.95) });
      if (guardOf(c, 0.1) === 'ok') held++;
    }
    // 5% by construction; an interval at 80% (one-sided 10%) would fail this.
    expect(held / trials).toBeLessThanOrEqual(0.075);
    expect(held / trials).toBeGreaterThan(0.02);
  });
});

describe('what a verdict may print', () => {
  it('never calls a guard with a wide interval "holds": ok implies the upper bound is within the tolerance', () => {
    for (let s = 0; s < 400; s++) {
      const n = 2 + (s % 7);
      const sigma = 0.02 + (s % 11) * 0.08;
      const c = compareLogRatio(lognormals(7000 + s, n, 100, sigma), lognormals(9000 + s, n, 100 * (0.8 + (s % 5) * 0.1), sigma), { floor: 1 });
      const tolerance = [0, 0.1, 0.2][s % 3]!;
      const state = guardOf(c, tolerance);
      if (state === 'ok') expect(c.ratio.high).toBeLessThanOrEqual(1 + tolerance);
      if (state === 'regressed') expect(c.ratio.low).toBeGreaterThan(1 + tolerance);
    }
  });

  it('prints every ratio with the before and after of the same statistic', () => {
    const c = compareLogRatio([452, 470, 430], [500, 520, 510], { floor: 16 });
    const text = formatChange(c);
    const m = /^([\d.]+) ms → ([\d.]+) ms \(([\d.]+)×, CI ([\d.]+)–([\d.]+)×\)$/.exec(text);
    expect(m, text).not.toBeNull();
    expect(Number(m![2]) / Number(m![1])).toBeCloseTo(Number(m![3]), 1);
    const j = judgeFix(SPECS, runs(21, 6, { interaction: 300, result: 100, errors: 0 }), runs(22, 6, { interaction: 100, result: 140, errors: 0 }));
    // Every "×" in the sentence follows an arrow's after-value: "a → b (r×, CI …)".
    for (const part of j.why.split('; ')) if (part.includes('×')) expect(part, j.why).toMatch(/ → [^(]+\([\d.]+×, CI /);
  });
});
