import { describe, expect, it } from 'vitest';
import { emptySpec } from '../../src/core/spec.ts';
import { standing } from './status.ts';
import { call, sampleSnapshot } from './test-fixtures.ts';

describe('standing', () => {
  it('does not call a handler drifting on a metric only a few of its calls have', () => {
    // 100 calls, 3 of them async with a settle far from the baseline.
    const calls = Array.from({ length: 100 }, (_, i) => call(i, 'pay', 1, { settle: i < 3 ? 400 : null }));
    const h = sampleSnapshot(calls).handlers.find((x) => x.handler === 'pay')!;
    const spec = emptySpec('shop');
    spec.handlers['pay'] = {
      budget: { metric: 'settle', stat: 'p95', ms: 10_000 },
      tolerance: null,
      source: null,
      description: null,
      baseline: { metrics: { settle: { mean: 10, p50: 10, p75: 10, p95: 10, p99: 10 } }, n: 100, date: '2026-01-01', build: null, sessions: [], errorRate: 0, transitionShare: null },
    };
    expect(standing(h, spec).verdict).toBe('within');
    const many = Array.from({ length: 100 }, (_, i) => call(i, 'pay', 1, { settle: 400 + i }));
    const h2 = sampleSnapshot(many).handlers.find((x) => x.handler === 'pay')!;
    expect(standing(h2, spec).verdict).toBe('drifting');
  });
});
