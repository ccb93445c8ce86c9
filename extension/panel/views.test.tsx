// @vitest-environment jsdom
/** Component tests for the panel's views, rendered with a real store and a fake bridge. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, type ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BridgeResult } from '../../src/bridge/protocol.ts';
import type { Bridge, RequestBody } from './connection.ts';
import { PanelContext } from './context.tsx';
import { createPanelStore, type PanelStore } from './store.ts';
import { call, lite, sampleSpec, sampleTick, session } from './test-fixtures.ts';
import { Discrepancies } from './views/Discrepancies.tsx';
import { HandlerDetail } from './views/HandlerDetail.tsx';
import { HandlersTable } from './views/HandlersTable.tsx';
import { Interactions } from './views/Interactions.tsx';
import { setSourcesApi } from './views/SourceLink.tsx';
import { Sequences } from './views/Sequences.tsx';
import { SessionControls } from './views/SessionControls.tsx';
import { StatusBar } from './views/StatusBar.tsx';
import { $, $$, button, change, chooseFiles, cleanup, click, press, render, waitFor } from './test-dom.ts';

afterEach(cleanup);

function setup(ui: ReactNode, options: { tick?: boolean; answer?: (b: RequestBody) => BridgeResult } = {}) {
  const store: PanelStore = createPanelStore({ link: 'connected', tab: true });
  if (options.tick !== false) {
    const t = sampleTick();
    store.getState().applyTick(t, t.calls);
  }
  const request = vi.fn(async (b: RequestBody) => options.answer?.(b) ?? ({ op: 'done' } as BridgeResult));
  const bridge: Bridge = { request, close: () => undefined };
  const queries = new QueryClient();
  render(
    <QueryClientProvider client={queries}>
      <PanelContext.Provider value={{ store, bridge }}>{ui}</PanelContext.Provider>
    </QueryClientProvider>,
  );
  return { store, request };
}

const rows = () => $$('tr[data-handler]').map((r) => r.getAttribute('data-handler'));
const row = (h: string) => $(`tr[data-handler="${h}"]`);
const cell = (h: string, col: string) => row(h).querySelector(`[data-col=${col}]`)!;

describe('HandlersTable', () => {
  it('shows one row per handler with the observed numbers and "—" without docs', () => {
    const { store } = setup(<HandlersTable spec={null} />);
    const snap = store.getState().snapshot!;
    expect(rows().sort()).toEqual(['filter', 'parse', 'search']);
    const search = snap.handlers.find((h) => h.handler === 'search')!;
    expect(cell('search', 'n').textContent).toBe('30');
    expect(cell('search', 'p95').getAttribute('data-value')).toBe(String(search.duration.p95));
    expect(cell('search', 'budget').textContent).toBe('—');
    expect(cell('search', 'status').textContent).toBe('undocumented');
    expect(cell('filter', 'transition').textContent).toBe('100%');
    expect(cell('parse', 'errors').textContent).toBe('1');
  });

  it('shows what the user felt first: interaction, time to result and the longest frame, worst interaction on top', () => {
    const { store } = setup(<HandlersTable spec={null} />);
    const search = store.getState().snapshot!.handlers.find((h) => h.handler === 'search')!;
    const headers = $$('thead th').map((th) => th.textContent!.replace(/ [▾▴]$/, ''));
    expect(headers.indexOf('Interaction p95')).toBeLessThan(headers.indexOf('Own p50'));
    expect(headers.indexOf('Result p95')).toBeLessThan(headers.indexOf('Blocking p95'));
    expect(cell('search', 'interaction').getAttribute('data-value')).toBe(String(search.interaction!.p95));
    expect(cell('search', 'result').getAttribute('data-value')).toBe(String(search.result!.p95));
    expect(cell('search', 'frame').getAttribute('data-value')).toBe(String(search.longestFrame!.p95));
    // A frame of 200 ms or more is a freeze the user sees.
    expect(cell('search', 'frame').className).toBe('bad');
    expect(cell('filter', 'interaction').textContent).toBe('—');
    expect(rows()[0]).toBe('search');
  });

  it('a baseline recorded before the user-felt metrics still documents the handler: it is judged on what it has', () => {
    const spec = sampleSpec();
    spec.handlers['filter'] = { ...spec.handlers['filter']!, budget: null, baseline: { metrics: { blocking: { mean: 1, p50: 1, p75: 1, p95: 1, p99: 1 } }, n: 50, date: '2026-01-01', build: null, sessions: [], errorRate: 0, transitionShare: 1 } };
    setup(<HandlersTable spec={spec} />);
    expect(cell('filter', 'status').textContent).not.toBe('undocumented');
    expect(cell('filter', 'baseline').textContent).toBe('p95 blocking 1.00 ms');
  });

  it('badges each handler against its docs', () => {
    setup(<HandlersTable spec={sampleSpec()} />);
    const status = (h: string) => cell(h, 'status').textContent;
    expect(status('search')).toBe('over budget');
    expect(status('filter')).toBe('within docs');
    expect(status('parse')).toBe('drifting');
    expect(cell('search', 'budget').textContent).toBe('p95 blocking ≤ 5 ms');
  });

  it('shows the field baseline beside the live numbers, with its source, when the docs carry one', () => {
    const spec = sampleSpec();
    spec.handlers['search']!.field = {
      metrics: { blocking: { mean: 9, p50: 8, p75: 10, p95: 21.5, p99: 30 } },
      n: 2400,
      date: '2026-02-01T00:00:00.000Z',
      build: 'abc',
      sessions: [],
      errorRate: 0,
      transitionShare: 0,
      source: { kind: 'field', store: 'clickhouse://otel:8123/otel', sessions: 100, from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z', relativeAccuracy: 0.0108 },
    };
    setup(<HandlersTable spec={spec} />);
    expect(cell('search', 'field').getAttribute('data-value')).toBe('21.5');
    expect(cell('search', 'field').getAttribute('title')).toMatch(/100 sessions · from clickhouse:\/\/otel:8123\/otel · 2026-01-01 to 2026-02-01 · ±1\.1%/);
    expect(cell('filter', 'field').textContent).toBe('—');
  });

  it('sorts by a column and filters by name and status', () => {
    setup(<HandlersTable spec={sampleSpec()} />);
    click(button('Handler'));
    expect(rows()).toEqual(['filter', 'parse', 'search']);
    click(button('Handler'));
    expect(rows()).toEqual(['search', 'parse', 'filter']);
    click(button('Status'));
    expect(rows()).toEqual(['search', 'parse', 'filter']);
    change($('[aria-label="Filter handlers"]') as HTMLInputElement, 'sea');
    expect(rows()).toEqual(['search']);
    change($('[aria-label="Filter handlers"]') as HTMLInputElement, '');
    change($('[aria-label="Status filter"]') as HTMLSelectElement, 'drifting');
    expect(rows()).toEqual(['parse']);
  });

  it('opens a handler\'s detail on click', () => {
    const { store } = setup(<HandlersTable spec={null} />);
    click(row('filter'));
    expect(store.getState()).toMatchObject({ selected: 'filter', view: 'detail' });
  });
});

describe('HandlerDetail', () => {
  it('shows charts, the budget and recent calls with how React ran them', () => {
    const { store } = setup(<HandlerDetail spec={sampleSpec()} />);
    act(() => store.getState().select('filter'));
    expect($('h2').textContent).toBe('filter');
    expect($('.facts').textContent).toContain('p95 duration ≤ 16.0 ms');
    const calls = $$('[aria-label="Recent calls"] tr[data-call]');
    expect(calls).toHaveLength(30);
    expect(calls[0]!.textContent).toContain('transition');
    expect(document.querySelectorAll('.recharts-wrapper')).toHaveLength(2);
  });

  it('charts and lists what the user felt for a handler without a budget', () => {
    const { store } = setup(<HandlerDetail spec={null} />);
    act(() => store.getState().select('search'));
    expect($('figcaption').textContent).toMatch(/^Interaction latency of recent calls/);
    expect($('.facts').textContent).toMatch(/interaction p50 \/ p95\d/);
    expect($$('[aria-label="Recent calls"] th').map((th) => th.textContent)).toEqual(['#', 'at', 'interaction', 'result', 'longest frame', 'own duration', 'blocking', 'React ran it as', 'outcome']);
  });

  it('says what to do when nothing is selected', () => {
    setup(<HandlerDetail spec={null} />);
    expect(document.body.textContent).toMatch(/Pick a handler/);
  });
});

describe('Interactions', () => {
  it('ranks the handler whose update caused the render above the ones that only shared its frame', async () => {
    const { store } = setup(<Interactions spec={null} />, { tick: false });
    const frames = { count: 1, blockingMs: 340, totalMs: 392, longestMs: 392, styleLayoutMs: 12, forcedStyleLayoutMs: 0 };
    const shared = { sequence: 7, interactionMs: 399, resultMs: 400, frames };
    const calls = [
      // A component's helper that ran inside the render: 2 ms of its own, listed first by id.
      call(1, 'computeFacets', 2, { ...shared, start: 150, blockingMs: 2, commits: 0, mode: 'none' }),
      call(2, 'handleSearchInput', 10, { ...shared, start: 100, blockingMs: 390, commits: 1 }),
      call(3, 'renderReact', 0.5, { ...shared, start: 109, parent: 2, blockingMs: 381, commits: 1 }),
    ];
    act(() => store.getState().applyTick({ ...sampleTick(), calls: calls.map(lite) }, calls.map(lite)));
    // The view is throttled: it shows the new interaction within half a second.
    await waitFor(() => expect($$('[data-interaction="7"]')).toHaveLength(1));
    const ranked = $$('[data-interaction="7"] tr[data-cost-handler]').map((r) => r.getAttribute('data-cost-handler'));
    expect(ranked[0]).toBe('handleSearchInput');
    expect(ranked.at(-1)).toBe('computeFacets');
    const header = $('[data-interaction="7"] header').textContent!;
    expect(header).toMatch(/interaction 399 ms/);
    expect(header).toMatch(/longest frame 392 ms/);
    expect($('[data-interaction="7"] tr[data-cost-handler=renderReact] [data-col=react]').textContent).toMatch(/shared with handleSearchInput/);
  });
});

describe('keyboard', () => {
  it('Enter on a focused handler row opens its detail', () => {
    const { store } = setup(<HandlersTable spec={null} />);
    expect(row('search').tabIndex).toBe(0);
    press(row('search'), 'Enter');
    expect(store.getState().selected).toBe('search');
    expect(store.getState().view).toBe('detail');
  });

  it('arrow keys walk the recent interactions', async () => {
    const { store } = setup(<Interactions spec={null} />, { tick: false });
    const calls = [1, 2, 3].map((seq) => lite(call(seq, 'h', 1, { sequence: seq, start: seq * 100 })));
    act(() => store.getState().applyTick({ ...sampleTick(), calls }, calls));
    await waitFor(() => expect($$('[data-sequence-id]')).toHaveLength(3));
    const shown = () => $('.ranked').getAttribute('data-interaction');
    expect(shown()).toBe('3');
    press($('[data-sequence-id="3"]'), 'ArrowDown');
    expect(shown()).toBe('2');
    expect(document.activeElement?.getAttribute('data-sequence-id')).toBe('2');
    press($('[data-sequence-id="2"]'), 'ArrowUp');
    expect(shown()).toBe('3');
  });
});

describe('SourceLink', () => {
  afterEach(() => setSourcesApi(undefined));
  it('opens the recorded file and line in Sources, trying the resources DevTools lists first', async () => {
    const opened: Array<[string, number]> = [];
    setSourcesApi({
      resources: async () => ['http://127.0.0.1:5173/assets/index.js', 'http://127.0.0.1:5173/src/demo/src/App.tsx'],
      open: async (url, line) => {
        opened.push([url, line]);
        return true;
      },
    });
    const spec = sampleSpec();
    spec.handlers['search'] = { ...spec.handlers['search']!, source: { file: '../src/App.tsx', line: 38 } };
    setup(<HandlersTable spec={spec} />);
    const link = $('tr[data-handler=search] [data-col=source] button');
    expect(link.textContent).toBe('App.tsx:38');
    click(link);
    await waitFor(() => expect(opened).toHaveLength(1));
    // openResource takes a 0-based line.
    expect(opened).toEqual([['http://127.0.0.1:5173/src/demo/src/App.tsx', 37]]);
    expect(cell('parse', 'source').textContent).toBe('—');
  });

  it('falls back to where the build plugin saw a handler the docs do not place', () => {
    setSourcesApi({ resources: async () => [], open: async () => true });
    const { store } = setup(<HandlersTable spec={sampleSpec()} />);
    act(() => store.getState().setSources({ parse: { file: 'src/catalogue.ts', line: 18 } }));
    expect(cell('parse', 'source').textContent).toBe('catalogue.ts:18');
  });
});

describe('Sequences', () => {
  it('draws each step of an interaction as a bar in order', () => {
    setup(<Sequences />);
    const seq = document.querySelector('[data-sequence="input:search"]')!;
    expect([...seq.querySelectorAll('[data-step]')].map((s) => s.getAttribute('data-step'))).toEqual(['search', 'filter', 'parse']);
    expect(seq.querySelectorAll('.bar')).toHaveLength(3);
  });

  it('has a time axis: round ticks from 0 across the span, the bars placed on it', () => {
    setup(<Sequences />);
    const seq = document.querySelector('[data-sequence="input:search"]')!;
    const axis = seq.querySelector('.axis')!;
    const span = Number(axis.getAttribute('data-span'));
    const ticks = [...axis.querySelectorAll('[data-tick]')].map((t) => Number(t.getAttribute('data-tick')));
    expect(ticks[0]).toBe(0);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.at(-1)!).toBeLessThanOrEqual(span);
    expect(axis.querySelector('[data-tick="0"]')!.textContent).toBe('0 ms');
    // The last step starts later than the first, so its bar is further right.
    const lefts = [...seq.querySelectorAll('[data-step] .bar')].map((b) => parseFloat((b as HTMLElement).style.left));
    expect(lefts[2]!).toBeGreaterThan(lefts[0]!);
  });
});

describe('Discrepancies', () => {
  it('has an empty state without docs and lists departures with docs', () => {
    setup(<Discrepancies spec={null} />);
    expect(document.body.textContent).toMatch(/exposes no docs/);
    cleanup();
    setup(<Discrepancies spec={sampleSpec()} />);
    expect([...document.querySelectorAll('[data-discrepancy]')].map((d) => d.getAttribute('data-discrepancy')).sort()).toEqual(['parse', 'search']);
  });

  it('lists the suggestion engine\'s diagnoses of the live data, with their evidence', () => {
    setup(<Discrepancies spec={sampleSpec()} />);
    const s = $('[data-suggestion="blocking-update:search"]');
    expect(s.textContent).toMatch(/search renders its updates as blocking work/);
    expect(s.textContent).toMatch(/the user waited \d+ ms at p95 interaction against a budget of p95 blocking ≤ 5 ms/);
    expect(s.textContent).toMatch(/startTransition/);
    // What the fix should do to what the user feels, and what it will not.
    expect(s.querySelector('[aria-label="Predicted effect"]')!.textContent).toMatch(/search p95 interaction: \d+ ms → \d+(\.\d)? ms/);
    // `filter` already runs as a transition: nothing to suggest.
    expect(document.querySelector('[data-suggestion="blocking-update:filter"]')).toBeNull();
  });
});

describe('StatusBar', () => {
  it('says plainly when the page has no Homeostat wrapper', () => {
    const { store } = setup(<StatusBar />, { tick: false });
    act(() => store.getState().setPage('absent'));
    expect($('[data-testid=page-state]').textContent).toMatch(/no Homeostat wrapper/);
  });

  it('shows the session and the rejected-message count', () => {
    const { store } = setup(<StatusBar />);
    act(() => store.getState().setRejected({ page: 2, worker: 1, reason: 'invalid page message' }));
    expect($('[data-testid=rejected]').textContent).toBe('3 rejected messages: invalid page message');
    expect($('[data-testid=page-state]').textContent).toContain(session.url);
  });

  it('shows what Homeostat costs the page: the bridge agent\'s measured ms per second and the wrappers\' bound', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(1_000_000);
      const { store } = setup(<StatusBar />, { tick: false });
      const t = sampleTick();
      act(() => store.getState().applyTick({ ...t, totalCalls: 0, bridgeMs: 4 }, []));
      vi.setSystemTime(1_002_000);
      act(() => store.getState().applyTick({ ...t, totalCalls: 2000, bridgeMs: 10 }, []));
      const o = $('[data-testid=overhead]');
      // 6 ms over 2 s; 1000 calls/s × 500 ns = 0.5 ms/s.
      expect(o.getAttribute('data-bridge')).toBe('3.000');
      expect(o.textContent).toBe('overhead: bridge 3.00 ms/s · recording ≤ 0.50 ms/s (0.35% of main thread)');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('SessionControls', () => {
  it('pauses, clears and imports through the bridge', async () => {
    const { request, store } = setup(<SessionControls />, {
      answer: (b) => (b.op === 'import' ? { op: 'import', id: 'imported-1', calls: 12 } : { op: 'done' }),
    });
    click(button('Pause'));
    await waitFor(() => expect($('[role=status]').textContent).toBe('Recording paused'));
    expect(request).toHaveBeenCalledWith({ op: 'pause' });
    click(button('Clear'));
    await waitFor(() => expect(store.getState().snapshot).toBeNull());
    const file = new File(['{"format":"homeostat.session"}'], 'old.json', { type: 'application/json' });
    chooseFiles($('[aria-label="Import session file"]') as HTMLInputElement, [file]);
    await waitFor(() => expect($('[role=status]').textContent).toBe('Imported old.json: 12 calls as session imported-1'));
    expect(request).toHaveBeenLastCalledWith({ op: 'import', json: '{"format":"homeostat.session"}' });
  });

  it('loads docs from a spec file, and names a file that is not one', async () => {
    const { store } = setup(<SessionControls />);
    const spec = sampleSpec();
    chooseFiles($('[aria-label="Load docs file"]') as HTMLInputElement, [new File([JSON.stringify(spec)], 'homeostat.spec.json')]);
    await waitFor(() => expect(store.getState().docs?.name).toBe('homeostat.spec.json'));
    expect(store.getState().docs?.spec.handlers['search']?.budget?.ms).toBe(5);
    click(button('Unload docs'));
    expect(store.getState().docs).toBeNull();
    chooseFiles($('[aria-label="Load docs file"]') as HTMLInputElement, [new File(['{"format":"nope"}'], 'bad.json')]);
    await waitFor(() => expect($('[role=status]').textContent).toMatch(/^Not a spec file: .*bad\.json/));
    expect(store.getState().docs).toBeNull();
  });

  it('exports the session as a JSON download', async () => {
    const json = '{"format":"homeostat.session","calls":[]}';
    const blobs: Blob[] = [];
    globalThis.URL.createObjectURL = (b: Blob) => (blobs.push(b), 'blob:x');
    globalThis.URL.revokeObjectURL = () => undefined;
    const names: string[] = [];
    const anchorClick = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    setup(<SessionControls />, { answer: () => ({ op: 'export', json }) });
    click(button('Export JSON'));
    await waitFor(() => expect(anchorClick).toHaveBeenCalled());
    expect(names).toEqual([`homeostat-session-${session.id}.json`]);
    expect(blobs).toHaveLength(1);
    expect(await blobs[0]!.text()).toBe(json);
  });
});
