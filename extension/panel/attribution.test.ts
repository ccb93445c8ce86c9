import { describe, expect, it } from 'vitest';
import type { CallLite } from '../../src/bridge/protocol.ts';
import { interactionCost, recentInteractions } from './attribution.ts';

function c(id: number, handler: string, start: number, duration: number, patch: Partial<CallLite> = {}): CallLite {
  return {
    id,
    handler,
    sequence: 1,
    parent: null,
    start,
    duration,
    settle: null,
    blockingMs: duration,
    commits: 0,
    renderMs: null,
    commitMs: null,
    paintMs: null,
    frameBlockingMs: null,
    styleLayoutMs: null,
    interactionMs: 400,
    resultMs: 410,
    longestFrameMs: 392,
    mode: 'none',
    outcome: 'ok',
    error: null,
    ...patch,
  };
}

/**
 * The demo's search keystroke: handleSearchInput (10 ms, filters in place) calls parseQuery and
 * renderReact; both set state, React flushes 380 ms of render + commit after the handler returns,
 * and computeFacets (2 ms) runs inside that render. Every call shares the 400 ms interaction.
 */
function keystroke(): CallLite[] {
  return [
    c(1, 'handleSearchInput', 100, 10, { blockingMs: 390, commits: 1, mode: 'blocking' }),
    c(2, 'parseQuery', 101, 0.1, { parent: 1 }),
    c(3, 'renderReact', 109, 0.5, { parent: 1, blockingMs: 381, commits: 1, mode: 'blocking' }),
    c(4, 'computeFacets', 150, 2),
  ];
}

describe('interactionCost', () => {
  it('ranks the handlers whose updates caused the render first, not the one that ran inside it', () => {
    const cost = interactionCost(keystroke())!;
    expect(cost.calls.map((x) => x.handler).slice(0, 2).sort()).toEqual(['handleSearchInput', 'renderReact']);
    expect(cost.calls.at(-1)!.handler).toBe('parseQuery');
    const facets = cost.calls.find((x) => x.handler === 'computeFacets')!;
    expect(facets.ownMs).toBe(2);
    expect(facets.reactMs).toBe(0);
    // The shared frame is once per interaction, not per handler.
    expect(cost.interactionMs).toBe(400);
    expect(cost.longestFrameMs).toBe(392);
    expect(cost.trigger).toBe('handleSearchInput');
  });

  it('charges a parent its exclusive time, and React time only after the outermost call returned, minus work run inside the render', () => {
    const cost = interactionCost(keystroke())!;
    const search = cost.calls.find((x) => x.handler === 'handleSearchInput')!;
    const render = cost.calls.find((x) => x.handler === 'renderReact')!;
    expect(search.ownMs).toBeCloseTo(10 - 0.1 - 0.5, 9);
    // 390 ms blocking from 100: flush from 110 to 490, minus computeFacets' 2 ms.
    expect(search.reactMs).toBeCloseTo(378, 9);
    expect(render.reactMs).toBeCloseTo(378, 9);
    expect(search.sharedWith).toEqual(['renderReact']);
    expect(render.sharedWith).toEqual(['handleSearchInput']);
    const shares = cost.calls.reduce((s, x) => s + x.share, 0);
    expect(shares).toBeCloseTo(1, 9);
  });

  it('gives no React time to a call without commits, however long its blocking span', () => {
    const cost = interactionCost([c(1, 'a', 0, 5, { blockingMs: 50 })])!;
    expect(cost.calls[0]!.reactMs).toBe(0);
    expect(cost.calls[0]!.causedMs).toBe(5);
  });
});

describe('recentInteractions', () => {
  it('groups by interaction, newest first, at most `limit`', () => {
    const calls = [1, 2, 3, 4].flatMap((seq) => [c(seq * 10, 'a', seq * 100, 1, { sequence: seq }), c(seq * 10 + 1, 'b', seq * 100 + 1, 3, { sequence: seq })]);
    const got = recentInteractions(calls, 3);
    expect(got.map((x) => x.sequence)).toEqual([4, 3, 2]);
    expect(got[0]!.calls.map((x) => x.handler)).toEqual(['b', 'a']);
  });
});
