import { describe, expect, it } from 'vitest';
import { quantile, mean } from 'simple-statistics';
import { makeCall, makeMeta } from '../__tests__/fixtures.ts';
import { compareContexts, contextOf, type MachineContext } from '../machine.ts';
import { SESSION_FORMAT, SESSION_VERSION, type SessionFile } from '../session.ts';
import { emptySpec, type Baseline, type SpecFile } from '../spec.ts';
import { checkSpec, seededRandom } from './index.ts';

function lognormal(seed: number, n: number, median: number, sigma = 0.25): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => median * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())));
}

function sessionOf(samples: number[], machine?: MachineContext, id = 's'): SessionFile {
  return {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    session: makeMeta(id),
    calls: samples.map((b, i) => makeCall({ id: i + 1, handler: 'h', start: i * 100, blockingMs: b, interactionMs: null, resultMs: null })),
    sequences: [],
    commits: [],
    vitals: [],
    frames: [],
    events: [],
    truncated: { calls: 0, sequences: 0, commits: 0 },
    ...(machine ? { machine } : {}),
  };
}

function specFrom(base: SessionFile, patch: Partial<Baseline> = {}): SpecFile {
  const xs = base.calls.map((c) => c.blockingMs);
  const s = { mean: mean(xs), p50: quantile(xs, 0.5), p75: quantile(xs, 0.75), p95: quantile(xs, 0.95), p99: quantile(xs, 0.99) };
  const spec = emptySpec('t');
  const context = contextOf([base]);
  spec.handlers['h'] = {
    budget: null,
    baseline: { metrics: { blocking: s }, n: xs.length, date: '2026-01-01', build: null, sessions: ['base'], errorRate: 0, transitionShare: 0, ...(context ? { context } : {}), ...patch },
    tolerance: null,
    source: null,
    description: null,
  };
  return spec;
}

const quiet: MachineContext = { calibrationMs: 10, loadAvg: 0.2, cpus: 2 };
const busy: MachineContext = { calibrationMs: 20, loadAvg: 4, cpus: 2 };

describe('check compares like with like', () => {
  it('records clock step, median calibration and worst load as a baseline context', () => {
    const a = { session: { clockResolutionMs: 0.005 }, machine: { calibrationMs: 10, loadAvg: 0.5, cpus: 2 } };
    const b = { session: { clockResolutionMs: 0.1 }, machine: { calibrationMs: 14, loadAvg: 1.5, cpus: 2 } };
    const c = { session: { clockResolutionMs: 0.005 }, machine: { calibrationMs: 12, loadAvg: 0.1, cpus: 2 } };
    expect(contextOf([a, b, c])).toEqual({ clockMs: 0.1, calibrationMs: 12, loadAvg: 1.5, cpus: 2 });
    expect(contextOf([{ session: { clockResolutionMs: 0.1 } }])).toEqual({ clockMs: 0.1, calibrationMs: null, loadAvg: null, cpus: null });
  });

  it('tells the same speed, a ratio to normalise by, and an unfair comparison apart', () => {
    const ctx = (calibrationMs: number | null, loadAvg: number | null) => ({ clockMs: 0.005, calibrationMs, loadAvg, cpus: 2 });
    expect(compareContexts(ctx(10, 0.2), ctx(11, 3)).kind).toBe('same');
    expect(compareContexts(ctx(10, 0.2), ctx(21, 3))).toMatchObject({ kind: 'normalised', factor: 2.1 });
    expect(compareContexts(ctx(null, 0.2), ctx(null, 3)).kind).toBe('unfair');
    expect(compareContexts(ctx(null, 0.2), ctx(null, 0.4)).kind).toBe('same');
    expect(compareContexts(undefined, ctx(10, 0)).kind).toBe('unknown');
  });

  const base = sessionOf(lognormal(1, 100, 10), quiet, 'base');

  it('a machine twice as slow, with calibration: no drift, the docs stay accurate', () => {
    const spec = specFrom(base);
    const report = checkSpec(spec, [sessionOf(lognormal(2, 100, 20), busy)]);
    expect(report.discrepancies).toEqual([]);
    expect(report.accuracy.ratio).toBe(1);
    expect(report.handlers[0]!.comparison).toMatchObject({ kind: 'normalised', factor: 2 });
  });

  it('a seeded 2× regression on that busy machine still reads as drift', () => {
    const report = checkSpec(specFrom(base), [sessionOf(lognormal(3, 100, 40), busy)]);
    const drift = report.discrepancies.find((d) => d.kind === 'drift')!;
    expect(drift.severity).toBe('warning');
    expect(drift.message).toMatch(/scaled by the machine's speed ×2\.00/);
    expect(report.accuracy.ratio).toBe(0);
  });

  it('without calibration on the check side and a busy machine: not compared, not counted, and said', () => {
    const report = checkSpec(specFrom(base), [sessionOf(lognormal(4, 100, 20), undefined)]);
    // The telemetry has a clock step but no calibration or load: compared as recorded (old behaviour).
    expect(report.discrepancies.map((d) => d.kind)).toEqual(['drift']);
    const noCal = sessionOf(lognormal(4, 100, 20), { calibrationMs: 10, loadAvg: 4, cpus: 2 });
    const baseNoCal = specFrom(base);
    baseNoCal.handlers['h']!.baseline!.context = { clockMs: 0.005, calibrationMs: null, loadAvg: 0.2, cpus: 2 };
    const unfair = checkSpec(baseNoCal, [noCal]);
    expect(unfair.discrepancies).toEqual([]);
    expect(unfair.handlers[0]).toMatchObject({ status: 'insufficient-data', comparison: { kind: 'unfair' } });
    expect(unfair.handlers[0]!.reason).toMatch(/^not comparable: load average 4\.00 on 2 CPUs/);
    expect(unfair.accuracy).toEqual({ documented: 0, matching: 0, ratio: null, notComparable: 1 });
  });

  it('a baseline under minSamples is provisional: no drift verdict against it, and the reason says so', () => {
    const few = sessionOf(lognormal(5, 5, 10), quiet, 'few');
    const report = checkSpec(specFrom(few), [sessionOf(lognormal(6, 100, 40), quiet)]);
    expect(report.discrepancies).toEqual([]);
    expect(report.handlers[0]).toMatchObject({ status: 'insufficient-data', n: 100 });
    expect(report.handlers[0]!.reason).toMatch(/baseline has 5 calls, fewer than the 20/);
  });

  it('an unseen handler counts against the docs only when they recorded it running', () => {
    const spec = specFrom(base);
    spec.handlers['never'] = { budget: null, baseline: null, tolerance: null, source: null, description: null };
    spec.handlers['gone'] = { ...spec.handlers['h']! };
    const report = checkSpec(spec, [sessionOf(lognormal(7, 100, 10), quiet)]);
    expect(report.accuracy).toEqual({ documented: 3, matching: 2, ratio: 2 / 3 });
  });
});
