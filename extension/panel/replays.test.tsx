// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplayRun } from '../src/replay-message.ts';
import type { Bridge } from './connection.ts';
import { PanelContext } from './context.tsx';
import { listenForReplays, replayHandlers, type ReplayRuntime } from './replays.ts';
import { createPanelStore } from './store.ts';
import { call, lite, sampleTick, session } from './test-fixtures.ts';
import { Replays } from './views/Replays.tsx';
import { $, $$, cleanup, render } from './test-dom.ts';

afterEach(cleanup);

const run = (patch: Partial<ReplayRun> = {}): ReplayRun => ({
  id: 'r1',
  title: 'Catalogue',
  status: 'passed',
  steps: 4,
  done: 4,
  skipped: [],
  failure: null,
  session: session.id,
  windowStart: 100,
  windowEnd: 300,
  startedAt: 1_000,
  endedAt: 2_500,
  ...patch,
});

function fakeRuntime(answer: unknown) {
  const listeners: Array<(m: unknown) => void> = [];
  const sent: unknown[] = [];
  const runtime: ReplayRuntime = {
    onMessage: { addListener: (fn) => void listeners.push(fn) },
    sendMessage: async (m) => (sent.push(m), answer),
  };
  return { runtime, sent, deliver: (m: unknown) => listeners.forEach((l) => l(m)) };
}

describe('listenForReplays', () => {
  it('takes valid runs of its own tab only, and asks for earlier ones when it opens', async () => {
    const store = createPanelStore();
    const rt = fakeRuntime({ runs: [run({ id: 'earlier', startedAt: 1 })] });
    listenForReplays(7, store, rt.runtime);
    expect(rt.sent).toEqual([{ kind: 'homeostat-replays?', tabId: 7 }]);
    await Promise.resolve();
    rt.deliver({ kind: 'homeostat-replay', tabId: 7, run: run({ status: 'running', done: 1 }) });
    rt.deliver({ kind: 'homeostat-replay', tabId: 7, run: run() });
    rt.deliver({ kind: 'homeostat-replay', tabId: 8, run: run({ id: 'other-tab' }) });
    rt.deliver({ kind: 'homeostat-replay', tabId: 7, run: { ...run({ id: 'bad' }), done: -1 } });
    expect(store.getState().replays.map((r) => [r.id, r.status])).toEqual([
      ['earlier', 'passed'],
      ['r1', 'passed'],
    ]);
  });
});

describe('replayHandlers', () => {
  const calls = [call(1, 'search', 5, { start: 120 }), call(2, 'search', 3, { start: 200 }), call(3, 'addToCart', 1, { start: 250 }), call(4, 'search', 9, { start: 400 })].map(lite);
  it('sums the calls inside the run’s window of its session', () => {
    expect(replayHandlers(run(), session.id, calls)).toEqual([
      { handler: 'search', calls: 2, durationMs: 8, maxBlockingMs: 10, commits: 2 },
      { handler: 'addToCart', calls: 1, durationMs: 1, maxBlockingMs: 2, commits: 1 },
    ]);
    expect(replayHandlers(run(), 'another-session', calls)).toBeNull();
    expect(replayHandlers(run({ windowStart: null }), session.id, calls)).toBeNull();
  });
});

describe('Replays view', () => {
  it('shows each run with its outcome and what was measured while it ran', () => {
    const store = createPanelStore({ link: 'connected', tab: true });
    const t = sampleTick([call(1, 'search', 5, { start: 120 })]);
    store.getState().applyTick(t, t.calls);
    store.getState().applyReplay(run());
    store.getState().applyReplay(run({ id: 'r2', startedAt: 3_000, status: 'failed', done: 1, failure: { index: 1, type: 'click', reason: 'timed out: no element matches {"css":"#x"}' }, session: null }));
    const bridge: Bridge = { request: async () => ({ op: 'done' }), close: () => undefined };
    render(
      <QueryClientProvider client={new QueryClient()}>
        <PanelContext.Provider value={{ store, bridge }}>
          <Replays />
        </PanelContext.Provider>
      </QueryClientProvider>,
    );
    expect($$('[data-replay]').map((a) => [a.getAttribute('data-replay'), a.getAttribute('data-status')])).toEqual([
      ['r2', 'failed'],
      ['r1', 'passed'],
    ]);
    expect($('[data-replay=r2] [data-testid=replay-failure]')!.textContent).toBe('Step 2 (click): timed out: no element matches {"css":"#x"}');
    expect($('[data-replay=r1] header')!.textContent).toContain(`session ${session.id.slice(0, 8)} (shown)`);
    expect($$('[data-replay=r1] tr[data-replay-handler]').map((r) => r.getAttribute('data-replay-handler'))).toEqual(['search']);
  });
});
