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
      { id: 0, at: 104, lane: 'blocking', renderMs: 7, rendered: 3, components: [
        { name: 'App', selfMs: 1, mount: false, propsEqual: false },
        { name: 'ProductList', selfMs: 5, mount: false, propsEqual: false },
        { name: 'CartBadge', selfMs: 1, mount: false, propsEqual: true },
      ] },
      { id: 1, at: 402, lane: 'transition', renderMs: 1, rendered: 1, components: [{ name: 'Cart', selfMs: 1, mount: true, propsEqual: false }] },
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
    expect($$('[data-commit="0"] tr[data-component]').map((r) => r.getAttribute('data-component'))).toEqual(['ProductList', 'App', 'CartBadge']);
    expect($('[data-commit="0"] tr[data-component=CartBadge]')!.textContent).toContain('props equal');
    expect($('[data-commit="0"] tr[data-component=App]')!.textContent).not.toContain('props equal');
    expect($('[data-commit-group="1"] header')!.textContent).toContain('1 render with equal props');
  });
  it('says how to get commits when there are none', () => {
    setup(false);
    expect($('.empty')!.textContent).toMatch(/No React commits yet/);
  });
});
