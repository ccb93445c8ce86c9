// @vitest-environment jsdom
/** The Commits view rendered with a real store: grouped per interaction, components ranked, the memo evidence shown. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bridge } from './connection.ts';
import { PanelContext } from './context.tsx';
import { createPanelStore } from './store.ts';
import { call, lite, sampleTick } from './test-fixtures.ts';
import { Commits } from './views/Commits.tsx';
import { $, $$, cleanup, click, render } from './test-dom.ts';

afterEach(cleanup);

function setup(withCommits: boolean) {
  const store = createPanelStore({ link: 'connected', tab: true });
  const calls = [call(1, 'search', 5, { sequence: 1, start: 100 }), call(2, 'addToCart', 2, { sequence: 2, start: 400 })];
  const tick = sampleTick(calls);
  if (withCommits) {
    tick.commits = [
      { id: 0, at: 104, lane: 'blocking', renderMs: 7, rendered: 42, components: [
        { name: 'App', count: 1, selfMs: 1, mounts: 0, propsEqual: 0 },
        { name: 'ProductRow', count: 40, selfMs: 5, mounts: 2, propsEqual: 0 },
        { name: 'CartBadge', count: 1, selfMs: 1, mounts: 0, propsEqual: 1 },
      ] },
      { id: 1, at: 402, lane: 'transition', renderMs: 1, rendered: 1, components: [{ name: 'Cart', count: 1, selfMs: 1, mounts: 1, propsEqual: 0 }] },
    ];
  }
  store.getState().applyTick(tick, tick.calls);
  const bridge: Bridge = { request: async () => ({ op: 'done' }), close: () => undefined };
  render(
    <QueryClientProvider client={new QueryClient()}>
      <PanelContext.Provider value={{ store, bridge }}>
        <Commits />
      </PanelContext.Provider>
    </QueryClientProvider>,
  );
  return store;
}

describe('Commits', () => {
  it('lists commits per interaction, newest first, the costliest component first, with the memo evidence', () => {
    setup(true);
    expect($$('[aria-label="Commits by interaction"] button').map((b) => b.textContent)).toEqual([
      expect.stringMatching(/^addToCart0\.40 s · 1 commit · 1(\.0+)? ms render$/),
      expect.stringMatching(/^search0\.10 s · 1 commit/),
    ]);
    expect($('[data-commit="1"]')!.getAttribute('data-lane')).toBe('transition');
    expect($('[data-commit="1"] [data-component=Cart]')!.textContent).toContain('mount');
    click($('[data-group="1"]')!);
    expect($$('[data-commit="0"] tr[data-component]').map((r) => r.getAttribute('data-component'))).toEqual(['ProductRow', 'App', 'CartBadge']);
    // Instances of one component are one row.
    expect($('[data-commit="0"] tr[data-component=ProductRow]')!.textContent).toMatch(/^ProductRow ×40.*2 mounted$/);
    expect($('[data-commit="0"] tr[data-component=CartBadge]')!.textContent).toContain('props equal');
    expect($('[data-commit="0"] tr[data-component=App]')!.textContent).not.toContain('props equal');
    expect($('[data-commit-group="1"] header')!.textContent).toContain('1 render with equal props');
  });
  it('says how to get commits when there are none', () => {
    setup(false);
    expect($('.empty')!.textContent).toMatch(/No React commits yet/);
  });
});
