import { describe, expect, it } from 'vitest';
import { mergeCalls } from './store.ts';
import { call, lite } from './test-fixtures.ts';

const ids = (n: number[]) => n.map((i) => lite(call(i, 'h', 1)));

describe('mergeCalls', () => {
  it('keeps calls that arrive out of id order (interactions close later than they start), and never doubles one', () => {
    // Call 5 finished first; 3 and 4 belonged to an interaction that closed later.
    const kept = ids([1, 2, 5]);
    expect(mergeCalls(kept, ids([3, 4])).map((c) => c.id)).toEqual([1, 2, 5, 3, 4]);
    // A backfill repeats what the panel has, plus one new call, starting with a higher id.
    expect(mergeCalls(ids([1, 2, 5, 3, 4]), ids([6, 1, 2, 3, 4, 5])).map((c) => c.id)).toEqual([1, 2, 5, 3, 4, 6]);
    expect(mergeCalls(kept, ids([1, 2]))).toBe(kept);
    // Coalesced ticks: a backfill repeats calls within one batch.
    expect(mergeCalls([], ids([1, 2, 3, 1, 2, 3, 4])).map((c) => c.id)).toEqual([1, 2, 3, 4]);
  });
});
