import { describe, expect, it } from 'vitest';
import type { CommitLiteMsg } from '../../src/bridge/protocol.ts';
import { groupCommits, rankedComponents } from './commits.ts';
import { mergeCommits, MAX_COMMITS } from './store.ts';
import { call, lite } from './test-fixtures.ts';

const commit = (id: number, at: number, components: Array<[string, number | null, boolean?]> = [['App', 1]]): CommitLiteMsg => ({
  id,
  at,
  lane: 'blocking',
  renderMs: components.some((c) => c[1] !== null) ? components.reduce((s, c) => s + (c[1] ?? 0), 0) : null,
  rendered: components.length,
  components: components.map(([name, selfMs, propsEqual]) => ({ name, count: 1, selfMs, mounts: 0, propsEqual: propsEqual ? 1 : 0 })),
});

describe('groupCommits', () => {
  // Two interactions: #1 (search at 100 ms, its result at +40), #2 (addToCart at 500 ms, nested onAdd).
  const calls = [
    lite(call(1, 'search', 5, { sequence: 1, start: 100, resultMs: 40 })),
    lite(call(2, 'computeFacets', 2, { sequence: 1, start: 103, parent: 1 })),
    lite(call(3, 'onAdd', 1, { sequence: 2, start: 501, parent: 4 })),
    lite(call(4, 'addToCart', 3, { sequence: 2, start: 500 })),
  ];
  it('puts each commit in the interaction whose calls it followed, the rest outside, newest group first', () => {
    const groups = groupCommits([commit(0, 10), commit(1, 106), commit(2, 139), commit(3, 230), commit(4, 504), commit(5, 2000)], calls);
    const shape = groups.map((g) => [g.sequence, g.trigger, g.commits.map((c) => c.id)]);
    // 230 ms is past search's window (100 + 40) and its 100 ms slack ends at 240: still search's.
    expect(shape).toEqual([
      [null, null, [0, 5]],
      [2, 'addToCart', [4]],
      [1, 'search', [1, 2, 3]],
    ]);
  });
  it('finds the innermost interaction among thousands, and gives a commit past every span to none', () => {
    // 3,000 interactions of one 2 ms call each, every 200 ms; one long interaction spanning the first 10 s.
    const many = Array.from({ length: 3000 }, (_, i) => lite(call(i, `h${i}`, 2, { sequence: i, start: i * 200 })));
    many.push(lite(call(9999, 'long', 10_000, { sequence: 9999, start: 50 })));
    const groups = groupCommits([commit(0, 201), commit(1, 5_150), commit(2, 400_050), commit(3, 700_000)], many);
    const owner = (id: number) => groups.find((g) => g.commits.some((c) => c.id === id))!.trigger;
    expect(owner(0)).toBe('h1'); // inside h1's span (+ slack), which started after the long one
    expect(owner(1)).toBe('long'); // 150 ms after h25: past its slack, inside the long one
    expect(owner(2)).toBe('h2000');
    expect(owner(3)).toBeNull();
  });
  it('keeps a transition\'s interaction open for its late commits, until the next interaction starts', () => {
    const ts = [
      lite(call(1, 'applyFilters', 1, { sequence: 1, start: 100, mode: 'transition' })),
      lite(call(2, 'addToCart', 1, { sequence: 2, start: 2000 })),
      lite(call(3, 'search', 1, { sequence: 3, start: 9000, mode: 'transition' })),
    ];
    const groups = groupCommits([commit(0, 700), commit(1, 1990), commit(2, 2500), commit(3, 13_000), commit(4, 15_000)], ts);
    const owner = (id: number) => groups.find((g) => g.commits.some((c) => c.id === id))!.trigger;
    expect([0, 1, 2, 3, 4].map(owner)).toEqual(['applyFilters', 'applyFilters', null, 'search', null]);
  });
  it('sums render time where the build reports it and counts renders with equal props', () => {
    const [g] = groupCommits([commit(0, 101, [['App', 2], ['Row', 0.5, true], ['Cell', 0.5, true]]), commit(1, 102, [['App', 1]])], calls);
    expect(g!.renderMs).toBe(4);
    expect(g!.propsEqual).toBe(2);
    expect(groupCommits([commit(0, 101, [['App', null]])], calls)[0]!.renderMs).toBeNull();
  });
  it('ranks components by own render time, tree order among equals', () => {
    const c = commit(0, 0, [['App', 0.1], ['List', 5], ['Row', 0.1], ['Header', null]]);
    expect(rankedComponents(c).map((x) => x.name)).toEqual(['List', 'App', 'Row', 'Header']);
  });
});

describe('mergeCommits', () => {
  it('appends new commits once, bounded', () => {
    const kept = [commit(0, 0), commit(1, 1)];
    expect(mergeCommits(kept, [commit(1, 1), commit(2, 2)]).map((c) => c.id)).toEqual([0, 1, 2]);
    expect(mergeCommits(kept, [commit(1, 1)])).toBe(kept);
    const many = Array.from({ length: MAX_COMMITS + 10 }, (_, i) => commit(i, i));
    const merged = mergeCommits([], many);
    expect(merged).toHaveLength(MAX_COMMITS);
    expect(merged[0]!.id).toBe(10);
  });
});
