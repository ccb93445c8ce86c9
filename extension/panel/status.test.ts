import { describe, expect, it } from 'vitest';
import { checkObserved, observeCalls } from '../../src/core/check/index.ts';
import { emptySpec } from '../../src/core/spec.ts';
import { judge, standing, VERDICT_LABEL } from './status.ts';
import { call, lite, sampleSnapshot } from './test-fixtures.ts';

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

describe('judge: the badges use check\'s rule', () => {
  const spec = () => {
    const s = emptySpec('shop');
    s.handlers['search'] = { budget: { metric: 'interaction', stat: 'p95', ms: 100 }, baseline: null, tolerance: null, source: null, description: null };
    return s;
  };
  const agg = (calls: ReturnType<typeof call>[]) => sampleSnapshot(calls).handlers.find((x) => x.handler === 'search')!;

  it('three calls within a p95 budget are "too few calls to judge", as check says, not "within docs"', () => {
    const calls = [0, 1, 2].map((i) => call(i, 'search', 1, { interactionMs: 40 }));
    const judged = judge(spec(), calls.map(lite))!;
    expect(judged.get('search')).toBe('insufficient-data');
    // The same calls through check itself.
    expect(checkObserved(spec(), observeCalls(calls)).handlers.find((h) => h.name === 'search')!.status).toBe('insufficient-data');
    const s = standing(agg(calls), spec(), judged.get('search'));
    expect(s.verdict).toBe('too-few');
    expect(VERDICT_LABEL[s.verdict]).toBe('too few calls to judge');
    // Without check's verdict the point estimate alone would have said "within".
    expect(standing(agg(calls), spec()).verdict).toBe('within');
  });

  it('three calls far over a p95 budget are already "over budget" (the order-statistic bound), as in check', () => {
    const calls = [0, 1, 2].map((i) => call(i, 'search', 1, { interactionMs: 400 }));
    const judged = judge(spec(), calls.map(lite))!;
    expect(judged.get('search')).toBe('over-budget');
    expect(standing(agg(calls), spec(), judged.get('search')).verdict).toBe('over');
  });

  it('one call over a p95 budget is not enough: too few to judge, although its point estimate is over', () => {
    const calls = [call(0, 'search', 1, { interactionMs: 400 })];
    const judged = judge(spec(), calls.map(lite))!;
    expect(standing(agg(calls), spec(), judged.get('search')).verdict).toBe('too-few');
    expect(standing(agg(calls), spec()).verdict).toBe('over');
  });
});
