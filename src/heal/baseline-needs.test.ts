import { describe, expect, it } from 'vitest';
import { makeSessionFile } from '../core/__tests__/fixtures.ts';
import type { SessionFile } from '../core/session.ts';
import { emptySpec } from '../core/spec.ts';
import { baselineNeeds } from './baseline-needs.ts';

/** A session whose only calls are `n` calls of `handler` with this interaction latency each. */
function onlyCalls(handler: string, interactions: number[]): SessionFile {
  const base = makeSessionFile(1, 1);
  const template = base.calls[0]!;
  return { ...base, sequences: [], calls: interactions.map((ms, i) => ({ ...template, id: i + 1, handler, interactionMs: ms })) };
}

describe('baselineNeeds', () => {
  it('asks for more calls of a handler the rules cannot read yet, and none once it has them', () => {
    expect(baselineNeeds(null, [onlyCalls('runLots', [2500])]).short).toEqual([{ handler: 'runLots', calls: 1, need: '2 more calls for the rules' }]);
    expect(baselineNeeds(null, [onlyCalls('runLots', [2500, 2600, 2700])]).short).toEqual([]);
    // A handler nobody felt (a 30 ms interaction) is no finding, however few its calls.
    expect(baselineNeeds(null, [onlyCalls('toggle', [30])]).short).toEqual([]);
  });

  it('asks for calls until the documented budget is decided, and stops as soon as a few overwhelming calls decide it', () => {
    const spec = emptySpec('t');
    spec.handlers['runLots'] = { budget: { metric: 'interaction', stat: 'p95', ms: 100 }, baseline: null, tolerance: null, source: null, description: null };
    // One call far over a p95 budget is not yet evidence; two are (0.05² < 2.5%).
    expect(baselineNeeds(spec, [onlyCalls('runLots', [2500])]).short).toEqual([{ handler: 'runLots', calls: 1, need: '1 more calls to decide its budget' }]);
    expect(baselineNeeds(spec, [onlyCalls('runLots', [2500, 2600])], 2).short).toEqual([]);
    // One call over it among calls within it: more calls are needed to tell.
    expect(baselineNeeds(spec, [onlyCalls('runLots', [20, 30, 250, 25])]).short).toEqual([expect.objectContaining({ handler: 'runLots', calls: 4 })]);
    // Every call within the budget: nothing for heal to decide (an "ok" would need minSamples calls).
    expect(baselineNeeds(spec, [onlyCalls('runLots', [20, 30, 25])]).short).toEqual([]);
  });
});
