import { describe, expect, it } from 'vitest';
import type { HandlerCall } from '../core/model.ts';
import { emptySpec } from '../core/spec.ts';
import { drawTracks, MAX_ENTRIES, TRACK_GROUP, TRACKS, type MeasureTarget } from './tracks.ts';

const call = (id: number, handler: string, patch: Partial<HandlerCall> = {}): HandlerCall => ({
  id,
  handler,
  sequence: 1,
  parent: null,
  start: 100 + id,
  duration: 2,
  settle: null,
  outcome: 'ok',
  error: null,
  mode: 'blocking',
  updates: { blocking: 1, transition: 0 },
  commits: 1,
  renderMs: null,
  commitMs: 1,
  blockingMs: 300,
  paintMs: 310,
  loaf: null,
  interactionMs: 399,
  resultMs: 400,
  frames: null,
  ...patch,
});

type Entry = { kind: 'measure' | 'mark'; name: string; start: number; end?: number; detail: { devtools: Record<string, unknown> } };
function fakePerf() {
  const entries: Entry[] = [];
  const cleared: string[] = [];
  const perf: MeasureTarget = {
    measure: (name, o) => entries.push({ kind: 'measure', name, start: o.start, end: o.end, detail: o.detail as Entry['detail'] }),
    mark: (name, o) => entries.push({ kind: 'mark', name, start: o.startTime, detail: o.detail as Entry['detail'] }),
    clearMeasures: (name) => void cleared.push(`measure:${name}`),
    clearMarks: (name) => void cleared.push(`mark:${name}`),
  };
  return { perf, entries, cleared };
}

describe('drawTracks', () => {
  it('draws calls, the React work they caused and the interaction in the Homeostat track group, with a marker where a budget was broken', () => {
    const spec = emptySpec('shop');
    spec.handlers['renderReact'] = { budget: { metric: 'interaction', stat: 'p95', ms: 100 }, baseline: null, tolerance: null, source: null, description: null };
    const { perf, entries, cleared } = fakePerf();
    const n = drawTracks([call(1, 'handleSearchInput'), call(2, 'renderReact', { parent: 1 }), call(3, 'computeFacets', { commits: 0, blockingMs: 2, mode: 'none' })], spec, perf);
    expect(n).toBe(entries.length);
    const tracks = (t: string) => entries.filter((e) => e.kind === 'measure' && e.detail.devtools['track'] === t).map((e) => e.name);
    expect(tracks(TRACKS.calls)).toEqual(['handleSearchInput()', 'renderReact()', 'computeFacets()']);
    expect(tracks(TRACKS.react)).toEqual(['handleSearchInput()', 'renderReact()']);
    expect(tracks(TRACKS.interactions)).toEqual(['handleSearchInput()']);
    expect(entries.filter((e) => e.kind === 'measure').every((e) => e.detail.devtools['trackGroup'] === TRACK_GROUP && e.detail.devtools['dataType'] === 'track-entry')).toBe(true);
    const react = entries.find((e) => e.detail.devtools['track'] === TRACKS.react)!;
    // The React work runs from the call's return to the end of its blocking span.
    expect([react.start, react.end]).toEqual([103, 401]);
    const over = entries.find((e) => e.name === 'renderReact()' && e.detail.devtools['track'] === TRACKS.calls)!;
    expect(over.detail.devtools['color']).toBe('error');
    expect(entries.filter((e) => e.kind === 'mark').map((e) => [e.name, e.detail.devtools['dataType']])).toEqual([['renderReact over budget', 'marker']]);
    // Our entries leave the page's User Timing buffer as they came.
    expect(cleared.sort()).toEqual(['mark:renderReact over budget', 'measure:computeFacets()', 'measure:handleSearchInput()', 'measure:renderReact()']);
  });

  it('draws at most MAX_ENTRIES per call, however many calls a tick carries', () => {
    const { perf, entries } = fakePerf();
    const calls = Array.from({ length: 2000 }, (_, i) => call(i, 'tiny', { sequence: i, commits: 0 }));
    expect(drawTracks(calls, null, perf)).toBe(MAX_ENTRIES);
    expect(entries).toHaveLength(MAX_ENTRIES);
  });
});
