import { describe, expect, it } from 'vitest';
import { Aggregator, aggregateSession } from '../core/aggregate.ts';
import { makeCall, makeMeta } from '../core/__tests__/fixtures.ts';
import { SESSION_FORMAT, SESSION_VERSION, type SessionFile } from '../core/session.ts';
import { emptySpec } from '../core/spec.ts';
import { checkSpec } from '../core/check/index.ts';
import type { RenderContext } from './context.ts';
import { Regions } from './regions.ts';
import { renderPerformance } from './render-performance.ts';
import { variantChart } from './render-sequences.ts';

describe('SEQUENCE_FLOWS.md chart', () => {
  it('draws every variant from the trigger with its runs, render work as render work, and error-only steps in red', () => {
    const chart = variantChart(
      [
        { handlers: ['input', 'parse', 'render', 'facets'], count: 15 },
        { handlers: ['input', 'parse', 'facets'], count: 1 },
      ],
      (h) => h === 'facets',
      new Map([['input\u0000parse\u0000facets', 1]]),
      16,
    );
    expect(chart).toContain('start(("16 runs"))');
    expect(chart).toContain('start -->|16| n0');
    expect(chart).toContain('n1 -->|15| n2');
    expect(chart).toContain('n3[/"render: facets"/]');
    expect(chart).toContain('n1 -->|1| n4');
    expect(chart).toContain('class n4 error');
  });
});

describe('PERFORMANCE.md', () => {
  it("ranks by each handler's own cost, and shows an interaction's shared frame once", () => {
    const frames = { count: 1, blockingMs: 200, totalMs: 300, longestMs: 300, styleLayoutMs: 20, forcedStyleLayoutMs: 0 };
    const calls = Array.from({ length: 10 }, (_, i) => [
      makeCall({ id: i * 3 + 1, handler: 'handleInput', sequence: i + 1, start: i * 1000, blockingMs: 80, frames }),
      makeCall({ id: i * 3 + 2, handler: 'parse', sequence: i + 1, parent: i * 3 + 1, start: i * 1000 + 1, blockingMs: 0.05, frames }),
      makeCall({ id: i * 3 + 3, handler: 'renderList', sequence: i + 1, parent: i * 3 + 1, start: i * 1000 + 2, blockingMs: 78, frames }),
    ]).flat();
    const sequences = Array.from({ length: 10 }, (_, i) => ({
      id: i + 1, name: 'input:handleInput', trigger: { type: 'input', timeStamp: i * 1000 }, explicit: false, start: i * 1000, end: i * 1000 + 300,
      calls: [i * 3 + 1, i * 3 + 2, i * 3 + 3], handlers: ['handleInput', 'parse', 'renderList'], interactionMs: 300, resultMs: 300, frames,
    }));
    const session: SessionFile = { format: SESSION_FORMAT, version: SESSION_VERSION, session: makeMeta('p'), calls, sequences, commits: [], vitals: [], frames: [], events: [], truncated: { calls: 0, sequences: 0, commits: 0 } };
    const agg = new Aggregator();
    aggregateSession(session, agg);
    const spec = emptySpec('t');
    const ctx: RenderContext = { spec, snapshot: agg.snapshot(), sources: new Map(), report: checkSpec(spec, [session]), sessions: [session], docsDir: '/d', root: '/r' };
    const md = renderPerformance(ctx, new Regions(new Map()));
    const ranked = md.split('\n').filter((l) => /^\| \d+ \|/.test(l)).map((l) => /`([^`]+)`/.exec(l)![1]);
    expect(ranked).toEqual(['handleInput', 'renderList', 'parse']);
    const interaction = md.split('\n').find((l) => l.startsWith('| `input:handleInput`'))!;
    // 10 interactions × 200 ms of frame blocking, once each (not 3× for the three handlers).
    expect(interaction).toContain('| 10 | 2000 | 100% |');
  });
});
