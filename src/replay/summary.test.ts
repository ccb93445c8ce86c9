import { describe, expect, it } from 'vitest';
import { makeSessionFile } from '../core/__tests__/fixtures.ts';
import { emptySpec, type SpecFile } from '../core/spec.ts';
import { geometricMean, normalQuantile, renderReport, runsToDetect, seriesStats, summariseRuns, type RunResult } from './index.ts';

function run(index: number, seed: number, patch: Partial<RunResult> = {}): RunResult {
  return {
    index,
    warmup: false,
    label: null,
    url: 'http://127.0.0.1/',
    session: makeSessionFile(30, seed, `s-${seed}`),
    expectations: [{ step: 3, description: 'rows visible', passed: true }],
    passed: true,
    error: null,
    screenshots: [],
    pageErrors: [],
    machine: { loadAvg: 0.5, cpus: 2 },
    wallMs: 1000,
    ...patch,
  };
}

describe('run-to-run statistics', () => {
  it('computes mean, sample sd, CV and median, skipping runs without a sample', () => {
    const s = seriesStats([10, 12, null, 14]);
    expect(s).toMatchObject({ n: 3, mean: 12, sd: 2, median: 12, min: 10, max: 14 });
    expect(s.cv).toBeCloseTo(1 / 6, 10);
    expect(seriesStats([5])).toMatchObject({ n: 1, sd: null, cv: null });
    expect(seriesStats([])).toMatchObject({ n: 0, mean: null });
  });

  it('sizes a two-sample comparison for a 20% change', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
    // n = 2 (1.96 + 0.84)² cv² / 0.2² = 392.4 cv²
    expect(runsToDetect(0.1)).toBe(4);
    expect(runsToDetect(0.2)).toBe(16);
    expect(runsToDetect(0.05)).toBe(2);
    expect(runsToDetect(0.1, 0.1)).toBe(16);
    expect(geometricMean([1, 100], 0.005)).toBeCloseTo(10, 10);
    expect(geometricMean([0, 0.02], 0.005)).toBeCloseTo(0.01, 10);
    expect(geometricMean([], 0.005)).toBeNull();
  });
});

describe('summariseRuns', () => {
  const spec: SpecFile = {
    ...emptySpec('test'),
    handlers: {
      search: { budget: { metric: 'blocking', stat: 'p50', ms: 100 }, baseline: null, tolerance: null, source: null, description: null },
      renderReact: { budget: { metric: 'duration', stat: 'p95', ms: 0.01 }, baseline: null, tolerance: null, source: null, description: null },
      neverCalled: { budget: { metric: 'duration', stat: 'p50', ms: 1 }, baseline: null, tolerance: null, source: null, description: null },
    },
    sequences: { 'input:search': { handlers: ['search', 'renderReact'], budget: { stat: 'p95', ms: 50 }, baseline: null } },
  };

  it('gives per-run p50s, their CV, and budgets against pooled figures, without the warm-up', () => {
    const runs = [run(0, 99, { warmup: true }), run(1, 1), run(2, 2), run(3, 3)];
    const s = summariseRuns(runs, spec, { title: 'flow' });
    expect(s).toMatchObject({ title: 'flow', runs: 3, passedRuns: 3, budgetFailures: 1, passed: false });
    const search = s.handlers.find((h) => h.handler === 'search')!;
    expect(search.calls).toEqual([30, 30, 30]);
    expect(search.blockingP50.n).toBe(3);
    expect(search.blockingP50.cv).toBeGreaterThan(0);
    expect(search.blockingP50.cv).toBeLessThan(0.2);
    expect(search.status).toBe('pass');
    expect(search.observed).toBeGreaterThan(8);
    expect(search.runsFor20).toBeGreaterThanOrEqual(2);
    expect(search.blockingGeoMean.n).toBe(3);
    expect(search.blockingGeoMean.mean).toBeGreaterThan(8);
    expect(search.blockingGeoMean.mean).toBeLessThan(18);
    expect(search.runsFor20GeoMean).toBeGreaterThanOrEqual(2);
    expect(s.handlers.find((h) => h.handler === 'renderReact')).toMatchObject({ status: 'fail', budgetText: 'p95 duration ≤ 0.01 ms' });
    expect(s.handlers.find((h) => h.handler === 'neverCalled')).toMatchObject({ status: 'no-data', observed: null });
    expect(s.sequences).toEqual([expect.objectContaining({ name: 'input:search', counts: [30, 30, 30], status: 'pass', order: ['search', 'renderReact'] })]);
    expect(s.clock).toEqual({ resolutionMs: 0.005, crossOriginIsolated: true });
  });

  it('fails on failed expectations and run errors, and lists them', () => {
    const failed = run(2, 2, {
      passed: false,
      expectations: [{ step: 4, description: 'cart has 3', passed: false, message: 'found "Cart: 0"', screenshot: '/out/screenshots/run-2-step-4.png' }],
      screenshots: ['/out/screenshots/run-2-step-4.png'],
    });
    const errored = run(3, 3, { passed: false, error: 'steps[2] (click): no element matches role=button', session: null });
    const s = summariseRuns([run(1, 1), failed, errored], null);
    expect(s).toMatchObject({ runs: 3, passedRuns: 1, passed: false, budgetFailures: 0 });
    expect(s.failures).toEqual([{ run: 2, label: null, step: 4, description: 'cart has 3', message: 'found "Cart: 0"', screenshot: '/out/screenshots/run-2-step-4.png' }]);
    expect(s.errors).toEqual([{ run: 3, label: null, error: 'steps[2] (click): no element matches role=button', screenshots: [] }]);
    expect(s.handlers.find((h) => h.handler === 'search')!.blockingP50.values).toEqual([expect.any(Number), expect.any(Number), null]);
    expect(s.handlers.every((h) => h.status === 'no-budget')).toBe(true);

    const md = renderReport(s, 'md', { baseDir: '/out' });
    expect(md).toMatch(/^# Replay report/);
    expect(md).toContain('**FAIL**: 1/3 runs passed, 1 failed expectations, 1 run errors');
    expect(md).toContain('steps[4]: cart has 3 — found "Cart: 0" ([screenshot](screenshots/run-2-step-4.png))');
    expect(md).toMatch(/\| search \| 0–30 \|/);
    const html = renderReport(s, 'html', { baseDir: '/out' });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg');
    expect(html).toContain('<img src="screenshots/run-2-step-4.png"');
    expect(html).toContain('no element matches role=button');
    // Self-contained: no external requests.
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('passes when every run passed and budgets hold', () => {
    const s = summariseRuns([run(1, 1), run(2, 2)], null);
    expect(s.passed).toBe(true);
    expect(renderReport(s, 'md')).toContain('**PASS**: 2/2 runs passed');
    expect(renderReport(s, 'md')).not.toContain('load average');
    const busy = summariseRuns([run(1, 1, { machine: { loadAvg: 6.5, cpus: 2 } })], null);
    expect(busy.machine).toEqual({ maxLoadAvg: 6.5, cpus: 2 });
    expect(renderReport(busy, 'md')).toContain("the machine's load average reached 6.5 on 2 CPUs");
  });
});
