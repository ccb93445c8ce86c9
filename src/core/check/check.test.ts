import { describe, expect, it } from 'vitest';
import { mean, quantile } from 'simple-statistics';
import type { HandlerCall, SequenceRecord, TransitionMode } from '../model.ts';
import { SESSION_FORMAT, SESSION_VERSION, type SessionFile } from '../session.ts';
import { emptySpec, HANDLER_METRICS, type Baseline, type Budget, type HandlerMetric, type SpecFile } from '../spec.ts';
import { samplesOf } from './samples.ts';
import { makeMeta } from '../__tests__/fixtures.ts';
import { checkSpec, mannWhitney, quantileInterval, seededRandom, type Random } from './index.ts';

/** Lognormal samples with median `median` and log-sd `sigma` (Box–Muller on the seeded PRNG). */
function lognormal(random: Random, n: number, median: number, sigma: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    out.push(median * Math.exp(sigma * z));
  }
  return out;
}

interface CallPatch {
  blockingMs: number;
  error?: boolean;
  mode?: TransitionMode;
}

let nextId = 1;
function call(handler: string, p: CallPatch, sequence = 0): HandlerCall {
  const id = nextId++;
  return {
    id, handler, sequence, parent: null, start: id, duration: p.blockingMs / 2, settle: null,
    outcome: p.error ? 'threw' : 'ok', error: p.error ? { name: 'Error', message: 'boom' } : null,
    mode: p.mode ?? 'blocking', updates: { blocking: 1, transition: 0 }, commits: 1, renderMs: null,
    commitMs: 1, blockingMs: p.blockingMs, paintMs: p.blockingMs + 2, loaf: null, interactionMs: null, resultMs: null, frames: null,
  };
}

function session(calls: HandlerCall[], sequences: SequenceRecord[] = []): SessionFile {
  return {
    format: SESSION_FORMAT, version: SESSION_VERSION, session: makeMeta('s'), calls, sequences, commits: [], vitals: [], frames: [], events: [],
    truncated: { calls: 0, sequences: 0, commits: 0 },
  };
}

function blockingSession(handler: string, samples: number[]): SessionFile {
  return session(samples.map((b) => call(handler, { blockingMs: b })));
}

/** A baseline as `homeostat docs` would record it from these samples. */
function baselineOf(samples: number[], patch: Partial<Baseline> = {}): Baseline {
  const s = { mean: mean(samples), p50: quantile(samples, 0.5), p75: quantile(samples, 0.75), p95: quantile(samples, 0.95), p99: quantile(samples, 0.99) };
  return { metrics: { blocking: s }, n: samples.length, date: '2026-01-01', build: null, sessions: ['base'], errorRate: 0, transitionShare: 0, ...patch };
}

function specWith(handlers: Record<string, { budget?: Budget | null; baseline?: Baseline | null; tolerance?: number | null }>, defaults: Partial<SpecFile['defaults']> = {}): SpecFile {
  const spec = emptySpec('test');
  spec.defaults = { ...spec.defaults, ...defaults };
  for (const [name, h] of Object.entries(handlers)) {
    spec.handlers[name] = { budget: h.budget ?? null, baseline: h.baseline ?? null, tolerance: h.tolerance ?? null, source: null, description: null };
  }
  return spec;
}

describe('quantileInterval', () => {
  it('covers the true quantile at about the stated confidence (order statistics, no shape assumed)', () => {
    const random = seededRandom(7);
    const trueP95 = 10 * Math.exp(0.5 * 1.6448536);
    let covered = 0;
    const runs = 400;
    for (let i = 0; i < runs; i++) {
      const xs = lognormal(random, 100, 10, 0.5).sort((a, b) => a - b);
      const ci = quantileInterval(xs, 0.95, 0.95);
      if (ci.low <= trueP95 && trueP95 <= ci.high) covered++;
    }
    // Order-statistic intervals are conservative: coverage ≥ nominal, up to sampling noise.
    expect(covered / runs).toBeGreaterThanOrEqual(0.93);
  });

  it('agrees with the exact interval when it switches to the normal approximation for large n', () => {
    const xs = lognormal(seededRandom(11), 60_000, 10, 0.5).sort((a, b) => a - b);
    const big = quantileInterval(xs, 0.95, 0.95);
    const trueP95 = 10 * Math.exp(0.5 * 1.6448536);
    expect(big.low).toBeLessThan(big.estimate);
    expect(big.high).toBeGreaterThan(big.estimate);
    expect(Math.abs(big.estimate / trueP95 - 1)).toBeLessThan(0.02);
    // Just below the switch, the exact interval has nearly the same width (relative to the estimate).
    const exact = quantileInterval(xs.filter((_, i) => i % 2 === 0), 0.95, 0.95);
    const width = (ci: typeof big) => (ci.high - ci.low) / ci.estimate;
    expect(width(exact) / width(big)).toBeGreaterThan(1.2); // half the samples: √2 wider
    expect(width(exact) / width(big)).toBeLessThan(1.7);
  });

  it('cannot bound p99 from above with 20 samples, and says so with Infinity', () => {
    const xs = lognormal(seededRandom(1), 20, 5, 0.3).sort((a, b) => a - b);
    const ci = quantileInterval(xs, 0.99, 0.95);
    expect(ci.high).toBe(Infinity);
    expect(ci.low).toBeLessThanOrEqual(ci.estimate);
  });
});

describe('mannWhitney', () => {
  it('holds its level under no shift and finds a 10% shift at n=200', () => {
    const random = seededRandom(99);
    let falseAlarms = 0;
    let found = 0;
    const runs = 400;
    for (let i = 0; i < runs; i++) {
      const a = lognormal(random, 200, 5, 0.25);
      if (mannWhitney(lognormal(random, 200, 5, 0.25), a).pGreater < 0.025) falseAlarms++;
      if (mannWhitney(lognormal(random, 200, 5.5, 0.25), a).pGreater < 0.025) found++;
    }
    expect(falseAlarms / runs).toBeLessThan(0.05);
    expect(found / runs).toBeGreaterThan(0.9);
    const sym = mannWhitney([1, 2, 3], [1, 2, 3]);
    expect(sym.u).toBe(4.5);
    expect(sym.pGreater).toBeCloseTo(sym.pLess);
  });
});

describe('checkSpec statistics on seeded synthetic telemetry', () => {
  const runs = 200;
  const sigma = 0.25;
  const n = 100;
  const tolerance = 0.1;

  function rates(shift: number) {
    const random = seededRandom(20260101 + Math.round(shift * 1000));
    let drift = 0;
    let over = 0;
    let rank = 0;
    for (let i = 0; i < runs; i++) {
      const base = lognormal(random, n, 8, sigma);
      const now = lognormal(random, n, 8 * shift, sigma);
      // The budget sits exactly at the true p95 of the baseline distribution.
      const budget = 8 * Math.exp(sigma * 1.6448536);
      const spec = specWith({ renderReact: { baseline: baselineOf(base), budget: { metric: 'blocking', stat: 'p95', ms: budget }, tolerance } });
      const report = checkSpec(spec, [blockingSession('renderReact', now)], { seed: i });
      if (report.discrepancies.some((d) => d.kind === 'drift')) drift++;
      if (report.discrepancies.some((d) => d.kind === 'over-budget')) over++;
      // The same, with the baseline's raw samples: the rank test decides drift.
      const withRaw = checkSpec(spec, [blockingSession('renderReact', now)], { seed: i, baselineSessions: [blockingSession('renderReact', base)] });
      const d = withRaw.discrepancies.find((x) => x.kind === 'drift');
      if (d) {
        expect(d.evidence.test).toBe('mann-whitney');
        rank++;
      }
    }
    return { drift: drift / runs, over: over / runs, rank: rank / runs };
  }

  it('detects a 30% shift at n=100 at least 95% of the time (drift and over-budget)', () => {
    const r = rates(1.3);
    console.info(`30% shift, n=${n}, σ=${sigma}, tolerance ${tolerance}: drift detected ${r.drift * 100}% (rank test ${r.rank * 100}%), over-budget ${r.over * 100}% of ${runs} seeds`);
    expect(r.drift).toBeGreaterThanOrEqual(0.95);
    expect(r.rank).toBeGreaterThanOrEqual(0.95);
    expect(r.over).toBeGreaterThanOrEqual(0.95);
  });

  it('raises a false alarm at most 5% of the time when nothing shifted', () => {
    const r = rates(1);
    console.info(`no shift, n=${n}: drift false alarms ${r.drift * 100}% (rank test ${r.rank * 100}%), over-budget false alarms ${r.over * 100}% of ${runs} seeds`);
    expect(r.drift).toBeLessThanOrEqual(0.05);
    expect(r.rank).toBeLessThanOrEqual(0.05);
    expect(r.over).toBeLessThanOrEqual(0.05);
  });

  it('keeps false alarms under 5% with wider timings, the default tolerance and a 42-run baseline', () => {
    const random = seededRandom(4242);
    let alarms = 0;
    for (let i = 0; i < runs; i++) {
      const base = lognormal(random, 42, 8, 0.5);
      const now = lognormal(random, 100, 8, 0.5);
      const spec = specWith({ h: { baseline: baselineOf(base) } });
      if (checkSpec(spec, [blockingSession('h', now)], { seed: i }).discrepancies.length > 0) alarms++;
    }
    console.info(`no shift, σ=0.5, baseline n=42, tolerance 20%: false alarms ${(alarms / runs) * 100}% of ${runs} seeds`);
    expect(alarms / runs).toBeLessThanOrEqual(0.05);
  });

  it("flags the seed's example: renderReact 8.1 ms avg over 42 runs documented, 5 ms budget, 12.3 ms avg over 100 runs now", () => {
    const random = seededRandom(42);
    const s = 0.3;
    // Lognormal with the given mean: median = mean / exp(σ²/2).
    const base = lognormal(random, 42, 8.1 / Math.exp((s * s) / 2), s);
    const now = lognormal(random, 100, 12.3 / Math.exp((s * s) / 2), s);
    const spec = specWith({ renderReact: { baseline: baselineOf(base), budget: { metric: 'blocking', stat: 'p95', ms: 5 } } });
    const report = checkSpec(spec, [blockingSession('renderReact', now)]);
    const kinds = report.discrepancies.map((d) => d.kind).sort();
    expect(kinds).toEqual(['drift', 'over-budget']);
    const over = report.discrepancies.find((d) => d.kind === 'over-budget')!;
    expect(over.severity).toBe('error');
    expect(over.evidence.interval!.low).toBeGreaterThan(5);
    expect(over.evidence.n).toBe(100);
    expect(report.handlers).toEqual([{ name: 'renderReact', status: 'over-budget', n: 100 }]);
    expect(report.accuracy).toEqual({ documented: 1, matching: 0, ratio: 0 });
  });

  it('is deterministic for a seed, also with a bootstrap (mean) budget', () => {
    const random = seededRandom(3);
    const now = lognormal(random, 60, 6, 0.4);
    const spec = specWith({ h: { budget: { metric: 'blocking', stat: 'mean', ms: 5 } } });
    const a = checkSpec(spec, [blockingSession('h', now)], { seed: 9 });
    const b = checkSpec(spec, [blockingSession('h', now)], { seed: 9 });
    expect(a).toEqual(b);
    expect(a.discrepancies.map((d) => d.kind)).toEqual(['over-budget']);
  });
});

describe('checkSpec rules', () => {
  it('decides a quantile budget from few calls when they are overwhelming, and says how many more a decision needs otherwise', () => {
    const spec = specWith({ h: { budget: { metric: 'blocking', stat: 'p95', ms: 100 } } }, { minSamples: 20 });
    // Five calls, all 18–50× over a p95 budget: if the p95 were within it, that has probability ≤ 0.05⁵.
    const five = checkSpec(spec, [blockingSession('h', [1800, 2500, 3100, 4200, 5000])]);
    expect(five.handlers).toEqual([{ name: 'h', status: 'over-budget', n: 5, metric: 'blocking' }]);
    expect(five.discrepancies.map((d) => [d.kind, d.severity, d.evidence.n])).toEqual([['over-budget', 'error', 5]]);
    expect(five.discrepancies[0]!.evidence.interval!.low).toBeGreaterThan(100);
    expect(five.accuracy).toEqual({ documented: 1, matching: 0, ratio: 0 });
    // One call over it is not evidence (a p95 budget allows one call in twenty above it): one more would decide.
    const one = checkSpec(spec, [blockingSession('h', [5000])]);
    expect(one.handlers).toEqual([{ name: 'h', status: 'insufficient-data', n: 1, needed: 1 }]);
    expect(one.discrepancies).toEqual([]);
    // Calls within the budget never decide early: an "ok" needs minSamples calls.
    const within = checkSpec(spec, [blockingSession('h', [10, 12, 9, 11, 30])]);
    expect(within.handlers).toEqual([{ name: 'h', status: 'insufficient-data', n: 5, needed: 15 }]);
    // Two of four calls over a p95 budget already decide it (probability ≈ 0.014 if it held)...
    expect(checkSpec(spec, [blockingSession('h', [10, 500, 12, 600])]).handlers[0]!.status).toBe('over-budget');
    // ...one of four does not: more calls are needed, and the count says how many.
    const half = checkSpec(spec, [blockingSession('h', [10, 500, 12, 11])]);
    expect(half.handlers[0]!.status).toBe('insufficient-data');
    expect(half.handlers[0]!.needed).toBeGreaterThan(0);
    const needed = half.handlers[0]!.needed!;
    const more = Array.from({ length: 4 + needed }, (_, i) => (i % 4 === 1 ? 500 : 10));
    expect(checkSpec(spec, [blockingSession('h', more)]).handlers[0]!.status).toBe('over-budget');
  });

  it('gives a mean budget no verdict below minSamples, however far over it (no distribution-free bound for a mean)', () => {
    const spec = specWith({ h: { budget: { metric: 'blocking', stat: 'mean', ms: 1 } } }, { minSamples: 20 });
    const report = checkSpec(spec, [blockingSession('h', Array(19).fill(50))]);
    expect(report.discrepancies).toEqual([]);
    expect(report.handlers).toEqual([{ name: 'h', status: 'insufficient-data', n: 19, needed: 1 }]);
    expect(report.accuracy.ratio).toBeNull();
    const enough = checkSpec(spec, [blockingSession('h', Array(20).fill(50))]);
    expect(enough.handlers[0]!.status).toBe('over-budget');
  });

  it('calls a small sample over budget at most as often as its confidence allows when the quantile is exactly at the budget', () => {
    const random = seededRandom(11);
    // Lognormal with median 10 and σ = 0.5: its p95 is 10·e^(0.5·1.645) ≈ 22.76 ms, the budget.
    const budget = 10 * Math.exp(0.5 * 1.6448536);
    const spec = specWith({ h: { budget: { metric: 'blocking', stat: 'p95', ms: budget } } }, { minSamples: 20 });
    let alarms = 0;
    let trials = 0;
    for (let n = 1; n < 20; n++) {
      for (let t = 0; t < 100; t++) {
        trials++;
        if (checkSpec(spec, [blockingSession('h', lognormal(random, n, 10, 0.5))]).handlers[0]!.status === 'over-budget') alarms++;
      }
    }
    // One-sided 2.5% (the lower end of a 95% interval); the bound is conservative for most n.
    expect(alarms / trials).toBeLessThan(0.025);
  });

  it('reports undocumented and unseen handlers, and computes accuracy over documented ones', () => {
    const random = seededRandom(5);
    const okSamples = lognormal(random, 50, 2, 0.2);
    const spec = specWith({
      fine: { baseline: baselineOf(lognormal(random, 50, 2, 0.2)), budget: { metric: 'blocking', stat: 'p95', ms: 10 } },
      slow: { budget: { metric: 'blocking', stat: 'p50', ms: 1 } },
      gone: { budget: null },
    });
    const report = checkSpec(spec, [
      session([...okSamples.map((b) => call('fine', { blockingMs: b })), ...okSamples.map((b) => call('slow', { blockingMs: b })), call('extra', { blockingMs: 1 })]),
    ]);
    const byName = Object.fromEntries(report.handlers.map((h) => [h.name, h.status]));
    expect(byName).toEqual({ extra: 'undocumented', fine: 'ok', gone: 'unseen', slow: 'over-budget' });
    // `gone` has no baseline: its docs say it was never seen, and it still is not (accurate).
    expect(report.accuracy).toEqual({ documented: 3, matching: 2, ratio: 2 / 3 });
    expect(report.discrepancies.find((d) => d.subject.name === 'extra')!.kind).toBe('undocumented');
    expect(report.discrepancies.find((d) => d.subject.name === 'gone')!.kind).toBe('unseen');
  });

  it('reports a risen error rate and a fallen transition share with p-values', () => {
    const spec = specWith({
      h: { baseline: { ...baselineOf(Array(100).fill(1)), errorRate: 0.01, transitionShare: 1 } },
    });
    const calls = Array.from({ length: 100 }, (_, i) => call('h', { blockingMs: 1, error: i % 5 === 0, mode: i % 2 === 0 ? 'blocking' : 'transition' }));
    const report = checkSpec(spec, [session(calls)]);
    const err = report.discrepancies.find((d) => d.kind === 'error-rate')!;
    expect(err.severity).toBe('error');
    expect(err.evidence.observed).toBeCloseTo(0.2);
    expect(err.evidence.pValue).toBeLessThan(0.05);
    const tr = report.discrepancies.find((d) => d.kind === 'transition-share')!;
    expect(tr.evidence.observed).toBeCloseTo(0.5);
    expect(report.handlers[0]!.status).toBe('drifting');
    // The same rates as documented raise nothing.
    const same = specWith({ h: { baseline: { ...baselineOf(Array(100).fill(1)), errorRate: 0.2, transitionShare: 0.5 } } });
    expect(checkSpec(same, [session(calls)]).discrepancies).toEqual([]);
  });

  it('reports a changed sequence order and a sequence over its budget', () => {
    const calls: HandlerCall[] = [];
    const sequences: SequenceRecord[] = [];
    for (let s = 0; s < 25; s++) {
      const a = call('a', { blockingMs: 1 }, s);
      const b = call('b', { blockingMs: 1 }, s);
      calls.push(a, b);
      sequences.push({ id: s, name: 'input:a', trigger: null, explicit: false, start: 0, end: 40, calls: [b.id, a.id], handlers: ['b', 'a'], interactionMs: null, resultMs: 40, frames: null });
    }
    const spec = specWith({});
    spec.sequences['input:a'] = { handlers: ['a', 'b'], budget: { stat: 'p95', ms: 16 }, baseline: null };
    const report = checkSpec(spec, [session(calls, sequences)]);
    const seq = report.discrepancies.filter((d) => d.subject.type === 'sequence').map((d) => d.kind).sort();
    expect(seq).toEqual(['over-budget', 'sequence-order']);
    spec.sequences['input:a'] = { handlers: ['b', 'a'], budget: { stat: 'p95', ms: 50 }, baseline: null };
    expect(checkSpec(spec, [session(calls, sequences)]).discrepancies.filter((d) => d.subject.type === 'sequence')).toEqual([]);
    // Documented at 20 ms, now 40 ms every time: drift.
    const summary = { mean: 20, p50: 20, p75: 20, p95: 20, p99: 20 };
    spec.sequences['input:a'] = { handlers: ['b', 'a'], budget: null, baseline: { duration: summary, n: 25, date: '2026-01-01' } };
    const drift = checkSpec(spec, [session(calls, sequences)]).discrepancies.filter((d) => d.subject.type === 'sequence');
    expect(drift.map((d) => [d.kind, d.severity])).toEqual([['drift', 'warning']]);
    expect(drift[0]!.evidence.observed).toBe(40);
  });
});

describe('sample sizes count the calls that have the budgeted metric', () => {
  /** Nullable per-call metrics: where a call stores them. Non-nullable ones (duration, blocking) every call has. */
  const FIELD: Partial<Record<HandlerMetric, keyof HandlerCall>> = { settle: 'settle', commit: 'commitMs', paint: 'paintMs' };

  for (const [metric, field] of Object.entries(FIELD) as Array<[HandlerMetric, keyof HandlerCall]>) {
    it(`${metric}: 3 of 100 calls with it, within budget, is too little to judge (not "ok", not counted as accurate)`, () => {
      const calls = Array.from({ length: 100 }, (_, i) => ({ ...call('fetchCart', { blockingMs: 1 }), [field]: i < 3 ? 2 : null }) as HandlerCall);
      const spec = specWith({ fetchCart: { budget: { metric, stat: 'p95', ms: 5 } } });
      const report = checkSpec(spec, [session(calls)]);
      expect(report.handlers).toEqual([{ name: 'fetchCart', status: 'insufficient-data', n: 3, metric, needed: 17 }]);
      expect(report.accuracy).toEqual({ documented: 0, matching: 0, ratio: null });
      expect(report.discrepancies).toEqual([]);
    });

    it(`${metric}: 3 of 100 calls with it, all far over a p95 budget, already decide it (on those 3 calls)`, () => {
      const calls = Array.from({ length: 100 }, (_, i) => ({ ...call('fetchCart', { blockingMs: 1 }), [field]: i < 3 ? 500 : null }) as HandlerCall);
      const spec = specWith({ fetchCart: { budget: { metric, stat: 'p95', ms: 5 } } });
      const report = checkSpec(spec, [session(calls)]);
      expect(report.handlers).toEqual([{ name: 'fetchCart', status: 'over-budget', n: 100 }]);
      expect(report.discrepancies.map((d) => [d.kind, d.evidence.n])).toEqual([['over-budget', 3]]);
    });

    it(`${metric}: with enough calls that have it, the budget is judged on those calls only`, () => {
      const calls = Array.from({ length: 100 }, (_, i) => ({ ...call('fetchCart', { blockingMs: 1 }), [field]: i < 40 ? 500 + i : null }) as HandlerCall);
      const spec = specWith({ fetchCart: { budget: { metric, stat: 'p95', ms: 5 } } });
      const report = checkSpec(spec, [session(calls)]);
      expect(report.handlers).toEqual([{ name: 'fetchCart', status: 'over-budget', n: 100 }]);
      expect(report.discrepancies[0]!.evidence.n).toBe(40);
    });
  }

  it('whatever metric a budget names, its sample size is the number of calls with a finite value of it', () => {
    for (const metric of HANDLER_METRICS) {
      const calls = Array.from({ length: 60 }, () => call('h', { blockingMs: 2 }));
      const spec = specWith({ h: { budget: { metric, stat: 'p50', ms: 1000 } } });
      const have = samplesOf(calls, metric).length;
      const report = checkSpec(spec, [session(calls)]);
      expect(report.handlers[0]!.status, metric).toBe(have >= spec.defaults.minSamples ? 'ok' : 'insufficient-data');
    }
  });

  it('an error-rate change is still reported when the budget metric is too sparse to judge', () => {
    const calls = Array.from({ length: 200 }, (_, i) => ({ ...call('pay', { blockingMs: 1, error: i % 2 === 0 }), settle: i < 3 ? 1 : null }));
    const base = baselineOf(Array.from({ length: 200 }, () => 1), { errorRate: 0, n: 200 });
    const spec = specWith({ pay: { budget: { metric: 'settle', stat: 'p95', ms: 5 }, baseline: base } });
    const report = checkSpec(spec, [session(calls)]);
    expect(report.discrepancies.map((d) => d.kind)).toEqual(['error-rate']);
    expect(report.handlers[0]!.status).toBe('drifting');
  });
});
