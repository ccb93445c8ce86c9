import { describe, expect, it } from 'vitest';
import { demoSession } from './__tests__/demo-shape.ts';
import type { FrameRecord, HandlerCall } from './model.ts';
import { describeRunMetric, runMetricFloor, runMetricValue } from './run-metrics.ts';
import type { SessionFile } from './session.ts';

const frame = (start: number, durationMs: number): FrameRecord => ({
  start, durationMs, blockingMs: durationMs - 50, renderStart: start + durationMs - 10, styleLayoutMs: 5, forcedStyleLayoutMs: 0, invoker: null, sourceFunction: null,
});

/** A demo-shaped session whose page load (before the first input) ran computeFacets and froze a frame. */
function withPageLoad(): SessionFile {
  const s = demoSession({ renderMs: 100, mode: 'blocking', n: 5 });
  const load: HandlerCall = { ...s.calls.find((c) => c.handler === 'computeFacets')!, id: 999, start: 10, duration: 40, resultMs: 1500 };
  return { ...s, calls: [load, ...s.calls], frames: [frame(-1500, 1400), frame(150, 120), frame(2650, 90)] };
}

describe('runMetricValue', () => {
  it('reads the flow from its first interaction on: page load is the same for both builds', () => {
    const s = withPageLoad();
    expect(runMetricValue([s], { kind: 'flow', metric: 'longestFrame' })).toBe(120);
    expect(runMetricValue([s], { kind: 'flow', metric: 'frameBlocking' })).toBe(70 + 40);
    // The page-load call of computeFacets is not counted either.
    const total = s.calls.filter((c) => c.handler === 'computeFacets' && c.id !== 999).reduce((a, c) => a + c.duration, 0);
    expect(runMetricValue([s], { kind: 'handler', handler: 'computeFacets', metric: 'duration', stat: 'sum' })).toBeCloseTo(total, 9);
  });

  it('a handler that no longer runs did no work (sum 0) and has no sample of a per-call statistic', () => {
    const s = withPageLoad();
    const memoised = { ...s, calls: s.calls.filter((c) => c.handler !== 'computeFacets' || c.id === 999) };
    expect(runMetricValue([memoised], { kind: 'handler', handler: 'computeFacets', metric: 'duration', stat: 'sum' })).toBe(0);
    expect(runMetricValue([memoised], { kind: 'handler', handler: 'computeFacets', metric: 'result', stat: 'p95' })).toBeNull();
  });

  it('the p95 interaction of the flow, errors, and frames unknown where the page could not see them', () => {
    const s = withPageLoad();
    const p95 = runMetricValue([s], { kind: 'flow', metric: 'interaction' })!;
    const max = Math.max(...s.sequences.map((q) => q.interactionMs!));
    expect(p95).toBeGreaterThan(0.9 * max);
    expect(p95).toBeLessThanOrEqual(max);
    expect(runMetricValue([s], { kind: 'flow', metric: 'errors' })).toBe(s.calls.filter((c) => c.error !== null).length);
    const blind = { ...s, frames: [], calls: s.calls.map((c) => ({ ...c, frames: null })) };
    expect(runMetricValue([blind], { kind: 'flow', metric: 'longestFrame' })).toBeNull();
  });

  it('names and floors', () => {
    expect(describeRunMetric({ kind: 'handler', handler: 'renderReact', metric: 'result', stat: 'p95' })).toBe('renderReact p95 time to result');
    expect(describeRunMetric({ kind: 'handler', handler: 'computeFacets', metric: 'duration', stat: 'sum' })).toBe('computeFacets total duration per run');
    expect(runMetricFloor({ kind: 'flow', metric: 'longestFrame' })).toBe(50);
    expect(runMetricFloor({ kind: 'flow', metric: 'errors' })).toBe(0.5);
  });
});
