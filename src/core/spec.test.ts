import { describe, expect, it } from 'vitest';
import { emptySpec, formatBudget, parseSpecFile } from './spec.ts';

describe('spec file', () => {
  it('round-trips a spec through JSON', () => {
    const spec = emptySpec('demo');
    spec.handlers['renderReact'] = {
      budget: { metric: 'blocking', stat: 'p95', ms: 5 },
      baseline: {
        metrics: { blocking: { mean: 8.1, p50: 7.9, p75: 9, p95: 12, p99: 14 } },
        n: 42,
        date: '2026-11-25',
        build: 'abc123',
        sessions: ['s1'],
        errorRate: 0,
        transitionShare: 0,
      },
      tolerance: null,
      source: { file: 'src/App.tsx', line: 12 },
      description: null,
    };
    expect(parseSpecFile(JSON.stringify(spec))).toEqual(spec);
    expect(formatBudget(spec.handlers['renderReact']!.budget!)).toBe('p95 blocking ≤ 5 ms');
  });

  it('names the bad field', () => {
    const spec = emptySpec() as unknown as { handlers: Record<string, unknown> };
    spec.handlers['x'] = { budget: { metric: 'speed', stat: 'p95', ms: 5 }, baseline: null, tolerance: null, source: null, description: null };
    expect(() => parseSpecFile(spec, 'homeostat.spec.json')).toThrow(/homeostat\.spec\.json: .*\n\s+handlers\.x\.budget\.metric: /);
  });
});
