import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Aggregator, aggregateSession } from './aggregate.ts';
import { Distribution, RELATIVE_ACCURACY } from './distribution.ts';
import type { HandlerCall, SequenceRecord, TransitionMode } from './model.ts';
import { makeSessionFile } from './__tests__/fixtures.ts';

function exactQuantile(sorted: number[], q: number): number {
  // DDSketch's rank convention: the value at rank q * (n - 1), rounded down.
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

function call(partial: Partial<HandlerCall> & { id: number; handler: string }): HandlerCall {
  return {
    sequence: 1,
    parent: null,
    start: 0,
    duration: 1,
    settle: null,
    outcome: 'ok',
    error: null,
    mode: 'none',
    updates: { blocking: 0, transition: 0 },
    commits: 0,
    renderMs: null,
    commitMs: null,
    blockingMs: 1,
    paintMs: null,
    loaf: null,
    interactionMs: null,
    resultMs: null,
    frames: null,
    ...partial,
  };
}

describe('Distribution', () => {
  it('reports quantiles within the sketch accuracy of the exact ones', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.005, max: 5000, noNaN: true }), { minLength: 1, maxLength: 400 }), (values) => {
        const d = new Distribution();
        values.forEach((v) => d.add(v));
        const sorted = values.slice().sort((a, b) => a - b);
        for (const q of [0.5, 0.75, 0.95, 0.99]) {
          const exact = exactQuantile(sorted, q);
          expect(Math.abs(d.quantile(q) - exact)).toBeLessThanOrEqual(exact * RELATIVE_ACCURACY * 1.001 + 1e-9);
        }
        const s = d.summary();
        expect(s.count).toBe(values.length);
        expect(s.min).toBe(sorted[0]);
        expect(s.max).toBe(sorted[sorted.length - 1]);
        expect(s.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 6);
      }),
    );
  });

  it('survives a state round trip and merges like the union of its inputs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true })),
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true })),
        (xs, ys) => {
          const a = new Distribution();
          const b = new Distribution();
          const both = new Distribution();
          xs.forEach((v) => (a.add(v), both.add(v)));
          ys.forEach((v) => (b.add(v), both.add(v)));
          const restored = Distribution.fromState(JSON.parse(JSON.stringify(a.state())));
          restored.merge(Distribution.fromState(b.state()));
          const want = both.summary();
          const got = restored.summary();
          expect(got.count).toBe(want.count);
          for (const k of ['p50', 'p75', 'p95', 'p99'] as const) {
            if (Number.isNaN(want[k])) expect(got[k]).toBeNaN();
            else expect(got[k]).toBeCloseTo(want[k], 9);
          }
        },
      ),
    );
  });

  it('ignores values that are not durations', () => {
    const d = new Distribution();
    [NaN, -1, Infinity].forEach((v) => d.add(v));
    expect(d.count).toBe(0);
    expect(d.summary().p50).toBeNaN();
  });

  it('buckets every value into the histogram', () => {
    const d = new Distribution();
    for (let i = 0; i < 1000; i++) d.add(i % 50 === 0 ? 0 : (i % 97) + 0.5);
    const h = d.histogram(12);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(h.edges).toHaveLength(13);
    expect(h.edges[12]).toBeCloseTo(96.5);
  });
});

describe('Aggregator', () => {
  it('counts calls, errors, modes and transition share per handler', () => {
    const a = new Aggregator();
    const modes: TransitionMode[] = ['transition', 'transition', 'blocking', 'none', 'mixed'];
    modes.forEach((mode, i) => a.addCall(call({ id: i, handler: 'h', mode, duration: i + 1, blockingMs: 10 * (i + 1) }), 1000));
    a.addCall(call({ id: 9, handler: 'h', error: { name: 'TypeError', message: 'x is <n>' }, outcome: 'threw' }), 1000);
    a.addCall(call({ id: 10, handler: 'h', error: { name: 'TypeError', message: 'x is <n>' }, outcome: 'threw', start: 5 }), 1000);
    const h = a.snapshot().handlers[0]!;
    expect(h.count).toBe(7);
    expect(h.errors).toBe(2);
    expect(h.errorRate).toBeCloseTo(2 / 7);
    expect(h.modes).toEqual({ unknown: 0, none: 3, blocking: 1, transition: 2, mixed: 1 });
    expect(h.transitionShare).toBeCloseTo(3 / 4);
    expect(h.blockingTotalMs).toBeCloseTo(10 + 20 + 30 + 40 + 50 + 1 + 1);
    expect(h.errorPatterns).toEqual([{ name: 'TypeError', message: 'x is <n>', count: 2, firstSeen: 1000, lastSeen: 1005 }]);
  });

  it('aggregates sequences by name with their variants and per-step timing', () => {
    const a = new Aggregator();
    const seq = (id: number, handlers: string[], start: number): [SequenceRecord, HandlerCall[]] => {
      const calls = handlers.map((h, i) => call({ id: id * 10 + i, handler: h, start: start + 2 * i + 1, duration: 1 }));
      return [{ id, name: 'input:search', trigger: { type: 'input', timeStamp: start }, explicit: false, start, end: start + 20, calls: calls.map((c) => c.id), handlers, interactionMs: null, resultMs: 20, frames: null }, calls];
    };
    for (let i = 0; i < 3; i++) a.addSequence(...seq(i, ['search', 'render'], i * 100), 0);
    a.addSequence(...seq(7, ['search'], 900), 0);
    const s = a.snapshot().sequences[0]!;
    expect(s.count).toBe(4);
    expect(s.triggers).toEqual({ input: 4 });
    expect(s.variants.map((v) => [v.handlers, v.count])).toEqual([
      [['search', 'render'], 3],
      [['search'], 1],
    ]);
    expect(s.variants[0]!.steps[1]!.offset.p50).toBeCloseTo(3, 1);
    expect(s.duration.p50).toBeCloseTo(20, 0);
  });

  it('rebuilds the same aggregates from an exported session as from the live stream', () => {
    const file = makeSessionFile(200, 7);
    const live = new Aggregator();
    for (const c of file.calls) live.addCall(c, file.session.timeOrigin);
    const rebuilt = aggregateSession(file).snapshot();
    expect(rebuilt.handlers.map((h) => [h.handler, h.count, h.duration.p95])).toEqual(
      live.snapshot().handlers.map((h) => [h.handler, h.count, h.duration.p95]),
    );
    expect(rebuilt.sequences.reduce((n, s) => n + s.count, 0)).toBe(file.sequences.length);
  });

  it('merges state across sessions', () => {
    const a = aggregateSession(makeSessionFile(100, 1));
    const b = aggregateSession(makeSessionFile(50, 2));
    const merged = Aggregator.fromState(structuredClone(a.state()));
    merged.merge(b);
    const total = (x: Aggregator) => x.snapshot().totals.calls;
    expect(total(merged)).toBe(total(a) + total(b));
  });
});
